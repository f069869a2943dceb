import Decimal from "decimal.js";
import { isEffective } from "../effectivity/effectivity";

/*
 * The pick list of a kit, from the work order's frozen BOM: which lines, with the component revision effective for each
 * unit (serial range and dates), quantity per unit x units in scope, less what is already kitted or installed.
 * Pure: dates are passed in as calendar dates (YYYY-MM-DD in the site's time zone).
 */

export type KitScope = { kind: "work_order" } | { kind: "operation"; operationSeq: number } | { kind: "unit"; unitId: string };

export type BomLineSnapshot = {
  id: string;
  findNumber: number;
  componentRevisionId: string;
  quantityPerUnit: string;
  operationSeq: number;
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
};

export type UnitSnapshot = { id: string; serial: string; status: "planned" | "in_progress" | "completed" | "scrapped" | "shipped" };

/** What already covers a BOM line of the order: picks of kits not yet issued, picks of issued kits, installed quantity. */
export type LineCoverage = {
  /** picks in kits still being built (planned, picking, complete, short) */
  openKitPicks: string;
  /** picks in kits already issued to a station */
  issuedKitPicks: string;
  /** installed into this order's units at the line's operation (open genealogy edges), per unit id */
  installedByUnit: Record<string, string>;
};

export type PickListLine = {
  bomLineId: string;
  findNumber: number;
  partRevisionId: string;
  operationSeq: number;
  /** units of the scope this line applies to */
  unitIds: string[];
  /** quantity per unit x units in scope, before coverage */
  demand: string;
  /** what the kit must hold: demand less what is already kitted or installed, never below zero */
  required: string;
};

const OPEN_UNIT = new Set(["planned", "in_progress"]);

/**
 * The kit's lines. `units` are the order's units; a unit-scope kit takes only its unit. Units already completed,
 * scrapped or shipped need nothing more. When an order has no unit rows (ERP sent only a quantity), serial ranges
 * cannot be evaluated: every date-effective line applies to `orderQuantity` units.
 *
 * Coverage is counted over the whole order: installed material came either from an issued kit or from earlier staging,
 * so what an issued kit brought counts once (max of issued and installed), and open kits' picks count in full.
 */
export function buildPickList(input: {
  scope: KitScope;
  bomLines: BomLineSnapshot[];
  units: UnitSnapshot[];
  orderQuantity: number;
  plannedUseDate: string;
  coverage: Record<string, LineCoverage>;
}): PickListLine[] {
  const { scope, bomLines, units, plannedUseDate } = input;
  const openUnits = units.filter((u) => OPEN_UNIT.has(u.status));
  const scopeUnits = scope.kind === "unit" ? openUnits.filter((u) => u.id === scope.unitId) : openUnits;
  const out: PickListLine[] = [];
  const lines = [...bomLines].sort((a, b) => a.operationSeq - b.operationSeq || a.findNumber - b.findNumber || (a.id < b.id ? -1 : 1));
  for (const line of lines) {
    if (scope.kind === "operation" && line.operationSeq !== scope.operationSeq) continue;
    const perUnit = new Decimal(line.quantityPerUnit);
    const cov = input.coverage[line.id] ?? { openKitPicks: "0", issuedKitPicks: "0", installedByUnit: {} };
    let applicable: UnitSnapshot[];
    let unitCount: number;
    if (units.length === 0) {
      if (!isEffective(line, null, plannedUseDate)) continue;
      applicable = [];
      unitCount = scope.kind === "unit" ? 0 : input.orderQuantity;
    } else {
      applicable = scopeUnits.filter((u) => isEffective(line, u.serial, plannedUseDate));
      unitCount = applicable.length;
    }
    if (unitCount === 0) continue;
    const demand = perUnit.times(unitCount);
    // Order-wide: what the whole order still needs on this line.
    const orderUnits = units.length === 0 ? [] : openUnits.filter((u) => isEffective(line, u.serial, plannedUseDate));
    const orderDemand = units.length === 0 ? perUnit.times(input.orderQuantity) : perUnit.times(orderUnits.length);
    const installedAll = Object.entries(cov.installedByUnit)
      .filter(([unitId]) => units.length === 0 || orderUnits.some((u) => u.id === unitId))
      .reduce((s, [, q]) => s.plus(q), new Decimal(0));
    const orderOutstanding = orderDemand.minus(cov.openKitPicks).minus(Decimal.max(installedAll, cov.issuedKitPicks));
    // In scope: what the scope's units still need, less what is installed in them.
    const installedInScope = applicable.reduce((s, u) => s.plus(cov.installedByUnit[u.id] ?? 0), new Decimal(0));
    const scopeOutstanding = demand.minus(installedInScope);
    const required = Decimal.max(Decimal.min(scopeOutstanding, orderOutstanding), 0);
    out.push({
      bomLineId: line.id,
      findNumber: line.findNumber,
      partRevisionId: line.componentRevisionId,
      operationSeq: line.operationSeq,
      unitIds: applicable.map((u) => u.id),
      demand: demand.toFixed(),
      required: required.toFixed(),
    });
  }
  return out;
}

/**
 * What the whole order needs on a BOM line, by unit: quantity per unit x the order's units the line applies to (its
 * serial range and dates, the same rule as the pick list and the station), so a revision no unit needs requires
 * nothing. An order without unit rows: x the order quantity when the line applies on the date.
 */
export function orderRequirement(
  line: { quantityPerUnit: string; serialFrom: string | null; serialTo: string | null; effectiveFrom: string | null; effectiveTo: string | null },
  unitSerials: readonly string[],
  orderQuantity: number,
  onDate: string,
): string {
  const perUnit = new Decimal(line.quantityPerUnit);
  if (unitSerials.length === 0) return isEffective(line, null, onDate) ? perUnit.times(orderQuantity).toFixed() : "0";
  return perUnit.times(unitSerials.filter((s) => isEffective(line, s, onDate)).length).toFixed();
}
