import Decimal from "decimal.js";
import { DomainError } from "../shared/errors";

/*
 * Site transfers: the pure rules (no database, no clock). A transfer moves one lot quantity, serial or finished
 * sub-assembly from one site to another in two steps, as SAP's two-step stock transfer between plants does: shipped (the
 * sender's stock goes to its in-transit location; ERP movement type 303 at the issuing plant), then received by scan at
 * the other site (305 at the receiving plant).
 */

/** The transfer's number, printed on the paperwork and scanned at receipt: TR- and 10 characters of its id. */
export function transferNumber(transferId: string): string {
  return `TR-${transferId.replaceAll("-", "").slice(0, 10).toUpperCase()}`;
}

/** A transfer number as typed or scanned (any case, spaces around). Null when the text is not one. */
export function parseTransferNumber(text: string): string | null {
  const t = text.trim().toUpperCase();
  return /^TR-[0-9A-F]{10}$/.test(t) ? t : null;
}

/**
 * The quantity to ship: a serial ships as one piece; a lot quantity is positive, at most six decimals, and no more
 * than what is free at the location (on hand minus what kits reserved).
 */
export function shipQuantity(item: { serial: boolean; number: string; uom: string; onHand: string; reserved: string; locationCode: string }, quantity: string | null): string {
  if (item.serial) {
    if (quantity !== null && quantity.trim() !== "" && !new Decimal(quantity.trim()).eq(1)) {
      throw new DomainError("VALIDATION_FAILED", `Serial ${item.number} is one piece: ship it without a quantity (or 1).`, { field: "quantity" });
    }
    return "1";
  }
  const text = (quantity ?? "").trim();
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(text) || new Decimal(text).lte(0)) {
    throw new DomainError("VALIDATION_FAILED", `Enter the quantity of lot ${item.number} to ship, in ${item.uom} (a positive number, at most 6 decimals).`, { field: "quantity" });
  }
  const free = Decimal.max(new Decimal(item.onHand).minus(item.reserved), 0);
  if (new Decimal(text).gt(free)) {
    throw new DomainError(
      "INSUFFICIENT_STOCK",
      `Only ${free.toFixed()} ${item.uom} of lot ${item.number} is free at ${item.locationCode}${new Decimal(item.reserved).gt(0) ? ` (${new Decimal(item.reserved).toFixed()} is reserved to kits)` : ""}: ship at most that.`,
      { field: "quantity", available: free.toFixed() },
    );
  }
  return new Decimal(text).toFixed();
}

/**
 * The inspection status the item has at the receiving site: carried from the sender, or pending when the receiving site
 * re-inspects what arrives from other sites (sites.transfer_reinspect).
 */
export function inspectionOnReceipt(carried: "pending" | "accepted" | "rejected", receiverReinspects: boolean): "pending" | "accepted" | "rejected" {
  if (carried === "rejected") return "rejected";
  return receiverReinspects ? "pending" : carried;
}
