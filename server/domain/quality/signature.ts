/**
 * Electronic signatures (21 CFR Part 11 style, docs/domain.md invariant 12), the pure part: what a signature means, the
 * signed content of a record (whose canonical JSON's SHA-256 the signature is bound to), whether a signature still
 * matches its record, and how a signature is shown ("Printed Name — meaning — 2026-11-25 10:42 CST (America/Chicago)").
 * Hashing itself happens in server/services/quality/hash.ts (node:crypto stays out of the domain).
 */

export const SIGNATURE_MEANINGS = ["review", "approval", "hold", "release", "responsibility"] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

/** What the signer declares by signing, in the words shown beside the signature and in the signing dialog. */
export const MEANING_DESCRIPTIONS: Record<SignatureMeaning, string> = {
  review: "I have reviewed this record",
  approval: "I approve this record",
  hold: "I place this material on hold",
  release: "I release this material from hold",
  responsibility: "I take responsibility for this record",
};

/**
 * A value a signed record may contain. What a signature is bound to is the SHA-256 of its canonical JSON
 * (server/domain/canonical-json): dates as ISO-8601 UTC text, undefined members left out.
 */
export type Signable = string | number | boolean | null | Date | readonly Signable[] | { readonly [key: string]: Signable | undefined };

/** The fields of a hold that its signatures cover: what is held, why, by whom and when, and (once released) the release. */
export type HoldRecord = {
  siteId: string;
  id: string;
  targetType: string;
  targetId: string;
  reason: string;
  placedBy: string;
  placedAt: Date;
  releasedBy: string | null;
  releasedAt: Date | null;
  releaseReason: string | null;
};

/**
 * The signed content of a hold. The "hold" signature covers the placing (the release fields are not part of it, so
 * releasing does not invalidate it); the "release" signature covers the whole record, placing and release.
 */
export function holdSignedContent(hold: HoldRecord, meaning: "hold" | "release"): Signable {
  const placed = {
    recordType: "hold",
    siteId: hold.siteId,
    id: hold.id,
    targetType: hold.targetType,
    targetId: hold.targetId,
    reason: hold.reason,
    placedBy: hold.placedBy,
    placedAt: hold.placedAt,
  };
  if (meaning === "hold") return placed;
  return { ...placed, releasedBy: hold.releasedBy, releasedAt: hold.releasedAt, releaseReason: hold.releaseReason };
}

export type SignatureStatus = "valid" | "invalid";

/** A signature is valid while the hash of its record's current content equals the hash it was bound to. */
export function signatureStatus(boundHash: string, currentHash: string): SignatureStatus {
  return boundHash === currentHash ? "valid" : "invalid";
}

export const INVALID_SIGNATURE_TEXT = "INVALID: record changed after signing";

/** "2026-11-25 10:42 CST (America/Chicago)": the signing time in the signer's site time zone, with its abbreviation. */
export function formatSignedAt(signedAt: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  });
  for (const p of f.formatToParts(signedAt)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName} (${timeZone})`;
}

export type SignatureManifest = { printedName: string; meaning: string; signedAt: Date; timeZone: string };

/** The display form of a signature: printed name, meaning, and time with time zone. */
export function formatSignature(s: SignatureManifest): string {
  return `${s.printedName} — ${s.meaning} — ${formatSignedAt(s.signedAt, s.timeZone)}`;
}
