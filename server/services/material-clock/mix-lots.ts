import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { parseQuantity } from "@/server/domain/shared/quantity";
import { assertMaterialEligible } from "@/server/domain/material-eligibility/material-eligibility";
import { assertStorageAllows, type LotClock } from "@/server/domain/material-clock/material-clock";
import { localDate } from "@/server/domain/kitting/dates";
import { childLotNumber, chooseRecipe, decideMix, lotMixPayload, type MixInput } from "@/server/domain/material-clock/mixing";
import { loadCandidates } from "@/server/repos/kitting";
import { postMovement } from "@/server/repos/ledger";
import { writeAudit } from "@/server/repos/audit";
import { enqueueConfirmation, firstLocationOfKind, siteErpPlant, stableMessageId } from "@/server/repos/station-work";
import { findStorageLocation, lockLotClocks, recordClockEvent } from "@/server/repos/material-clock";
import { earlierMixesOf, insertLotInputs, insertMixedLot, lotNumberTaken, mixRecipesFor } from "@/server/repos/mixing";
import { partOfLot } from "@/server/repos/lot-history";
import { idempotent } from "@/server/services/shared/idempotent";

export type MixLotsCommand = {
  requestId: string;
  /** each input lot, where it is taken from, and how much of it goes into the mix */
  inputs: { partRevisionId: string; lotId: string; fromLocationId: string; quantity: string }[];
  /** where the mixed lot is put (a location code, scanned) */
  toLocation: string;
};

export type MixLotsOutcome = {
  movementId: string;
  childLotId: string;
  childLotNumber: string;
  partNumber: string;
  revision: string;
  quantity: string;
  uom: string;
  location: string;
  /** ISO instants (a stored outcome is JSON) */
  expiresAt: string | null;
  potLifeEndsAt: string | null;
  expiryCause: "pot_life" | "input" | null;
  expiryInputLot: string | null;
  inputs: { lotNumber: string; partNumber: string; quantity: string }[];
};

const PLACES = new Set(["stores", "kitting", "kit_cart", "point_of_use", "quarantine"]);
const MAX_INPUTS = 10;

/**
 * Mix (or open) lots on the floor into a child lot: the inputs must be usable now (no hold, not expired, out-time left,
 * thawed, inspected, approved and authorised sources) and be exactly the components of the mixed part's BOM. In one
 * transaction: one 'mix' movement (each input from its location to consumed, the child lot from production to the
 * scanned location: every item's legs sum to zero), the child lot (expiry: the earliest of its inputs' and of the end
 * of its pot life), its inputs in lot_inputs (genealogy walks through them), a 'mixed' clock event on every lot
 * involved, the ERP message `lot_mix` (the inputs issued, the child lot received; reference: the movement), the audit
 * row. Refusals write nothing; a retried request returns the first outcome and writes nothing.
 */
