import "server-only";
import type { DbOrTx } from "@/db/client";
import { writeAudit } from "@/server/repos/audit";
import { hasRoleAtSite, lockUserForUpdate, setUserBadge } from "@/server/repos/auth-users";
import { DomainError } from "@/server/domain/shared/errors";
import { pinProblem, requiredPinLengthFrom } from "@/server/domain/auth/pin-policy";
import { hashSecret } from "./passwords";
import type { Actor } from "./types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Set up a user's badge and PIN: an administrator of the active site, for a user with a role there. The PIN must meet
 * the plant's policy (digits only, at least TRACELINE_PIN_LENGTH digits, 4 by default); it is stored as an argon2id
 * hash only. The user's sessions end (credentials changed); audited without the PIN.
 */
export async function setBadgePin(
  db: DbOrTx,
  actor: Actor,
  input: { userId: string; badgeId: string; pin: string },
  now: Date,
  requiredLength: number = requiredPinLengthFrom(process.env),
): Promise<{ sessionVersion: number }> {
  if (!actor.roles.includes("admin")) throw new DomainError("FORBIDDEN", "Only an administrator can set up a badge.", {}, { key: "adminOnlyBadge" });
  const badgeId = input.badgeId.trim();
  if (!badgeId || badgeId.length > 64 || !/^[\x21-\x7e]+$/.test(badgeId)) {
    throw new DomainError("VALIDATION_FAILED", "Scan the badge: its id is 1 to 64 printable characters, no spaces.", { field: "badgeId" }, { key: "badgeFormat" });
  }
  const problem = pinProblem(input.pin, requiredLength);
  if (problem) throw new DomainError("VALIDATION_FAILED", problem, { field: "pin", requiredLength }, { key: "secretRule", values: { why: problem } });
  if (!UUID.test(input.userId)) throw new DomainError("NOT_FOUND", "No such user at this site.", { userId: input.userId }, { key: "noSuchUser" });
  const pinHash = await hashSecret(input.pin);
  return db.transaction(async (tx) => {
    const user = await lockUserForUpdate(tx, input.userId);
    if (!user || !(await hasRoleAtSite(tx, input.userId, actor.siteId))) throw new DomainError("NOT_FOUND", "No such user at this site.", { userId: input.userId }, { key: "noSuchUser" });
    const updated = await setUserBadge(tx, input.userId, badgeId, pinHash);
    if (updated === "badge_taken") throw new DomainError("VALIDATION_FAILED", "That badge is already given to someone else.", { field: "badgeId" }, { key: "badgeTaken" });
    if (!updated) throw new DomainError("NOT_FOUND", "No such user at this site.", { userId: input.userId }, { key: "noSuchUser" });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "set_badge_pin",
      entity: "user",
      entityId: input.userId,
      oldValue: { sessionVersion: user.sessionVersion, hadPin: user.pinHash !== null },
      newValue: { badgeId, sessionVersion: updated.sessionVersion, pinLength: input.pin.length },
      occurredAt: now,
    });
    return updated;
  });
}
