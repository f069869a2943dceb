import { randomUUID } from "node:crypto";
import type { DbOrTx } from "../client";
import { userSiteRoles, users } from "../schema";
import type { Actor, Role } from "@/server/auth/types";
import { hashSecret } from "@/server/auth/passwords";
import { actorFor } from "./actors";

/** The password of every user signingActor creates (signatures re-authenticate with it). */
export const SIGNING_PASSWORD = "correct horse battery staple";
let hashed: Promise<string> | null = null;

/** A new user of the site with these roles and a real password (SIGNING_PASSWORD), as the Actor they would be signed in. */
export async function signingActor(db: DbOrTx, siteId: string, roles: Role[], displayName: string): Promise<Actor> {
  hashed ??= hashSecret(SIGNING_PASSWORD);
  const username = `s-${randomUUID().slice(0, 8)}`;
  const [u] = await db.insert(users).values({ username, displayName, passwordHash: await hashed }).returning({ id: users.id });
  await db.insert(userSiteRoles).values(roles.map((role) => ({ userId: u!.id, siteId, role })));
  return actorFor(db, username);
}

/** The re-authentication of a signature with SIGNING_PASSWORD (or another secret). */
export const signWith = (meaning: "approval" | "review" = "approval", secret = SIGNING_PASSWORD) => ({ method: "password" as const, secret, meaning });
