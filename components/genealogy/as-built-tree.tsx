import Link from "next/link";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";

export type AsBuiltTreeNode = {
  edgeId: string;
  parentEdgeId: string | null;
  partNumber: string;
  description: string;
  revision: string;
  uom: string;
  serialItemId: string | null;
  serialNumber: string | null;
  lotNumber: string | null;
  quantity: string;
  findNumber: number | null;
  operationSeq: number;
  operationCode: string | null;
  operatorName: string;
  stationCode: string;
  installedAt: Date;
  parameters: Record<string, string>;
  removed: boolean;
  removedAt: Date | null;
  removedByName: string | null;
  removalReason: string | null;
};

/**
 * The as-built of a unit as a nested list: each component with part/revision, serial or lot, quantity, operation,
 * operator, station and time; components taken out in rework stay visible, struck through and marked removed.
 */
export function AsBuiltTree({ nodes, timeZone }: { nodes: AsBuiltTreeNode[]; timeZone: string }) {
  const children = new Map<string | null, AsBuiltTreeNode[]>();
  for (const n of nodes) {
    const list = children.get(n.parentEdgeId) ?? [];
    list.push(n);
    children.set(n.parentEdgeId, list);
  }
  return <Branch parent={null} childrenOf={children} timeZone={timeZone} root />;
}

function Branch({
  parent,
  childrenOf,
  timeZone,
  root = false,
}: {
  parent: string | null;
  childrenOf: Map<string | null, AsBuiltTreeNode[]>;
  timeZone: string;
  root?: boolean;
}) {
  const list = childrenOf.get(parent) ?? [];
  if (list.length === 0) return null;
  return (
    <ul className={root ? "space-y-1" : "mt-1 space-y-1 border-l-2 border-slate-300 pl-4"}>
      {list.map((n) => (
        <li key={n.edgeId}>
          <div className={n.removed ? "rounded border border-dashed border-slate-400 bg-slate-50 px-2 py-1 text-slate-600" : "rounded border border-slate-200 bg-white px-2 py-1"}>
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              {n.findNumber !== null ? <span className="text-xs text-slate-600">#{n.findNumber}</span> : null}
              <span className={n.removed ? "line-through" : undefined}>
                <PartRev partNumber={n.partNumber} revision={n.revision} />
              </span>
              {n.serialNumber && n.serialItemId ? (
                <Link href={`/genealogy?item=${n.serialItemId}`} className="underline decoration-dotted" title="Open the as-built of this serial">
                  <LotBadge lotNumber={null} serialNumber={n.serialNumber} />
                </Link>
              ) : (
                <LotBadge lotNumber={n.lotNumber} serialNumber={null} />
              )}
              <Qty value={n.quantity} uom={n.uom} />
              <span className="text-sm">
                Op {n.operationSeq}
                {n.operationCode ? ` ${n.operationCode}` : ""}
              </span>
              <span className="text-sm">{n.operatorName}</span>
              <span className="font-mono text-sm">{n.stationCode}</span>
              <span className="text-sm">
                <DateTime value={n.installedAt} timeZone={timeZone} />
              </span>
              {n.removed ? <Badge tone="red">Removed</Badge> : null}
            </div>
            <p className="text-xs text-slate-600">{n.description}</p>
            {Object.keys(n.parameters).length > 0 ? (
              <p className="text-xs text-slate-700">
                {Object.entries(n.parameters)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(" · ")}
              </p>
            ) : null}
            {n.removed ? (
              <p className="text-sm text-red-900">
                Removed <DateTime value={n.removedAt} timeZone={timeZone} />
                {n.removedByName ? ` by ${n.removedByName}` : ""}
                {n.removalReason ? `: ${n.removalReason}` : ""}
              </p>
            ) : null}
          </div>
          <Branch parent={n.edgeId} childrenOf={childrenOf} timeZone={timeZone} />
        </li>
      ))}
    </ul>
  );
}
