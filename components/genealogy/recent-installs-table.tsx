import Link from "next/link";
import { useTranslations } from "next-intl";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export type RecentInstall = {
  edgeId: string;
  installedAt: Date;
  unitSerial: string;
  parentSerialItemId: string;
  partNumber: string;
  revision: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  uom: string;
  operationSeq: number;
  operatorName: string;
  stationCode: string;
  removedAt: Date | null;
};

/** The latest consumptions into units, each linking to the unit's as-built. */
export function RecentInstallsTable({ installs, timeZone }: { installs: RecentInstall[]; timeZone: string }) {
  const t = useTranslations("genealogy.recent");
  if (installs.length === 0) {
    return <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>;
  }
  return (
    <Table caption={t("caption")}>
      <THead>
        <Tr>
          <Th>{t("colWhen")}</Th>
          <Th>{t("colUnit")}</Th>
          <Th>{t("colComponent")}</Th>
          <Th>{t("colLotSerial")}</Th>
          <Th className="text-right">{t("colQty")}</Th>
          <Th>{t("colOp")}</Th>
          <Th>{t("colOperator")}</Th>
          <Th>{t("colStation")}</Th>
        </Tr>
      </THead>
      <TBody>
        {installs.map((i) => (
          <Tr key={i.edgeId} className={i.removedAt ? "text-slate-500" : undefined}>
            <Td>
              <DateTime value={i.installedAt} timeZone={timeZone} />
            </Td>
            <Td>
              <Link href={`/genealogy?item=${i.parentSerialItemId}`} prefetch={false} className="font-mono text-blue-800 underline">
                {i.unitSerial}
              </Link>
            </Td>
            <Td>
              <PartRev partNumber={i.partNumber} revision={i.revision} />
              {i.removedAt ? (
                <Badge tone="red" className="ml-2">
                  {t("removed")}
                </Badge>
              ) : null}
            </Td>
            <Td>
              <LotBadge lotNumber={i.lotNumber} serialNumber={i.serialNumber} />
            </Td>
            <Td className="text-right">
              <Qty value={i.quantity} uom={i.uom} />
            </Td>
            <Td className="tabular-nums">{i.operationSeq}</Td>
            <Td>{i.operatorName}</Td>
            <Td className="font-mono">{i.stationCode}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
