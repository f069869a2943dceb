import Decimal from "decimal.js";
import { assertClocksAllowUse } from "../material-clock/material-clock";
import { DomainError } from "../shared/errors";
import { parseQuantity } from "../shared/quantity";
import { isEffective } from "../effectivity/effectivity";
import { fefo, type Candidate } from "../kitting/lot-rules";
import { materialExclusions, type EligibilityRules } from "../material-eligibility/material-eligibility";
import type { StockCorrectionPayload } from "../reconciliation/categories";
import type { LotMixPayload } from "../material-clock/mixing";

/*
 * The operator station's decisions: which operation is open, which BOM line a scanned item fills at this unit and
 * operation (effectivity), how much is left to install, process parameters within limits, out-time, what a backflush
 * draws (FEFO) and the ERP confirmations. Pure: facts and `now` come in.
 */

export type Tracking = "serial" | "lot" | "untracked";
export type ParameterSpec = { name: string; unit: string; min?: string; max?: string };

export type OperationState = { seq: number; status: "pending" | "in_progress" | "completed" };

/** The operation may take work: not complete, and every earlier operation of the unit complete. */
export function assertOperationOpen(ops: OperationState[], seq: number, unitSerial: string): void {
  const op = ops.find((o) => o.seq === seq);
  if (!op) throw new DomainError("NOT_FOUND", `Unit ${unitSerial} has no operation ${seq}.`, { operationSeq: seq });
  if (op.status === "completed") {
    throw new DomainError("OPERATION_NOT_OPEN", `Operation ${seq} of unit ${unitSerial} is already complete.`, { operationSeq: seq });
  }
  const open = ops.filter((o) => o.seq < seq && o.status !== "completed").sort((a, b) => a.seq - b.seq)[0];
  if (open) {
    throw new DomainError("OPERATION_NOT_OPEN", `Operation ${open.seq} of unit ${unitSerial} is not complete yet; operation ${seq} comes after it.`, {
      operationSeq: seq,
      openOperationSeq: open.seq,
    });
  }
}

export type BomLine = {
  id: string;
  findNumber: number;
  componentRevisionId: string;
  partId: string;
  partNumber: string;
  revision: string;
  uom: string;
  tracking: Tracking;
  quantityPerUnit: string;
  operationSeq: number;
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  backflush: boolean;
  /** Time-sensitive parts are never backflushed. */
  shelfLifeDays: number | null;
  outTimeMinutes: number | null;
};

/** The frozen BOM lines that apply to this unit (serial effectivity) at this operation on this (site-local) date. */
export function linesAt(lines: BomLine[], unitSerial: string, seq: number, onDate: string): BomLine[] {
  return lines.filter((l) => l.operationSeq === seq && isEffective(l, unitSerial, onDate));
}

export type InstalledQty = Record<string, string>;

/** What is left to install on a line: quantity per unit less what is installed (open edges), never below zero. */
export function leftOn(line: BomLine, installed: InstalledQty): Decimal {
  return Decimal.max(new Decimal(line.quantityPerUnit).minus(installed[line.id] ?? "0"), 0);
}

/**
 * The line a scanned item fills: same part revision among the lines applying to this unit at this operation, the
 * first with something left. Another revision of a part that is on the BOM here is WRONG_REVISION; a part that is
 * not on the BOM here at all is WRONG_PART.
 */
export function matchLine(
  applying: BomLine[],
  allAtOp: BomLine[],
  item: { partRevisionId: string; partId: string; partNumber: string; revision: string },
  ctx: { unitSerial: string; seq: number },
  installed: InstalledQty,
): BomLine {
  const same = applying.filter((l) => l.componentRevisionId === item.partRevisionId);
  if (same.length > 0) return same.find((l) => leftOn(l, installed).gt(0)) ?? same[0]!;
  const samePart = applying.filter((l) => l.partId === item.partId);
  if (samePart.length > 0 || allAtOp.some((l) => l.partId === item.partId)) {
    const wanted = (samePart.length > 0 ? samePart : applying.filter((l) => l.partId === item.partId)).map((l) => `rev ${l.revision}`);
    throw new DomainError(
      "WRONG_REVISION",
      `${item.partNumber} rev ${item.revision} is not the revision unit ${ctx.unitSerial} takes at operation ${ctx.seq}${wanted.length > 0 ? `: it needs ${[...new Set(wanted)].join(" or ")}` : ""}.`,
      { partNumber: item.partNumber, revision: item.revision, wanted },
    );
  }
  throw new DomainError(
    "WRONG_PART",
    `${item.partNumber} is not on the bill of materials of unit ${ctx.unitSerial} at operation ${ctx.seq}.`,
    { partNumber: item.partNumber, needed: applying.map((l) => `${l.partNumber} rev ${l.revision}`) },
  );
}

