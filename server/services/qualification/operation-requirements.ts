import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { writeAudit } from "@/server/repos/audit";
import { lockOwnershipRow } from "@/server/repos/ownership";
import { setRoutingOperationRequirements, routingOperationOf, skillsOfSite } from "@/server/repos/qualifications";
import { QUALIFICATION_ROLES } from "./qualifications";

/**
 * Set the skills and tool classes a routing operation requires, where the ownership registry gives them to Traceline
 * (`routing.required_skills`, `routing.required_tool_classes`; refused naming the owner otherwise). Every skill must be
 * defined at the site. Orders released from now on freeze the new values; released orders keep theirs. Audited.
 */
export async function setOperationRequirements(
  db: Db,
  actor: Actor,
  cmd: { routingCode: string; seq: number; requiredSkills: string[]; requiredToolClasses: string[]; reason: string },
  now: Date,
) {
  if (!actor.roles.some((r) => (QUALIFICATION_ROLES as readonly string[]).includes(r))) throw new DomainError("FORBIDDEN", "Only a supervisor or quality engineer sets what an operation requires.", {});
  if (cmd.reason.trim().length < 5) throw new DomainError("VALIDATION_FAILED", "Give a reason: it goes into the audit trail.", { field: "reason" });
  const skills = [...new Set(cmd.requiredSkills.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  const classes = [...new Set(cmd.requiredToolClasses.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  return db.transaction(async (tx) => {
    const op = await routingOperationOf(tx, actor.siteId, cmd.routingCode.trim(), cmd.seq);
    if (!op) throw new DomainError("NOT_FOUND", `Routing ${cmd.routingCode} has no operation ${cmd.seq} at ${actor.siteName}.`, {});
    const changed = { skills: skills.join() !== op.requiredSkills.join(), classes: classes.join() !== op.requiredToolClasses.join() };
    for (const [attr, isChanged] of [["required_skills", changed.skills], ["required_tool_classes", changed.classes]] as const) {
      if (!isChanged) continue;
      const owner = await lockOwnershipRow(tx, "routing", attr);
      if (owner?.owner !== "traceline") {
        throw new DomainError("OWNED_BY_OTHER_SYSTEM", `routing.${attr} is owned by ${owner ? "ERP" : "nobody (not in the registry)"}: ${owner ? "it comes with ERP's routing" : "add it to the registry"}.`, { attribute: `routing.${attr}` });
      }
    }
    if (skills.length > 0) {
      const known = await skillsOfSite(tx, actor.siteId);
      const unknown = skills.filter((c) => !known.some((k) => k.code === c));
      if (unknown.length > 0) throw new DomainError("VALIDATION_FAILED", `Skill ${unknown.join(", ")} is not defined at ${actor.siteName}: define it first.`, { field: "requiredSkills" });
    }
    await setRoutingOperationRequirements(tx, actor.siteId, op.id, { requiredSkills: skills, requiredToolClasses: classes });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "operation_requirements_set",
      entity: "routing_operation",
      entityId: `${cmd.routingCode}/${cmd.seq}`,
      oldValue: { requiredSkills: op.requiredSkills, requiredToolClasses: op.requiredToolClasses },
      newValue: { requiredSkills: skills, requiredToolClasses: classes },
      reason: cmd.reason.trim(),
      occurredAt: now,
    });
    return { routingCode: cmd.routingCode, seq: cmd.seq, requiredSkills: skills, requiredToolClasses: classes };
  });
}
