import Link from "next/link";
import { Qty } from "@/components/inventory/qty";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export type BomTreeLine = {
  findNumber: number;
  componentPartId: string;
  partNumber: string;
  revision: string;
  revisionStatus: string;
  description: string;
  uom: string;
  tracking: string;
  quantity: string;
  operationSeq: number;
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  backflush: boolean;
};

export type BomTreeNode = { line: BomTreeLine; depth: number; children: BomTreeNode[]; cycle: boolean; cut: boolean };

function flatten(nodes: BomTreeNode[], path: string, out: { node: BomTreeNode; key: string }[] = []) {
  nodes.forEach((n, i) => {
    const key = `${path}.${i}`;
    out.push({ node: n, key });
    flatten(n.children, key, out);
  });
  return out;
}

export function effectivityText(from: string | null, to: string | null): string {
  if (!from && !to) return "All";
  if (from && to) return `${from} – ${to}`;
  return from ? `from ${from}` : `up to ${to}`;
}

/**
 * A multi-level BOM as an indented table (level 1 = the part's own BOM). Each line: find number, component (a link to
 * its part), quantity per parent, the operation that consumes it, its effectivity by unit serial and by date, and
 * whether it is backflushed. Loops and lines cut at the depth limit are marked, never hidden.
 */
export function BomTreeTable({ lines }: { lines: BomTreeNode[] }) {
  const rows = flatten(lines, "");
  return (
    <Table caption="Bill of materials, all levels">
      <THead>
        <Tr>
          <Th>Level</Th>
          <Th className="text-right">Find</Th>
          <Th>Component</Th>
          <Th className="text-right">Qty per</Th>
          <Th className="text-right">Op</Th>
          <Th>Unit serials</Th>
          <Th>Dates</Th>
          <Th>Backflush</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map(({ node, key }) => {
          const l = node.line;
          return (
            <Tr key={key}>
              <Td className="tabular-nums text-slate-600">
                <span aria-hidden="true">{"·".repeat(node.depth - 1)}</span>
                {node.depth}
              </Td>
              <Td className="text-right tabular-nums">{l.findNumber}</Td>
              <Td>
                <span style={{ paddingLeft: `${(node.depth - 1) * 1.25}rem` }} className="block">
                  <Link href={`/erp/master-data/parts/${l.componentPartId}`} className="font-mono font-semibold text-blue-800 underline-offset-2 hover:underline">
                    {l.partNumber}
                  </Link>
                  <span className="ml-1 text-slate-700">rev {l.revision}</span>
                  {l.revisionStatus !== "released" ? (
                    <Badge tone="amber" className="ml-1">
                      {l.revisionStatus}
                    </Badge>
                  ) : null}
                  <span className="block text-xs text-slate-600">
                    {l.description} · {l.tracking}
                  </span>
                  {node.cycle ? <span className="block text-xs font-semibold text-red-900">Contains an assembly above it (loop in ERP data): not expanded again.</span> : null}
                  {node.cut ? <span className="block text-xs font-semibold text-amber-900">Has its own BOM below the depth shown: open the part to see it.</span> : null}
                </span>
              </Td>
              <Td className="text-right">
                <Qty value={l.quantity} uom={l.uom} />
              </Td>
              <Td className="text-right tabular-nums">{l.operationSeq}</Td>
              <Td className="font-mono text-xs">{effectivityText(l.serialFrom, l.serialTo)}</Td>
              <Td className="text-xs tabular-nums">{effectivityText(l.effectiveFrom, l.effectiveTo)}</Td>
              <Td>{l.backflush ? <Badge tone="violet">Backflush</Badge> : <span className="text-slate-600">Scan</span>}</Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