/** The quantity to install: 1 for a serial; otherwise a positive decimal (at most 6 places) not above what is left. */
export function installQuantity(line: BomLine, tracking: Tracking, typed: string | null | undefined, installed: InstalledQty): Decimal {
  const left = leftOn(line, installed);
  let q: Decimal;
  if (tracking === "serial") {
    if (typed != null && typed.trim() !== "" && !parseQuantity(typed).eq(1)) {
      throw new DomainError("VALIDATION_FAILED", "A serial is installed one piece at a time: the quantity must be empty or 1.", { field: "quantity" });
    }
    q = new Decimal(1);
  } else {
    if (typed == null || typed.trim() === "") {
      // the screen pre-fills the quantity with what the line still needs and asks the operator to confirm it
      throw new DomainError("VALIDATION_FAILED", `How much of ${line.partNumber} goes in? ${left.toFixed()} ${line.uom} ${left.isZero() ? "is" : "is still"} needed on this line (find ${line.findNumber}).`, {
        field: "quantity",
        suggested: left.isZero() ? null : left.toFixed(),
        uom: line.uom,
        next: left.isZero() ? "Put the material back: this line needs no more." : "Check the pre-filled quantity and press Install.",
        nextKey: left.isZero() ? "putBack" : "confirmQuantity",
      }, { key: "quantityNeeded", values: { part: line.partNumber, leftQty: left.toFixed(), uom: line.uom, find: line.findNumber, done: left.isZero() ? "yes" : "no" } });
    }
    q = parseQuantity(typed);
  }
  if (q.gt(left)) {
    throw new DomainError(
      "OVER_INSTALL",
      left.isZero()
        ? `${line.partNumber} (find ${line.findNumber}) is already fully installed in this unit.`
        : `Only ${left.toFixed()} ${line.uom} of ${line.partNumber} (find ${line.findNumber}) is left to install in this unit; ${q.toFixed()} ${line.uom} is too many.`,
      { findNumber: line.findNumber, left: left.toFixed(), requested: q.toFixed() },
    );
  }
  return q;
}

/**
 * Recorded parameters: each must be a parameter of this operation, a plain decimal, within its limits (inclusive,
 * exact decimal compare). Returns them in canonical text.
 */
export function checkParameters(specs: ParameterSpec[], given: Record<string, string> | undefined, seq: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(given ?? {})) {
    if (raw == null || String(raw).trim() === "") continue;
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new DomainError("VALIDATION_FAILED", `Operation ${seq} does not record a parameter "${name}".`, { field: "parameters", parameter: name });
    const value = parseQuantity(String(raw), { allowZero: true, allowNegative: true, field: `${name} value` });
    const min = spec.min != null ? new Decimal(spec.min) : null;
    const max = spec.max != null ? new Decimal(spec.max) : null;
    if ((min && value.lt(min)) || (max && value.gt(max))) {
      const limits = min && max ? `${min.toFixed()} to ${max.toFixed()} ${spec.unit}` : min ? `at least ${min.toFixed()} ${spec.unit}` : `at most ${max!.toFixed()} ${spec.unit}`;
      throw new DomainError("PARAMETER_OUT_OF_LIMITS", `${name} ${value.toFixed()} ${spec.unit} is outside its limits (${limits}): nothing was recorded.`, {
        parameter: name,
        value: value.toFixed(),
        unit: spec.unit,
        min: spec.min ?? null,
        max: spec.max ?? null,
      });
    }
    out[name] = value.toFixed();
  }
  return out;
}

/** Every parameter of the operation has been recorded (at the operation or with an install). */
export function assertParametersRecorded(specs: ParameterSpec[], recorded: Record<string, string>, seq: number): void {
  const missing = specs.filter((s) => recorded[s.name] === undefined);
  if (missing.length > 0) {
    throw new DomainError("PARAMETER_MISSING", `Operation ${seq} cannot complete before ${missing.map((m) => `${m.name} (${m.unit})`).join(", ")} ${missing.length > 1 ? "are" : "is"} recorded.`, {
      missing: missing.map((m) => m.name),
    });
  }
}

/**
 * Out-time (floor life) is used up by `now`: the closed cycles plus the open one reach the part's limit
 * (server/domain/material-clock: the clock is cumulative over check-out / check-in cycles).
 */
export function outTimeExceeded(item: { outTimeStartedAt: Date | null; outTimeMinutes: number | null; outTimeUsedSeconds?: number }, now: Date): boolean {
  if (item.outTimeMinutes === null) return false;
  const used = (item.outTimeUsedSeconds ?? 0) * 1000 + (item.outTimeStartedAt === null ? 0 : Math.max(0, now.getTime() - item.outTimeStartedAt.getTime()));
  return used > 0 && used >= item.outTimeMinutes * 60_000;
}

