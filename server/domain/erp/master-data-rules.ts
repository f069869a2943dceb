import { DomainError } from "../shared/errors";
import { compareSerials } from "../effectivity/effectivity";

export type BomLineInput = {
  findNumber: number;
  partNumber: string;
  revision: string;
  quantity: string;
  operationSeq: number;
  serialFrom?: string | null;
  serialTo?: string | null;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  backflush: boolean;
};

export type ResolvedRevision<R> = { ref: R; tracking: string };

export type CheckedBomLine<R> = {
  findNumber: number;
  component: R;
  quantity: string;
  operationSeq: number;
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  backflush: boolean;
};

/** A reference or rule a message breaks: the message is rejected, naming the field. */
export function rejectField(field: string, reason: string): never {
  throw new DomainError("VALIDATION_FAILED", reason, { field });
}

/**
 * The rules a BOM must satisfy before it replaces the mirrored one: every component known, no part containing itself,
 * no line twice with the same effectivity, no backflush of serial-tracked parts, effectivity that ends after it starts.
 * `resolve` finds a component revision (however the caller knows them); `isParent` tells whether one is the parent.
 */
export function checkBomLines<R>(
  lines: BomLineInput[],
  resolve: (partNumber: string, revision: string) => ResolvedRevision<R> | null,
  isParent: (ref: R) => boolean,
): CheckedBomLine<R>[] {
  const seen = new Set<string>();
  return lines.map((l, i) => {
    const rev = resolve(l.partNumber, l.revision);
    if (!rev) rejectField(`payload.lines.${i}.partNumber`, `BOM line ${l.findNumber} names unknown part ${l.partNumber} revision ${l.revision}.`);
    if (isParent(rev.ref)) rejectField(`payload.lines.${i}.partNumber`, `BOM line ${l.findNumber}: a part cannot contain itself.`);
    const dup = `${l.findNumber}|${l.serialFrom ?? ""}|${l.effectiveFrom ?? ""}|${l.partNumber}|${l.revision}`;
    if (seen.has(dup)) rejectField(`payload.lines.${i}.findNumber`, `BOM line ${l.findNumber} appears twice with the same effectivity.`);
    seen.add(dup);
    if (l.backflush && rev.tracking === "serial") {
      rejectField(`payload.lines.${i}.backflush`, `BOM line ${l.findNumber}: serial-tracked ${l.partNumber} cannot be backflushed; it must be scanned.`);
    }
    if (l.effectiveFrom && l.effectiveTo && l.effectiveFrom > l.effectiveTo) rejectField(`payload.lines.${i}.effectiveTo`, `BOM line ${l.findNumber}: effectivity ends before it starts.`);
    if (l.serialFrom && l.serialTo && compareSerials(l.serialFrom, l.serialTo) > 0) rejectField(`payload.lines.${i}.serialTo`, `BOM line ${l.findNumber}: the serial range ends before it starts.`);
    return {
      findNumber: l.findNumber,
      component: rev.ref,
      quantity: l.quantity,
      operationSeq: l.operationSeq,
      serialFrom: l.serialFrom ?? null,
      serialTo: l.serialTo ?? null,
      effectiveFrom: l.effectiveFrom ?? null,
      effectiveTo: l.effectiveTo ?? null,
      backflush: l.backflush,
    };
  });
}

export type PartAttributes = {
  description?: string;
  uom?: string;
  tracking?: "serial" | "lot" | "untracked";
  shelfLifeDays?: number | null;
  minRemainingShelfLifeDays?: number | null;
  outTimeMinutes?: number | null;
  minThawMinutes?: number | null;
  storageClass?: "freezer" | "refrigerated" | "ambient" | "humidity_controlled" | null;
  potLifeMinutes?: number | null;
  gtin?: string | null;
};

/** The attributes a part message carries (undefined: not sent), named like the columns, before ownership filtering. */
export function partAttributes(p: {
  description: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  shelfLifeDays?: number | null;
  minRemainingShelfLifeDays?: number | null;
  outTimeMinutes?: number | null;
  minThawMinutes?: number | null;
  storageClass?: "freezer" | "refrigerated" | "ambient" | "humidity_controlled" | null;
  potLifeMinutes?: number | null;
  gtin?: string | null;
}): PartAttributes {
  return {
    description: p.description,
    uom: p.uom,
    tracking: p.tracking,
    shelfLifeDays: p.shelfLifeDays,
    minRemainingShelfLifeDays: p.minRemainingShelfLifeDays,
    outTimeMinutes: p.outTimeMinutes,
    minThawMinutes: p.minThawMinutes,
    storageClass: p.storageClass,
    potLifeMinutes: p.potLifeMinutes,
    // stored as GTIN-14 (an EAN-13 or UPC-A on a label reads as GTIN-14 too)
    gtin: p.gtin === undefined || p.gtin === null ? p.gtin : p.gtin.padStart(14, "0"),
  };
}

/** A part message may not change a part's tracking type, and a new part needs description, UoM and tracking. */
export function checkPartUpdate(partNumber: string, existing: { tracking: string } | null, values: PartAttributes): void {
  if (existing) {
    if (values.tracking && values.tracking !== existing.tracking) {
      rejectField("payload.tracking", `Part ${partNumber} is ${existing.tracking}-tracked on the floor; its tracking type cannot change to ${values.tracking}.`);
    }
  } else if (!values.description || !values.uom || !values.tracking) {
    rejectField("payload", `Part ${partNumber} is new, and the ownership registry does not let ERP set its description, unit of measure and tracking type.`);
  }
}
