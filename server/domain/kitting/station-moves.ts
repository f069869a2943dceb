import { DomainError } from "../shared/errors";
import { materialExclusions, type MaterialFacts } from "../material-eligibility/material-eligibility";

/*
 * Which station stock may move where. A transfer puts material at another station to be used there, so held or expired
 * material, and material from a source that is not authorised (suspect), is refused with its reason; a return to stores stays allowed whatever the material's state (held material
 * must be able to go back, where quality deals with it).
 */

/** The reasons a transfer between stations is refused (hold first, then expiry, then a source not authorised); empty: it may move. */
export function transferRefusals(item: Pick<MaterialFacts, "lotNumber" | "serialNumber" | "expiresAt" | "holdReasons" | "unauthorisedSources">, now: Date, timeZone?: string) {
  const facts: MaterialFacts = { ...item, lotId: null, inspectionStatus: null, manufacturerCode: null, aml: "no_aml" };
  return materialExclusions(facts, { plannedUseAt: now, minRemainingShelfLifeDays: null, allowedLotIds: null, timeZone }).filter(
    (e) => e.code === "LOT_ON_HOLD" || e.code === "LOT_EXPIRED" || e.code === "SOURCE_NOT_AUTHORISED",
  );
}

/** Refuse a transfer of held or expired material: the first reason is the error, every reason is in the details. */
export function assertTransferable(item: Parameters<typeof transferRefusals>[0], now: Date, timeZone?: string): void {
  const reasons = transferRefusals(item, now, timeZone);
  const first = reasons[0];
  if (first) {
    throw new DomainError(first.code, `${first.message} It cannot go to another station.`, {
      next: "Return it to stores instead.",
      nextKey: "returnToStores",
      lotNumber: item.lotNumber,
      serialNumber: item.serialNumber,
      reasons,
    });
  }
}
