/** Words for the ownership registry's values, shared by its tables and forms. */
export type OwnerSystem = "erp" | "traceline";
export type Propagation = "erp_to_traceline" | "traceline_to_erp" | "none";

export const OWNER_LABELS: Record<OwnerSystem, string> = { erp: "ERP", traceline: "Traceline" };

export const DIRECTION_LABELS: Record<Propagation, string> = {
  erp_to_traceline: "ERP → Traceline",
  traceline_to_erp: "Traceline → ERP",
  none: "Not propagated",
};

/** Directions that make sense for an owner (an ERP-owned attribute never flows from Traceline to ERP). */
export function directionsFor(owner: OwnerSystem): Propagation[] {
  return owner === "erp" ? ["erp_to_traceline", "none"] : ["traceline_to_erp", "none"];
}
