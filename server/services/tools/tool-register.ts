import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { startOfLocalDay } from "@/server/domain/kitting/dates";
import { writeAudit } from "@/server/repos/audit";
import * as repo from "@/server/repos/tools";

/** Who keeps the tool register: a supervisor or quality (the tool crib answers to them). */
export const TOOL_ROLES = ["supervisor", "quality_engineer"] as const;

function requireKeeper(actor: Actor) {
  if (!actor.roles.some((r) => (TOOL_ROLES as readonly string[]).includes(r))) throw new DomainError("FORBIDDEN", "Only a supervisor or quality engineer keeps the tool register.", {});
}

const CODE = /^[A-Z0-9][A-Z0-9_./-]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(text: string, field: string): string {
  const d = new Date(`${text}T00:00:00Z`);
  if (!DAY.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) throw new DomainError("VALIDATION_FAILED", "Enter a date that exists, as YYYY-MM-DD.", { field });
  return text;
}

function calibration(actor: Actor, calibratedOn: string, dueOn: string) {
  const on = day(calibratedOn, "calibratedOn");
  const due = day(dueOn, "dueOn");
  if (due <= on) throw new DomainError("VALIDATION_FAILED", "The next calibration is due after the calibration.", { field: "dueOn" });
  // due on a day: overdue from the start of that day in the site's zone
  return { calibratedAt: startOfLocalDay(on, actor.timeZone), calibrationDueAt: startOfLocalDay(due, actor.timeZone) };
}

/** Register a tool or gauge (its label code, class, description), with its calibration if known. Audited. */
export async function registerTool(
  db: Db,
  actor: Actor,
  cmd: { code: string; toolClass: string; description: string; calibratedOn?: string | null; dueOn?: string | null },
  now: Date,
) {
  requireKeeper(actor);
  const code = cmd.code.trim().toUpperCase();
  const toolClass = cmd.toolClass.trim().toUpperCase();
  if (!CODE.test(code)) throw new DomainError("VALIDATION_FAILED", "A tool code is 1 to 64 letters, digits, '.', '_', '/' or '-'.", { field: "code" });
  if (!CODE.test(toolClass)) throw new DomainError("VALIDATION_FAILED", "A tool class is 1 to 64 letters, digits, '.', '_', '/' or '-' (e.g. TORQUE-WRENCH).", { field: "toolClass" });
  if (cmd.description.trim().length < 3) throw new DomainError("VALIDATION_FAILED", "Describe the tool (range, make).", { field: "description" });
  if (Boolean(cmd.calibratedOn) !== Boolean(cmd.dueOn)) throw new DomainError("VALIDATION_FAILED", "Give both the calibration date and the next due date, or neither.", { field: "dueOn" });
  const cal = cmd.calibratedOn && cmd.dueOn ? calibration(actor, cmd.calibratedOn, cmd.dueOn) : { calibratedAt: null, calibrationDueAt: null };
  return db.transaction(async (tx) => {
    const row = await repo.insertTool(tx, { siteId: actor.siteId, code, toolClass, description: cmd.description.trim(), ...cal, createdAt: now, updatedAt: now });
    if (!row) throw new DomainError("VALIDATION_FAILED", `Tool ${code} is in the register already.`, { field: "code" });
    await writeAudit(tx, { siteId: actor.siteId, actorUserId: actor.userId, actorName: actor.displayName, action: "tool_registered", entity: "tool", entityId: code, newValue: { code, toolClass, ...cal }, occurredAt: now });
    return { code, toolClass };
  });
}

/** Record a calibration: when it was calibrated and when the next one is due. Audited with the certificate as reason. */
export async function recordCalibration(db: Db, actor: Actor, cmd: { code: string; calibratedOn: string; dueOn: string; reason: string }, now: Date) {
  requireKeeper(actor);
  const cal = calibration(actor, cmd.calibratedOn, cmd.dueOn);
  if (cmd.reason.trim().length < 3) throw new DomainError("VALIDATION_FAILED", "Give the calibration certificate or reason: it goes into the audit trail.", { field: "reason" });
  return db.transaction(async (tx) => {
    const tool = await repo.lockTool(tx, actor.siteId, cmd.code.trim().toUpperCase());
    if (!tool) throw new DomainError("NOT_FOUND", `Tool ${cmd.code} is not in the register of ${actor.siteName}.`, { field: "code" });
    await repo.updateTool(tx, actor.siteId, tool.id, { ...cal, updatedAt: now });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "tool_calibrated",
      entity: "tool",
      entityId: tool.code,
      oldValue: { calibratedAt: tool.calibratedAt, calibrationDueAt: tool.calibrationDueAt },
      newValue: cal,
      reason: cmd.reason.trim(),
      occurredAt: now,
    });
    return { code: tool.code, ...cal };
  });
}

/** Take a tool out of service (lost, broken, retired) or back into service. Audited. */
export async function setToolStatus(db: Db, actor: Actor, cmd: { code: string; status: "in_service" | "out_of_service"; reason: string }, now: Date) {
  requireKeeper(actor);
  if (cmd.reason.trim().length < 3) throw new DomainError("VALIDATION_FAILED", "Give a reason: it goes into the audit trail.", { field: "reason" });
  return db.transaction(async (tx) => {
    const tool = await repo.lockTool(tx, actor.siteId, cmd.code.trim().toUpperCase());
    if (!tool) throw new DomainError("NOT_FOUND", `Tool ${cmd.code} is not in the register of ${actor.siteName}.`, { field: "code" });
    await repo.updateTool(tx, actor.siteId, tool.id, { status: cmd.status, updatedAt: now });
    await writeAudit(tx, { siteId: actor.siteId, actorUserId: actor.userId, actorName: actor.displayName, action: "tool_status_set", entity: "tool", entityId: tool.code, oldValue: { status: tool.status }, newValue: { status: cmd.status }, reason: cmd.reason.trim(), occurredAt: now });
    return { code: tool.code, status: cmd.status };
  });
}
