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

const DIRECTION: Record<OwnershipEntry["direction"], string> = {
  erp_to_traceline: "ERP → Traceline",
  traceline_to_erp: "Traceline → ERP",
  none: "Not propagated",
};

/** Which system is authoritative for each attribute, and which way updates flow. */
export function OwnershipTable({ rows, timeZone }: { rows: OwnershipEntry[]; timeZone: string }) {
  if (rows.length === 0) {
    return (
      <EmptyState title="The ownership registry is empty">
        Without entries, every inventory attribute is treated as owned by the ERP. Entries are loaded with the plant set-up.
      </EmptyState>
    );
  }
  return (
    <Table caption="Ownership registry">
      <THead>
        <Tr>
          <Th>Entity</Th>
          <Th>Attribute</Th>
          <Th>Owner</Th>
          <Th>Updates flow</Th>
          <Th>Note</Th>
          <Th>Changed</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={`${r.entity}.${r.attribute}`}>
            <Td className="font-mono">{r.entity}</Td>
            <Td className="font-mono">{r.attribute}</Td>
            <Td>{r.owner === "erp" ? <Badge tone="blue">ERP</Badge> : <Badge tone="violet">Traceline</Badge>}</Td>
            <Td>{DIRECTION[r.direction]}</Td>
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