/** Refuse a lot whose out-time is used up by `now` (the clock rules' words; no thawing judged: see assertClocksAllowUse). */
export function assertOutTime(item: { name: string; outTimeStartedAt: Date | null; outTimeMinutes: number | null; outTimeUsedSeconds?: number }, now: Date, timeZone = "UTC"): void {
  if (item.outTimeMinutes === null || !outTimeExceeded(item, now)) return;
  assertClocksAllowUse(
    item.name,
    { startedAt: item.outTimeStartedAt, usedSeconds: item.outTimeUsedSeconds ?? 0, thawStartedAt: null, expiresAt: null },
    { outTimeMinutes: item.outTimeMinutes, minThawMinutes: null, storageClass: null },
    now,
    timeZone,
  );
}

/** A line may be backflushed only for lot-tracked or untracked parts that are not time-sensitive. */
export function isBackflushable(line: BomLine): boolean {
  return line.backflush && line.tracking !== "serial" && line.shelfLifeDays === null && line.outTimeMinutes === null;
}

export type Draw = { line: BomLine; source: Candidate; quantity: string };
export type Shortage = { findNumber: number; partNumber: string; revision: string; uom: string; needed: string; available: string };

/**
 * What completing the operation still needs: non-backflush lines with something left are missing components;
 * backflush lines draw what is left from the station's point-of-use, eligible stock first-expired-first-out.
 */
export function planCompletion(
  applying: BomLine[],
  installed: InstalledQty,
  stock: Candidate[],
  rules: Omit<EligibilityRules, "allowedLotIds"> & { allowedLotsFor: (line: BomLine) => ReadonlySet<string> | null },
): { missing: Shortage[]; draws: Draw[]; short: Shortage[] } {
  const missing: Shortage[] = [];
  const short: Shortage[] = [];
  const draws: Draw[] = [];
  const used = new Map<string, Decimal>();
  const keyOf = (c: Candidate) => `${c.locationId}|${c.partRevisionId}|${c.lotId ?? ""}|${c.serialItemId ?? ""}`;
  for (const line of applying) {
    const left = leftOn(line, installed);
    if (left.isZero()) continue;
    const shortage = (availableQty: Decimal): Shortage => ({
      findNumber: line.findNumber,
      partNumber: line.partNumber,
      revision: line.revision,
      uom: line.uom,
      needed: left.toFixed(),
      available: availableQty.toFixed(),
    });
    if (!isBackflushable(line)) {
      missing.push(shortage(new Decimal(0)));
      continue;
    }
    const lineRules = { ...rules, allowedLotIds: rules.allowedLotsFor(line) };
    const eligible = stock
      .filter((c) => c.partRevisionId === line.componentRevisionId && c.serialItemId === null)
      .filter((c) => (line.tracking === "lot" ? c.lotId !== null : c.lotId === null))
      .filter((c) => materialExclusions(c, lineRules).length === 0)
      .sort(fefo);
    let need = left;
    const lineDraws: Draw[] = [];
    let total = new Decimal(0);
    for (const c of eligible) {
      const free = Decimal.max(new Decimal(c.onHand).minus(c.reserved).minus(used.get(keyOf(c)) ?? 0), 0);
      total = total.plus(free);
      if (need.isZero() || free.isZero()) continue;
      const take = Decimal.min(need, free);
      lineDraws.push({ line, source: c, quantity: take.toFixed() });
      need = need.minus(take);
    }
    if (need.gt(0)) {
      short.push(shortage(total));
      continue;
    }
    for (const d of lineDraws) used.set(keyOf(d.source), (used.get(keyOf(d.source)) ?? new Decimal(0)).plus(d.quantity));
    draws.push(...lineDraws);
  }
  return { missing, draws, short };
}

export function describeShortages(list: Shortage[]): string {
  return list.map((s) => `${s.partNumber} rev ${s.revision} (find ${s.findNumber}): ${s.needed} ${s.uom}`).join("; ");
}

// ---- ERP confirmations (SAP-style) ---------------------------------------------------------------------------------

/**
 * A goods movement as ERP books it. 261 consumption to an order, 262 its reversal, 101 receipt of a finished unit from
 * its order, 551 scrap from stock, 311 transfer back to the ERP warehouse (a return to ERP: Traceline's floor stock is,
 * in SAP terms, a production storage location the warehouse supplied), 601 goods issue for a delivery (a shipment).
 */
