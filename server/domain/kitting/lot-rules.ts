import Decimal from "decimal.js";
import type { StorageClass } from "../material-clock/material-clock";
import { materialExclusions, type EligibilityRules, type Exclusion, type MaterialFacts } from "../material-eligibility/material-eligibility";

/*
 * Which lots (or serials, or untracked stock) are suggested for a kit line, and in which order: first-expired-first-out
 * among the eligible ones (server/domain/material-eligibility); every excluded one carries its reasons.
 */

/** One stock balance a kit (or a backflush) could take from: the item's eligibility facts and the balance. */
export type Candidate = MaterialFacts & {
  locationId: string;
  locationCode: string;
  /** The location's name, for people (codes such as V-SCRAP are for systems). */
  locationName?: string;
  /** The location's kind and the storage class it provides (for the clock rules: leaving storage starts out-time). */
  locationKind?: string;
  locationStorageClass?: StorageClass | null;
  partRevisionId: string;
  serialItemId: string | null;
  onHand: string;
  reserved: string;
};

export function available(c: Pick<Candidate, "onHand" | "reserved">): Decimal {
  return Decimal.max(new Decimal(c.onHand).minus(c.reserved), 0);
}

export type Suggestion = Candidate & { available: string };
export type Excluded = Candidate & { available: string; reasons: Exclusion[] };

/**
 * Suggested sources for a line, first-expired-first-out (no expiry last; then lot/serial number, then location code),
 * with nothing available left out; and the excluded ones with their reasons (expiry order too).
 */
export function suggestSources(candidates: Candidate[], rules: EligibilityRules): { suggested: Suggestion[]; excluded: Excluded[] } {
  const suggested: Suggestion[] = [];
  const excluded: Excluded[] = [];
  for (const c of [...candidates].sort(fefo)) {
    const avail = available(c);
    const reasons = materialExclusions(c, rules);
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
