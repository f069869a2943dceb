import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export type OwnershipEntry = {
  entity: string;
  attribute: string;
  owner: "erp" | "traceline";
  direction: "erp_to_traceline" | "traceline_to_erp" | "none";
  note: string;
  updatedAt: Date;
};

/** Which system is authoritative for each attribute, and which way updates flow. */
export function OwnershipTable({ rows, timeZone }: { rows: OwnershipEntry[]; timeZone: string }) {
  const t = useTranslations("signatures");
  if (rows.length === 0) {
    return <EmptyState title={t("ownership.emptyTitle")}>{t("ownership.empty")}</EmptyState>;
  }
  return (
    <Table caption={t("ownership.caption")}>
      <THead>
        <Tr>
          <Th>{t("ownership.colEntity")}</Th>
          <Th>{t("ownership.colAttribute")}</Th>
          <Th>{t("ownership.colOwner")}</Th>
          <Th>{t("ownership.colFlow")}</Th>
          <Th>{t("ownership.colNote")}</Th>
          <Th>{t("ownership.colChanged")}</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={`${r.entity}.${r.attribute}`}>
            <Td className="font-mono">{r.entity}</Td>
            <Td className="font-mono">{r.attribute}</Td>
            <Td>{r.owner === "erp" ? <Badge tone="blue">{t("owner.erp")}</Badge> : <Badge tone="violet">{t("owner.traceline")}</Badge>}</Td>
            <Td>{t(`direction.${r.direction}`)}</Td>
            <Td>{r.note}</Td>
            <Td>
              <DateTime value={r.updatedAt} timeZone={timeZone} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
