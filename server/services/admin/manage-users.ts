import "server-only";
import type { DbOrTx } from "@/db/client";
import { ROLES, type Actor, type Role } from "@/server/auth/types";
import { hashSecret } from "@/server/auth/passwords";
import { DomainError } from "@/server/domain/shared/errors";
import { pinProblem, requiredPinLengthFrom } from "@/server/domain/auth/pin-policy";
import { passwordProblem } from "@/server/domain/auth/password-policy";
import { planBadgeImport, type BadgeImportProblem } from "@/server/domain/admin/badge-import";
import { writeAudit } from "@/server/repos/audit";
import { hasRoleAtSite, lockUserForUpdate } from "@/server/repos/auth-users";
import { insertUser, replaceRolesAtSite, resetUserSecret, rolesAtSite, setSiteHoldReleaseRule, takenBadges } from "@/server/repos/admin-users";
import { idempotent } from "@/server/services/shared/idempotent";
import { reauthenticateSigner, writeSignature, type SignatureMethod, type SigningContext } from "@/server/services/quality/sign-record";

/*
 * User administration at the administrator's active site: create users (with their first password and/or badge PIN,
 * which they must change at their first sign-in), assign their roles at this site, reset a password or PIN (signed by the
 * administrator, the user's sessions end, they must choose a new one at the next sign-in), import badges from CSV (all
 * rows or none), and the site's two-person rule for hold release. Every change is audited without any secret.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What only an administrator may do, and its English words (refusals.messages.adminOnly words it in other languages). */
const ADMIN_ACTIONS = {
  createUsers: "create users",
  assignRoles: "assign roles",
  resetSecrets: "reset passwords and PINs",
  importBadges: "import badges",
  changeHoldRule: "change the hold release rule",
} as const;

function requireAdmin(actor: Actor, action: keyof typeof ADMIN_ACTIONS): void {
  const site = actor.siteName;
  if (!actor.roles.includes("admin")) throw new DomainError("FORBIDDEN", `Only an administrator of ${site} can ${ADMIN_ACTIONS[action]}.`, {}, { key: "adminOnly", values: { site, action } });
}

/** "No such user at this site.": the user id is not one of a user with a role here. */
const noSuchUser = (userId: string) => new DomainError("NOT_FOUND", "No such user at this site.", { userId }, { key: "noSuchUser" });

function cleanRoles(roles: readonly string[]): Role[] {
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length > 0) throw new DomainError("VALIDATION_FAILED", `Unknown role: ${bad.join(", ")}.`, { field: "roles" }, { key: "unknownRole", values: { roles: bad.join(", ") } });
  const clean = ROLES.filter((r) => roles.includes(r));
  // the enterprise role (genealogy and holds across every site where the user holds it) goes to named quality
  // engineers and supervisors only
  if (clean.includes("enterprise") && !clean.includes("quality_engineer") && !clean.includes("supervisor")) {
    throw new DomainError("VALIDATION_FAILED", "The enterprise role goes with the quality engineer or supervisor role at the same site.", { field: "roles" }, { key: "enterpriseRoleAlone" });
  }
  return clean;
}

export type CreateUserCommand = {
  requestId: string;
  displayName: string;
  username?: string | null;
  password?: string | null;
  badgeId?: string | null;
  pin?: string | null;
  roles: string[];
};

/**
 * Create a user with roles at the active site. An office user has a user name and a first password, a floor user a
 * badge and a first PIN (or both); the user must change them at their first sign-in. Audited without the secrets.
 */
