import Decimal from "decimal.js";
import { DomainError } from "../shared/errors";
import { formatQuantity } from "../shared/quantity";

/*
 * Mixing or opening on the floor (a two-part sealant: base + activator): the input lots are consumed and a child lot is
 * made. Pure: the recipe, the inputs and the time are passed in.
 *
 * - The recipe is the ERP BOM of the mixed part revision: the inputs must be exactly its components, one lot each
 *   (a lot of another part is WRONG_PART, a missing component MIX_INCOMPLETE).
 * - The child lot's quantity is the sum of the inputs (all in the mixed part's unit of measure).
 * - The child lot expires at the earliest of its inputs' expiries and the end of its pot life (mix time + pot life):
 *   from then on the station refuses it (LOT_EXPIRED), to the minute.
 */

export type MixComponent = { partRevisionId: string; partNumber: string; revision: string; uom: string };

export type MixRecipe = {
  outputPartRevisionId: string;
  outputPartNumber: string;
  outputRevision: string;
  outputUom: string;
  potLifeMinutes: number | null;
  outTimeMinutes: number | null;
  components: MixComponent[];
};

export type MixInput = { lotId: string; lotNumber: string; partRevisionId: string; partNumber: string; quantity: string; expiresAt: Date | null };

export type MixDecision = {
  recipe: MixRecipe;
  /** the inputs in the recipe's order (the first one names the child lot) */
  inputs: MixInput[];
  childQuantity: string;
  childExpiresAt: Date | null;
  potLifeEndsAt: Date | null;
  /** what sets the child's expiry: its pot life, or the input lot that expires first */
  expiryCause: { kind: "pot_life" } | { kind: "input"; lotNumber: string } | null;
};

const MINUTE = 60_000;

