import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { disableUser, resolveActor, resolveSessionActor, withActiveSite } from "./actor";
import { signOutSession } from "./sessions";
import { findSession } from "@/server/repos/user-sessions";
import { signInWithBadge } from "./sign-in";
import type { Actor } from "./types";
import { auditRowsFor, createSite, createUser, unique } from "./testing/users";

const t = useTestDatabase("demo");
const NOW = new Date("2026-03-02T14:00:00Z");

/** Two sites (codes sort A before B), a third the user has no role at, and a user with different roles at A and B. */
async function setup(db: DbOrTx) {
  const tag = unique("").toUpperCase();
  const siteA = await createSite(db, `A${tag}`);
  const siteB = await createSite(db, `B${tag}`);
  const siteC = await createSite(db, `C${tag}`);
  const creds = { badgeId: unique("B"), pin: "2468" };
  const user = await createUser(db, {
    displayName: "Ken Ito",
    ...creds,
    roles: [
      { siteId: siteA.id, role: "operator" },
      { siteId: siteB.id, role: "admin" },
      { siteId: siteB.id, role: "supervisor" },
    ],
  });
  return { siteA, siteB, siteC, user, creds };
}

async function adminAt(db: DbOrTx, siteId: string): Promise<Actor> {
  const admin = await createUser(db, { displayName: "Ada Admin", username: unique("admin"), password: "admin pass 1", roles: [{ siteId, role: "admin" }] });
  const actor = await resolveActor(db, { userId: admin.id, sessionVersion: 1, activeSiteId: siteId });
  if (!actor) throw new Error("admin actor did not resolve");
  return actor;
}

describe("resolveActor", () => {
  it("returns the roles of the active site only, with every site the user may switch to", async () => {
    await inRollback(t.db, async (tx) => {
      const { siteA, siteB, user } = await setup(tx);
      const atB = await resolveActor(tx, { userId: user.id, sessionVersion: 1, activeSiteId: siteB.id });
      expect(atB).toMatchObject({ userId: user.id, displayName: "Ken Ito", siteId: siteB.id, siteCode: siteB.code, timeZone: "America/Chicago" });
      expect(atB!.roles).toEqual(["supervisor", "admin"]);
      expect(atB!.sites.map((s) => [s.id, s.roles])).toEqual([
        [siteA.id, ["operator"]],
        [siteB.id, ["supervisor", "admin"]],
      ]);
      const atA = await resolveActor(tx, { userId: user.id, sessionVersion: 1, activeSiteId: siteA.id });
      expect(atA!.roles).toEqual(["operator"]);
    });
  });

  it("falls back to the first site (by code) when the token names none", async () => {
    await inRollback(t.db, async (tx) => {
      const { siteA, user } = await setup(tx);
      const actor = await resolveActor(tx, { userId: user.id, sessionVersion: 1, activeSiteId: null });
      expect(actor!.siteId).toBe(siteA.id);
      expect(actor!.roles).toEqual(["operator"]);
    });
  });

  it("never makes usable a site the user has no role at: it falls back to one they have", async () => {
    await inRollback(t.db, async (tx) => {
      const { siteA, siteC, user } = await setup(tx);
      const actor = await resolveActor(tx, { userId: user.id, sessionVersion: 1, activeSiteId: siteC.id });
      expect(actor!.siteId).toBe(siteA.id);
      expect(actor!.sites.map((s) => s.id)).not.toContain(siteC.id);
      expect(() => withActiveSite(actor!, siteC.id)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
      expect(withActiveSite(actor!, actor!.sites[1]!.id).roles).toEqual(["supervisor", "admin"]);
    });
  });

  it("is null for an unknown user, a malformed id, or a user without any role", async () => {
    await inRollback(t.db, async (tx) => {
      expect(await resolveActor(tx, { userId: randomUUID(), sessionVersion: 1, activeSiteId: null })).toBeNull();
      expect(await resolveActor(tx, { userId: "not-a-uuid", sessionVersion: 1, activeSiteId: null })).toBeNull();
      const loner = await createUser(tx, { badgeId: unique("B"), pin: "1" });
      expect(await resolveActor(tx, { userId: loner.id, sessionVersion: 1, activeSiteId: null })).toBeNull();
    });
  });

  it("is null once session_version moved on (credentials changed): older sessions end, newer ones work", async () => {
    await inRollback(t.db, async (tx) => {
      const { siteA, user } = await setup(tx);
      await tx.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, user.id));
      expect(await resolveActor(tx, { userId: user.id, sessionVersion: 1, activeSiteId: siteA.id })).toBeNull();
      expect(await resolveActor(tx, { userId: user.id, sessionVersion: 2, activeSiteId: siteA.id })).not.toBeNull();
    });
  });
});