export async function createUser(db: DbOrTx, actor: Actor, cmd: CreateUserCommand, now: Date, requiredPinLength = requiredPinLengthFrom(process.env)) {
  requireAdmin(actor, "createUsers");
  const displayName = cmd.displayName.trim();
  if (!displayName || displayName.length > 100) throw new DomainError("VALIDATION_FAILED", "Enter the person's name (at most 100 characters).", { field: "displayName" }, { key: "userDisplayName" });
  const username = cmd.username?.trim() || null;
  const badgeId = cmd.badgeId?.trim() || null;
  if (!username && !badgeId) throw new DomainError("VALIDATION_FAILED", "Give a user name (office) or a badge (floor), or both.", { field: "username" }, { key: "userNameOrBadge" });
  if (username && !/^[A-Za-z0-9._@-]{2,64}$/.test(username)) {
    throw new DomainError("VALIDATION_FAILED", "A user name is 2 to 64 letters, digits and . _ @ - (no spaces).", { field: "username" }, { key: "userNameFormat" });
  }
  if (username) {
    const why = passwordProblem(cmd.password ?? "", username);
    if (why) throw new DomainError("VALIDATION_FAILED", `First password: ${why}`, { field: "password" }, { key: "firstPassword", values: { why } });
  }
  if (badgeId) {
    if (badgeId.length > 64 || !/^[\x21-\x7e]+$/.test(badgeId)) throw new DomainError("VALIDATION_FAILED", "Scan the badge: its id is 1 to 64 printable characters, no spaces.", { field: "badgeId" }, { key: "badgeFormat" });
    const why = pinProblem(cmd.pin ?? "", requiredPinLength);
    if (why) throw new DomainError("VALIDATION_FAILED", `First PIN: ${why}`, { field: "pin" }, { key: "firstPin", values: { why } });
  }
  const roles = cleanRoles(cmd.roles);
  if (roles.length === 0) throw new DomainError("VALIDATION_FAILED", `Give at least one role at ${actor.siteName}.`, { field: "roles" }, { key: "atLeastOneRole", values: { site: actor.siteName } });
  const passwordHash = username ? await hashSecret(cmd.password!) : null;
  const pinHash = badgeId ? await hashSecret(cmd.pin!) : null;
  return db.transaction((tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "admin.createUser", payload: { displayName, username, badgeId, roles }, now },
      async () => {
        const made = await insertUser(tx, { displayName, username, passwordHash, badgeId, pinHash, mustChangePassword: username !== null, mustChangePin: badgeId !== null });
        if (made === "username_taken") throw new DomainError("VALIDATION_FAILED", `The user name ${username} is already taken.`, { field: "username" }, { key: "userNameTaken", values: { username: username ?? "" } });
        if (made === "badge_taken") throw new DomainError("VALIDATION_FAILED", "That badge is already given to someone else.", { field: "badgeId" }, { key: "badgeTaken" });
        await replaceRolesAtSite(tx, made.id, actor.siteId, roles);
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: "create_user",
          entity: "user",
          entityId: made.id,
          newValue: { displayName, username, badgeId, roles, site: actor.siteCode, mustChangeAtFirstSignIn: true },
          requestId: cmd.requestId,
          occurredAt: now,
        });
        return { userId: made.id, displayName };
      },
    ),
  );
}

/** Replace a user's roles at the active site (the user must already work there). An administrator cannot drop their own admin role. */
export async function setUserRoles(db: DbOrTx, actor: Actor, input: { userId: string; roles: string[]; reason: string }, now: Date) {
  requireAdmin(actor, "assignRoles");
  if (!UUID.test(input.userId)) throw noSuchUser(input.userId);
  const roles = cleanRoles(input.roles);
  const reason = input.reason.trim();
  if (!reason) throw new DomainError("VALIDATION_FAILED", "Say why the roles change.", { field: "reason" }, { key: "rolesReason" });
  if (input.userId === actor.userId && !roles.includes("admin")) {
    throw new DomainError("VALIDATION_FAILED", "You cannot take away your own administrator role: ask another administrator.", { field: "roles" }, { key: "ownAdminRole" });
  }
  return db.transaction(async (tx) => {
    const user = await lockUserForUpdate(tx, input.userId);
    if (!user || !(await hasRoleAtSite(tx, input.userId, actor.siteId))) throw noSuchUser(input.userId);
    const before = await rolesAtSite(tx, input.userId, actor.siteId);
    await replaceRolesAtSite(tx, input.userId, actor.siteId, roles);
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "set_roles",
      entity: "user",
      entityId: input.userId,
      oldValue: { roles: before, site: actor.siteCode },
      newValue: { roles, site: actor.siteCode },
      reason,
      occurredAt: now,
    });
    return { userId: input.userId, roles };
  });
}

