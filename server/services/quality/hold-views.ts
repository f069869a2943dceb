import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { holdSignedContent } from "@/server/domain/quality/signature";
import { traceWhereUsed, type UnitLocation } from "@/server/repos/genealogy-where-used";
import {
  affectedKitPicks,
  affectedStagedStock,
  findHold,
  listHolds,
  signaturesOf,
  supplierWhereUsed,
  type AffectedPick,
  type HoldListRow,
  type StagedStock,
} from "@/server/repos/quality-holds";
import { siteHoldReleaseRule } from "@/server/repos/admin-users";
import { verifySignature, type SignatureView } from "./sign-record";
import { ncrsOfHolds } from "@/server/repos/nonconformance";
import { ncrNumber } from "@/server/domain/quality/nonconformance";
import { enterpriseHoldState, type EnterpriseHoldState } from "./enterprise-hold-state";

export type HoldView = {
  id: string;
  targetType: HoldListRow["targetType"];
  targetId: string;
  targetLabel: string;
  reason: string;
  placedAt: Date;
  placedBy: string;
  placedByName: string;
  releasedAt: Date | null;
  releasedByName: string | null;
  releaseReason: string | null;
  active: boolean;
  /** every signature of the hold, oldest first, each checked against the record as it is now */
  signatures: SignatureView[];
  /** true when any signature no longer matches the record */
  tampered: boolean;
  /** the nonconformance report that placed the hold (its hold is unsigned: the report records who and why) */
  ncr: { id: string; number: string } | null;
  /** the enterprise-wide hold this site's hold is part of, or null */
  enterpriseHoldId: string | null;
};

function toView(hold: HoldListRow, sigs: SignatureView[], ncr: { id: string; number: number } | undefined): HoldView {
  return {
    ncr: ncr ? { id: ncr.id, number: ncrNumber(ncr.number) } : null,
    enterpriseHoldId: hold.enterpriseHoldId ?? null,
    id: hold.id,
    targetType: hold.targetType,
    targetId: hold.targetId,
    targetLabel: hold.targetLabel,
    reason: hold.reason,
    placedAt: hold.placedAt,
    placedBy: hold.placedBy,
    placedByName: hold.placedByName,
    releasedAt: hold.releasedAt,
    releasedByName: hold.releasedByName,
    releaseReason: hold.releaseReason,
    active: hold.releasedAt === null,
    signatures: sigs,
    tampered: sigs.some((s) => s.status === "invalid"),
  };
}

/** Holds with every signature checked against the record as it is now. */
export async function withSignatures(db: DbOrTx, siteId: string, rows: HoldListRow[]): Promise<HoldView[]> {
  const sigs = await signaturesOf(db, siteId, "hold", rows.map((h) => h.id));
  const ncrs = await ncrsOfHolds(db, siteId, rows.map((h) => h.id));
  return rows.map((h) =>
    toView(
      h,
      sigs
        .filter((s) => s.recordId === h.id)
        // "hold" signatures cover the placing; any other meaning covers the whole record as it is now
        .map((s) => verifySignature(s, holdSignedContent(h, s.meaning === "hold" ? "hold" : "release"))),
      ncrs.get(h.id),
    ),
  );
}

/** Active holds (newest first) and the most recent released ones, with their signatures verified. */
export async function listHoldViews(db: DbOrTx, actor: Actor, opts: { releasedLimit?: number } = {}): Promise<{ active: HoldView[]; released: HoldView[] }> {
  const active = await listHolds(db, actor.siteId, "active", 500);
  const released = await listHolds(db, actor.siteId, "released", Math.min(200, Math.max(1, opts.releasedLimit ?? 50)));
  return { active: await withSignatures(db, actor.siteId, active), released: await withSignatures(db, actor.siteId, released) };
}

export type AffectedUnit = {
  unitSerialItemId: string;
  unitSerialNumber: string;
  partNumber: string;
  revision: string;
  workOrderNumber: string | null;
  status: string | null;
  level: number;
  current: boolean;
  installedAt: Date;
  location: UnitLocation;
};

export type HoldDetail = {
  hold: HoldView;
  kits: AffectedPick[];
  staged: StagedStock[];
  /** the site's two-person rule: the person who placed a hold cannot release it */
  twoPersonRelease: boolean;
  /** an enterprise-wide hold: its state at each site the viewer may see, and whether they can release it everywhere */
  enterprise: EnterpriseHoldState | null;
  /** units that contain held material (where-used, any depth), paged with exact totals */
  units: { total: number; currentTotal: number; offset: number; limit: number; rows: AffectedUnit[] };
};

/** One hold with what it affects: picks of open kits, stock staged at points of use, and the WIP units containing the material. */
export async function getHoldDetail(db: DbOrTx, actor: Actor, holdId: string, page: { offset: number; limit: number }): Promise<HoldDetail> {
  const siteId = actor.siteId;
  const row = await findHold(db, siteId, holdId);
  if (!row) throw new DomainError("NOT_FOUND", "That hold does not exist at this site.", { holdId });
  const [hold] = await withSignatures(db, siteId, [row]);
  const kits = await affectedKitPicks(db, siteId, row);
  const staged = await affectedStagedStock(db, siteId, row);
  const offset = Math.max(0, Math.floor(page.offset));
  const limit = Math.max(1, Math.min(500, Math.floor(page.limit)));
  let units: HoldDetail["units"];
  if (row.targetType === "supplier") {
    const r = await supplierWhereUsed(db, siteId, row.targetId, { offset, limit });
    units = { total: r.total, currentTotal: r.currentTotal, offset, limit, rows: r.rows };
  } else {
    const r = await traceWhereUsed(db, siteId, { kind: row.targetType, id: row.targetId }, { offset, limit });
    units = {
      total: r.total,
      currentTotal: r.currentTotal,
      offset,
      limit,
      rows: r.rows.map((u) => ({
        unitSerialItemId: u.unitSerialItemId,
        unitSerialNumber: u.unitSerialNumber,
        partNumber: u.partNumber,
        revision: u.revision,
        workOrderNumber: u.workOrderNumber,
        status: u.status,
        level: u.level,
        current: u.current,
        installedAt: u.installedAt,
        location: u.location,
      })),
    };
  }
  const twoPersonRelease = (await siteHoldReleaseRule(db, siteId))?.twoPerson ?? false;
  const enterprise = row.enterpriseHoldId ? await enterpriseHoldState(db, actor, row.enterpriseHoldId) : null;
  return { hold: hold!, kits, staged, units, twoPersonRelease, enterprise };
}
