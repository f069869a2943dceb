import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { holdSignedContent } from "@/server/domain/quality/signature";
import { writeAudit } from "@/server/repos/audit";
import { siteHoldReleaseRule } from "@/server/repos/admin-users";
import { findEnterpriseHold, holdsOfEnterpriseHold } from "@/server/repos/enterprise-holds";
import { lockHold, markHoldReleased } from "@/server/repos/quality-holds";
import { findRequest } from "@/server/repos/request-log";
import { commitSideTime } from "@/server/repos/hold-locks";
import { enterpriseHoldSites } from "@/server/services/enterprise/scope";
import { idempotent } from "@/server/services/shared/idempotent";
import { confirmHoldStatus } from "./hold-status";
import { holdReason, requireQualityEngineer } from "./place-hold";
import { reauthenticateSigner, writeSiteSignatures, type SignatureMethod, type SigningContext } from "./sign-record";

export type ReleaseEnterpriseHoldCommand = {
  requestId: string;
  enterpriseHoldId: string;
  reason: string;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type ReleaseEnterpriseHoldOutcome = {
  enterpriseHoldId: string;
  /** every site's part of the hold: released by this release, or already released before it */
  sites: { siteCode: string; holdId: string; releasedNow: boolean; signatureId: string | null }[];
};

const notFound = (id: string) => new DomainError("NOT_FOUND", "That enterprise hold does not exist at your sites.", { enterpriseHoldId: id });

/**
 * Release an enterprise-wide hold at every site at once: one re-authentication (meaning "release") signs the release of
 * each site's active hold of it (each site's own signature bound to its whole record, audit row and hold-status
 * confirmation to ERP), in one transaction with one request id. Refused, changing nothing: when a site still holding it
 * is outside the user's enterprise scope (FORBIDDEN, naming it), when the user placed it and a site where it is still
 * active has the two-person rule (TWO_PERSON_RULE, naming those sites), when nothing of it is active (HOLD_NOT_ACTIVE).
 * From the commit the material may be used again at every site (unless another hold covers it), and a lot or serial that
 * arrives by transfer later is no longer held on arrival.
 */
export async function releaseEnterpriseHold(db: DbOrTx, actor: Actor, cmd: ReleaseEnterpriseHoldCommand, ctx: SigningContext): Promise<ReleaseEnterpriseHoldOutcome> {
  requireQualityEngineer(actor);
  const sites = enterpriseHoldSites(actor);
  if (!sites.some((s) => s.id === actor.siteId)) throw new DomainError("FORBIDDEN", "Release enterprise holds from a site where you are a quality engineer with the enterprise role.");
  const reason = holdReason(cmd.reason, "release");
  if (cmd.signature.meaning !== "release") {
    throw new DomainError("VALIDATION_FAILED", 'Releasing a hold is signed with the meaning "release".', { meaning: cmd.signature.meaning });
  }
  const mine = new Set(sites.map((s) => s.id));
  const eh = await findEnterpriseHold(db, cmd.enterpriseHoldId);
  if (!eh || !eh.siteIds.some((id) => mine.has(id))) throw notFound(cmd.enterpriseHoldId);
  const retry = await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId));
  if (!retry) await refuseBeforeSigning(db, actor, mine, cmd.enterpriseHoldId);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "release" }, { recordType: "enterprise_hold", recordId: cmd.enterpriseHoldId }, ctx);
  return db.transaction(async (tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.releaseEnterpriseHold", payload: { enterpriseHoldId: cmd.enterpriseHoldId, reason }, now: ctx.now },
      async (): Promise<ReleaseEnterpriseHoldOutcome> => {
        // every site's hold row locked in (site, id) order, then checked again under the locks
        const listed = await holdsOfEnterpriseHold(tx, cmd.enterpriseHoldId);
        const ordered = [...listed].sort((a, b) => (a.siteId === b.siteId ? (a.holdId < b.holdId ? -1 : 1) : a.siteId < b.siteId ? -1 : 1));
        const locked = [];
        for (const h of ordered) {
          const row = await lockHold(tx, h.siteId, h.holdId);
          if (row) locked.push({ ...h, row });
        }
        await refuseUnder(tx, actor, mine, locked.map((l) => ({ siteId: l.siteId, siteCode: l.siteCode, placedBy: l.row.placedBy, active: l.row.releasedAt === null })));
        const now = ctx.recordAt === "commit" ? await commitSideTime(tx) : ctx.now;
        const active = locked.filter((l) => l.row.releasedAt === null);
        const released = active.map((l) => ({ ...l, after: { ...l.row, releasedBy: actor.userId, releasedAt: now, releaseReason: reason } }));
        const signatures = await writeSiteSignatures(
          tx,
          actor,
          signer,
          released.map((l) => ({ siteId: l.siteId, recordType: "hold", recordId: l.holdId, content: holdSignedContent(l.after, "release") })),
          now,
        );
        const out: ReleaseEnterpriseHoldOutcome["sites"] = [];
        for (const [i, l] of released.entries()) {
          const signature = signatures[i]!;
          const ok = await markHoldReleased(tx, l.siteId, l.holdId, { releasedBy: actor.userId, releasedAt: now, releaseReason: reason, releasedSignatureId: signature.id });
          if (!ok) throw new DomainError("HOLD_NOT_ACTIVE", `The hold at ${l.siteCode} was released meanwhile.`, { site: l.siteCode });
          const site = sites.find((s) => s.id === l.siteId)!;
          const siteActor: Actor = { ...actor, siteId: site.id, siteCode: site.code, siteName: site.name, timeZone: site.timeZone, roles: site.roles };
          await writeAudit(tx, {
            siteId: l.siteId,
            actorUserId: actor.userId,
            actorName: actor.displayName,
            action: "release_hold",
            entity: "hold",
            entityId: l.holdId,
            oldValue: { releasedAt: null },
            newValue: { releasedAt: now.toISOString(), releaseReason: reason, signatureId: signature.id, enterpriseHoldId: cmd.enterpriseHoldId },
            reason,
            requestId: cmd.requestId,
            occurredAt: now,
          });
          await confirmHoldStatus(
            tx,
            siteActor,
            { action: "released", holdId: l.holdId, targetType: l.row.targetType, targetId: l.row.targetId, reason: l.row.reason, releaseReason: reason },
            cmd.requestId,
            now,
          );
          out.push({ siteCode: l.siteCode, holdId: l.holdId, releasedNow: true, signatureId: signature.id });
        }
        for (const l of locked.filter((x) => x.row.releasedAt !== null)) out.push({ siteCode: l.siteCode, holdId: l.holdId, releasedNow: false, signatureId: null });
        return { enterpriseHoldId: cmd.enterpriseHoldId, sites: out.sort((a, b) => a.siteCode.localeCompare(b.siteCode)) };
      },
    ),
  );
}

