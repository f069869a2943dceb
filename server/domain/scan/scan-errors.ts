/**
 * A scan that cannot be accepted. Thrown inside the parser only and turned into `{ valid: false, error }` by
 * parseScan; `keepFields` marks problems found after the data was read (e.g. an incomplete IUID data set), where
 * the fields that were read are still reported.
 */
export class ScanRejection extends Error {
  readonly keepFields: boolean;
  constructor(message: string, options: { keepFields?: boolean } = {}) {
    super(message);
    this.name = "ScanRejection";
    this.keepFields = options.keepFields ?? false;
  }
}

export const GS = "\u001d";
export const RS = "\u001e";
export const EOT = "\u0004";

const CONTROL_NAMES: Record<number, string> = { 0x1d: "GS", 0x1e: "RS", 0x04: "EOT", 0x09: "TAB", 0x0a: "LF", 0x0d: "CR" };

/** A character as an operator can read it in an error message. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === " ") return "a space";
  if (code < 0x20 || code === 0x7f) {
    const hex = `0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
    const name = CONTROL_NAMES[code];
    return name ? `control character ${name} (${hex})` : `control character ${hex}`;
  }
  return `"${ch}"`;
}
