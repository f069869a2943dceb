import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { INVALID_SIGNATURE_TEXT } from "@/server/domain/quality/signature";
import { listHoldViews, type HoldView } from "@/server/services/quality/hold-views";
import type { CsvCell } from "./export-format";
import { formatZonedTime } from "./export-format";
import type { ExportWords } from "./export-words";

/*
 * The signed records of an export: the holds (active, and the recently released ones the hold views list) on any of the
 * objects the export covers, each with every signature checked against the record as it is now.
 */

export async function holdsOn(db: DbOrTx, actor: Actor, targetIds: ReadonlySet<string>): Promise<HoldView[]> {
  const { active, released } = await listHoldViews(db, actor, { releasedLimit: 200 });
  return [...active, ...released].filter((h) => targetIds.has(h.targetId));
}

export const SIGNED_RECORD_COLUMNS = [
  "Hold",
  "Target type",
  "Target",
  "Reason",
  "Placed at",
  "Placed by",
  "Released at",
  "Released by",
  "Release reason",
  "Signature: printed name",
  "Signature: meaning",
  "Signature: signed at",
  "Signature: status",
] as const;

const TARGET_WORDS: Record<string, string> = {
  lot: "lot",
  serial: "serial",
  part_revision: "part revision",
  part: "part",
  manufacturer: "manufacturer",
  supplier: "supplier",
};

export const targetWord = (t: string) => TARGET_WORDS[t] ?? t;

/** "VALID" or "INVALID: record changed after signing" */
export const signatureStatusText = (status: string) => (status === "invalid" ? INVALID_SIGNATURE_TEXT : "VALID");

/** One CSV row per signature (a hold without a signature still gets one row). */
export function signedRecordRows(holdsList: HoldView[], timeZone: string): CsvCell[][] {
  const rows: CsvCell[][] = [];
  for (const h of holdsList) {
    const base: CsvCell[] = [
      h.active ? "active" : "released",
      targetWord(h.targetType),
      h.targetLabel,
      h.reason,
      formatZonedTime(h.placedAt, timeZone),
      h.placedByName,
      h.releasedAt ? formatZonedTime(h.releasedAt, timeZone) : "",
      h.releasedByName ?? "",
      h.releaseReason ?? "",
    ];
    if (h.signatures.length === 0) rows.push([...base, "", "", "", "no signature"]);
    for (const s of h.signatures) rows.push([...base, s.printedName, s.meaning, formatZonedTime(s.signedAt, s.timeZone), signatureStatusText(s.status)]);
  }
  return rows;
}

/**
 * The PDF lines of the signed records; with `w`, in its language (labels, dates; what was signed, its meaning and the
 * signature's status stay as recorded).
 */
export function signedRecordLines(holdsList: HoldView[], timeZone: string, w?: ExportWords): { text: string; indent?: number; strong?: boolean }[] {
  if (w) return signedRecordLinesIn(holdsList, w);
  if (holdsList.length === 0) return [{ text: "No holds on these objects." }];
  const lines: { text: string; indent?: number; strong?: boolean }[] = [];
  for (const h of holdsList) {
    lines.push({ text: `Hold on ${targetWord(h.targetType)} ${h.targetLabel} (${h.active ? "active" : "released"})`, strong: true });
    lines.push({ text: `Reason: ${h.reason}. Placed ${formatZonedTime(h.placedAt, timeZone)} by ${h.placedByName}.`, indent: 1 });
    if (h.releasedAt) lines.push({ text: `Released ${formatZonedTime(h.releasedAt, timeZone)} by ${h.releasedByName ?? "?"}: ${h.releaseReason ?? ""}`, indent: 1 });
    if (h.signatures.length === 0) lines.push({ text: "No signature.", indent: 1 });
    for (const s of h.signatures)
      lines.push({ text: `Signed: ${s.printedName} - ${s.meaning} (${s.meaningDescription}) - ${formatZonedTime(s.signedAt, s.timeZone)} - ${signatureStatusText(s.status)}`, indent: 1 });
  }
  return lines;
}

function signedRecordLinesIn(holdsList: HoldView[], w: ExportWords): { text: string; indent?: number; strong?: boolean }[] {
  const { t } = w;
  if (holdsList.length === 0) return [{ text: t("noHolds") }];
  const lines: { text: string; indent?: number; strong?: boolean }[] = [];
  for (const h of holdsList) {
    lines.push({ text: t("holdOn", { kind: h.targetType, label: h.targetLabel, active: h.active ? "yes" : "no" }), strong: true });
    lines.push({ text: t("holdPlaced", { reason: h.reason, at: w.time(h.placedAt), name: h.placedByName }), indent: 1 });
    if (h.releasedAt) lines.push({ text: t("holdReleased", { at: w.time(h.releasedAt), name: h.releasedByName ?? "?", reason: h.releaseReason ?? "" }), indent: 1 });
    if (h.signatures.length === 0) lines.push({ text: t("noSignature"), indent: 1 });
    for (const s of h.signatures)
      lines.push({ text: t("signed", { name: s.printedName, meaning: s.meaning, description: s.meaningDescription, at: formatZonedTime(s.signedAt, s.timeZone), status: signatureStatusText(s.status) }), indent: 1 });
  }
  return lines;
}

/** The signed records as JSON: one object per hold, its signatures each with their status. */
export function signedRecordJson(holdsList: HoldView[]) {
  return holdsList.map((h) => ({
    hold: h.active ? "active" : "released",
    targetType: h.targetType,
    target: h.targetLabel,
    reason: h.reason,
    placedAt: h.placedAt.toISOString(),
    placedBy: h.placedByName,
    releasedAt: h.releasedAt?.toISOString() ?? null,
    releasedBy: h.releasedByName ?? null,
    releaseReason: h.releaseReason ?? null,
    signatures: h.signatures.map((s) => ({ printedName: s.printedName, meaning: s.meaning, signedAt: s.signedAt.toISOString(), timeZone: s.timeZone, status: signatureStatusText(s.status) })),
  }));
}
