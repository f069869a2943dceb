import "server-only";
import type { DbOrTx } from "@/db/client";
import * as repo from "@/server/repos/ownership";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";

export type SourceKind = "manufacturer" | "supplier";

/**
 * Mark a manufacturer or supplier an authorised source or not (counterfeit prevention). Allowed only when the
 * ownership registry gives `<kind>.authorised_source` to Traceline (refused naming the owner otherwise: ERP's messages
 * then carry it), to a quality engineer; audited with the reason. From the commit on, material of a source marked not
 * authorised is refused at kitting, stock moves and the station (server/domain/material-eligibility).
 */
export async function setSourceAuthorisation(
  db: DbOrTx,
  actor: Pick<Actor, "userId" | "displayName" | "roles">,
  cmd: { kind: SourceKind; code: string; authorised: boolean; reason: string },
  now: Date,
) {
  if (!actor.roles.includes("quality_engineer")) throw new DomainError("FORBIDDEN", "Only a quality engineer decides which sources are authorised.");
  const reason = cmd.reason.trim();
  if (reason.length < 5) throw new DomainError("VALIDATION_FAILED", "Give a reason: it goes into the audit trail.", { field: "reason" });
  if (reason.length > 1000) throw new DomainError("VALIDATION_FAILED", "The reason is at most 1000 characters.", { field: "reason" });
  const attribute = `${cmd.kind}.authorised_source`;
  return db.transaction(async (tx) => {
    const owner = await repo.lockOwnershipRow(tx, cmd.kind, "authorised_source");
    if (!owner || owner.owner !== "traceline") {
      throw new DomainError(
        "OWNED_BY_OTHER_SYSTEM",
        owner ? `${attribute} is owned by ERP: change it in ERP, it reaches Traceline through the interface.` : `${attribute} is not in the ownership registry.`,
        { owner: owner?.owner ?? null, attribute },
      );
    }
    const source = await repo.lockSource(tx, cmd.kind, cmd.code.trim());
    if (!source) throw new DomainError("NOT_FOUND", `${cmd.kind === "manufacturer" ? "Manufacturer" : "Supplier"} ${cmd.code.trim()} does not exist.`, { field: "code" });
    if (source.authorisedSource !== cmd.authorised) await repo.setSourceAuthorised(tx, cmd.kind, source.id, cmd.authorised);
    await writeAudit(tx, {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "source_authorisation_set",
      entity: cmd.kind,
      entityId: source.code,
      oldValue: { authorisedSource: source.authorisedSource },
      newValue: { authorisedSource: cmd.authorised },
      reason,
      occurredAt: now,
    });
    return { kind: cmd.kind, code: source.code, name: source.name, authorised: cmd.authorised };
  });
}

/** The sources with their flags, and who owns the flag (a Traceline-owned flag is edited on the screen; an ERP-owned one is read-only). */
export async function sourcesView(db: DbOrTx) {
  const [sources, m, s] = await Promise.all([repo.listSources(db), repo.ownershipRow(db, "manufacturer", "authorised_source"), repo.ownershipRow(db, "supplier", "authorised_source")]);
  return { ...sources, owners: { manufacturer: m?.owner ?? null, supplier: s?.owner ?? null } };
}
