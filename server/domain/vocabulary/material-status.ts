import type { DomainErrorCode } from "../shared/errors";

/*
 * The one vocabulary for the status of material on every floor screen (station, kitting, stock moves) and in the
 * refusals: material is "Usable", or "Not usable" and why, and the why is said in the same words in a status badge
 * ("Not usable: expired") and in the refusal of a scan ("Lot AC24-0331 is not usable: expired on 2026-11-19.").
 * Pure: the reasons come from the material rules (material-eligibility, out-time).
 */

/** Every reason material may not be used. */
export type NotUsableCode = Extract<
  DomainErrorCode,
  "LOT_ON_HOLD" | "LOT_EXPIRED" | "LOT_SHELF_LIFE_TOO_SHORT" | "LOT_NOT_INSPECTED" | "MANUFACTURER_NOT_APPROVED" | "SOURCE_NOT_AUTHORISED" | "LOT_NOT_ALLOWED" | "OUT_TIME_EXCEEDED"
>;

/** The words of each reason, as a badge shows them after "Not usable:" and a refusal after "<item> is not usable:". */
export const NOT_USABLE_WORDS: Record<NotUsableCode, string> = {
  LOT_ON_HOLD: "on quality hold",
  LOT_EXPIRED: "expired",
  LOT_SHELF_LIFE_TOO_SHORT: "shelf life too short",
  LOT_NOT_INSPECTED: "not through receiving inspection",
  MANUFACTURER_NOT_APPROVED: "manufacturer not approved",
  SOURCE_NOT_AUTHORISED: "not from an authorised source",
  LOT_NOT_ALLOWED: "not on the allowed-lot list",
  OUT_TIME_EXCEEDED: "out-time exceeded",
};

/** A rejected lot is worded apart from one still waiting for inspection. */
export const REJECTED_WORDS = "rejected at receiving inspection";

export const USABLE = "Usable";
export const NOT_USABLE = "Not usable";

export type NotUsableReason = { code: NotUsableCode; words: string };

/** The status of a stock line: usable, or not usable with every reason (in the rules' order). */
export type MaterialStatus = { usable: true; label: string; reasons: [] } | { usable: false; label: string; reasons: NotUsableReason[] };

/** The reason's words; `rejected` picks the rejected-at-inspection wording for LOT_NOT_INSPECTED. */
export function reasonWords(code: NotUsableCode, opts: { rejected?: boolean } = {}): string {
  return code === "LOT_NOT_INSPECTED" && opts.rejected ? REJECTED_WORDS : NOT_USABLE_WORDS[code];
}

/** The status from the reasons the rules gave (none: usable). */
export function materialStatus(reasons: { code: NotUsableCode; rejected?: boolean }[]): MaterialStatus {
  if (reasons.length === 0) return { usable: true, label: USABLE, reasons: [] };
  const list = reasons.map((r) => ({ code: r.code, words: reasonWords(r.code, { rejected: r.rejected }) }));
  return { usable: false, label: `${NOT_USABLE}: ${list.map((r) => r.words).join(", ")}`, reasons: list };
}

/**
 * The sentence of a refusal for material that may not be used: "<Item> is not usable: <reason words><detail>." The
 * detail follows the words directly (" on 2026-11-19", " (SEN-24-118)"), so the badge's words are always in it.
 */
export function notUsableSentence(itemName: string, code: NotUsableCode, detail = "", opts: { rejected?: boolean } = {}): string {
  return `${itemName} is not usable: ${reasonWords(code, opts)}${detail}.`;
}
