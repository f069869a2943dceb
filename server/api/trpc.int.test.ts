import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import type { Db, DbOrTx } from "@/db/client";
import { appRouter } from "@/server/api/root";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import { resolveActor } from "@/server/auth/actor";
import { signInWithBadge } from "@/server/auth/sign-in";
import type { Actor, Role } from "@/server/auth/types";
import { createSite, createUser, unique } from "@/server/auth/testing/users";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(appRouter);
const NOW = new Date("2026-03-02T14:00:00Z");

function callerFor(db: Db, actor: Actor | null) {
  const ctx: Context = { db, actor, clientKey: "test-client", now: () => NOW };
  return createCaller(ctx);
}

async function personWith(db: DbOrTx, role: Role) {
  const site = await createSite(db);
  const creds = { badgeId: unique("B"), pin: "1357" };
  const user = await createUser(db, { displayName: `A ${role}`, ...creds, roles: [{ siteId: site.id, role }] });
  const actor = await resolveActor(db, { userId: user.id, sessionVersion: 1, activeSiteId: site.id });
  if (!actor) throw new Error("actor did not resolve");
  return { site, user, creds, actor };
}

async function trpcError(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error("expected the call to be refused");
}

describe("tRPC access control", () => {
  it("refuses every session procedure to someone not signed in (UNAUTHORIZED)", async () => {
    const caller = callerFor(t.db, null);
    for (const call of [caller.session.me(), caller.session.auditTrail(), caller.session.switchSite({ siteId: crypto.randomUUID() })]) {
      const error = await trpcError(call);
      expect(error.code).toBe("UNAUTHORIZED");
      expect(error.message).toBe("Please sign in again.");
    }
  });

  it("answers session.me with the actor at the active site, for any role", async () => {
    await inRollback(t.db, async (tx) => {
      const { actor, site } = await personWith(tx, "operator");
      const me = await callerFor(tx, actor).session.me();
      expect(me).toEqual(actor);
      expect(me.siteId).toBe(site.id);
      expect(me.roles).toEqual(["operator"]);
    });
  });

  it("refuses a supervisors-and-admins procedure to an operator (FORBIDDEN)", async () => {
    await inRollback(t.db, async (tx) => {
      const { actor } = await personWith(tx, "operator");
      const error = await trpcError(callerFor(tx, actor).session.auditTrail());
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toBe("Your role at this site does not allow that.");
    });
  });

  it("shows a supervisor their own recent sign-in events, newest first, and no one else's", async () => {
    await inRollback(t.db, async (tx) => {
      const { actor, creds } = await personWith(tx, "supervisor");
      const other = await personWith(tx, "supervisor");
      await expect(signInWithBadge(tx, { ...creds, pin: "0000" }, { clientKey: "c1", now: NOW })).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      await signInWithBadge(tx, creds, { clientKey: "c1", now: new Date(NOW.getTime() + 60_000) });
      await signInWithBadge(tx, other.creds, { clientKey: "c2", now: NOW });

      const trail = await callerFor(tx, actor).session.auditTrail({ limit: 10 });
      expect(trail.map((r) => r.action)).toEqual(["sign_in", "sign_in_failed"]);
      expect(trail[1]).toMatchObject({ reason: "wrong PIN", details: { method: "badge", clientKey: "c1" } });
      expect((await callerFor(tx, actor).session.auditTrail({ limit: 1 })).map((r) => r.action)).toEqual(["sign_in"]);
    });
  });

  it("refuses to switch to a site where the user has no role, as if it did not exist (NOT_FOUND)", async () => {
    await inRollback(t.db, async (tx) => {
      const { actor } = await personWith(tx, "admin");
      const elsewhere = await createSite(tx);
      const error = await trpcError(callerFor(tx, actor).session.switchSite({ siteId: elsewhere.id }));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe("You have no role at that site.");
    });
  });

  it("refuses malformed input with BAD_REQUEST before doing anything", async () => {
    await inRollback(t.db, async (tx) => {
      const { actor } = await personWith(tx, "admin");
      const error = await trpcError(callerFor(tx, actor).session.switchSite({ siteId: "site-1" }));
      expect(error.code).toBe("BAD_REQUEST");
    });
  });
});
