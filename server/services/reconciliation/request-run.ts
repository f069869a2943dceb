import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { isDailyTime } from "@/server/domain/reconciliation/categories";
import { writeAudit } from "@/server/repos/audit";
import { findRun, insertRun, requestCancel, setDailyTime, type RunRow } from "@/server/repos/recon-runs";
import { RESOLVE_ROLES } from "./resolve-exception";

/* Asking for a reconciliation run now, cancelling one, and setting the site's daily time: each audited. */

function requireRole(actor: Actor, roles: readonly string[], what: string): void {
  if (!actor.roles.some((r) => roles.includes(r))) throw new DomainError("FORBIDDEN", `You may not ${what} at this site.`);
}

/** Queue a run of the actor's site now (or answer the one already queued or running). */
export async function requestReconciliation(db: DbOrTx, actor: Actor, now: Date): Promise<{ run: RunRow; created: boolean }> {
  requireRole(actor, RESOLVE_ROLES, "start a reconciliation");
  return db.transaction(async (tx) => {
    const out = await insertRun(tx, { siteId: actor.siteId, trigger: "on_demand", requestedBy: actor.userId, now });
    if (!out) throw new DomainError("REQUEST_CONFLICT", "A reconciliation could not be queued; reload and try again.");
    if (out.created) {
      await writeAudit(tx, { siteId: actor.siteId, actorUserId: actor.userId, actorName: actor.displayName, action: "request_reconciliation", entity: "recon_run", entityId: out.run.id, newValue: { number: out.run.number }, occurredAt: now });
    }
    return out;
  });
}

export async function cancelReconciliation(db: DbOrTx, actor: Actor, runId: string, now: Date): Promise<RunRow> {
  requireRole(actor, RESOLVE_ROLES, "cancel a reconciliation");
  return db.transaction(async (tx) => {
    const run = await findRun(tx, actor.siteId, runId);
    if (!run) throw new DomainError("NOT_FOUND", "That reconciliation run does not exist at this site.");
    if (run.status !== "queued" && run.status !== "running") throw new DomainError("REQUEST_CONFLICT", `Run ${run.number} has already ended (${run.status}).`, { status: run.status });
    const after = await requestCancel(tx, { siteId: actor.siteId, runId, userId: actor.userId, now });
    await writeAudit(tx, { siteId: actor.siteId, actorUserId: actor.userId, actorName: actor.displayName, action: "cancel_reconciliation", entity: "recon_run", entityId: runId, oldValue: { status: run.status }, newValue: { status: after?.status ?? run.status }, occurredAt: now });
    return after ?? run;
  });
}

/** The site's daily reconciliation time (site-local HH:MM), or null for on demand only. Administrators. */
export async function setReconciliationTime(db: DbOrTx, actor: Actor, dailyAt: string | null, now: Date): Promise<{ dailyAt: string | null }> {
  requireRole(actor, ["admin"], "change the reconciliation schedule");
  if (dailyAt !== null && !isDailyTime(dailyAt)) throw new DomainError("VALIDATION_FAILED", "Give the time as HH:MM (00:00 to 23:59), in the site's time zone.", { field: "dailyAt" });
  return db.transaction(async (tx) => {
    const old = await setDailyTime(tx, actor.siteId, dailyAt);
    await writeAudit(tx, { siteId: actor.siteId, actorUserId: actor.userId, actorName: actor.displayName, action: "set_reconciliation_time", entity: "site", entityId: actor.siteId, oldValue: { dailyAt: old }, newValue: { dailyAt }, occurredAt: now });
    return { dailyAt };
  });
}
