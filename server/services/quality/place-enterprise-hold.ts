import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { holdSignedContent } from "@/server/domain/quality/signature";
import { writeAudit } from "@/server/repos/audit";
import { findHoldTargets, insertHold, type HoldTargetQuery } from "@/server/repos/quality-holds";
import { lockHoldTarget } from "@/server/repos/hold-locks";
import { insertEnterpriseHold, partRevisionOfItem } from "@/server/repos/enterprise-holds";
import { enterpriseHoldSites } from "@/server/services/enterprise/scope";
import { idempotent } from "@/server/services/shared/idempotent";
import { timeRecorded } from "@/server/services/shared/recorded-time";
import { confirmHoldStatus } from "./hold-status";
import { holdReason, requireQualityEngineer, type PlaceHoldCommand } from "./place-hold";
import { reauthenticateSigner, writeSiteSignatures, type SigningContext } from "./sign-record";

export type PlaceEnterpriseHoldOutcome = {
  enterpriseHoldId: string;
  label: string;
  /** each site it was placed at: the site's hold (one per site that has the material or master data) */
  sites: { siteCode: string; holdId: string | null; note: string | null }[];
};

type SiteTarget = { site: Actor["sites"][number]; targetId: string | null; label: string | null };

/** The target at each site: the site's own lot or serial row (by part and number), or the global part revision / manufacturer / supplier. */
async function resolveEverywhere(db: DbOrTx, sites: Actor["sites"], q: HoldTargetQuery): Promise<{ label: string; partRevisionId: string | null; itemNumber: string | null; globalId: string | null; perSite: SiteTarget[] }> {
  if (q.kind === "lot" || q.kind === "serial") {
    const number = q.kind === "lot" ? q.lotNumber.trim() : q.serialNumber.trim();
    const partNumber = q.partNumber?.trim() || null;
    if (!number) throw new DomainError("VALIDATION_FAILED", `Enter the ${q.kind} number to hold.`, { field: "number" });
    const perSite: SiteTarget[] = [];
    const labels = new Set<string>();
    for (const site of sites) {
      const found = await findHoldTargets(db, site.id, { ...q, partNumber } as HoldTargetQuery);
      if (found.length > 1) {
        throw new DomainError("VALIDATION_FAILED", `${number} exists for several parts at ${site.code} (${found.map((f) => f.label).join("; ")}): give the part number too.`, {
          field: "partNumber",
        });
      }
      perSite.push({ site, targetId: found[0]?.targetId ?? null, label: found[0]?.label ?? null });
      if (found[0]) labels.add(found[0].label.replace(/, (lot|serial) .*/, ""));
    }
    const held = perSite.filter((p) => p.targetId);
    if (held.length === 0) throw new DomainError("NOT_FOUND", `No ${q.kind} ${number}${partNumber ? ` of part ${partNumber}` : ""} at your sites.`, { field: "number" });
    if (labels.size > 1) throw new DomainError("VALIDATION_FAILED", `${number} is a ${q.kind} of several parts across your sites (${[...labels].join("; ")}): give the part number too.`, { field: "partNumber" });
    const revision = await partRevisionOfItem(db, held[0]!.site.id, q.kind, held[0]!.targetId!);
    return { label: held[0]!.label!, partRevisionId: revision, itemNumber: number, globalId: null, perSite };
  }
  const found = await findHoldTargets(db, sites[0]!.id, q);
  if (!found[0]) throw new DomainError("NOT_FOUND", "That part revision, manufacturer or supplier does not exist.", { target: q });
  return { label: found[0].label, partRevisionId: null, itemNumber: null, globalId: found[0].targetId, perSite: sites.map((site) => ({ site, targetId: found[0]!.targetId, label: found[0]!.label })) };
}

/**
 * Place a hold enterprise-wide: on a manufacturer, supplier, part revision, or a lot / serial by its number, at every
 * site where the actor holds both the enterprise role and the quality engineer role. One re-authentication signs one
 * hold per site (each site's own signed hold, so each site's kitting, station, shipping and containment refuse the
 * material exactly as for a local hold), in one transaction with one request id, an audit row per site, and each site's
 * hold status to ERP when the ownership registry says so. A lot or serial not at a site yet is held there when it
 * arrives by transfer (server/repos/enterprise-holds.ts holdOnArrival).
 */
