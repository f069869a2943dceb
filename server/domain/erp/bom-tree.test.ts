import { describe, expect, it } from "vitest";
import { buildBomTree, type BomEdge } from "./bom-tree";

const edge = (parent: string, component: string, find = 10): BomEdge<{ find: number; name: string }> => ({
  parentRevisionId: parent,
  componentRevisionId: component,
  line: { find, name: component },
});

const names = (nodes: { line: { name: string }; children: unknown[] }[]): unknown =>
  nodes.map((n) => (n.children.length ? { [n.line.name]: names(n.children as never) } : n.line.name));

describe("buildBomTree", () => {
  it("expands every level, in line order, and shows a shared sub-assembly under each parent", () => {
    const tree = buildBomTree("TOP", [edge("TOP", "SUB", 10), edge("TOP", "BOLT", 20), edge("TOP", "MOTOR", 30), edge("SUB", "MOTOR"), edge("MOTOR", "COIL")]);
    expect(names(tree.lines)).toEqual([{ SUB: [{ MOTOR: ["COIL"] }] }, "BOLT", { MOTOR: ["COIL"] }]);
    expect(tree.lines[0]!.children[0]!.children[0]!.depth).toBe(3);
    expect(tree).toMatchObject({ truncated: false, lineCount: 6 });
  });

  it("marks an indirect loop once instead of following it", () => {
    const tree = buildBomTree("A", [edge("A", "B"), edge("B", "A")]);
    const b = tree.lines[0]!;
    expect(b.children).toHaveLength(1);
    expect(b.children[0]).toMatchObject({ componentRevisionId: "A", cycle: true, children: [] });
  });

  it("cuts the tree at the depth limit and says so", () => {
    const chain = ["L1", "L2", "L3", "L4"].map((id, i, all) => edge(i === 0 ? "ROOT" : all[i - 1]!, id));
    const tree = buildBomTree("ROOT", chain, 2);
    expect(tree.truncated).toBe(true);
    const l2 = tree.lines[0]!.children[0]!;
    expect(l2).toMatchObject({ componentRevisionId: "L2", cut: true, children: [] });
    expect(buildBomTree("ROOT", chain, 4).truncated).toBe(false);
  });

  it("answers an empty tree for a revision without a BOM", () => {
    expect(buildBomTree("X", [edge("Y", "Z")])).toEqual({ lines: [], truncated: false, lineCount: 0 });
  });
});
