import Decimal from "decimal.js";
import { DomainError } from "./errors";

/** Quantities are exact decimals with at most 6 places (numeric(18,6) in the database). */
export const QTY_SCALE = 6;
const MAX_INTEGER_DIGITS = 12;
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * Parse a quantity an operator typed or a client sent. Refuses floats in exponent form, too many decimals,
 * and (unless allowed) zero and negatives: a bad quantity never reaches the ledger.
 */
export function parseQuantity(text: string, opts: { allowZero?: boolean; allowNegative?: boolean; field?: string } = {}): Decimal {
  const field = opts.field ?? "quantity";
  const trimmed = text.trim();
  if (!DECIMAL_TEXT.test(trimmed)) {
    throw new DomainError("VALIDATION_FAILED", `The ${field} "${text}" is not a number.`, { field });
  }
  const [whole, frac = ""] = trimmed.replace("-", "").split(".");
  if (frac.length > QTY_SCALE) {
    throw new DomainError("VALIDATION_FAILED", `The ${field} may have at most ${QTY_SCALE} decimal places.`, { field });
  }
  if ((whole ?? "").replace(/^0+/, "").length > MAX_INTEGER_DIGITS) {
    throw new DomainError("VALIDATION_FAILED", `The ${field} is too large.`, { field });
  }
  const value = new Decimal(trimmed);
  if (value.isNegative() && !value.isZero() && !opts.allowNegative) {
    throw new DomainError("VALIDATION_FAILED", `The ${field} cannot be negative.`, { field });
  }
  if (value.isZero() && !opts.allowZero) {
    throw new DomainError("VALIDATION_FAILED", `The ${field} must be more than zero.`, { field });
  }
  return value;
}

/** Canonical text for the database and for hashing: no exponent, no trailing zeros. */
export function formatQuantity(value: Decimal | string): string {
  const d = typeof value === "string" ? new Decimal(value) : value;
  return d.toFixed();
}
