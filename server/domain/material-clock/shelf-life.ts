import { DomainError } from "../shared/errors";
import { localDate, startOfLocalDay } from "../kitting/dates";
import type { Signable } from "../quality/signature";

/*
 * Shelf-life extension after a re-test: quality tests a lot near or past its expiry and, when it passes, extends its
 * expiry to a new date (a signed action with the reason and the test reference, recorded in the lot's clock history).
 * Pure: the lot's facts and the time are passed in.
 */

export const MAX_REASON = 1000;
export const MAX_TEST_REFERENCE = 200;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = 60_000;

/** The last minute of a calendar date in the site's time zone (usable through that day): "2027-03-31" -> 23:59 local. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return new Date(startOfLocalDay(next, timeZone).getTime() - MINUTE);
}

export type ShelfLifeExtension = { newExpiresAt: Date; reason: string; testReference: string };

/** Check an extension before anything is signed or written: every refusal names the field to correct. */
export function decideShelfLifeExtension(i: {
  lotNumber: string;
  currentExpiresAt: Date | null;
  newExpiryDate: string;
  reason: string;
  testReference: string;
  now: Date;
  timeZone: string;
}): ShelfLifeExtension {
  const reason = i.reason.trim();
  const testReference = i.testReference.trim();
  if (!DATE.test(i.newExpiryDate) || Number.isNaN(new Date(`${i.newExpiryDate}T00:00:00Z`).getTime()) || new Date(`${i.newExpiryDate}T00:00:00Z`).toISOString().slice(0, 10) !== i.newExpiryDate) {
    throw new DomainError("VALIDATION_FAILED", "Give the new expiry date as a calendar date.", { field: "newExpiryDate" });
  }
  if (reason.length < 3) throw new DomainError("VALIDATION_FAILED", "Say why the shelf life is extended.", { field: "reason" });
  if (reason.length > MAX_REASON) throw new DomainError("VALIDATION_FAILED", `The reason is too long (at most ${MAX_REASON} characters).`, { field: "reason" });
  if (!testReference) throw new DomainError("VALIDATION_FAILED", "Give the reference of the re-test report.", { field: "testReference" });
  if (testReference.length > MAX_TEST_REFERENCE) throw new DomainError("VALIDATION_FAILED", `The test reference is too long (at most ${MAX_TEST_REFERENCE} characters).`, { field: "testReference" });
  if (i.currentExpiresAt === null) {
    throw new DomainError("VALIDATION_FAILED", `Lot ${i.lotNumber} has no expiry: there is no shelf life to extend.`, { field: "newExpiryDate" });
  }
  const newExpiresAt = endOfLocalDay(i.newExpiryDate, i.timeZone);
  if (newExpiresAt.getTime() <= i.currentExpiresAt.getTime()) {
    throw new DomainError("VALIDATION_FAILED", `Lot ${i.lotNumber} already expires on ${localDate(i.currentExpiresAt, i.timeZone)}: an extension must give a later date.`, {
      field: "newExpiryDate",
    });
  }
  if (newExpiresAt.getTime() <= i.now.getTime()) {
    throw new DomainError("VALIDATION_FAILED", "The new expiry date is already past.", { field: "newExpiryDate" });
  }
  return { newExpiresAt, reason, testReference };
}

/** What the quality engineer's signature of an extension is bound to (the record as it is written). */
export function shelfLifeSignedContent(r: {
  siteId: string;
  lotId: string;
  lotNumber: string;
  previousExpiresAt: Date;
  newExpiresAt: Date;
  reason: string;
  testReference: string;
  extendedBy: string;
  extendedAt: Date;
}): Signable {
  return { recordType: "shelf_life_extension", ...r };
}

/** Whether ERP hears of a lot's new expiry: it owns lot expiry, or the registry sends it Traceline -> ERP. */
export function sendsLotExpiry(registry: { owner: string; direction: string } | null): boolean {
  return registry !== null && (registry.owner === "erp" || registry.direction === "traceline_to_erp");
}
