import "server-only";
import Decimal from "decimal.js";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { deviationContent, deviationNumber, judgeDeviations, substitutionReason, type DeviationCandidate } from "@/server/domain/quality/nonconformance";
import { deviationsForSubstitute, findDeviationRow, manufacturerOf, useDeviation, type DeviationRow } from "@/server/repos/nonconformance";
import { signaturesOf } from "@/server/repos/quality-holds";
import { contentHash } from "@/server/services/quality/hash";

/*
 * The audited override of a station refusal (issue 19, Must 3): a substitute part or revision (WRONG_PART /
 * WRONG_REVISION), a manufacturer off the AML (MANUFACTURER_NOT_APPROVED) or a lot off the allowed-lot list
 * (LOT_NOT_ALLOWED) installs only under an approved, signed deviation for this unit or its order, before its expiry and
 * within its quantity. Without one the refusal stays, and its message says one is needed, or names the deviation that
 * would allow it and why it does not (expired, used up, other units, changed after signing, revoked).
 */

export type SubstituteKind = "revision" | "manufacturer" | "lot";

export const OVERRIDABLE: Record<string, SubstituteKind> = {
  WRONG_PART: "revision",
  WRONG_REVISION: "revision",
  MANUFACTURER_NOT_APPROVED: "manufacturer",
  LOT_NOT_ALLOWED: "lot",
};

export type Authorised = { deviation: DeviationRow; substitutionReason: string };

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The deviation that authorises this substitute for this unit now, or the refusal `refusal` with the reason why none does. */
export async function deviationAllowing(
  tx: Tx,
  siteId: string,
  refusal: DomainError,
  q: { designedPartRevisionIds: string[]; partRevisionId: string; serialItemId: string | null; lotId: string | null; unitId: string; workOrderId: string; quantity: string; now: Date },
): Promise<Authorised> {
  const kind = OVERRIDABLE[refusal.code];
  if (!kind) throw refusal;
  const manufacturerId = kind === "manufacturer" && (q.lotId || q.serialItemId) ? await manufacturerOf(tx, siteId, q) : null;
  const rows = await deviationsForSubstitute(tx, siteId, { designedPartRevisionIds: q.designedPartRevisionIds, kind, partRevisionId: q.partRevisionId, manufacturerId, lotId: q.lotId });
  if (rows.length === 0) {
    throw new DomainError(refusal.code, `${refusal.message} Only an approved deviation would allow it, and none names it.`, { ...refusal.details, deviation: null });
  }
  const sigs = await signaturesOf(tx, siteId, "deviation", rows.map((r) => r.id));
  const candidates: (DeviationCandidate & { row: DeviationRow })[] = rows.map((r) => {
    const sig = sigs.find((g) => g.recordId === r.id && g.id === r.approvalSignatureId);
    return {
      row: r,
      id: r.id,
      number: r.number,
      status: r.status,
      workOrderId: r.workOrderId,
      unitIds: r.unitIds,
      expiresAt: r.expiresAt,
      quantityLimit: r.quantityLimit,
      quantityUsed: r.quantityUsed,
      signatureValid: !!sig && sig.contentHash === contentHash(deviationContent(r)),
    };
  });
  const judged = judgeDeviations(candidates, { unitId: q.unitId, workOrderId: q.workOrderId, quantity: q.quantity, now: q.now });
  if (!judged.ok) {
    throw new DomainError(refusal.code, `${refusal.message} ${sentence(judged.why)}, so it does not allow this install.`, {
      ...refusal.details,
      deviation: judged.nearest ? deviationNumber(judged.nearest.number) : null,
    });
  }
  const row = candidates.find((c) => c.id === judged.deviation.id)!.row;
  return { deviation: row, substitutionReason: substitutionReason(row) };
}

/**
 * Take the install's quantity from the deviation (a guarded UPDATE under its row lock: concurrent installs never
 * exceed the limit); refused with the station's code when another install used it up meanwhile.
 */
export async function consumeDeviation(tx: Tx, siteId: string, refusalCode: DomainError["code"], a: Authorised, quantity: string, now: Date): Promise<void> {
  if (await useDeviation(tx, siteId, a.deviation.id, quantity, now)) return;
  const row = await findDeviationRow(tx, siteId, a.deviation.id);
  const left = row ? Decimal.max(new Decimal(row.quantityLimit).minus(row.quantityUsed), 0).toFixed() : "0";
  throw new DomainError(
    refusalCode,
    `Deviation ${deviationNumber(a.deviation.number)} has only ${left} left (another install used it meanwhile): it does not allow ${quantity} more.`,
    { deviation: deviationNumber(a.deviation.number), left },
  );
}
