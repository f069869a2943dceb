import "server-only";
import { DomainError } from "@/server/domain/shared/errors";
import { fateText } from "@/server/domain/production/unit-fate";
import type { LockedUnit } from "@/server/repos/unit-fate";

/** A required short text of a shipment or scrap (to whom, delivery note, reason): trimmed, 1 to 200 characters. */
export function requireFateText(value: string | null | undefined, field: string, ask: string, min = 1): string {
  const v = (value ?? "").trim();
  if (v.length < min) throw new DomainError("VALIDATION_FAILED", ask, { field });
  if (v.length > 200) throw new DomainError("VALIDATION_FAILED", "That is too long (at most 200 characters).", { field });
  return v;
}

/** A unit that has already left the floor (shipped or scrapped), refused with what became of it. */
export function unitNotOpen(unit: LockedUnit, timeZone: string, what: "ship" | "scrap"): DomainError {
  const fate =
    unit.status === "shipped"
      ? fateText({ kind: "shipped", at: unit.shippedAt, to: unit.shippedTo, reference: unit.shipmentReference }, timeZone)
      : fateText({ kind: "scrapped", at: unit.scrappedAt, reason: unit.scrapReason }, timeZone);
  return new DomainError("UNIT_NOT_OPEN", `Unit ${unit.serial} has left the floor (${fate.charAt(0).toLowerCase()}${fate.slice(1)}): it cannot be ${what === "ship" ? "shipped" : "scrapped"} again.`, {
    unitSerial: unit.serial,
    status: unit.status,
  });
}