export type ResetSecretCommand = {
  requestId: string;
  userId: string;
  kind: "password" | "pin";
  /** the temporary password or PIN the administrator hands over; the user must change it at the next sign-in */
  temporary: string;
  reason: string;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

/**
 * Reset a user's password or PIN, signed by the administrator (re-authentication, meaning "responsibility", bound to
 * the record of the reset: whose, which, why, when; never the secret). The user's sessions end and they must choose a
 * new one at their next sign-in. Audited.
 */
export async function resetSecret(db: DbOrTx, actor: Actor, cmd: ResetSecretCommand, ctx: SigningContext, requiredPinLength = requiredPinLengthFrom(process.env)) {
  requireAdmin(actor, "resetSecrets");
  if (!UUID.test(cmd.userId)) throw noSuchUser(cmd.userId);
  const reason = cmd.reason.trim();
  if (!reason) throw new DomainError("VALIDATION_FAILED", "Say why the reset is needed.", { field: "reason" }, { key: "resetReason" });
  if (cmd.signature.meaning !== "responsibility") {
    throw new DomainError("VALIDATION_FAILED", 'A reset is signed with the meaning "responsibility".', { meaning: cmd.signature.meaning }, { key: "resetMeaning" });
  }
  if (cmd.userId === actor.userId) throw new DomainError("VALIDATION_FAILED", "Change your own password or PIN at sign-in, or ask another administrator to reset it.", { field: "userId" }, { key: "resetOwn" });
  const target = await db.transaction(async (tx) => {
    const user = await lockUserForUpdate(tx, cmd.userId);
    if (!user || !(await hasRoleAtSite(tx, cmd.userId, actor.siteId))) throw noSuchUser(cmd.userId);
    return user;
  });
  const why =
    cmd.kind === "password" ? passwordProblem(cmd.temporary, null) : pinProblem(cmd.temporary, requiredPinLength);
  if (why) throw new DomainError("VALIDATION_FAILED", `Temporary ${cmd.kind === "password" ? "password" : "PIN"}: ${why}`, { field: "temporary" }, { key: "temporarySecret", values: { kind: cmd.kind, why } });
  if (cmd.kind === "pin" && target.pinHash === null) throw new DomainError("VALIDATION_FAILED", `${target.displayName} has no badge: set up a badge instead.`, { field: "kind" }, { key: "noBadgeToReset", values: { name: target.displayName } });
  if (cmd.kind === "password" && target.passwordHash === null) throw new DomainError("VALIDATION_FAILED", `${target.displayName} has no office sign-in to reset.`, { field: "kind" }, { key: "noOfficeSignIn", values: { name: target.displayName } });
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "responsibility" }, { recordType: "credential_reset", recordId: cmd.userId }, ctx);
  const hash = await hashSecret(cmd.temporary);
  const now = ctx.now;
  return db.transaction((tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "admin.resetSecret", payload: { userId: cmd.userId, kind: cmd.kind, reason }, now },
      async () => {
        const updated = await resetUserSecret(tx, cmd.userId, cmd.kind, hash);
        if (!updated) throw noSuchUser(cmd.userId);
        const record = { recordType: "credential_reset", userId: cmd.userId, kind: cmd.kind, reason, resetBy: actor.userId, resetAt: now, siteId: actor.siteId };
        const signature = await writeSignature(tx, actor, signer, { recordType: "credential_reset", recordId: cmd.userId, content: record }, now);
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: cmd.kind === "password" ? "reset_password" : "reset_pin",
          entity: "user",
          entityId: cmd.userId,
          oldValue: { sessionVersion: target.sessionVersion },
          newValue: { sessionVersion: updated.sessionVersion, mustChangeAtNextSignIn: true, signatureId: signature.id },
          reason,
          requestId: cmd.requestId,
          occurredAt: now,
        });
        return { userId: cmd.userId, kind: cmd.kind, signatureId: signature.id };
      },
    ),
  );
}

export type BadgeImportOutcome = { created: { line: number; userId: string; displayName: string; badgeId: string }[] };

