import { DomainError, type DomainErrorCode, type RefusalText } from "../shared/errors";
import { localDate } from "../kitting/dates";
import { notUsableSentence } from "../vocabulary/material-status";
import { clockExclusions, type ClockPolicy, type LotClock } from "../material-clock/material-clock";

/*
 * Material eligibility: whether a lot, serial or untracked stock may be used for a line: not on hold, not expired at
 * the planned use, enough shelf life left, passed receiving inspection, from an approved manufacturer, on the
 * allowed-lot list when there is one, from authorised sources only (counterfeit prevention: a manufacturer or supplier
 * marked not authorised). One rule for kitting (suggestions, picks, the issue) and the station (install,
 * backflush); every reason is given, in a fixed order (hold first: it is the one quality must lift). Pure.
 */

export type ExclusionCode = Extract<
  DomainErrorCode,
  "LOT_ON_HOLD" | "LOT_EXPIRED" | "LOT_SHELF_LIFE_TOO_SHORT" | "LOT_NOT_INSPECTED" | "MANUFACTURER_NOT_APPROVED" | "SOURCE_NOT_AUTHORISED" | "LOT_NOT_ALLOWED" | "OUT_TIME_EXCEEDED" | "THAW_INCOMPLETE"
>;

export type Exclusion = {
  code: ExclusionCode;
  message: string;
  /** the message as a catalog key and its values (the screens' languages) */
  text?: RefusalText;
  /** LOT_NOT_INSPECTED: rejected rather than pending */
  rejected?: boolean;
};

/** The facts about an item the rules need (read by a repo, decided here). */
export type MaterialFacts = {
  lotId: string | null;
  lotNumber: string | null;
  serialNumber: string | null;
  expiresAt: Date | null;
  /** null for untracked stock (no receiving inspection of its own) */
  inspectionStatus: "pending" | "accepted" | "rejected" | null;
  manufacturerCode: string | null;
  /** The manufacturer's name (people read names, not codes); the code is shown when the name is not known. */
  manufacturerName?: string | null;
  /** The part's AML verdict on the item's manufacturer: no_aml when the part has no AML or the item names no manufacturer. */
  aml: "approved" | "disqualified" | "not_listed" | "no_aml";
  /** Reasons of the active holds covering the item (lot, serial, revision, manufacturer, supplier); empty: not held. */
  holdReasons: string[];
  /**
   * A mixed lot held only through lots it was mixed from (at any depth): those input lots' numbers, so the reason names
   * them; empty or absent: the holds cover the item itself.
   */
  holdInputLots?: string[];
  /** A lot's out-time and thaw clocks with its part's limits (absent or null: no clock to judge). */
  clock?: { clock: LotClock; policy: ClockPolicy } | null;
  /**
   * The item's manufacturer and supplier that are marked not authorised sources, in words ("manufacturer Apex
   * Components (0FAKE)"); empty or absent: every source it names is authorised.
   */
  unauthorisedSources?: string[];
};

export type EligibilityRules = {
  /** When the material will be used: expiry and minimum remaining shelf life are judged at this instant. */
  plannedUseAt: Date;
  minRemainingShelfLifeDays: number | null;
  /** The allowed-lot list of the order or line for this part revision; null: no restriction. */
  allowedLotIds: ReadonlySet<string> | null;
  /** The site's time zone, for the dates in the reasons (UTC when not given). */
  timeZone?: string;
  /** The clocks as they stand now (a running out-time clock keeps running until the planned use); default: plannedUseAt. */
  now?: Date;
  /** Thawing must be complete (at the station: the material is used now); kitting picks frozen material to thaw later. */
  thawRequired?: boolean;
};

const DAY_MS = 86_400_000;

function itemName(c: Pick<MaterialFacts, "lotNumber" | "serialNumber">): string {
  if (c.lotNumber) return `Lot ${c.lotNumber}`;
  if (c.serialNumber) return `Serial ${c.serialNumber}`;
  return "This stock";
}

/** A manufacturer by name, with its code (CAGE or ERP code) in brackets; the code alone when the name is not known. */
export function manufacturerWords(c: Pick<MaterialFacts, "manufacturerCode" | "manufacturerName">): string {
  if (c.manufacturerName) return c.manufacturerCode ? `${c.manufacturerName} (${c.manufacturerCode})` : c.manufacturerName;
  return c.manufacturerCode ? `manufacturer ${c.manufacturerCode}` : "its manufacturer";
}

const isoDay = (d: Date, timeZone?: string) => (timeZone ? localDate(d, timeZone) : d.toISOString().slice(0, 10));

