import { formatQty } from "@/components/inventory/qty";

/*
 * Graph views of genealogy: which nodes and edges to draw, capped so a 10,000-node tree never freezes the browser (the
 * view says "showing N of M" and points to the table). Pure: no layout, no React.
 */

export type GraphNode = {
  id: string;
  title: string;
  subtitle: string;
  href: string | null;
  tone: "root" | "serial" | "lot" | "removed" | "unit";
};
export type GraphEdge = { from: string; to: string; dashed: boolean };
/** `shown` of `total` counts what the view is about (nodes of a tree, units reached by a where-used). */
export type GraphModel = { nodes: GraphNode[]; edges: GraphEdge[]; total: number; shown: number };

/** The words inside the nodes, in the reader's language (English when not given). */
export type GraphWords = { partRev: (part: string, revision: string) => string; qty: (quantity: string) => string };

const ENGLISH: GraphWords = { partRev: (part, revision) => `${part} rev ${revision}`, qty: (quantity) => formatQty(quantity) };

/** GraphWords from the `genealogy.graph` translator and the reader's locale. */
export function graphWords(t: (key: "partRev", values: { part: string; revision: string }) => string, locale: string): GraphWords {
  return { partRev: (part, revision) => t("partRev", { part, revision }), qty: (quantity) => formatQty(quantity, locale) };
}

type TreeNode = {
  edgeId: string;
  parentEdgeId: string | null;
  depth: number;
  partNumber: string;
  revision: string;
  serialItemId: string | null;
  serialNumber: string | null;
  lotNumber: string | null;
  quantity: string;
  uom: string;
  removed: boolean;
};

/**
 * The as-built as a graph: the unit, then its components level by level (breadth first, so a cap keeps the upper
 * levels whole and never draws a child without its parent).
 */
export function asBuiltGraph(
  root: { serialItemId: string; serialNumber: string; partNumber: string; revision: string },
  nodes: TreeNode[],
  cap: number,
  href: (serialItemId: string) => string,
  /** component records in the whole tree, when `nodes` are only its upper levels */
  treeTotal: number = nodes.length,
  words: GraphWords = ENGLISH,
): GraphModel {
  const rootId = `root:${root.serialItemId}`;
  const out: GraphNode[] = [{ id: rootId, title: root.serialNumber, subtitle: words.partRev(root.partNumber, root.revision), href: null, tone: "root" }];
  const edges: GraphEdge[] = [];
  const byDepth = [...nodes].sort((a, b) => a.depth - b.depth);
  const shown = new Set<string>();
  for (const n of byDepth) {
    if (out.length >= cap) break;
    if (n.parentEdgeId !== null && !shown.has(n.parentEdgeId)) continue;
    shown.add(n.edgeId);
    out.push({
      id: n.edgeId,
      title: n.serialNumber ?? n.lotNumber ?? `${words.qty(n.quantity)} ${n.uom}`,
      subtitle: `${words.partRev(n.partNumber, n.revision)}${n.lotNumber ? ` · ${words.qty(n.quantity)} ${n.uom}` : ""}`,
      href: n.serialItemId ? href(n.serialItemId) : null,
      tone: n.removed ? "removed" : n.serialItemId ? "serial" : "lot",
    });
    edges.push({ from: n.parentEdgeId ?? rootId, to: n.edgeId, dashed: n.removed });
  }
  return { nodes: out, edges, total: treeTotal + 1, shown: out.length };
}

type WhereUsedPathRow = {
  unitSerialItemId: string;
  current: boolean;
  path: { serialItemId: string; serialNumber: string }[];
  partNumber: string;
  revision: string;
  statusLabel: string;
};

/**
 * Where-used as a graph: the material, then each unit's path up to it (the material side first). Paths share their
 * serials, so a sub-assembly used by many units is drawn once. `totalUnits` is the exact total of the whole answer
 * (the rows are one page of it), so the view says how many of all the units it draws.
 */
export function whereUsedGraph(
  target: { label: string; subtitle: string },
  rows: WhereUsedPathRow[],
  totalUnits: number,
  cap: number,
  href: (serialItemId: string) => string,
  words: GraphWords = ENGLISH,
): GraphModel {
  const rootId = "target";
  const nodes = new Map<string, GraphNode>([[rootId, { id: rootId, title: target.label, subtitle: target.subtitle, href: null, tone: "root" }]]);
  const edges = new Map<string, GraphEdge>();
  const info = new Map(rows.map((r) => [r.unitSerialItemId, r]));
  let shownUnits = 0;
  for (const r of rows) {
    const fresh = r.path.filter((p) => !nodes.has(p.serialItemId)).length;
    if (nodes.size + fresh > cap) break;
    shownUnits++;
    let prev = rootId;
    for (const p of r.path) {
      if (!nodes.has(p.serialItemId)) {
        const known = info.get(p.serialItemId);
        nodes.set(p.serialItemId, {
          id: p.serialItemId,
          title: p.serialNumber,
          subtitle: known ? `${words.partRev(known.partNumber, known.revision)} · ${known.statusLabel}` : "",
          href: href(p.serialItemId),
          tone: "unit",
        });
      }
      const key = `${prev}>${p.serialItemId}`;
      if (!edges.has(key)) edges.set(key, { from: prev, to: p.serialItemId, dashed: !r.current });
      prev = p.serialItemId;
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], total: totalUnits, shown: shownUnits };
}
