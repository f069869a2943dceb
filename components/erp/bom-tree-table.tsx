import Link from "next/link";
import { useTranslations } from "next-intl";
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

/** A line's effectivity (unit serials or dates): all, a range, from, or up to. */
export function Effectivity({ from, to }: { from: string | null; to: string | null }) {
  const t = useTranslations("erp.bom");
  if (!from && !to) return <>{t("effectivity.all")}</>;
  if (from && to) return <>{t("effectivity.range", { from, to })}</>;
  return <>{from ? t("effectivity.from", { from }) : t("effectivity.upTo", { to: to ?? "" })}</>;
}

/**
 * A multi-level BOM as an indented table (level 1 = the part's own BOM). Each line: find number, component (a link to
 * its part), quantity per parent, the operation that consumes it, its effectivity by unit serial and by date, and
 * whether it is backflushed. Loops and lines cut at the depth limit are marked, never hidden.
 */
export function BomTreeTable({ lines }: { lines: BomTreeNode[] }) {
  const t = useTranslations("erp.bom");
  const tTracking = useTranslations("erp.tracking");
  const rows = flatten(lines, "");
  return (
    <Table caption={t("caption")}>
      <THead>
        <Tr>
          <Th>{t("colLevel")}</Th>
          <Th className="text-right">{t("colFind")}</Th>
          <Th>{t("colComponent")}</Th>
          <Th className="text-right">{t("colQtyPer")}</Th>
          <Th className="text-right">{t("colOp")}</Th>
          <Th>{t("colSerials")}</Th>
          <Th>{t("colDates")}</Th>
          <Th>{t("colBackflush")}</Th>
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
                  <span className="ml-1 text-slate-700">{t("rev", { revision: l.revision })}</span>
                  {l.revisionStatus !== "released" ? (
                    <Badge tone="amber" className="ml-1">
                      {t(`revisionStatus.${l.revisionStatus as "obsolete"}`)}
                    </Badge>
                  ) : null}
                  <span className="block text-xs text-slate-600">
                    {l.description} · {tTracking(l.tracking as "serial")}
                  </span>
                  {node.cycle ? <span className="block text-xs font-semibold text-red-900">{t("cycle")}</span> : null}
                  {node.cut ? <span className="block text-xs font-semibold text-amber-900">{t("cut")}</span> : null}
                </span>
              </Td>
              <Td className="text-right">
                <Qty value={l.quantity} uom={l.uom} />
              </Td>
              <Td className="text-right tabular-nums">{l.operationSeq}</Td>
              <Td className="font-mono text-xs"><Effectivity from={l.serialFrom} to={l.serialTo} /></Td>
              <Td className="text-xs tabular-nums"><Effectivity from={l.effectiveFrom} to={l.effectiveTo} /></Td>
              <Td>{l.backflush ? <Badge tone="violet">{t("backflush")}</Badge> : <span className="text-slate-600">{t("scan")}</span>}</Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
