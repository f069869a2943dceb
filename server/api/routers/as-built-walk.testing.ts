import { expect } from "vitest";
import type { AsBuiltLevelNode } from "@/server/repos/genealogy-levels";
import type { SerialView } from "@/server/repos/genealogy-read";

/*
 * Tests only: the whole as-built of a serial as the screen would reach it, by opening every node through the
 * `genealogy.asBuilt` procedure (a call per serial with components, page by page), depth-first. On the way it checks
 * what the screen relies on: each node's `below` and `belowRemoved` equal what opening it really shows, and the
 * totals of every answer equal the nodes under it.
 */

export type WalkedNode = Omit<AsBuiltLevelNode, "installedAt" | "removedAt"> & {
  depth: number;
  parentEdgeId: string | null;
  installedAt: Date;
  removedAt: Date | null;
};

type Level = { nodes: AsBuiltLevelNode[]; total: number; treeTotal: number; treeRemoved: number };
type AsBuiltCaller = {
  asBuilt(input: { serialItemId: string; at?: Date; includeRemoved?: boolean; offset?: number; limit?: number }): Promise<{ item: SerialView; at: Date; level: Level }>;
};

export async function walkAsBuilt(
  api: AsBuiltCaller,
  input: { serialItemId: string; at?: Date; includeRemoved?: boolean },
  pageSize = 500,
): Promise<{ item: SerialView; at: Date; tree: { nodes: WalkedNode[] } }> {
  const first = await api.asBuilt({ ...input, limit: pageSize });
  const at = first.at; // every opening asks for the same moment, as the screen does
  const out: WalkedNode[] = [];
  const open = async (serialItemId: string, depth: number, parentEdgeId: string | null, path: string[]): Promise<{ count: number; removed: number }> => {
    const nodes: AsBuiltLevelNode[] = [];
    let totals: Level | null = null;
    for (let offset = 0; ; offset += pageSize) {
      const { level } = offset === 0 && depth === 1 ? first : await api.asBuilt({ ...input, serialItemId, at, offset, limit: pageSize });
      totals ??= level;
      nodes.push(...level.nodes);
      if (nodes.length >= level.total || level.nodes.length === 0) break;
    }
    expect(nodes).toHaveLength(totals!.total);
    let count = 0;
    let removed = 0;
    for (const n of nodes) {
      out.push({ ...n, depth, parentEdgeId, installedAt: new Date(n.installedAt), removedAt: n.removedAt ? new Date(n.removedAt) : null });
      count++;
      if (n.removed) removed++;
      // every serial is opened, also one that says nothing is below it (so a wrong zero is caught)
      const below = n.serialItemId && !path.includes(n.serialItemId) ? await open(n.serialItemId, depth + 1, n.edgeId, [...path, n.serialItemId]) : { count: 0, removed: 0 };
      expect({ serial: n.serialNumber, below: n.below, belowRemoved: n.belowRemoved }).toEqual({ serial: n.serialNumber, below: below.count, belowRemoved: below.removed });
      count += below.count;
      removed += below.removed;
    }
    expect({ treeTotal: totals!.treeTotal, treeRemoved: totals!.treeRemoved }).toEqual({ treeTotal: count, treeRemoved: removed });
    return { count, removed };
  };
  await open(input.serialItemId, 1, null, [input.serialItemId]);
  return { item: first.item, at, tree: { nodes: out } };
}