describe("disableUser", () => {
  it("ends the user's sessions at the next request, refuses their next sign-in, and audits who, when and why", async () => {
    await inRollback(t.db, async (tx) => {
      const { siteA, user, creds } = await setup(tx);
      const claims = { userId: user.id, sessionVersion: 1, activeSiteId: siteA.id };
      expect(await resolveActor(tx, claims)).not.toBeNull();
      const admin = await adminAt(tx, siteA.id);

      expect(await disableUser(tx, admin, user.id, "  Left the company  ", NOW)).toEqual({ changed: true, sessionVersion: 2 });

      expect(await resolveActor(tx, claims)).toBeNull();
      expect(await resolveActor(tx, { ...claims, sessionVersion: 2 })).toBeNull();
      await expect(signInWithBadge(tx, creds, { clientKey: unique("c"), now: NOW })).rejects.toMatchObject({ code: "ACCOUNT_DISABLED" });
      const audit = (await auditRowsFor(tx, user.id)).filter((a) => a.action === "disable_user");
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorUserId: admin.userId,
        actorName: "Ada Admin",
        reason: "Left the company",
        occurredAt: NOW,
        oldValue: { isActive: true, sessionVersion: 1 },
        newValue: { isActive: false, sessionVersion: 2 },
      });

      // Disabling again changes nothing and writes nothing.
      expect(await disableUser(tx, admin, user.id, "again", NOW)).toEqual({ changed: false, sessionVersion: 2 });
      expect((await auditRowsFor(tx, user.id)).filter((a) => a.action === "disable_user")).toHaveLength(1);
    });
  });

  it("is for administrators of a site the user works at, needs a reason, and not for oneself", async () => {
    await inRollback(t.db, async (tx) => {
      const { siteA, siteC, user } = await setup(tx);
      const operator = await resolveActor(tx, { userId: user.id, sessionVersion: 1, activeSiteId: siteA.id });
      const other = await createUser(tx, { badgeId: unique("B"), pin: "1", roles: [{ siteId: siteA.id, role: "operator" }] });
      await expect(disableUser(tx, operator!, other.id, "because", NOW)).rejects.toMatchObject({ code: "FORBIDDEN" });

      const adminOfC = await adminAt(tx, siteC.id);
      await expect(disableUser(tx, adminOfC, user.id, "because", NOW)).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: "No such user at this site.",
      });
      await expect(disableUser(tx, adminOfC, randomUUID(), "because", NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });

      const adminOfA = await adminAt(tx, siteA.id);
      await expect(disableUser(tx, adminOfA, user.id, "   ", NOW)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      await expect(disableUser(tx, adminOfA, adminOfA.userId, "tired", NOW)).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        message: "You cannot disable your own account.",
      });
      // Nothing was changed by any refusal.
      expect(await resolveActor(tx, { userId: user.id, sessionVersion: 1, activeSiteId: siteA.id })).not.toBeNull();
      expect((await auditRowsFor(tx, user.id)).filter((a) => a.action === "disable_user")).toEqual([]);
    });
  });
});

describe("resolveSessionActor (the per-request read with the sign-in session)", () => {
  it("is the actor while the session is live, and null once it is signed out, idle, past its lifetime, or someone else's", async () => {
    await inRollback(t.db, async (tx) => {
      const { siteA, user, creds } = await setup(tx);
      const signedIn = await signInWithBadge(tx, creds, { clientKey: unique("c"), now: NOW, idleLimits: { floorMs: 30 * 60_000, officeMs: 120 * 60_000 } });
      const claims = { userId: user.id, sessionId: signedIn.sessionId, sessionVersion: 1, activeSiteId: siteA.id };
      const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
      expect(await resolveSessionActor(tx, claims, at(1))).toMatchObject({ userId: user.id, siteId: siteA.id });
      // Someone else's session id with this user's claims: refused.
      const other = await createUser(tx, { badgeId: unique("B"), pin: "1111", roles: [{ siteId: siteA.id, role: "operator" }] });
      const othersSession = await signInWithBadge(tx, { badgeId: (await tx.select({ b: users.badgeId }).from(users).where(eq(users.id, other.id)))[0]!.b!, pin: "1111" }, { clientKey: unique("c"), now: NOW });
      expect(await resolveSessionActor(tx, { ...claims, sessionId: othersSession.sessionId }, at(1))).toBeNull();
      expect(await resolveSessionActor(tx, { ...claims, sessionId: randomUUID() }, at(1))).toBeNull();
      expect(await resolveSessionActor(tx, { ...claims, sessionId: "not-a-uuid" }, at(1))).toBeNull();
      // Past the badge lifetime of 8 hours, even with activity all along.
      for (let m = 25; m < 8 * 60; m += 25) expect(await resolveSessionActor(tx, claims, at(m)), `+${m} min`).not.toBeNull();
      expect(await resolveSessionActor(tx, claims, at(8 * 60 + 1))).toBeNull();
      // Signed out: over at once.
      const again = await signInWithBadge(tx, creds, { clientKey: unique("c"), now: NOW });
      const liveClaims = { ...claims, sessionId: again.sessionId };
      expect(await resolveSessionActor(tx, liveClaims, at(2))).not.toBeNull();
      expect(await signOutSession(tx, again.sessionId, at(3))).toBe(true);
      expect(await signOutSession(tx, again.sessionId, at(4))).toBe(false);
      expect(await resolveSessionActor(tx, liveClaims, at(3))).toBeNull();
    });
  });

  it("records activity at most once a minute, in the same statement as the read", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds } = await setup(tx);
      const signedIn = await signInWithBadge(tx, creds, { clientKey: unique("c"), now: NOW });
      const claims = { userId: user.id, sessionId: signedIn.sessionId, sessionVersion: 1, activeSiteId: null };
      const lastSeen = async () => (await findSession(tx, signedIn.sessionId))!.lastSeenAt.getTime();
      await resolveSessionActor(tx, claims, new Date(NOW.getTime() + 30_000));
      expect(await lastSeen()).toBe(NOW.getTime());
      await resolveSessionActor(tx, claims, new Date(NOW.getTime() + 61_000));
      expect(await lastSeen()).toBe(NOW.getTime() + 61_000);
    });
  });
});