/**
 * Import floor users from CSV (display_name, badge_id, pin, roles): every row is validated first (format, PIN policy,
 * roles, badges twice in the file or already given to someone); any problem refuses the whole file with the list of
 * problems by line (VALIDATION_FAILED, details.problems) and nothing is written. Otherwise one user per row with its
 * roles at the active site, each to change their PIN at first sign-in, audited, in one transaction.
 */
export async function importBadges(db: DbOrTx, actor: Actor, input: { requestId: string; csv: string }, now: Date, requiredPinLength = requiredPinLengthFrom(process.env)): Promise<BadgeImportOutcome> {
  requireAdmin(actor, "importBadges");
  const plan = planBadgeImport(input.csv, { requiredPinLength, allowedRoles: ROLES.filter((r) => r !== "enterprise") });
  const problems: BadgeImportProblem[] = [...plan.problems];
  if (problems.length === 0) {
    const taken = await takenBadges(db, plan.rows.map((r) => r.badgeId));
    for (const t of taken) {
      const row = plan.rows.find((r) => r.badgeId === t.badgeId)!;
      problems.push({ line: row.line, column: "badge_id", message: `Badge ${t.badgeId} is already given to ${t.displayName}.` });
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    throw new DomainError("VALIDATION_FAILED", `The file was not imported: ${problems.length} problem${problems.length === 1 ? "" : "s"} to correct (nothing was written).`, { problems }, { key: "badgeImportRefused", values: { count: problems.length } });
  }
  const hashes: string[] = [];
  for (const r of plan.rows) hashes.push(await hashSecret(r.pin));
  return db.transaction((tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: input.requestId, command: "admin.importBadges", payload: { rows: plan.rows.map((r) => ({ ...r, pin: undefined })) }, now },
      async (): Promise<BadgeImportOutcome> => {
        const created: BadgeImportOutcome["created"] = [];
        for (const [i, r] of plan.rows.entries()) {
          const made = await insertUser(tx, { displayName: r.displayName, username: null, passwordHash: null, badgeId: r.badgeId, pinHash: hashes[i]!, mustChangePassword: false, mustChangePin: true });
          if (made === "badge_taken" || made === "username_taken") {
            throw new DomainError("VALIDATION_FAILED", `The file was not imported: badge ${r.badgeId} (line ${r.line}) was just given to someone else (nothing was written).`, {
              problems: [{ line: r.line, column: "badge_id", message: `Badge ${r.badgeId} is already given to someone else.` }],
            }, { key: "badgeJustTaken", values: { badge: r.badgeId, line: r.line } });
          }
          await replaceRolesAtSite(tx, made.id, actor.siteId, r.roles as Role[]);
          await writeAudit(tx, {
            siteId: actor.siteId,
            actorUserId: actor.userId,
            actorName: actor.displayName,
            action: "import_badge",
            entity: "user",
            entityId: made.id,
            newValue: { displayName: r.displayName, badgeId: r.badgeId, roles: r.roles, site: actor.siteCode, line: r.line, mustChangeAtFirstSignIn: true },
            requestId: input.requestId,
            occurredAt: now,
          });
          created.push({ line: r.line, userId: made.id, displayName: r.displayName, badgeId: r.badgeId });
        }
        return { created };
      },
    ),
  );
}

/** Turn the two-person rule for hold release on or off at the active site (audited, with the reason). */
export async function setHoldReleaseRule(db: DbOrTx, actor: Actor, input: { twoPerson: boolean; reason: string }, now: Date) {
  requireAdmin(actor, "changeHoldRule");
  const reason = input.reason.trim();
  if (!reason) throw new DomainError("VALIDATION_FAILED", "Say why the rule changes.", { field: "reason" }, { key: "holdRuleReason" });
  return db.transaction(async (tx) => {
    const r = await setSiteHoldReleaseRule(tx, actor.siteId, input.twoPerson);
    if (!r) throw new DomainError("NOT_FOUND", "This site does not exist.", {}, { key: "siteMissing" });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "set_hold_release_rule",
      entity: "site",
      entityId: actor.siteId,
      oldValue: { twoPersonHoldRelease: r.before },
      newValue: { twoPersonHoldRelease: input.twoPerson },
      reason,
      occurredAt: now,
    });
    return { twoPerson: input.twoPerson };
  });
}
