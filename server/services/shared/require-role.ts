import "server-only";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";

/** Refuse (FORBIDDEN) unless the actor holds one of the roles at the active site. */
export function requireRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!actor.roles.some((r) => roles.includes(r))) {
    throw new DomainError("FORBIDDEN", `You are not allowed to ${what} at ${actor.siteName}: it takes the ${roles.join(" or ")} role.`, { roles });
  }
}