export async function placeEnterpriseHold(db: DbOrTx, actor: Actor, cmd: PlaceHoldCommand, ctx: SigningContext): Promise<PlaceEnterpriseHoldOutcome> {
  requireQualityEngineer(actor);
  const sites = enterpriseHoldSites(actor);
  if (!sites.some((s) => s.id === actor.siteId)) throw new DomainError("FORBIDDEN", "Place enterprise holds from a site where you are a quality engineer with the enterprise role.");
  const reason = holdReason(cmd.reason, "hold");
  if (cmd.signature.meaning !== "hold") throw new DomainError("VALIDATION_FAILED", 'Placing a hold is signed with the meaning "hold".', { meaning: cmd.signature.meaning });
  await resolveEverywhere(db, sites, cmd.target);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "hold" }, { recordType: "enterprise_hold", recordId: null }, ctx);
  return db.transaction(async (tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.placeEnterpriseHold", payload: { target: cmd.target, reason }, now: ctx.now },
      async (): Promise<PlaceEnterpriseHoldOutcome> => {
        const resolved = await resolveEverywhere(tx, sites, cmd.target);
        const targetType = cmd.target.kind;
        // every site's install lock of the target, in site order (installs take them shared): then the time
        let lockedAt: Date | null = null;
        const ordered = [...resolved.perSite].sort((a, b) => (a.site.id < b.site.id ? -1 : 1));
        for (const p of ordered) if (p.targetId) lockedAt = await lockHoldTarget(tx, p.site.id, targetType, p.targetId);
        const now = timeRecorded(ctx.recordAt ?? ctx.now, lockedAt ?? ctx.now);
        const enterpriseHoldId = randomUUID();
        await insertEnterpriseHold(tx, {
          id: enterpriseHoldId,
          targetType,
          targetId: resolved.globalId,
          partRevisionId: resolved.partRevisionId,
          itemNumber: resolved.itemNumber,
          label: resolved.label,
          reason,
          placedBy: actor.userId,
          placedAt: now,
          siteIds: sites.map((s) => s.id),
        });
        const holds = resolved.perSite
          .filter((p) => p.targetId)
          .map((p) => ({
            siteId: p.site.id,
            id: randomUUID(),
            targetType,
            targetId: p.targetId!,
            reason,
            placedBy: actor.userId,
            placedAt: now,
            releasedBy: null,
            releasedAt: null,
            releaseReason: null,
          }));
        const signatures = await writeSiteSignatures(
          tx,
          actor,
          signer,
          holds.map((h) => ({ siteId: h.siteId, recordType: "hold", recordId: h.id, content: holdSignedContent(h, "hold") })),
          now,
        );
        const out: PlaceEnterpriseHoldOutcome["sites"] = [];
        for (const [i, h] of holds.entries()) {
          await insertHold(tx, { ...h, placedSignatureId: signatures[i]!.id, enterpriseHoldId });
          const site = sites.find((s) => s.id === h.siteId)!;
          const siteActor: Actor = { ...actor, siteId: site.id, siteCode: site.code, siteName: site.name, timeZone: site.timeZone, roles: site.roles };
          await writeAudit(tx, {
            siteId: h.siteId,
            actorUserId: actor.userId,
            actorName: actor.displayName,
            action: "place_hold",
            entity: "hold",
            entityId: h.id,
            newValue: { targetType, targetId: h.targetId, target: resolved.label, reason, signatureId: signatures[i]!.id, enterpriseHoldId },
            reason,
            requestId: cmd.requestId,
            occurredAt: now,
          });
          await confirmHoldStatus(tx, siteActor, { action: "placed", holdId: h.id, targetType, targetId: h.targetId, reason }, cmd.requestId, now);
          out.push({ siteCode: site.code, holdId: h.id, note: null });
        }
        for (const p of resolved.perSite.filter((x) => !x.targetId)) {
          out.push({ siteCode: p.site.code, holdId: null, note: "not at this site now: held on arrival by transfer" });
        }
        return { enterpriseHoldId, label: resolved.label, sites: out.sort((a, b) => a.siteCode.localeCompare(b.siteCode)) };
      },
    ),
  );
}