type SitePart = { siteId: string; siteCode: string; placedBy: string; active: boolean };

/** The refusals known before the signature is asked for (checked again under the locks). */
async function refuseBeforeSigning(db: DbOrTx, actor: Actor, mine: Set<string>, enterpriseHoldId: string): Promise<void> {
  const parts = await holdsOfEnterpriseHold(db, enterpriseHoldId);
  await refuseUnder(db, actor, mine, parts.map((p) => ({ siteId: p.siteId, siteCode: p.siteCode, placedBy: p.placedBy, active: !p.released })));
}

async function refuseUnder(db: DbOrTx, actor: Actor, mine: Set<string>, parts: SitePart[]): Promise<void> {
  const active = parts.filter((p) => p.active);
  if (active.length === 0) throw new DomainError("HOLD_NOT_ACTIVE", "This hold was already released at every site.", {});
  // sites still held outside the actor's enterprise scope: named only where the actor has a role, the others counted
  // (another site's code is not shown to someone who works nowhere there, as on the hold's page)
  const visible = new Set(actor.sites.map((s) => s.id));
  const outsideParts = active.filter((p) => !mine.has(p.siteId));
  const outside = [...new Set(outsideParts.filter((p) => visible.has(p.siteId)).map((p) => p.siteCode))].sort();
  const unnamed = new Set(outsideParts.filter((p) => !visible.has(p.siteId)).map((p) => p.siteId)).size;
  if (outside.length > 0 || unnamed > 0) {
    const where = [...outside, ...(unnamed > 0 ? [`${unnamed} other site${unnamed === 1 ? "" : "s"}`] : [])].join(", ");
    throw new DomainError("FORBIDDEN", `It is still held at ${where}, where you are not a quality engineer with the enterprise role: nothing was released.`, {
      sites: outside,
      otherSites: unnamed,
    });
  }
  // the two-person rule of each site, read once per site (a site holds many rows of one enterprise hold)
  const rules = new Map<string, boolean>();
  const twoPerson: string[] = [];
  for (const p of active.filter((x) => x.placedBy === actor.userId)) {
    if (!rules.has(p.siteId)) rules.set(p.siteId, (await siteHoldReleaseRule(db, p.siteId))?.twoPerson ?? false);
    if (rules.get(p.siteId)) twoPerson.push(p.siteCode);
  }
  const blocked = [...new Set(twoPerson)].sort();
  if (blocked.length > 0) {
    throw new DomainError("TWO_PERSON_RULE", `You placed this hold: at ${blocked.join(", ")} another quality engineer must release it (two-person rule). Nothing was released.`, {
      sites: blocked,
    });
  }
}
