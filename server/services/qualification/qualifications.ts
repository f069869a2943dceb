import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate, startOfLocalDay } from "@/server/domain/kitting/dates";
import { writeAudit } from "@/server/repos/audit";
import * as repo from "@/server/repos/qualifications";

/** Who maintains skills and qualifications: a supervisor or quality (docs/quality.md, "Operator qualifications"). */
export const QUALIFICATION_ROLES = ["supervisor", "quality_engineer"] as const;

function requireMaintainer(actor: Actor) {
  if (!actor.roles.some((r) => (QUALIFICATION_ROLES as readonly string[]).includes(r))) {
    throw new DomainError("FORBIDDEN", "Only a supervisor or quality engineer maintains operator qualifications.", {});
  }
}

const SKILL_CODE = /^[A-Z0-9][A-Z0-9_.-]{0,31}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function validDay(text: string, field: string): string {
  const d = new Date(`${text}T00:00:00Z`);
  if (!DAY.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
    throw new DomainError("VALIDATION_FAILED", "Enter a date that exists, as YYYY-MM-DD.", { field });
  }
  return text;
}

/** Define a skill of the site (e.g. CRIMP-A, SEAL-PS870), which routing operations may then require. Audited. */
export async function defineSkill(db: Db, actor: Actor, cmd: { code: string; name: string }, now: Date) {
  requireMaintainer(actor);
  const code = cmd.code.trim().toUpperCase();
  const name = cmd.name.trim();
  if (!SKILL_CODE.test(code)) throw new DomainError("VALIDATION_FAILED", "A skill code is 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit.", { field: "code" });
  if (name.length < 3 || name.length > 120) throw new DomainError("VALIDATION_FAILED", "Name the skill in 3 to 120 characters.", { field: "name" });
  return db.transaction(async (tx) => {
    const row = await repo.insertSkill(tx, { siteId: actor.siteId, code, name, createdAt: now });
    if (!row) throw new DomainError("VALIDATION_FAILED", `Skill ${code} exists already at ${actor.siteName}.`, { field: "code" });
    await writeAudit(tx, { siteId: actor.siteId, actorUserId: actor.userId, actorName: actor.displayName, action: "skill_defined", entity: "skill", entityId: code, newValue: { code, name }, occurredAt: now });
    return row;
  });
}

export type RecordQualificationCommand = {
  userId: string;
  skillCode: string;
  /** first day the qualification is valid (site's calendar) */
  qualifiedOn: string;
  /** last day it is valid (null: no expiry) */
  validThrough: string | null;
  reason: string;
};

/**
 * Record (grant or renew) an operator's qualification in a skill, valid from `qualifiedOn` through `validThrough`
 * (whole days in the site's time zone); a withdrawn qualification is granted again. Audited with old and new value.
 */
export async function recordQualification(db: Db, actor: Actor, cmd: RecordQualificationCommand, now: Date) {
  requireMaintainer(actor);
  const from = validDay(cmd.qualifiedOn, "qualifiedOn");
  const through = cmd.validThrough === null ? null : validDay(cmd.validThrough, "validThrough");
  if (through !== null && through < from) throw new DomainError("VALIDATION_FAILED", "The qualification cannot end before it starts.", { field: "validThrough" });
  if (cmd.reason.trim().length < 5) throw new DomainError("VALIDATION_FAILED", "Give a reason (certificate, training record): it goes into the audit trail.", { field: "reason" });
  return db.transaction(async (tx) => {
    const [skill, person] = [await repo.skillByCode(tx, actor.siteId, cmd.skillCode.trim().toUpperCase()), await repo.memberOfSite(tx, actor.siteId, cmd.userId)];
    if (!skill) throw new DomainError("NOT_FOUND", `Skill ${cmd.skillCode} is not defined at ${actor.siteName}.`, { field: "skillCode" });
    if (!person) throw new DomainError("NOT_FOUND", "That person does not work at this site.", { field: "userId" });
    const old = await repo.lockQualification(tx, actor.siteId, person.id, skill.id);
    const qualifiedAt = startOfLocalDay(from, actor.timeZone);
    const expiresAt = through === null ? null : startOfLocalDay(nextDay(through), actor.timeZone);
    await repo.saveQualification(tx, { siteId: actor.siteId, userId: person.id, skillId: skill.id, qualifiedAt, expiresAt, revokedAt: null, updatedBy: actor.userId, updatedAt: now });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: old ? "qualification_renewed" : "qualification_granted",
      entity: "operator_qualification",
      entityId: `${person.displayName}/${skill.code}`,
      oldValue: old ? { qualifiedAt: old.qualifiedAt, expiresAt: old.expiresAt, revokedAt: old.revokedAt } : null,
      newValue: { operator: person.displayName, skill: skill.code, qualifiedAt, expiresAt },
      reason: cmd.reason.trim(),
      occurredAt: now,
    });
    return { operator: person.displayName, skill: skill.code, qualifiedOn: from, validThrough: through, expiresAt };
  });
}

/** Withdraw an operator's qualification now (with a reason): the station refuses their work at operations needing it. */
export async function revokeQualification(db: Db, actor: Actor, cmd: { userId: string; skillCode: string; reason: string }, now: Date) {
  requireMaintainer(actor);
  if (cmd.reason.trim().length < 5) throw new DomainError("VALIDATION_FAILED", "Give a reason: it goes into the audit trail.", { field: "reason" });
  return db.transaction(async (tx) => {
    const skill = await repo.skillByCode(tx, actor.siteId, cmd.skillCode.trim().toUpperCase());
    const person = await repo.memberOfSite(tx, actor.siteId, cmd.userId);
    const old = skill && person ? await repo.lockQualification(tx, actor.siteId, person.id, skill.id) : null;
    if (!skill || !person || !old) throw new DomainError("NOT_FOUND", "That qualification does not exist at this site.", {});
    if (old.revokedAt) throw new DomainError("VALIDATION_FAILED", `It was withdrawn on ${localDate(old.revokedAt, actor.timeZone)} already.`, {});
    await repo.saveQualification(tx, { siteId: actor.siteId, userId: person.id, skillId: skill.id, qualifiedAt: old.qualifiedAt, expiresAt: old.expiresAt, revokedAt: now, updatedBy: actor.userId, updatedAt: now });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "qualification_withdrawn",
      entity: "operator_qualification",
      entityId: `${person.displayName}/${skill.code}`,
      oldValue: { revokedAt: null },
      newValue: { revokedAt: now },
      reason: cmd.reason.trim(),
      occurredAt: now,
    });
    return { operator: person.displayName, skill: skill.code };
  });
}
