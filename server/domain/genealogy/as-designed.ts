import Decimal from "decimal.js";
import { isEffective } from "../effectivity/effectivity";

/*
 * As-designed versus as-built for one assembly level: the work order's frozen BOM lines effective for the unit
 * (serial range and date) against what is installed in the unit at the moment looked at. Pure.
 */

export type DesignLine = {
  findNumber: number;
  partId: string;
  partNumber: string;
  revisionId: string;
  revision: string;
  quantityPerUnit: string;
  operationSeq: number;
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
};

export type BuiltComponent = { partId: string; partNumber: string; revisionId: string; revision: string; quantity: string };

export type DesignVerdict =
  /** installed as designed */
  | "as_designed"
  /** the line's operation is not done yet: nothing is expected yet */
  | "not_yet_due"
  /** the line's operation is done but less (or none) of the part is installed */
  | "missing"
  /** installed, but a different revision of the part (in full or in part) */
  | "substituted"
  /** more installed than the BOM asks for, or a part that is not on the BOM at all */
  | "extra";

export type DesignComparisonRow = {
  verdict: DesignVerdict;
  findNumber: number | null;
  partNumber: string;
  designedRevision: string | null;
  designedQuantity: string;
  operationSeq: number | null;
  /** what is installed of this part, by revision */
  built: { revision: string; quantity: string }[];
  builtQuantity: string;
  /** designed less built (positive when short), for missing lines */
  shortBy: string;
};

/**
 * Compare one unit's design to what is built. Lines are matched to installed material by part (any revision), lines of
 * the same part together; `operationsDone` are the sequences of the unit's completed operations (a line whose operation
 * is not done and has nothing installed yet is "not_yet_due", not missing).
 */
export function compareDesignToBuilt(input: {
  serial: string;
  onDate: string;
  lines: DesignLine[];
  built: BuiltComponent[];
  operationsDone: readonly number[];
}): DesignComparisonRow[] {
  const done = new Set(input.operationsDone);
  const lines = input.lines.filter((l) => isEffective(l, input.serial, input.onDate)).sort((a, b) => a.findNumber - b.findNumber);
  const builtByPart = new Map<string, BuiltComponent[]>();
  for (const b of input.built) builtByPart.set(b.partId, [...(builtByPart.get(b.partId) ?? []), b]);

  const rows: DesignComparisonRow[] = [];
  const linesByPart = new Map<string, DesignLine[]>();
  for (const l of lines) linesByPart.set(l.partId, [...(linesByPart.get(l.partId) ?? []), l]);

  for (const [partId, partLines] of linesByPart) {
    const built = sumByRevision(builtByPart.get(partId) ?? []);
    const builtTotal = built.reduce((s, b) => s.plus(b.quantity), new Decimal(0));
    const designedTotal = partLines.reduce((s, l) => s.plus(l.quantityPerUnit), new Decimal(0));
    const designedRevisions = new Set(partLines.map((l) => l.revisionId));
    const first = partLines[0]!;
    const substituted = built.some((b) => !designedRevisions.has(b.revisionId));
    const allDue = partLines.every((l) => done.has(l.operationSeq));
    let verdict: DesignVerdict;
    if (substituted) verdict = "substituted";
    else if (builtTotal.gt(designedTotal)) verdict = "extra";
    else if (builtTotal.eq(designedTotal)) verdict = "as_designed";
    else verdict = allDue ? "missing" : "not_yet_due";
    rows.push({
      verdict,
      findNumber: first.findNumber,
      partNumber: first.partNumber,
      designedRevision: [...new Set(partLines.map((l) => l.revision))].join(", "),
      designedQuantity: designedTotal.toString(),
      operationSeq: first.operationSeq,
      built: built.map((b) => ({ revision: b.revision, quantity: b.quantity })),
      builtQuantity: builtTotal.toString(),
      shortBy: Decimal.max(designedTotal.minus(builtTotal), 0).toString(),
    });
  }
  for (const [partId, comps] of builtByPart) {
    if (linesByPart.has(partId)) continue;
    const built = sumByRevision(comps);
    rows.push({
      verdict: "extra",
      findNumber: null,
      partNumber: comps[0]!.partNumber,
      designedRevision: null,
      designedQuantity: "0",
      operationSeq: null,
      built: built.map((b) => ({ revision: b.revision, quantity: b.quantity })),
      builtQuantity: built.reduce((s, b) => s.plus(b.quantity), new Decimal(0)).toString(),
      shortBy: "0",
    });
  }
  return rows;
}

function sumByRevision(comps: BuiltComponent[]): { revisionId: string; revision: string; quantity: string }[] {
  const m = new Map<string, { revisionId: string; revision: string; quantity: Decimal }>();
  for (const c of comps) {
    const cur = m.get(c.revisionId) ?? { revisionId: c.revisionId, revision: c.revision, quantity: new Decimal(0) };
    cur.quantity = cur.quantity.plus(c.quantity);
    m.set(c.revisionId, cur);
  }
  return [...m.values()].sort((a, b) => a.revision.localeCompare(b.revision)).map((r) => ({ ...r, quantity: r.quantity.toString() }));
}
