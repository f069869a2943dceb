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
  if (operations.length === 0) {
    return <EmptyState title="No operations on this work order">Its routing was empty at release. Check the ERP routing of the part.</EmptyState>;
  }
  return (
    <Table caption="Units per operation" comfortable>
      <THead>
        <Tr>
          <Th>Operation</Th>
          <Th>Work center</Th>
          <Th className="text-right">Waiting</Th>
          <Th className="text-right">In progress</Th>
          <Th className="text-right">Done</Th>
        </Tr>
      </THead>
      <TBody>
        {operations.map((o) => (
          <Tr key={o.operationId}>
            <Td>
              <span className="font-semibold">
                Op {o.seq} {o.code}
              </span>
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
