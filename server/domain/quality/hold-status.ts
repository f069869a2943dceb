import type { HoldStatusPayload } from "../station/station-rules";

/*
 * Hold status to ERP: whether the ownership registry sends it, and the confirmation of a hold placed or released.
 * Pure: the registry row, the hold and what it targets are read by the caller.
 */

/** The registry row `hold.status` (null when missing) says Traceline tells ERP of holds. */
export function sendsHoldStatus(registry: { direction: string } | null): boolean {
  return registry?.direction === "traceline_to_erp";
}

/** What a hold targets, as ERP names it: a lot or serial of a part revision, a part revision, a manufacturer or supplier. */
export type HoldTargetFacts = {
  type: HoldStatusPayload["target"]["type"];
  partNumber: string | null;
  revision: string | null;
  lotNumber: string | null;
  serialNumber: string | null;
  /** manufacturer or supplier code */
  code: string | null;
};

/**
 * The confirmation of a hold placed or released. A lot or serial names its material, revision and batch or serial; a
 * part revision names the material and revision (every batch of it); a manufacturer or supplier names only its code.
 */
export function holdStatusPayload(
  action: HoldStatusPayload["action"],
  hold: { id: string; reason: string },
  target: HoldTargetFacts,
  m: { plant: string; postingDate: string; releaseReason?: string },
): HoldStatusPayload {
  const key =
    target.type === "lot"
      ? target.lotNumber
      : target.type === "serial"
        ? target.serialNumber
        : target.type === "part_revision"
          ? target.partNumber
          : target.code;
  const item = target.type === "lot" || target.type === "serial" || target.type === "part_revision";
  return {
    action,
    holdId: hold.id,
    target: { type: target.type, key: key ?? "" },
    plant: m.plant,
    material: item ? target.partNumber : null,
    revision: item ? target.revision : null,
    batch: target.type === "lot" ? target.lotNumber : null,
    serial: target.type === "serial" ? target.serialNumber : null,
    reason: action === "released" ? (m.releaseReason ?? "") : hold.reason,
    ...(action === "released" ? { holdReason: hold.reason } : {}),
    postingDate: m.postingDate,
  };
}
