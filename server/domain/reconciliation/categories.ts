import Decimal from "decimal.js";

/**
 * Reconciliation with the ERP, the pure part: what each category of difference means, whose it is (the ownership
 * registry row that decides the system, and the Traceline role that works it), and the rule that sorts a difference
 * into a category. The comparison itself is set-based SQL (server/repos/reconciliation.ts) that applies the same rule;
 * `classifyDifference` is its statement in TypeScript, tested on its own and used to describe exceptions.
 */

export const RECON_CATEGORIES = [
  "in_flight",
  "unconfirmed_movement",
  "erp_side_adjustment",
  "master_data_mismatch",
  "uom_mismatch",
  "unknown",
  "ledger_integrity",
] as const;
export type ReconCategory = (typeof RECON_CATEGORIES)[number];

export const EXCEPTION_STATUSES = ["open", "investigating", "resolved", "accepted"] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** How an exception was closed: by a person (adjusted, correction requested, accepted) or by the reconciliation itself. */
export const RESOLUTIONS = ["adjusted", "correction_requested", "accepted", "cleared", "no_longer_differs"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/**
 * What a run is doing, as stored (recon_runs.phase, with its figures in phase_values: `comparing` {snapshot, lines},
 * `updating` {differences}, `done` / `doneNoSnapshot` {differences, opened, failed}); the screen words it in the
 * reader's language.
 */
export const RUN_PHASES = [
  "waiting",
  "starting",
  "comparing",
  "updating",
  "explaining",
  "noSnapshot",
  "checkingLedger",
  "done",
  "doneNoSnapshot",
  "cancelled",
  "cancelledBeforeStart",
  "failed",
] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export type OwnerRole = "operator" | "kitting_clerk" | "quality_engineer" | "supervisor" | "admin";

export type CategoryInfo = {
  label: string;
  meaning: string;
  /** The ownership registry row whose owner is the responsible system. */
  registry: { entity: string; attribute: string };
  /** The system when the registry has no such row. */
  defaultSystem: "erp" | "traceline";
  role: OwnerRole;
  severity: "normal" | "critical";
};

export const CATEGORY_INFO: Record<ReconCategory, CategoryInfo> = {
  in_flight: {
    label: "In flight",
    meaning: "A confirmation of this movement is not acknowledged by ERP yet; it clears itself when it is.",
    registry: { entity: "stock", attribute: "point_of_use" },
    defaultSystem: "traceline",
    role: "admin",
    severity: "normal",
  },
  unconfirmed_movement: {
    label: "Unconfirmed movement",
    meaning: "Traceline moved the material and ERP was never told (no confirmation, or its confirmation is a dead letter).",
    registry: { entity: "stock", attribute: "point_of_use" },
    defaultSystem: "traceline",
    role: "supervisor",
    severity: "normal",
  },
  erp_side_adjustment: {
    label: "ERP-side adjustment",
    meaning: "ERP's figure changed with no Traceline movement to explain it (a count, a write-off or a booking in ERP).",
    registry: { entity: "stock", attribute: "issued_to_floor" },
    defaultSystem: "erp",
    role: "kitting_clerk",
    severity: "normal",
  },
  master_data_mismatch: {
    label: "Master-data mismatch",
    meaning: "ERP books this lot or serial under another revision than Traceline holds it.",
    registry: { entity: "part_revision", attribute: "status" },
    defaultSystem: "erp",
    role: "quality_engineer",
    severity: "normal",
  },
  uom_mismatch: {
    label: "Unit-of-measure mismatch",
    meaning: "ERP counts this part in another unit of measure than the part master Traceline mirrors.",
    registry: { entity: "part", attribute: "uom" },
    defaultSystem: "erp",
    role: "quality_engineer",
    severity: "normal",
  },
  unknown: {
    label: "Unknown",
    meaning: "Nothing on either side explains the difference fully (or ERP names a lot or serial Traceline never had).",
    registry: { entity: "stock", attribute: "point_of_use" },
    defaultSystem: "traceline",
    role: "supervisor",
    severity: "normal",
  },
  ledger_integrity: {
    label: "Ledger integrity",
    meaning: "A check of the movement ledger failed (npm run check:ledger): the figures of this site cannot be trusted until it is fixed.",
    registry: { entity: "stock", attribute: "point_of_use" },
    defaultSystem: "traceline",
    role: "admin",
    severity: "critical",
  },
};

/**
 * The quantities of one difference. `traceline` is Traceline's on-hand at the snapshot's time; of Traceline's movements
 * before that time, `inFlight` is what moved under confirmations ERP has not acknowledged, `acknowledgedAfter` what
 * ERP acknowledged only after its snapshot, `unconfirmed` what ERP was never told (no confirmation or a dead letter).
 * All decimal strings; the SQL compares them exactly as numeric.
 */
export type DifferenceFacts = {
  traceline: string;
  erp: string;
  inFlight: string;
  acknowledgedAfter: string;
  unconfirmed: string;
  /** ERP books the item under another revision than Traceline holds it. */
  revisionMismatch: boolean;
  /** ERP's line names a unit other than the part master's. */
  unitMismatch: boolean;
  /** ERP's line names a lot or serial this site never had. */
  unknownItem: boolean;
};

/**
 * The rule: ERP's figure should be Traceline's minus what ERP has not heard of yet (in flight, acknowledged after the
 * snapshot) or never will (unconfirmed). Returns null when there is nothing to report (equal, or explained entirely by
 * confirmations acknowledged since the snapshot).
 */
export function classifyDifference(f: DifferenceFacts): ReconCategory | null {
  if (f.unitMismatch) return "uom_mismatch";
  if (f.revisionMismatch) return "master_data_mismatch";
  if (f.unknownItem) return "unknown";
  const gap = new Decimal(f.traceline).minus(f.erp);
  if (gap.isZero()) return null;
  const inFlight = new Decimal(f.inFlight);
  const after = new Decimal(f.acknowledgedAfter);
  const unconfirmed = new Decimal(f.unconfirmed);
  if (gap.equals(inFlight.plus(after).plus(unconfirmed))) {
    if (!unconfirmed.isZero()) return "unconfirmed_movement";
    if (!inFlight.isZero()) return "in_flight";
    return null;
  }
  if (inFlight.isZero() && after.isZero() && unconfirmed.isZero()) return "erp_side_adjustment";
  return "unknown";
}

/** Movement kinds that originate in ERP or align the floor with ERP: ERP's figure already includes them. */
export const ERP_ALIGNED_MOVEMENT_KINDS = ["receive_from_erp", "erp_issue_reversal", "recon_adjustment"] as const;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isDailyTime(v: string): boolean {
  return HHMM.test(v);
}

/**
 * The site-local day whose scheduled run is due at `now` (the site's daily time has passed today), or null (not yet, or
 * no schedule). One scheduled run per site and day: the caller keys the run by this day.
 */
export function scheduledDayDue(now: Date, timeZone: string, dailyAt: string | null): string | null {
  if (!dailyAt) return null;
  const m = HHMM.exec(dailyAt);
  if (!m) return null;
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now)) {
    parts[p.type] = p.value;
  }
  const minutesNow = Number(parts.hour) * 60 + Number(parts.minute);
  const due = Number(m[1]) * 60 + Number(m[2]);
  return minutesNow >= due ? `${parts.year}-${parts.month}-${parts.day}` : null;
}