/** Every reason the item may not be used, in a fixed order (hold first: it is the one quality must lift); empty: eligible. */
export function materialExclusions(c: MaterialFacts, rules: EligibilityRules): Exclusion[] {
  const out: Exclusion[] = [];
  const name = itemName(c);
  // the item as the catalogs name it: "Lot {number}", "Serial {number}", "This stock"
  const item = { kind: c.lotNumber ? "lot" : c.serialNumber ? "serial" : "stock", number: c.lotNumber ?? c.serialNumber ?? "" };
  const text = (key: string, values: Record<string, string | number | Date> = {}): RefusalText => ({ key, values: { ...item, ...values } });
  const inputs = c.holdInputLots ?? [];
  if (c.holdReasons.length > 0 && inputs.length > 0) {
    const holds = c.holdReasons.join("; ");
    const lots = inputs.join(", ");
    const through = inputs.length === 1 ? `mixed from lot ${lots}, which is on quality hold` : `mixed from lots ${lots}, which are on quality hold`;
    out.push({ code: "LOT_ON_HOLD", message: `${name} is not usable: ${through} (${holds}).`, text: text("lotOnHoldThroughInput", { lots, count: inputs.length, holds }) });
  } else if (c.holdReasons.length > 0) {
    out.push({ code: "LOT_ON_HOLD", message: notUsableSentence(name, "LOT_ON_HOLD", ` (${c.holdReasons.join("; ")})`), text: text("lotOnHold", { holds: c.holdReasons.join("; ") }) });
  }
  if (c.expiresAt) {
    if (c.expiresAt.getTime() <= rules.plannedUseAt.getTime()) {
      out.push({ code: "LOT_EXPIRED", message: notUsableSentence(name, "LOT_EXPIRED", ` on ${isoDay(c.expiresAt, rules.timeZone)}`), text: text("lotExpired", { expiresAt: c.expiresAt }) });
    } else if (rules.minRemainingShelfLifeDays !== null) {
      const needUntil = rules.plannedUseAt.getTime() + rules.minRemainingShelfLifeDays * DAY_MS;
      if (c.expiresAt.getTime() < needUntil) {
        out.push({
          code: "LOT_SHELF_LIFE_TOO_SHORT",
          message: notUsableSentence(
            name,
            "LOT_SHELF_LIFE_TOO_SHORT",
            ` (it expires on ${isoDay(c.expiresAt, rules.timeZone)}; this part must have ${rules.minRemainingShelfLifeDays} days left at use)`,
          ),
          text: text("shelfLifeTooShort", { expiresAt: c.expiresAt, days: rules.minRemainingShelfLifeDays }),
        });
      }
    }
  }
  if (c.clock) {
    const clockReasons = clockExclusions(name, c.clock.clock, c.clock.policy, rules.now ?? rules.plannedUseAt, rules.plannedUseAt, rules.timeZone ?? "UTC");
    out.push(...clockReasons.filter((r) => r.code !== "THAW_INCOMPLETE" || rules.thawRequired));
  }
  if (c.inspectionStatus !== null && c.inspectionStatus !== "accepted") {
    const rejected = c.inspectionStatus === "rejected";
    out.push({ code: "LOT_NOT_INSPECTED", message: notUsableSentence(name, "LOT_NOT_INSPECTED", "", { rejected }), text: text(rejected ? "lotRejected" : "lotNotInspected"), ...(rejected ? { rejected } : {}) });
  }
  if (c.aml === "disqualified" || c.aml === "not_listed") {
    const who = manufacturerWords(c);
    const verdict = c.aml === "disqualified" ? "is disqualified on" : "is not listed on";
    out.push({ code: "MANUFACTURER_NOT_APPROVED", message: notUsableSentence(name, "MANUFACTURER_NOT_APPROVED", ` (${who} ${verdict} this part's approved manufacturer list)`),
      text: text(c.aml === "disqualified" ? "manufacturerDisqualified" : "manufacturerNotListed", { who: c.manufacturerName ? manufacturerWords(c) : (c.manufacturerCode ?? ""), known: c.manufacturerName || c.manufacturerCode ? "yes" : "no" }),
    });
  }
  if (c.unauthorisedSources && c.unauthorisedSources.length > 0) {
    out.push({ code: "SOURCE_NOT_AUTHORISED", message: notUsableSentence(name, "SOURCE_NOT_AUTHORISED", ` (${c.unauthorisedSources.join(" and ")} ${c.unauthorisedSources.length === 1 ? "is not an authorised source" : "are not authorised sources"})`),
      text: text("sourceNotAuthorised", { sources: c.unauthorisedSources.join(" & "), count: c.unauthorisedSources.length }),
    });
  }
  if (rules.allowedLotIds !== null && (c.lotId === null || !rules.allowedLotIds.has(c.lotId))) {
    out.push({ code: "LOT_NOT_ALLOWED", message: notUsableSentence(name, "LOT_NOT_ALLOWED", " quality set for this work order"), text: text("lotNotAllowed") });
  }
  return out;
}

/** Refuse an item that may not be used: the first reason is the error, every reason is in the details. */
export function assertMaterialEligible(c: MaterialFacts, rules: EligibilityRules): void {
  const reasons = materialExclusions(c, rules);
  const first = reasons[0];
  if (first) {
    throw new DomainError(first.code, first.message, { lotNumber: c.lotNumber, serialNumber: c.serialNumber, reasons: reasons.map(({ text: _text, ...r }) => r) }, first.text ?? null);
  }
}