export type GoodsMovementPayload = {
  movementType: "261" | "262" | "101" | "551" | "311" | "601" | "303" | "305";
  plant: string;
  order: string | null;
  material: string;
  revision: string;
  batch: string | null;
  serial: string | null;
  quantity: string;
  uom: string;
  postingDate: string;
  reference: string;
  reason?: string;
  operation?: number;
  confirmation?: { operation: number; finalConfirmation: boolean; unitSerial: string };
  /** The production order a finished unit was built on (its shipment or scrap is ordered after its receipt 101). */
  builtOnOrder?: string;
  /** Traceline's location the material left (returns, shipments, scrap of a finished unit). */
  fromLocation?: string;
  /** 311: the stock type it arrives in: blocked when a quality hold covers it (the hold's reasons come along). */
  stockType?: "unrestricted" | "blocked";
  holdReasons?: string[];
  /** 601: to whom (customer / ship-to, as typed) and the delivery note. */
  shipTo?: string;
  deliveryNote?: string;
  /** 303 / 305 (a stock transfer between plants, two steps): the transfer's number and both plants. */
  transfer?: string;
  issuingPlant?: string;
  receivingPlant?: string;
};

/**
 * An operation confirmed without goods moving: order, operation, the unit, and its yield or scrap (an intermediate
 * operation confirms a yield of one; a unit scrapped in work confirms a scrap of one at the operation it stood at).
 */
export type OrderConfirmationPayload = {
  plant: string;
  order: string;
  postingDate: string;
  confirmation: { operation: number; finalConfirmation: boolean; unitSerial: string; yield?: string; scrap?: string };
  material?: string;
  revision?: string;
  reason?: string;
  reference?: string;
};

/** A quality hold placed or released, when the ownership registry sends hold status to ERP (`hold.status`). */
export type HoldStatusPayload = {
  action: "placed" | "released";
  holdId: string;
  /** What is held: a lot or serial (key: its number), a part revision (key: the part number), a manufacturer or supplier (key: its code). */
  target: { type: "lot" | "serial" | "part_revision" | "manufacturer" | "supplier"; key: string };
  plant: string;
  material: string | null;
  revision: string | null;
  batch: string | null;
  serial: string | null;
  /** The hold's reason when placed; the release's reason when released (the hold's own reason is then `holdReason`). */
  reason: string;
  holdReason?: string;
  postingDate: string;
};

/**
 * A lot's shelf life extended after a re-test (server/services/material-clock/extend-shelf-life.ts): the batch, its
 * expiry before and after (calendar dates in the site's time zone), the reason and the test report's reference.
 */
export type LotExpiryPayload = {
  plant: string;
  material: string;
  revision: string;
  batch: string;
  previousExpiry: string;
  expiry: string;
  reason: string;
  testReference: string;
  postingDate: string;
};

/** What an outbox row carries. */
export type ConfirmationPayload = GoodsMovementPayload | OrderConfirmationPayload | HoldStatusPayload | StockCorrectionPayload | LotExpiryPayload | LotMixPayload;

/** What moved, as ERP names it: the item's part, revision, batch or serial and unit of measure. */
export type MovedItem = { partNumber: string; revision: string; lotNumber: string | null; serialNumber: string | null; uom: string };

/** The ERP goods movement of an item, with the movement's own fields (plant, order, quantity, date, reference, ...). */
export function goodsMovement(
  movementType: GoodsMovementPayload["movementType"],
  item: MovedItem,
  m: Omit<GoodsMovementPayload, "movementType" | "material" | "revision" | "batch" | "serial" | "uom">,
): GoodsMovementPayload {
  return { movementType, material: item.partNumber, revision: item.revision, batch: item.lotNumber, serial: item.serialNumber, uom: item.uom, ...m };
}

export const SCRAP_REASONS = {
  DAMAGED: "Damaged in handling",
  NONCONFORMING: "Nonconforming (defect found)",
  EXPIRED: "Expired or out of shelf life",
  OUT_TIME: "Out-time exceeded",
  CONTAMINATED: "Contaminated",
  DROPPED: "Dropped (FOD risk)",
} as const;
export type ScrapReason = keyof typeof SCRAP_REASONS;

export const REMOVAL_DESTINATIONS = ["stores", "quarantine", "scrap"] as const;
export type RemovalDestination = (typeof REMOVAL_DESTINATIONS)[number];

export function requireReasonText(reason: string | null | undefined, what: string): string {
  const r = (reason ?? "").trim();
  if (r.length < 3) throw new DomainError("VALIDATION_FAILED", `Say why ${what} (at least a few words).`, { field: "reason" });
  if (r.length > 500) throw new DomainError("VALIDATION_FAILED", "The reason is too long (at most 500 characters).", { field: "reason" });
  return r;
}
