/**
 * A multi-level BOM as a tree, from the single-level BOM lines (edges parent revision -> component revision) that the
 * mirror holds. Shared sub-assemblies appear under every parent that uses them. The BOM rules refuse a part that
 * contains itself directly; an indirect loop (A in B in A) is still shown once and marked, never followed forever.
 * Below `maxDepth` the tree is cut and says so (never silently truncated).
 */
export type BomEdge<L> = { parentRevisionId: string; componentRevisionId: string; line: L };

export type BomNode<L> = {
  line: L;
  componentRevisionId: string;
  /** 1 for the lines of the root's own BOM. */
  depth: number;
  children: BomNode<L>[];
  /** The component contains (directly or not) an assembly on the path to it: its BOM is not expanded again. */
  cycle: boolean;
  /** The component has a BOM of its own that was not expanded because the tree reached maxDepth. */
  cut: boolean;
};

export type BomTree<L> = { lines: BomNode<L>[]; truncated: boolean; lineCount: number };

export const BOM_TREE_MAX_DEPTH = 12;

export function buildBomTree<L>(rootRevisionId: string, edges: readonly BomEdge<L>[], maxDepth = BOM_TREE_MAX_DEPTH): BomTree<L> {
  const byParent = new Map<string, BomEdge<L>[]>();
  for (const e of edges) {
    const list = byParent.get(e.parentRevisionId);
    if (list) list.push(e);
    else byParent.set(e.parentRevisionId, [e]);
  }
  let truncated = false;
  let lineCount = 0;
  const expand = (parentId: string, depth: number, path: ReadonlySet<string>): BomNode<L>[] =>
    (byParent.get(parentId) ?? []).map((e) => {
      lineCount += 1;
      const hasBom = byParent.has(e.componentRevisionId);
      const cycle = path.has(e.componentRevisionId);
      const cut = hasBom && !cycle && depth >= maxDepth;
      if (cut) truncated = true;
      const children = hasBom && !cycle && !cut ? expand(e.componentRevisionId, depth + 1, new Set([...path, e.componentRevisionId])) : [];
      return { line: e.line, componentRevisionId: e.componentRevisionId, depth, children, cycle, cut };
    });
  const lines = expand(rootRevisionId, 1, new Set([rootRevisionId]));
  return { lines, truncated, lineCount };
}
