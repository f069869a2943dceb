import { useTranslations } from "next-intl";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export type WipOperation = {
  operationId: string;
  seq: number;
  code: string;
  description: string;
  workCenterCode: string;
  pending: number;
  inProgress: number;
  completed: number;
};

/** Per operation of a work order: units waiting, being worked, and done. */
export function WipOperationsTable({ operations }: { operations: WipOperation[] }) {
  const t = useTranslations("wip.operationsTable");
  if (operations.length === 0) {
    return <EmptyState title={t("emptyTitle")}>{t("emptyBody")}</EmptyState>;
  }
  return (
    <Table caption={t("caption")} comfortable>
      <THead>
        <Tr>
          <Th>{t("operation")}</Th>
          <Th>{t("workCenter")}</Th>
          <Th className="text-right">{t("waiting")}</Th>
          <Th className="text-right">{t("inProgress")}</Th>
          <Th className="text-right">{t("done")}</Th>
        </Tr>
      </THead>
      <TBody>
        {operations.map((o) => (
          <Tr key={o.operationId}>
            <Td>
              <span className="font-semibold">{t("op", { seq: o.seq, code: o.code })}</span>
              <span className="block text-sm text-slate-700">{o.description}</span>
            </Td>
            <Td className="font-mono">{o.workCenterCode}</Td>
            <Td className="text-right tabular-nums">{o.pending}</Td>
            <Td className={o.inProgress > 0 ? "text-right font-bold tabular-nums text-amber-900" : "text-right tabular-nums"}>{o.inProgress}</Td>
            <Td className="text-right tabular-nums">{o.completed}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
