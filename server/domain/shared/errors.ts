/**
 * A business refusal, in operator words. `code` is stable (UPPER_SNAKE) and mapped to a transport status in one
 * table (server/api/errors.ts); `details` carries the facts the screen may show (lot, expiry, owner...).
 */
export type DomainErrorCode =
  | "VALIDATION_FAILED"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "INSUFFICIENT_STOCK"
  | "SERIAL_ALREADY_PLACED"
  | "REQUEST_CONFLICT"
  | "SIGN_IN_FAILED"
  | "SIGN_IN_THROTTLED"
  | "ACCOUNT_DISABLED"
  | "UNBALANCED_MOVEMENT"
  | "OWNED_BY_OTHER_SYSTEM"
  | "EMBEDDED_DATABASE_BUSY"
  | "SCAN_NOT_RECOGNISED"
  | "LOT_EXPIRED"
  | "LOT_SHELF_LIFE_TOO_SHORT"
  | "LOT_ON_HOLD"
  | "LOT_NOT_INSPECTED"
  | "MANUFACTURER_NOT_APPROVED"
  | "SOURCE_NOT_AUTHORISED"
  | "LOT_NOT_ALLOWED"
  | "WRONG_PART"
  | "WRONG_REVISION"
  | "OVER_PICK"
  | "KIT_CLOSED"
  | "KIT_NOT_READY"
  | "NOTHING_TO_KIT"
  | "WORK_ORDER_NOT_OPEN"
  | "SIGNATURE_REFUSED"
  | "HOLD_NOT_ACTIVE"
  | "OPERATION_NOT_OPEN"
  | "WRONG_STATION"
  | "UNIT_NOT_OPEN"
  | "OVER_INSTALL"
  | "NOT_STAGED"
  | "OUT_TIME_EXCEEDED"
  | "THAW_INCOMPLETE"
  | "STORAGE_CLASS_MISMATCH"
  | "SERIAL_ALREADY_INSTALLED"
  | "PARAMETER_OUT_OF_LIMITS"
  | "PARAMETER_MISSING"
  | "MISSING_COMPONENTS"
  | "BACKFLUSH_SHORT"
  | "ALREADY_REMOVED"
  | "UNIT_NOT_COMPLETED"
  | "UNIT_NOT_IN_STORES"
  | "UNIT_ON_HOLD"
  | "LABEL_CONTRADICTS_RECORD"
  | "OPERATOR_NOT_QUALIFIED"
  | "TOOL_NOT_USABLE"
  | "TOOL_REQUIRED"
  | "RECON_EXCEPTION_CLOSED"
  | "RECON_RESOLUTION_NOT_ALLOWED"
  | "UNIT_CONTAINS_HELD_MATERIAL"
  | "TWO_PERSON_RULE"
  | "SECRET_CHANGE_REQUIRED"
  | "KIT_LABEL_SCANNED"
  | "NOT_IN_STORES"
  | "MATERIAL_ON_HOLD"
  | "TRANSFER_ALREADY_RECEIVED"
  | "NCR_NOT_OPEN"
  | "MRB_SIGNER_ALREADY_SIGNED"
  | "MIX_INCOMPLETE"
  | "AWAITING_INSPECTION";

/**
 * A refusal's words as a message of the catalogs (messages/<locale>/refusals.json, under `messages`), so that the
 * screens show it in the person's language (docs/I18N.md). `message` stays the English text (logs, the ERP interface,
 * English screens); without `text`, other languages show the code's general sentence (refusals.json `codes`).
 */
export type RefusalText = { key: string; values?: Record<string, string | number | Date> };

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;
  readonly text: RefusalText | null;
  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}, text: RefusalText | null = null) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
    this.text = text;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