export async function mixLots(db: DbOrTx, actor: Actor, cmd: MixLotsCommand, now: Date): Promise<MixLotsOutcome> {
  if (cmd.inputs.length === 0) throw new DomainError("VALIDATION_FAILED", "Scan the lots to mix.", { field: "inputs" });
  if (cmd.inputs.length > MAX_INPUTS) throw new DomainError("VALIDATION_FAILED", `A mix takes at most ${MAX_INPUTS} lots.`, { field: "inputs" });
  const quantities = cmd.inputs.map((i) => parseQuantity(i.quantity).toFixed());
  const code = cmd.toLocation.trim();
  if (!code) throw new DomainError("VALIDATION_FAILED", "Scan or type the location the mixed lot goes to.", { field: "toLocation" });
  const siteId = actor.siteId;
  return db.transaction(async (tx) =>
    idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "stock.mixLots", payload: cmd, now }, async (): Promise<MixLotsOutcome> => {
      const to = await findStorageLocation(tx, siteId, { code });
      if (!to) throw new DomainError("NOT_FOUND", `There is no location ${code} at ${actor.siteName}.`, { field: "toLocation", toLocation: code });
      if (!PLACES.has(to.kind)) throw new DomainError("VALIDATION_FAILED", `${to.code} is not a place material can be put.`, { field: "toLocation" });

      // each input as it stands now, judged as the station would judge it (thawing complete)
      const inputs: (MixInput & { fromLocationId: string; fromCode: string })[] = [];
      for (const [n, i] of cmd.inputs.entries()) {
        const { candidates } = await loadCandidates(tx, siteId, { partRevisionIds: [i.partRevisionId], lotId: i.lotId, locationId: i.fromLocationId, anyLocationKind: true });
        const c = candidates.find((x) => x.lotId === i.lotId && x.locationId === i.fromLocationId);
        if (!c || !c.lotNumber) throw new DomainError("NOT_FOUND", "That lot is not at that location on this site's floor.", { lotId: i.lotId, fromLocationId: i.fromLocationId });
        assertMaterialEligible(c, { plannedUseAt: now, now, minRemainingShelfLifeDays: null, allowedLotIds: null, timeZone: actor.timeZone, thawRequired: true });
        inputs.push({ lotId: i.lotId, lotNumber: c.lotNumber, partRevisionId: i.partRevisionId, partNumber: "", quantity: quantities[n]!, expiresAt: c.expiresAt, fromLocationId: i.fromLocationId, fromCode: c.locationCode });
      }
      const recipes = await mixRecipesFor(tx, [...new Set(inputs.map((i) => i.partRevisionId))]);
      const partNumbers = new Map(recipes.flatMap((r) => r.components.map((c) => [c.partRevisionId, c.partNumber] as const)));
      for (const i of inputs) i.partNumber = partNumbers.get(i.partRevisionId) ?? (await partOfLot(tx, siteId, i.lotId))?.partNumber ?? "";
      const recipe = chooseRecipe(recipes, inputs);
      const decision = decideMix(recipe, inputs, now);
      const output = recipes.find((r) => r.outputPartRevisionId === recipe.outputPartRevisionId)!;

      const first = decision.inputs[0]!;
      let lotNumber = childLotNumber(first.lotNumber, await earlierMixesOf(tx, siteId, first.lotId));
      while (await lotNumberTaken(tx, siteId, recipe.outputPartRevisionId, lotNumber)) lotNumber = `${lotNumber}-${randomUUID().slice(0, 4).toUpperCase()}`;
      assertStorageAllows(`Lot ${lotNumber}`, output.storageClass, to);

      const consumed = await firstLocationOfKind(tx, siteId, "consumed");
      const production = await firstLocationOfKind(tx, siteId, "production");
      if (!consumed || !production) throw new DomainError("NOT_FOUND", "This site has no consumed or production location set up.", {});

      const childLotId = randomUUID();
      await insertMixedLot(tx, { siteId, id: childLotId, partRevisionId: recipe.outputPartRevisionId, lotNumber, expiresAt: decision.childExpiresAt, mixedAt: now });
      const byLot = new Map(inputs.map((i) => [i.lotId, i]));
      const reason = `Mixed ${decision.inputs.map((i) => `lot ${i.lotNumber}`).join(" + ")} into lot ${lotNumber}`;
      const { movementId } = await postMovement(tx, {
        siteId,
        kind: "mix",
        requestId: cmd.requestId,
        actorUserId: actor.userId,
        occurredAt: now,
        reason,
        reference: { childLot: lotNumber, to: to.code },
        legs: [
          ...decision.inputs.flatMap((i) => [
            { partRevisionId: i.partRevisionId, lotId: i.lotId, serialItemId: null, locationId: byLot.get(i.lotId)!.fromLocationId, quantity: `-${i.quantity}` },
            { partRevisionId: i.partRevisionId, lotId: i.lotId, serialItemId: null, locationId: consumed.id, quantity: i.quantity },
          ]),
          { partRevisionId: recipe.outputPartRevisionId, lotId: childLotId, serialItemId: null, locationId: production.id, quantity: `-${decision.childQuantity}` },
          { partRevisionId: recipe.outputPartRevisionId, lotId: childLotId, serialItemId: null, locationId: to.id, quantity: decision.childQuantity },
        ],
      });
      await insertLotInputs(tx, siteId, { childLotId, movementId, mixedAt: now, actorUserId: actor.userId, inputs: decision.inputs.map((i) => ({ lotId: i.lotId, quantity: i.quantity })) });

      // ERP books the mix as it books the floor's consumption: in this transaction, one message whose reference is the
      // movement (reconciliation counts the legs in flight until ERP acknowledges it); its id derives from the request
      await enqueueConfirmation(tx, siteId, {
        messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "lot-mix"),
        type: "lot_mix",
        payload: lotMixPayload(decision, {
          plant: await siteErpPlant(tx, siteId),
          childLotNumber: lotNumber,
          toLocation: to.code,
          fromLocations: new Map(inputs.map((i) => [i.lotId, i.fromCode])),
          postingDate: localDate(now, actor.timeZone),
          expiryDate: decision.childExpiresAt ? localDate(decision.childExpiresAt, actor.timeZone) : null,
          reference: movementId,
          reason,
        }),
        at: now,
      });

      // the clocks: every lot involved has a 'mixed' event; the child's out-time runs from the mix (it is out)
      const clocks = await lockLotClocks(tx, siteId, [...decision.inputs.map((i) => i.lotId), childLotId]);
      for (const i of decision.inputs) {
        const c = clocks.get(i.lotId);
        if (!c) continue;
        await recordClockEvent(tx, {
          siteId,
          lotId: i.lotId,
          kind: "mixed",
          occurredAt: now,
          clock: c.clock,
          fromLocationId: byLot.get(i.lotId)!.fromLocationId,
          movementId,
          actorUserId: actor.userId,
          detail: { role: "input", childLot: lotNumber, quantity: i.quantity },
        });
      }
      const childClock: LotClock = { startedAt: recipe.outTimeMinutes !== null ? now : null, usedSeconds: 0, thawStartedAt: null, expiresAt: decision.childExpiresAt };
      await recordClockEvent(tx, {
        siteId,
        lotId: childLotId,
        kind: "mixed",
        occurredAt: now,
        clock: childClock,
        toLocationId: to.id,
        movementId,
        actorUserId: actor.userId,
        detail: {
          role: "child",
          inputs: decision.inputs.map((i) => ({ lot: i.lotNumber, quantity: i.quantity })),
          potLifeEndsAt: decision.potLifeEndsAt?.toISOString() ?? null,
          expiresAt: decision.childExpiresAt?.toISOString() ?? null,
        },
      });
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "stock.mix_lots",
        entity: "lot",
        entityId: childLotId,
        newValue: {
          lotNumber,
          partRevisionId: recipe.outputPartRevisionId,
          quantity: decision.childQuantity,
          to: to.code,
          expiresAt: decision.childExpiresAt?.toISOString() ?? null,
          inputs: decision.inputs.map((i) => ({ lotId: i.lotId, lotNumber: i.lotNumber, quantity: i.quantity, from: byLot.get(i.lotId)!.fromCode })),
          movementId,
        },
        reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return {
        movementId,
        childLotId,
        childLotNumber: lotNumber,
        partNumber: recipe.outputPartNumber,
        revision: recipe.outputRevision,
        quantity: decision.childQuantity,
        uom: recipe.outputUom,
        location: to.code,
        expiresAt: decision.childExpiresAt?.toISOString() ?? null,
        potLifeEndsAt: decision.potLifeEndsAt?.toISOString() ?? null,
        expiryCause: decision.expiryCause?.kind ?? null,
        expiryInputLot: decision.expiryCause?.kind === "input" ? decision.expiryCause.lotNumber : null,
        inputs: decision.inputs.map((i) => ({ lotNumber: i.lotNumber, partNumber: i.partNumber, quantity: i.quantity })),
      };
    }),
  );
}

