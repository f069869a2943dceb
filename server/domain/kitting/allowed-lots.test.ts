import { describe, expect, it } from "vitest";
import { allowedInForce } from "./allowed-lots";

const line = (bomLineId: string, partRevisionId: string) => ({ bomLineId, partRevisionId });
const entry = (lotId: string, partRevisionId: string, workOrderBomLineId: string | null = null) => ({ lotId, partRevisionId, workOrderBomLineId });

describe("allowedInForce (what the candidate query must read for an allowed-lot list)", () => {
  it("is empty without entries", () => {
    expect(allowedInForce([line("L10", "R1")], [])).toEqual([]);
  });

  it("restricts a revision whose every line has a list: order-wide and per-line entries together", () => {
    const lines = [line("L10", "R1"), line("L20", "R1"), line("L30", "R2")];
    const out = allowedInForce(lines, [entry("lotB", "R1"), entry("lotA", "R1", "L20")]);
    expect(out).toEqual([{ partRevisionId: "R1", lotIds: ["lotA", "lotB"], restricted: true }]);
  });

  it("does not restrict a revision when one of its lines has no list, but still reads the listed lots", () => {
    const lines = [line("L10", "R1"), line("L20", "R1")];
    expect(allowedInForce(lines, [entry("lotA", "R1", "L20")])).toEqual([{ partRevisionId: "R1", lotIds: ["lotA"], restricted: false }]);
  });

  it("ignores entries for lines and revisions that are not asked for", () => {
    expect(allowedInForce([line("L10", "R1")], [entry("lotX", "R9"), entry("lotY", "R1", "L99")])).toEqual([]);
  });
});