/** Reasons people give for a resolution: required, trimmed, bounded. Returns the problem in words, or null. */
export function reasonProblem(reason: string): string | null {
  const r = reason.trim();
  if (r.length < 3) return "Say why (at least a few words).";
  if (r.length > 1000) return "The reason is too long (at most 1000 characters).";
  return null;
}

/**
 * The outbound message that asks ERP to correct its figure (confirmation type `stock_correction`): which item and
 * where, both quantities (and ERP's revision or unit when those differ), the exception it comes from and why.
 */
export type StockCorrectionPayload = {
  plant: string;
  exception: string;
  category: ReconCategory;
  material: string;
  revision: string;
  batch: string | null;
  serial: string | null;
  location: string | null;
  uom: string;
  erpQuantity: string;
  tracelineQuantity: string;
  erpRevision: string | null;
  erpUnit: string | null;
  snapshot: string | null;
  reason: string;
  postingDate: string;
};

/** What may be done with an exception of a category: adjust the ledger (quantities differ), ask ERP, accept. */
export function resolutionsFor(category: ReconCategory): { adjust: boolean; requestCorrection: boolean; accept: boolean } {
  switch (category) {
    case "in_flight":
      return { adjust: false, requestCorrection: false, accept: true };
    case "ledger_integrity":
      return { adjust: false, requestCorrection: false, accept: true };
    case "master_data_mismatch":
    case "uom_mismatch":
      return { adjust: false, requestCorrection: true, accept: true };
    default:
      return { adjust: true, requestCorrection: true, accept: true };
  }
}

/** Exception numbers as people read them: RX-42. */
export const exceptionLabel = (n: number) => `RX-${n}`;
