/**
 * Identifiers ERP sends (part numbers, revisions, lots, serials, codes, keys): normalised to Unicode NFC, and refused
 * when they hold what a person cannot see or tell apart, so that a look-alike never becomes a second part, lot or
 * serial. Pure. Refused, with the reason:
 * - control characters (tab, line feed, C1 controls) and invisible ones: format characters (zero-width space and
 *   joiners, soft hyphen, bidirectional controls, byte order mark), other default-ignorable code points (variation
 *   selectors, Hangul fillers), line and paragraph separators, private-use and unassigned code points;
 * - spaces other than the plain space (no-break space, thin space, ideographic space...);
 * - compatibility characters, whose NFKC form differs (fullwidth "ＢＫＴ", ligatures, superscripts): the answer names
 *   the plain form to send instead;
 * - letters of several scripts in one identifier (a Cyrillic "А" among Latin letters), and identifiers whose letters
 *   are all Greek or Cyrillic look-alikes of Latin letters ("ВКТ-4410" written in Cyrillic).
 */

export type IdentifierCheck = { ok: true; value: string } | { ok: false; reason: string };

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;
const ODD_SPACE = /[^\P{Zs} ]/u;
const LETTER = /\p{L}/u;
const SCRIPTS = ["Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Georgian", "Cherokee", "Han", "Hiragana", "Katakana", "Hangul", "Thai", "Devanagari"] as const;
const SCRIPT_RE = Object.fromEntries(SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, "u")])) as Record<(typeof SCRIPTS)[number], RegExp>;
/** Scripts that are written together in one identifier in practice (Japanese mixes these; Latin digits are Common). */
const MIXABLE = new Set(["Han", "Hiragana", "Katakana"]);
/** Greek and Cyrillic letters that look like Latin ones. */
const LATIN_LOOKALIKES = new Set([..."АВЕКМНОРСТХУаеорсухіјѕԁԛԝІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧοντ"]);

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

function scriptOf(c: string): string | null {
  for (const s of SCRIPTS) if (SCRIPT_RE[s].test(c)) return s;
  return LETTER.test(c) ? "Other" : null;
}

/** The identifier as stored (trimmed, NFC), or why it is refused. */
export function checkIdentifier(input: string): IdentifierCheck {
  const value = input.trim().normalize("NFC");
  for (const c of value) {
    if (INVISIBLE.test(c)) return { ok: false, reason: `contains an invisible or control character (${codePoint(c)}), which would make a look-alike of another identifier` };
    if (ODD_SPACE.test(c)) return { ok: false, reason: `contains a space other than the plain space (${codePoint(c)})` };
  }
  const plain = value.normalize("NFKC");
  if (plain !== value) return { ok: false, reason: `contains compatibility characters (fullwidth forms, ligatures, superscripts): send it as "${plain}"` };
  const scripts = new Set<string>();
  for (const c of value) {
    const s = scriptOf(c);
    if (s) scripts.add(MIXABLE.has(s) ? "Han" : s);
  }
  if (scripts.size > 1) return { ok: false, reason: `mixes letters of several scripts (${[...scripts].sort().join(", ")}), e.g. a Cyrillic letter that looks Latin` };
  const letters = [...value].filter((c) => LETTER.test(c));
  if ((scripts.has("Cyrillic") || scripts.has("Greek")) && letters.length > 0 && letters.every((c) => LATIN_LOOKALIKES.has(c))) {
    return { ok: false, reason: "is written with Greek or Cyrillic letters that all look like Latin ones: send it in Latin letters" };
  }
  return { ok: true, value };
}
