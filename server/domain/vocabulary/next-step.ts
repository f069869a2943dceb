import type { DomainErrorCode } from "../shared/errors";

/*
 * What to do after a refusal: exactly one next step per refusal code and screen. A refusal's message says what is
 * wrong and nothing more; its next step comes from this table only (the tRPC error formatter adds it to the answer as
 * `data.domain.next`), so no refusal is left without one and none says it twice. Pure.
 */

/** Where the person is: at a station (scanning into a unit), in kitting (picking, moving stock), or in an office. */
export type Workplace = "station" | "kitting" | "office";

type Step = string | Record<Workplace, string>;

const NEXT: Record<DomainErrorCode, Step> = {
  VALIDATION_FAILED: "Correct the highlighted value and try again.",
  NOT_FOUND: "Check the number, or switch to the site it belongs to.",
  FORBIDDEN: "Ask a supervisor or an administrator.",
  UNAUTHENTICATED: "Sign in again.",
  INSUFFICIENT_STOCK: {
    station: "Ask kitting to stage more here, or scan other material.",
    kitting: "Take the quantity from another lot or location of the suggestions.",
    office: "Check the stock at that location.",
  },
  SERIAL_ALREADY_PLACED: "Look the serial up in Genealogy to see where it is.",
  REQUEST_CONFLICT: "Reload the page and try again.",
  SIGN_IN_FAILED: "Check your badge or user name and try again.",
  SIGN_IN_THROTTLED: "Wait, then try again, or ask a supervisor.",
  ACCOUNT_DISABLED: "Ask an administrator to enable your account.",
  UNBALANCED_MOVEMENT: "Tell a supervisor: the movement was not recorded.",
  OWNED_BY_OTHER_SYSTEM: "Change it in the system that owns it.",
  EMBEDDED_DATABASE_BUSY: "Try again in a moment.",
  SCAN_NOT_RECOGNISED: {
    station: "Scan the component's own lot or serial label, or type its number.",
    kitting: "Scan the lot or serial label again, or type its number.",
    office: "Check the number and try again.",
  },
  LOT_EXPIRED: {
    station: "Set it aside for quality and scan another lot.",
    kitting: "Set it aside for quality and scan a suggested lot.",
    office: "Hand it to quality.",
  },
  LOT_SHELF_LIFE_TOO_SHORT: {
    station: "Scan a lot with a later expiry.",
    kitting: "Scan a lot with a later expiry from the suggestions.",
    office: "Use a lot with a later expiry.",
  },
  LOT_ON_HOLD: {
    station: "Set it aside and scan another lot; quality must release the hold first.",
    kitting: "Put it back and scan a suggested lot; quality must release the hold first.",
    office: "Release the hold first, if quality agrees.",
  },
  LOT_NOT_INSPECTED: {
    station: "Set it aside for quality and scan accepted material.",
    kitting: "Leave it in quarantine and scan an accepted lot.",
    office: "Record the receiving inspection first.",
  },
  MANUFACTURER_NOT_APPROVED: {
    station: "Tag it for quality and scan material from an approved manufacturer.",
    kitting: "Tag it for quality and scan a lot from an approved manufacturer.",
    office: "Check the part's approved manufacturer list in ERP.",
  },
  SOURCE_NOT_AUTHORISED: {
    station: "Do not use it: tag it as suspect and hand it to quality.",
    kitting: "Do not pick it: tag it as suspect, quarantine it and tell quality.",
    office: "Check the source's authorisation with quality before anything is used.",
  },
  LOT_NOT_ALLOWED: {
    station: "Scan one of the lots quality listed for this work order.",
    kitting: "Scan one of the lots quality listed for this work order.",
    office: "Add the lot to the allowed-lot list, if quality agrees.",
  },
  WRONG_PART: {
    station: "Set it aside and scan the part the traveller calls for.",
    kitting: "Put it back and scan a part of this kit.",
    office: "Check the part number.",
  },
  WRONG_REVISION: {
    station: "Set it aside and scan the revision this unit takes.",
    kitting: "Put it back and scan the revision the kit line shows.",
    office: "Check the revision.",
  },
  OVER_PICK: "Put the extra back: this line needs no more.",
  KIT_CLOSED: "Start a new kit from the work order for what is still needed.",
  KIT_NOT_READY: "Pick the open lines, or record them as short with a reason.",
  NOTHING_TO_KIT: "Open the kits of this work order to see what they hold.",
  WORK_ORDER_NOT_OPEN: "Ask the supervisor which work order is next.",
  SIGNATURE_REFUSED: "Enter your own password again to sign.",
  HOLD_NOT_ACTIVE: "Reload the hold to see its current state.",
  OPERATION_NOT_OPEN: "Open the unit's current operation.",
  WRONG_STATION: "Take the unit to the station of its work center.",
  UNIT_NOT_OPEN: "Ask the supervisor what happens to this unit.",
  OVER_INSTALL: "Put the extra material back.",
  NOT_STAGED: {
    station: "Ask kitting to stage it at this station, then scan it again.",
    kitting: "Stage it at the station first.",
    office: "Stage it at the station first.",
  },
  OUT_TIME_EXCEEDED: "Hand it to quality and scan fresh material.",
  THAW_INCOMPLETE: {
    station: "Let it thaw until the time shown, or scan thawed material.",
    kitting: "Let it thaw until the time shown, or pick another lot from the suggestions.",
    office: "Wait until it has thawed.",
  },
  STORAGE_CLASS_MISMATCH: {
    station: "Put it where its storage class allows (see the part's storage class).",
    kitting: "Choose a location of the material's storage class.",
    office: "Choose a location of the material's storage class.",
  },
  SERIAL_ALREADY_INSTALLED: "Remove it from the other unit in rework first, or scan another serial.",
  PARAMETER_OUT_OF_LIMITS: "Redo the step within the limits, or call the supervisor.",
  PARAMETER_MISSING: "Enter the highlighted parameter values, then complete again.",
  MISSING_COMPONENTS: "Scan the missing components, then complete again.",
  BACKFLUSH_SHORT: "Ask kitting to stage the missing material, then complete again.",
  ALREADY_REMOVED: "Reload the page to see the unit as it is now.",
  UNIT_NOT_COMPLETED: "Finish the unit's operations first; only a completed unit ships.",
  UNIT_NOT_IN_STORES: "Put the unit away in a stores location first, then ship it from there.",
  UNIT_ON_HOLD: "Do not ship it: quality must release the hold first.",
  KIT_LABEL_SCANNED: "Tap Install beside each item of the kit, or scan each item's own label.",
  UNIT_CONTAINS_HELD_MATERIAL: "Set the unit aside and call quality: it cannot go on until the hold is released.",
  TWO_PERSON_RULE: "Ask another quality engineer to release the hold.",
  SECRET_CHANGE_REQUIRED: "Choose your own password or PIN, then sign in with it.",
  RECON_EXCEPTION_CLOSED: "Reload the exception: someone resolved it meanwhile.",
  RECON_RESOLUTION_NOT_ALLOWED: "Choose another resolution for this category (see the exception's actions).",
  LABEL_CONTRADICTS_RECORD: {
    station: "Do not use it: set it aside and hand it to quality with its label.",
    kitting: "Do not pick it: set it aside and hand it to quality with its label.",
    office: "Hand the item and its label to quality.",
  },
  OPERATOR_NOT_QUALIFIED: "Ask a supervisor or quality to record your qualification, or hand the operation to a qualified operator.",
  TOOL_NOT_USABLE: {
    station: "Take another calibrated tool of the same class and scan it.",
    kitting: "Take another calibrated tool of the same class.",
    office: "Calibrate the tool or put it back in service first.",
  },
  TOOL_REQUIRED: "Scan the tool you use for this operation, then try again.",
  NOT_IN_STORES: "Put it away in a stores or quarantine location first, then ship it from there.",
  MATERIAL_ON_HOLD: "Leave it here: quality must release the hold before it goes to another site.",
  TRANSFER_ALREADY_RECEIVED: "Nothing to do: look the transfer up under Received to see where it was put.",
  NCR_NOT_OPEN: "Reload the nonconformance report to see its current state.",
  MRB_SIGNER_ALREADY_SIGNED: "Ask a member of the review board who has not signed yet.",
  MIX_INCOMPLETE: "Scan a lot of each component of the mix, with its quantity.",
  AWAITING_INSPECTION: "Ask an inspector (quality) to buy off the operation with their stamp.",
};

/** The one next step after a refusal with this code, in the words of the workplace. */
export function nextStep(code: DomainErrorCode, where: Workplace): string {
  const step = NEXT[code];
  return typeof step === "string" ? step : step[where];
}

/** The workplace of a tRPC procedure path ("station.consumeComponent" -> station). */
export function workplaceOf(path: string | null | undefined): Workplace {
  const area = (path ?? "").split(".")[0];
  return area === "station" ? "station" : area === "kitting" ? "kitting" : "office";
}

/** Every code with a next step (for the tests). */
export const CODES_WITH_NEXT_STEP = Object.keys(NEXT) as DomainErrorCode[];
