import { describe, expect, it } from "vitest";
import { asBuiltGraph, whereUsedGraph } from "./graph-model";

const node = (edgeId: string, parentEdgeId: string | null, depth: number, extra: Partial<Parameters<typeof asBuiltGraph>[1][number]> = {}) => ({
  edgeId,
  parentEdgeId,
  depth,
  partNumber: `P-${edgeId}`,
  revision: "A",
  serialItemId: `s-${edgeId}`,
  serialNumber: `SN-${edgeId}`,
  lotNumber: null,
  quantity: "1",
  uom: "ea",
  removed: false,
  ...extra,
});
const root = { serialItemId: "u", serialNumber: "ACT-1", partNumber: "ACT", revision: "B" };
const href = (id: string) => `/genealogy?item=${id}`;

describe("as-built graph", () => {
  it("draws every node under the cap, removed ones dashed, lots without a link", () => {
    const g = asBuiltGraph(root, [node("a", null, 1), node("b", "a", 2, { removed: true }), node("c", null, 1, { serialItemId: null, serialNumber: null, lotNumber: "L1", quantity: "2.500000" })], 10, href);
    expect(g.shown).toBe(4);
    expect(g.total).toBe(4);
    expect(g.edges).toEqual([
      { from: "root:u", to: "a", dashed: false },
      { from: "root:u", to: "c", dashed: false },
      { from: "a", to: "b", dashed: true },
    ]);
    expect(g.nodes.find((n) => n.id === "c")).toMatchObject({ title: "L1", subtitle: "P-c rev A · 2.5 ea", href: null, tone: "lot" });
  });

  it("caps breadth first: upper levels whole, never a child without its parent", () => {
    const nodes = [node("a", null, 1), node("a1", "a", 2), node("a2", "a", 2), node("b", null, 1), node("b1", "b", 2)];
    const g = asBuiltGraph(root, nodes, 4, href);
    expect(g.shown).toBe(4);
    expect(g.total).toBe(6);
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(ids.has("a") && ids.has("b")).toBe(true);
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  });
});

describe("where-used graph", () => {
  it("shares serials between paths and stops adding units at the cap", () => {
    const sub = { serialItemId: "sub", serialNumber: "SUB-1" };
    const rows = ["u1", "u2", "u3"].map((u) => ({
      unitSerialItemId: u,
      current: u !== "u3",
      path: [sub, { serialItemId: u, serialNumber: u.toUpperCase() }],
      partNumber: "ACT",
      revision: "B",
      statusLabel: "Completed",
    }));
    const all = whereUsedGraph({ label: "MM24-1187", subtitle: "lot" }, rows, 3, 100, href);
    expect(all.nodes).toHaveLength(5);
    expect(all.shown).toBe(3);
    expect(all.edges.filter((e) => e.from === "target")).toHaveLength(1);
    expect(all.edges.find((e) => e.to === "u3")?.dashed).toBe(true);
    const capped = whereUsedGraph({ label: "MM24-1187", subtitle: "lot" }, rows, 1658, 4, href);
    expect(capped.shown).toBe(2);
    expect(capped.total).toBe(1658);
  });
});