/** The recipe the inputs make: the one whose components cover the most input parts (ties: the first, as read). */
export function chooseRecipe(recipes: readonly MixRecipe[], inputs: readonly Pick<MixInput, "partRevisionId" | "partNumber" | "lotNumber">[]): MixRecipe {
  let best: MixRecipe | null = null;
  let bestScore = 0;
  for (const r of recipes) {
    const ids = new Set(r.components.map((c) => c.partRevisionId));
    const score = inputs.filter((i) => ids.has(i.partRevisionId)).length;
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  if (!best) {
    const first = inputs[0];
    const part = first?.partNumber ?? "";
    throw new DomainError("WRONG_PART", `${part} is not a component of any mix: nothing is mixed from it.`, { partNumber: part, lotNumber: first?.lotNumber ?? null }, {
      key: "mixNoRecipe",
      values: { part },
    });
  }
  return best;
}

/** Decide a mix: every refusal before anything is written. */
export function decideMix(recipe: MixRecipe, inputs: readonly MixInput[], now: Date): MixDecision {
  if (inputs.length === 0) throw new DomainError("VALIDATION_FAILED", "Scan the lots to mix.", { field: "inputs" });
  const seen = new Set<string>();
  for (const i of inputs) {
    if (seen.has(i.lotId)) throw new DomainError("VALIDATION_FAILED", `Lot ${i.lotNumber} is scanned twice.`, { field: "inputs", lotNumber: i.lotNumber });
    seen.add(i.lotId);
    if (!new Decimal(i.quantity).gt(0)) throw new DomainError("VALIDATION_FAILED", `Give the quantity of lot ${i.lotNumber} that goes into the mix.`, { field: "quantity", lotNumber: i.lotNumber });
  }
  const output = `${recipe.outputPartNumber} rev ${recipe.outputRevision}`;
  const byPart = new Map<string, MixInput>();
  for (const i of inputs) {
    const component = recipe.components.find((c) => c.partRevisionId === i.partRevisionId);
    if (!component) {
      throw new DomainError("WRONG_PART", `Lot ${i.lotNumber} (${i.partNumber}) is not a component of ${output}.`, { lotNumber: i.lotNumber, partNumber: i.partNumber, output }, {
        key: "mixWrongPart",
        values: { lot: i.lotNumber, part: i.partNumber, output },
      });
    }
    if (byPart.has(i.partRevisionId)) {
      throw new DomainError("VALIDATION_FAILED", `Two lots of ${i.partNumber} are scanned: a mix takes one lot of each component.`, { field: "inputs", partNumber: i.partNumber });
    }
    if (component.uom !== recipe.outputUom) {
      throw new DomainError("VALIDATION_FAILED", `${component.partNumber} is counted in ${component.uom}, ${output} in ${recipe.outputUom}: the mix cannot add them up.`, { partNumber: component.partNumber });
    }
    byPart.set(i.partRevisionId, i);
  }
  const missing = recipe.components.filter((c) => !byPart.has(c.partRevisionId));
  if (missing.length > 0) {
    const parts = missing.map((c) => c.partNumber).join(" + ");
    const components = recipe.components.map((c) => c.partNumber).join(" + ");
    throw new DomainError("MIX_INCOMPLETE", `${output} is mixed from ${components}: scan a lot of ${parts} too.`, { missing: missing.map((c) => c.partNumber), output }, {
      key: "mixIncomplete",
      values: { output, components, parts },
    });
  }
  const ordered = recipe.components.map((c) => byPart.get(c.partRevisionId)!);
  const childQuantity = formatQuantity(ordered.reduce((sum, i) => sum.plus(i.quantity), new Decimal(0)));
  const potLifeEndsAt = recipe.potLifeMinutes === null ? null : new Date(now.getTime() + recipe.potLifeMinutes * MINUTE);
  let childExpiresAt = potLifeEndsAt;
  let expiryCause: MixDecision["expiryCause"] = potLifeEndsAt ? { kind: "pot_life" } : null;
  for (const i of ordered) {
    if (i.expiresAt && (!childExpiresAt || i.expiresAt.getTime() < childExpiresAt.getTime())) {
      childExpiresAt = i.expiresAt;
      expiryCause = { kind: "input", lotNumber: i.lotNumber };
    }
  }
  return { recipe, inputs: ordered, childQuantity, childExpiresAt, potLifeEndsAt, expiryCause };
}

/** The child lot's number: the first input's number and the mix's sequence among that lot's mixes ("AC24-0519-M2"). */
export function childLotNumber(firstInputLotNumber: string, earlierMixes: number): string {
  return `${firstInputLotNumber}-M${earlierMixes + 1}`;
}

/**
 * The ERP message of a mix (`lot_mix`, written in the mix's transaction, server/services/material-clock/mix-lots.ts):
 * the child lot received (top level, so the message is ordered with the child lot: `item:<part>|<lot>|`) without a
 * purchase order (501) with its expiry, and each input lot issued (201) from the Traceline location it left. `reference`
 * is the mix movement's id: reconciliation matches the movement's legs with this message by it.
 */
export type LotMixPayload = {
  plant: string;
  movementType: "501";
  material: string;
  revision: string;
  batch: string;
  quantity: string;
  uom: string;
  /** the child lot's expiry: the plant's calendar date, and the instant (pot life is counted in minutes) */
  expiry: string | null;
  expiresAt: string | null;
  toLocation: string;
  postingDate: string;
  reference: string;
  reason: string;
  inputs: { movementType: "201"; material: string; revision: string; batch: string; quantity: string; uom: string; fromLocation: string }[];
};

export function lotMixPayload(
  d: MixDecision,
  m: {
    plant: string;
    childLotNumber: string;
    toLocation: string;
    fromLocations: ReadonlyMap<string, string>;
    postingDate: string;
    expiryDate: string | null;
    reference: string;
    reason: string;
  },
): LotMixPayload {
  const components = new Map(d.recipe.components.map((c) => [c.partRevisionId, c]));
  return {
    plant: m.plant,
    movementType: "501",
    material: d.recipe.outputPartNumber,
    revision: d.recipe.outputRevision,
    batch: m.childLotNumber,
    quantity: d.childQuantity,
    uom: d.recipe.outputUom,
    expiry: m.expiryDate,
    expiresAt: d.childExpiresAt?.toISOString() ?? null,
    toLocation: m.toLocation,
    postingDate: m.postingDate,
    reference: m.reference,
    reason: m.reason,
    inputs: d.inputs.map((i) => {
      const c = components.get(i.partRevisionId);
      return {
        movementType: "201" as const,
        material: c?.partNumber ?? i.partNumber,
        revision: c?.revision ?? "",
        batch: i.lotNumber,
        quantity: i.quantity,
        uom: c?.uom ?? d.recipe.outputUom,
        fromLocation: m.fromLocations.get(i.lotId) ?? "",
      };
    }),
  };
}
