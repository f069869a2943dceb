import Decimal from "decimal.js";
import { DomainError } from "../shared/errors";
import { parseQuantity } from "../shared/quantity";
import { parseScan, scanIdentifiers, type ScanIdentifiers } from "../scan/parse-scan";

/* The kit's state machine and the decisions of a pick, a short pick and an issue. */

export type KitStatus = "planned" | "picking" | "complete" | "short" | "issued" | "closed" | "cancelled";

/** A kit takes picks and short picks until it is issued (or closed, or cancelled). */
export function assertOpenForPicking(kit: { number: string; status: KitStatus }): void {
  if (kit.status === "issued" || kit.status === "closed" || kit.status === "cancelled") {
    throw new DomainError("KIT_CLOSED", `Kit ${kit.number} is ${kit.status}: nothing more can be picked into it.`, {
      kitNumber: kit.number,
      status: kit.status,
    });
  }
}

export type KitLineState = { id: string; required: string; picked: string; shortQty: string };

/** What a line still needs: required - picked - recorded short, never below zero. */
export function outstanding(line: KitLineState): Decimal {
  return Decimal.max(new Decimal(line.required).minus(line.picked).minus(line.shortQty), 0);
}

/** planned (nothing yet), picking, complete (every line picked in full) or short (every line settled, some short). */
export function statusAfterChange(lines: KitLineState[]): "planned" | "picking" | "complete" | "short" {
  const anyActivity = lines.some((l) => new Decimal(l.picked).gt(0) || new Decimal(l.shortQty).gt(0));
  if (!anyActivity) return "planned";
  if (lines.some((l) => outstanding(l).gt(0))) return "picking";
  return lines.some((l) => new Decimal(l.shortQty).gt(0)) ? "short" : "complete";
}

/** A kit is issued when every line is picked in full or its shortage recorded, and something was picked. */
export function assertReadyToIssue(kit: { number: string; status: KitStatus }, lines: KitLineState[]): void {
  assertOpenForPicking(kit);
  const open = lines.filter((l) => outstanding(l).gt(0));
  if (open.length > 0) {
    throw new DomainError("KIT_NOT_READY", `Kit ${kit.number} still has ${open.length} line(s) to pick.`, {
      kitNumber: kit.number,
      openLines: open.map((l) => l.id),
    });
  }
  if (!lines.some((l) => new Decimal(l.picked).gt(0))) {
    throw new DomainError("KIT_NOT_READY", `Kit ${kit.number} holds nothing: every line is short. Nothing to issue.`, { kitNumber: kit.number });
  }
}

/** The quantity of one pick: one for a serial; otherwise the typed quantity, or (none typed) what the line still needs, up to what is available. */
export function pickQuantity(input: { tracking: "serial" | "lot" | "untracked"; typed: string | null; outstanding: Decimal; available: Decimal }): Decimal {
  if (input.tracking === "serial") {
    if (input.typed !== null && input.typed.trim() !== "" && !parseQuantity(input.typed).eq(1)) {
      throw new DomainError("VALIDATION_FAILED", "A serial is picked one piece at a time: the quantity must be empty or 1.", { field: "quantity" });
    }
    return new Decimal(1);
  }
  if (input.typed !== null && input.typed.trim() !== "") return parseQuantity(input.typed);
  const q = Decimal.min(input.outstanding, input.available);
  if (q.lte(0)) return input.outstanding.gt(0) ? input.outstanding : new Decimal(0);
  return q;
}

/** Refuse a pick larger than what the line still needs. */
export function assertNotOverPick(line: KitLineState & { label: string }, quantity: Decimal): void {
  const left = outstanding(line);
  if (quantity.gt(left)) {
    throw new DomainError(
      "OVER_PICK",
      left.isZero()
        ? `${line.label} is already fully picked for this kit.`
        : `${line.label} needs only ${left.toFixed()} more in this kit; ${quantity.toFixed()} is too many.`,
      { kitLineId: line.id, outstanding: left.toFixed(), requested: quantity.toFixed() },
    );
  }
}

/** A short pick: a quantity (at most what is still open) and a reason. Replaces the line's recorded shortage. */
export function decideShort(line: KitLineState & { label: string }, quantityText: string, reason: string): Decimal {
  if (reason.trim().length < 3) throw new DomainError("VALIDATION_FAILED", "Say why the line is short (at least a few words).", { field: "reason" });
  const q = parseQuantity(quantityText, { allowZero: true });
  const open = Decimal.max(new Decimal(line.required).minus(line.picked), 0);
  if (q.gt(open)) {
    throw new DomainError("OVER_PICK", `${line.label} has only ${open.toFixed()} not yet picked; it cannot be ${q.toFixed()} short.`, {
      kitLineId: line.id,
      open: open.toFixed(),
    });
  }
  return q;
}

/** What a scan names: a lot, a serial, a part, or free text that may be any of them. */
export type ScanLookup = ScanIdentifiers & { raw: string };

/** Read a scan through the one parser; an unreadable scan is refused with the parser's reason. */
export function readScan(input: string, today: Date): ScanLookup {
  const result = parseScan(input, { today });
  if (!result.valid) {
    throw new DomainError("SCAN_NOT_RECOGNISED", `The scan could not be read: ${result.error ?? "unknown format"}.`, {
      syntax: result.syntax,
    });
  }
  const ids = scanIdentifiers(result);
  if (!ids.lot && !ids.serial && !ids.partNumber && !ids.text && !ids.uii) {
    throw new DomainError("SCAN_NOT_RECOGNISED", "The scan holds no part, lot or serial number.", {
      syntax: result.syntax,
    });
  }
  return { ...ids, raw: input };
}
