/**
 * ERP's stock status of material it issues (SAP's stock types, ISA-95's lot Status and Disposition), and what it means
 * on the floor (pure). Traceline has one switch for "may this lot or serial be used": its receiving-inspection status,
 * which kitting and the station check (material eligibility). So:
 * - `blocked` (SAP blocked stock, a B2MML lot Status "Blocked"): inspection `rejected`: never usable until ERP sends
 *   an inspection result `accepted` (or the stock status `unrestricted`);
 * - `quality_inspection` (SAP QI stock, "Quarantine") and `restricted` (ISA-95 Disposition "Restricted": "not
 *   permitted for normal use, e.g. awaiting a quality decision"): inspection `pending`;
 * - `unrestricted`: usable as far as the stock status goes; the inspection status sent (if any) stands.
 * The stricter of the two wins when a message carries both (rejected over pending over accepted), with a warning.
 */
export const STOCK_STATUSES = ["unrestricted", "quality_inspection", "restricted", "blocked"] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];
export type InspectionStatus = "pending" | "accepted" | "rejected";

const STRICTNESS: Record<InspectionStatus, number> = { accepted: 0, pending: 1, rejected: 2 };
const IMPLIED: Record<StockStatus, InspectionStatus | null> = { unrestricted: null, quality_inspection: "pending", restricted: "pending", blocked: "rejected" };
const WORDS: Record<StockStatus, string> = { unrestricted: "unrestricted", quality_inspection: "in quality inspection", restricted: "restricted", blocked: "blocked" };

/** The inspection status to record, and a warning when the stock status made it stricter than the one sent. */
export function inspectionForStockStatus(stock: StockStatus | undefined, sent: InspectionStatus | undefined): { inspection: InspectionStatus | undefined; warning: string | null } {
  const implied = stock ? IMPLIED[stock] : null;
  if (!implied) return { inspection: sent, warning: null };
  if (sent && STRICTNESS[sent] >= STRICTNESS[implied]) return { inspection: sent, warning: null };
  const usable = implied === "rejected" ? "not usable until ERP sends it accepted or unrestricted" : "not usable until inspection accepts it";
  return {
    inspection: implied,
    warning: `ERP stock status ${WORDS[stock!]}: recorded as inspection ${implied}${sent ? ` (not ${sent})` : ""}, ${usable}`,
  };
}

/**
 * A B2MML lot `Status` (free code) or `Disposition` (ISA-95: Planned, In-Process, Restricted, UnRestricted, Closed,
 * Other with its OtherValue) as a stock status; null for a value that says the lot cannot be issued now (planned,
 * in process, closed), undefined for a value this interface does not know.
 */
export function stockStatusOfB2mml(value: string): StockStatus | null | undefined {
  const v = value.trim().toLowerCase().replace(/[\s_-]+/g, "");
  if (["unrestricted", "released", "available", "free", "unrestricteduse", "approved"].includes(v)) return "unrestricted";
  if (["qualityinspection", "inspection", "qi", "quarantine", "quarantined", "pendinginspection", "awaitinginspection"].includes(v)) return "quality_inspection";
  if (["restricted", "restricteduse", "onhold"].includes(v)) return "restricted";
  if (["blocked", "block", "rejected", "nonconforming"].includes(v)) return "blocked";
  if (["planned", "inprocess", "closed", "consumed"].includes(v)) return null;
  return undefined;
}
