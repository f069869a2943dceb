import Decimal from "decimal.js";
import { DomainError, type DomainErrorCode } from "../shared/errors";
import { localDate } from "./dates";

/*
 * Which lots (or serials, or untracked stock) may go into a kit line, and in which order they are suggested:
 * first-expired-first-out among the eligible ones; every excluded one carries its reasons.
 */

export type ExclusionCode = Extract<
  DomainErrorCode,
  "LOT_ON_HOLD" | "LOT_EXPIRED" | "LOT_SHELF_LIFE_TOO_SHORT" | "LOT_NOT_INSPECTED" | "MANUFACTURER_NOT_APPROVED" | "LOT_NOT_ALLOWED"
>;

export type Exclusion = { code: ExclusionCode; message: string };

/** One stock balance a kit could take from, with the facts the rules need (read by the repo, decided here). */
export type Candidate = {
  locationId: string;
  locationCode: string;
  partRevisionId: string;
  lotId: string | null;
  lotNumber: string | null;
  serialItemId: string | null;
  serialNumber: string | null;
  expiresAt: Date | null;
  /** null for untracked stock (no receiving inspection of its own) */
  inspectionStatus: "pending" | "accepted" | "rejected" | null;
  manufacturerCode: string | null;
  /** The part's AML verdict on the item's manufacturer: no_aml when the part has no AML or the item names no manufacturer. */
  aml: "approved" | "disqualified" | "not_listed" | "no_aml";
  /** Reasons of the active holds covering the item (lot, serial, revision, manufacturer, supplier); empty: not held. */
  holdReasons: string[];
  onHand: string;
  reserved: string;
};

export type LineRules = {
  /** When the material will be used: expiry and minimum remaining shelf life are judged at this instant. */
  plannedUseAt: Date;
  minRemainingShelfLifeDays: number | null;
  /** The allowed-lot list of the order or line for this part revision; null: no restriction. */
  allowedLotIds: ReadonlySet<string> | null;
  /** The site's time zone, for the dates in the reasons (UTC when not given). */
  timeZone?: string;
};

const DAY_MS = 86_400_000;

function itemName(c: Pick<Candidate, "lotNumber" | "serialNumber">): string {
  if (c.lotNumber) return `Lot ${c.lotNumber}`;
  if (c.serialNumber) return `Serial ${c.serialNumber}`;
  return "This stock";
}

const isoDay = (d: Date, timeZone?: string) => (timeZone ? localDate(d, timeZone) : d.toISOString().slice(0, 10));

/** Every reason the item may not be kitted, in a fixed order (hold first: it is the one quality must lift). */
export function exclusionsFor(c: Candidate, rules: LineRules): Exclusion[] {
  const out: Exclusion[] = [];
  const name = itemName(c);
  if (c.holdReasons.length > 0) {
    out.push({ code: "LOT_ON_HOLD", message: `${name} is on quality hold: ${c.holdReasons.join("; ")}` });
  }
  if (c.expiresAt) {
    if (c.expiresAt.getTime() <= rules.plannedUseAt.getTime()) {
      out.push({ code: "LOT_EXPIRED", message: `${name} expired on ${isoDay(c.expiresAt, rules.timeZone)}.` });
    } else if (rules.minRemainingShelfLifeDays !== null) {
      const needUntil = rules.plannedUseAt.getTime() + rules.minRemainingShelfLifeDays * DAY_MS;
      if (c.expiresAt.getTime() < needUntil) {
        out.push({
          code: "LOT_SHELF_LIFE_TOO_SHORT",
          message: `${name} expires on ${isoDay(c.expiresAt, rules.timeZone)}: less than the ${rules.minRemainingShelfLifeDays} days of shelf life this part must have left at use.`,
        });
      }
    }
  }
  if (c.inspectionStatus !== null && c.inspectionStatus !== "accepted") {
    out.push({
      code: "LOT_NOT_INSPECTED",
      message: c.inspectionStatus === "rejected" ? `${name} was rejected at receiving inspection.` : `${name} has not passed receiving inspection yet.`,
    });
  }
  if (c.aml === "disqualified" || c.aml === "not_listed") {
    out.push({
      code: "MANUFACTURER_NOT_APPROVED",
      message: `${name} comes from manufacturer ${c.manufacturerCode ?? "?"}, which is ${c.aml === "disqualified" ? "disqualified" : "not listed"} on this part's approved manufacturer list.`,
    });
  }
  if (rules.allowedLotIds !== null && (c.lotId === null || !rules.allowedLotIds.has(c.lotId))) {
    out.push({ code: "LOT_NOT_ALLOWED", message: `${name} is not on the allowed-lot list quality set for this work order.` });
  }
  return out;
}

export function available(c: Pick<Candidate, "onHand" | "reserved">): Decimal {
  return Decimal.max(new Decimal(c.onHand).minus(c.reserved), 0);
}

export type Suggestion = Candidate & { available: string };
export type Excluded = Candidate & { available: string; reasons: Exclusion[] };

/**
 * Suggested sources for a line, first-expired-first-out (no expiry last; then lot/serial number, then location code),
 * with nothing available left out; and the excluded ones with their reasons (expiry order too).
 */
export function suggestSources(candidates: Candidate[], rules: LineRules): { suggested: Suggestion[]; excluded: Excluded[] } {
  const suggested: Suggestion[] = [];
  const excluded: Excluded[] = [];
  for (const c of [...candidates].sort(fefo)) {
    const avail = available(c);
    const reasons = exclusionsFor(c, rules);
    if (reasons.length > 0) excluded.push({ ...c, available: avail.toFixed(), reasons });
    else if (avail.gt(0)) suggested.push({ ...c, available: avail.toFixed() });
  }
  return { suggested, excluded };
}

export function fefo(a: Candidate, b: Candidate): number {
  const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const na = a.lotNumber ?? a.serialNumber ?? "";
  const nb = b.lotNumber ?? b.serialNumber ?? "";
  if (na !== nb) return na < nb ? -1 : 1;
  return a.locationCode < b.locationCode ? -1 : a.locationCode > b.locationCode ? 1 : 0;
}

/** Refuse an item that may not be kitted: the first reason is the error, every reason is in the details. */
export function assertKittable(c: Candidate, rules: LineRules): void {
  const reasons = exclusionsFor(c, rules);
  const first = reasons[0];
  if (first) {
    throw new DomainError(first.code, first.message, { lotNumber: c.lotNumber, serialNumber: c.serialNumber, reasons });
  }
}

/**
 * The allowed-lot list that applies to a BOM line: entries naming the line, plus order-wide entries for the line's part
 * revision. No entries: no restriction (null).
 */
export function allowedLotsFor(
  line: { bomLineId: string; partRevisionId: string },
  entries: { workOrderBomLineId: string | null; partRevisionId: string; lotId: string }[],
): ReadonlySet<string> | null {
  const ids = entries
    .filter((e) => (e.workOrderBomLineId === null ? e.partRevisionId === line.partRevisionId : e.workOrderBomLineId === line.bomLineId))
    .map((e) => e.lotId);
  return ids.length === 0 ? null : new Set(ids);
}
