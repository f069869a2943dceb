import type { Signable } from "../quality/signature";

/*
 * A tool found out of calibration is put on a signed quality hold: refused at the station while held (tool-rules.ts),
 * and the units with installs made with it (since its last good calibration, or ever) are marked on the WIP board.
 * Pure: what the hold's and the release's signatures are bound to.
 */

export type ToolHoldRecord = {
  siteId: string;
  toolId: string;
  code: string;
  reason: string;
  heldBy: string;
  heldAt: Date;
  /** installs made with the tool at or after this time are suspect (null: every install) */
  affectsSince: Date | null;
};

/** The content the hold's signature (meaning "hold") is bound to. */
export function toolHoldSignedContent(h: ToolHoldRecord): Signable {
  return { recordType: "tool_hold", siteId: h.siteId, toolId: h.toolId, code: h.code, reason: h.reason, heldBy: h.heldBy, heldAt: h.heldAt, affectsSince: h.affectsSince };
}

/** The content the release's signature (meaning "release") is bound to: the hold it ends, and why. */
export function toolReleaseSignedContent(h: ToolHoldRecord, r: { releasedBy: string; releasedAt: Date; releaseReason: string }): Signable {
  return { ...(toolHoldSignedContent(h) as Record<string, Signable>), recordType: "tool_hold_release", releasedBy: r.releasedBy, releasedAt: r.releasedAt, releaseReason: r.releaseReason };
}
