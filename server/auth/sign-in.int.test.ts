import { describe, expect, it } from "vitest";
import { findSession } from "@/server/repos/user-sessions";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import type { DbOrTx } from "@/db/client";
import { DEMO_USERS } from "@/db/seed/demo-users";
import { signInWithBadge, signInWithPassword } from "./sign-in";
import { attemptRows, auditRowsFor, createSite, createUser, unique } from "./testing/users";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");

const T0 = new Date("2026-03-02T14:00:00Z");
const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * 60_000 + seconds * 1000);

/** A site and a person with both kinds of credentials, an operator there. */
async function setup(db: DbOrTx, opts: { isActive?: boolean; withRole?: boolean } = {}) {
  const site = await createSite(db);
  const creds = { username: unique("user"), password: "correct horse 1", badgeId: unique("B"), pin: "4821" };
  const user = await createUser(db, {
    displayName: "Rosa Díaz",
    ...creds,
    isActive: opts.isActive ?? true,
    roles: opts.withRole === false ? [] : [{ siteId: site.id, role: "operator" }],
  });
  return { site, user, creds, client: unique("10.0.0") };
}

function refusedWith(code: string, message: string | RegExp) {
  return { code, message: typeof message === "string" ? message : expect.stringMatching(message) };
}

describe("signing in", () => {
  it("signs in an office user with user name and password, records the success and audits it", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, user, creds, client } = await setup(tx);
      const signedIn = await signInWithPassword(tx, { username: creds.username, password: creds.password }, { clientKey: client, now: T0 });
      expect(signedIn).toEqual({
        userId: user.id,
        sessionId: expect.any(String),
        displayName: "Rosa Díaz",
        sessionVersion: 1,
        activeSiteId: site.id,
        method: "password",
      });
      const audit = await auditRowsFor(tx, user.id);
      expect(audit.map((a) => a.action)).toEqual(["sign_in"]);
      expect(audit[0]).toMatchObject({ actorUserId: user.id, actorName: "Rosa Díaz", entity: "user", occurredAt: T0 });
      expect(audit[0]!.newValue).toMatchObject({ sessionId: signedIn.sessionId, clientKey: client });
      // The sign-in opened a session on the server, with the idle timeout of its roles (an operator: the floor's 30 minutes).
      expect(await findSession(tx, signedIn.sessionId)).toMatchObject({
        userId: user.id,
        method: "password",
        signedInAt: T0,
        lastSeenAt: T0,
        idleTimeoutS: 30 * 60,
        expiresAt: new Date(T0.getTime() + 12 * 3_600_000),
        clientKey: client,
        endedAt: null,
      });
      const attempts = await attemptRows(tx, { accountKey: `user:${user.id}` });
      expect(attempts.map((a) => a.succeeded)).toEqual([true]);
    });
  });

  it("signs in with badge and PIN, taking the badge as a reader types it (with a trailing newline)", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds, client } = await setup(tx);
      const signedIn = await signInWithBadge(tx, { badgeId: `${creds.badgeId}\n`, pin: creds.pin }, { clientKey: client, now: T0 });
      expect(signedIn).toMatchObject({ userId: user.id, method: "badge" });
      expect((await auditRowsFor(tx, user.id)).map((a) => a.action)).toEqual(["sign_in"]);
    });
  });

  it("picks the first site by code as the active site of a user with roles at several", async () => {
    await inRollback(t.db, async (tx) => {
      const late = await createSite(tx, `ZZ${unique("S").toUpperCase()}`);
      const early = await createSite(tx, `AA${unique("S").toUpperCase()}`);
      const creds = { badgeId: unique("B"), pin: "1111" };
      await createUser(tx, { ...creds, roles: [{ siteId: late.id, role: "admin" }, { siteId: early.id, role: "operator" }] });
      const signedIn = await signInWithBadge(tx, creds, { clientKey: unique("c"), now: T0 });
      expect(signedIn.activeSiteId).toBe(early.id);
    });
  });

  it("refuses a wrong PIN, counts it and audits it", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds, client } = await setup(tx);
      await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: "0000" }, { clientKey: client, now: T0 })).rejects.toMatchObject(
        refusedWith("SIGN_IN_FAILED", "Badge or PIN is wrong."),
      );
      const audit = await auditRowsFor(tx, user.id);
      expect(audit.map((a) => [a.action, a.reason])).toEqual([["sign_in_failed", "wrong PIN"]]);
      expect((await attemptRows(tx, { accountKey: `user:${user.id}` })).map((a) => a.succeeded)).toEqual([false]);
    });
  });

  it("refuses an unknown badge with the same words as a wrong PIN, and counts it too", async () => {
    await inRollback(t.db, async (tx) => {
      const { client } = await setup(tx);
      const badge = unique("NOBODY");
      await expect(signInWithBadge(tx, { badgeId: badge, pin: "4821" }, { clientKey: client, now: T0 })).rejects.toMatchObject(
        refusedWith("SIGN_IN_FAILED", "Badge or PIN is wrong."),
      );
      expect((await attemptRows(tx, { accountKey: `badge:${badge}` })).map((a) => a.succeeded)).toEqual([false]);
      const audit = await auditRowsFor(tx, `badge:${badge}`);
      expect(audit.map((a) => [a.action, a.reason, a.actorUserId])).toEqual([["sign_in_failed", "unknown badge", null]]);
    });
  });

  it("refuses a wrong password and an unknown user name with the same words", async () => {
    await inRollback(t.db, async (tx) => {
      const { creds, client } = await setup(tx);
      const wrong = signInWithPassword(tx, { username: creds.username, password: "nope" }, { clientKey: client, now: T0 });
      await expect(wrong).rejects.toMatchObject(refusedWith("SIGN_IN_FAILED", "User name or password is wrong."));
      const unknown = signInWithPassword(tx, { username: unique("ghost"), password: "nope" }, { clientKey: client, now: T0 });
      await expect(unknown).rejects.toMatchObject(refusedWith("SIGN_IN_FAILED", "User name or password is wrong."));
    });
  });

  it("locks the account after 5 failures in 15 minutes: even the right PIN is then refused, and every step is audited", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds, client } = await setup(tx);
      for (let i = 0; i < 4; i++) {
        await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: `999${i}` }, { clientKey: client, now: at(i * 3) })).rejects.toMatchObject({
          code: "SIGN_IN_FAILED",
        });
      }
      // The fifth failure (within 15 minutes of the first) locks the account for 15 minutes from now.
      await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: "9999" }, { clientKey: client, now: at(12) })).rejects.toMatchObject(
        refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts. Try again in 15 minutes."),
      );
      await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: creds.pin }, { clientKey: client, now: at(17) })).rejects.toMatchObject(
        refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts. Try again in 10 minutes."),
      );
      // The lock is on the account, whichever way in and from whichever device.
      await expect(
        signInWithPassword(tx, { username: creds.username, password: creds.password }, { clientKey: unique("other"), now: at(26, 30) }),
      ).rejects.toMatchObject(refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts. Try again in 1 minute."));

      const audit = await auditRowsFor(tx, user.id);
      expect(audit.map((a) => a.action)).toEqual([
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_throttled",
        "sign_in_throttled",
      ]);
      expect(audit[4]!.newValue).toMatchObject({ scope: "account", lockedUntil: at(27).toISOString() });
      expect(audit[5]).toMatchObject({ reason: "account locked after repeated failures", occurredAt: at(17) });
      // Refusals while locked check no secret and are not counted as failures.
      expect((await attemptRows(tx, { accountKey: `user:${user.id}` })).length).toBe(5);
    });
  });

  it("lets the right PIN in again once the lock is over", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds, client } = await setup(tx);
      for (let i = 0; i < 5; i++) {
        await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: "0000" }, { clientKey: client, now: at(0, i) })).rejects.toThrow();
      }
      await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: creds.pin }, { clientKey: client, now: at(14, 59) })).rejects.toMatchObject({
        code: "SIGN_IN_THROTTLED",
      });
      const signedIn = await signInWithBadge(tx, { badgeId: creds.badgeId, pin: creds.pin }, { clientKey: client, now: at(15, 5) });
      expect(signedIn.userId).toBe(user.id);
      // After the lock a single new failure does not lock again.
      await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: "0000" }, { clientKey: client, now: at(16) })).rejects.toMatchObject({
        code: "SIGN_IN_FAILED",
      });
    });
  });

  it("locks an unknown badge exactly like a known one (nothing to learn by guessing)", async () => {
    await inRollback(t.db, async (tx) => {
      const client = unique("c");
      const badge = unique("NOBODY");
      for (let i = 0; i < 4; i++) {
        await expect(signInWithBadge(tx, { badgeId: badge, pin: "1234" }, { clientKey: client, now: at(i) })).rejects.toMatchObject({
          code: "SIGN_IN_FAILED",
        });
      }
      await expect(signInWithBadge(tx, { badgeId: badge, pin: "1234" }, { clientKey: client, now: at(5) })).rejects.toMatchObject(
        refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts. Try again in 15 minutes."),
      );
    });
  });

  it("does not lock failures spread over more than 15 minutes, and a success clears earlier failures", async () => {
    await inRollback(t.db, async (tx) => {
      const { creds, client } = await setup(tx);
      const fail = (now: Date) => signInWithBadge(tx, { badgeId: creds.badgeId, pin: "0000" }, { clientKey: client, now });
      for (const m of [0, 4, 8, 12]) await expect(fail(at(m))).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      // 5th failure 16 minutes after the first: only 4 within any 15 minutes.
      await expect(fail(at(16))).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      await signInWithBadge(tx, creds, { clientKey: client, now: at(17) });
      for (const m of [18, 19, 20, 21]) await expect(fail(at(m))).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
    });
  });

  it("blocks a client after 20 failures in 15 minutes across different accounts, but not the accounts elsewhere", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds } = await setup(tx);
      const client = unique("10.9.9");
      for (let i = 0; i < 19; i++) {
        await expect(signInWithBadge(tx, { badgeId: unique("GUESS"), pin: "1234" }, { clientKey: client, now: at(0, i * 10) })).rejects.toMatchObject({
          code: "SIGN_IN_FAILED",
        });
      }
      await expect(signInWithBadge(tx, { badgeId: unique("GUESS"), pin: "1234" }, { clientKey: client, now: at(5) })).rejects.toMatchObject(
        refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts on this device. Try again in 15 minutes."),
      );
      // A real user with the right PIN is refused on that device...
      await expect(signInWithBadge(tx, creds, { clientKey: client, now: at(6) })).rejects.toMatchObject(
        refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts on this device. Try again in 14 minutes."),
      );
      const audit = await auditRowsFor(tx, user.id);
      expect(audit.map((a) => [a.action, a.reason])).toEqual([["sign_in_throttled", "device blocked after repeated failures"]]);
      // ...and signs in from another one.
      expect((await signInWithBadge(tx, creds, { clientKey: unique("10.1.1"), now: at(6) })).userId).toBe(user.id);
      // The device is free again once its block is over.
      expect((await signInWithBadge(tx, creds, { clientKey: client, now: at(20, 1) })).userId).toBe(user.id);
    });
  });

  it("locks a badge longer each time within a day (15, then 30 minutes), and a guessing device the same way", async () => {
    await inRollback(t.db, async (tx) => {
      const { creds, client } = await setup(tx);
      const guess = (now: Date, badgeId = creds.badgeId, clientKey = client) => signInWithBadge(tx, { badgeId, pin: "0000" }, { clientKey, now });
      for (let i = 0; i < 4; i++) await expect(guess(at(0, i))).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      await expect(guess(at(0, 4))).rejects.toMatchObject(refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts. Try again in 15 minutes."));
      for (let i = 0; i < 4; i++) await expect(guess(at(16, i))).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      await expect(guess(at(16, 4))).rejects.toMatchObject(refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts. Try again in 30 minutes."));
      await expect(signInWithBadge(tx, creds, { clientKey: unique("elsewhere"), now: at(45) })).rejects.toMatchObject({ code: "SIGN_IN_THROTTLED" });

      // One device spraying one PIN across many badges: 20 failures block it for 15 minutes, the next 20 for 30.
      const device = unique("10.77");
      for (let i = 0; i < 19; i++) await expect(guess(at(100, i), unique("SPRAY"), device)).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      await expect(guess(at(100, 19), unique("SPRAY"), device)).rejects.toMatchObject(refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts on this device. Try again in 15 minutes."));
      for (let i = 0; i < 19; i++) await expect(guess(at(116, i), unique("SPRAY"), device)).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      await expect(guess(at(116, 19), unique("SPRAY"), device)).rejects.toMatchObject(refusedWith("SIGN_IN_THROTTLED", "Too many failed attempts on this device. Try again in 30 minutes."));
    });
  });

  it("refuses a disabled user with its own message, but only once the secret is right", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds, client } = await setup(tx, { isActive: false });
      await expect(signInWithBadge(tx, { badgeId: creds.badgeId, pin: "0000" }, { clientKey: client, now: T0 })).rejects.toMatchObject({
        code: "SIGN_IN_FAILED",
      });
      await expect(signInWithBadge(tx, creds, { clientKey: client, now: T0 })).rejects.toMatchObject(
        refusedWith("ACCOUNT_DISABLED", "This account is disabled. Ask your supervisor or an administrator."),
      );
      await expect(signInWithPassword(tx, creds, { clientKey: client, now: T0 })).rejects.toMatchObject({ code: "ACCOUNT_DISABLED" });
      const audit = await auditRowsFor(tx, user.id);
      expect(audit.map((a) => [a.action, a.reason])).toEqual([
        ["sign_in_failed", "wrong PIN"],
        ["sign_in_failed", "account disabled"],
        ["sign_in_failed", "account disabled"],
      ]);
      // Only the wrong PIN counts towards the lock.
      expect((await attemptRows(tx, { accountKey: `user:${user.id}` })).map((a) => a.succeeded)).toEqual([false]);
    });
  });

  it("refuses a user without a role at any site", async () => {
    await inRollback(t.db, async (tx) => {
      const { creds, client } = await setup(tx, { withRole: false });
      await expect(signInWithBadge(tx, creds, { clientKey: client, now: T0 })).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringContaining("no role at any site"),
      });
    });
  });

  it("forgets attempts older than two days (the audit log keeps them)", async () => {
    await inRollback(t.db, async (tx) => {
      const { user, creds, client } = await setup(tx);
      await expect(signInWithBadge(tx, { ...creds, pin: "0000" }, { clientKey: client, now: T0 })).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
      await signInWithBadge(tx, creds, { clientKey: client, now: at(47 * 60) });
      expect((await attemptRows(tx, { accountKey: `user:${user.id}` })).map((a) => [a.at, a.succeeded])).toEqual([[T0, false], [at(47 * 60), true]]);
      await signInWithBadge(tx, creds, { clientKey: client, now: at(49 * 60) });
      expect((await attemptRows(tx, { accountKey: `user:${user.id}` })).map((a) => [a.at, a.succeeded])).toEqual([[at(47 * 60), true], [at(49 * 60), true]]);
      expect((await auditRowsFor(tx, user.id)).map((a) => a.action)).toEqual(["sign_in_failed", "sign_in", "sign_in"]);
    });
  });

  it("asks for what is missing and writes nothing when a field is empty", async () => {
    await inRollback(t.db, async (tx) => {
      const client = unique("c");
      await expect(signInWithBadge(tx, { badgeId: "  ", pin: "1234" }, { clientKey: client, now: T0 })).rejects.toMatchObject(
        refusedWith("VALIDATION_FAILED", "Scan your badge and enter your PIN."),
      );
      await expect(signInWithPassword(tx, { username: "someone", password: "" }, { clientKey: client, now: T0 })).rejects.toMatchObject(
        refusedWith("VALIDATION_FAILED", "Enter your user name and password."),
      );
      expect(await attemptRows(tx, { clientKey: client })).toEqual([]);
    });
  });
});

describe("the demo plant's accounts", () => {
  it("sign in with exactly the credentials the sign-in page lists in demo mode", async () => {
    expect(DEMO_USERS.length).toBeGreaterThan(0);
    await inRollback(t.db, async (tx) => {
      for (const u of DEMO_USERS) {
        const ctx = { clientKey: unique("demo"), now: T0 };
        if (u.badgeId && u.pin) expect(await signInWithBadge(tx, { badgeId: u.badgeId, pin: u.pin }, ctx)).toMatchObject({ displayName: u.displayName });
        if (u.username && u.password) {
          expect(await signInWithPassword(tx, { username: u.username, password: u.password }, ctx)).toMatchObject({ displayName: u.displayName });
        }
      }
    });
  });
});

describe("signing in, concurrently (real commits)", () => {
  it("lets at most 5 of 12 parallel guesses on one account be checked; the rest are throttled", async () => {
    const { user, creds } = await setup(t.db);
    const now = TEST_NOW;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => signInWithBadge(t.db, { badgeId: creds.badgeId, pin: `77${i}` }, { clientKey: unique("p"), now })),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "OK"));
    expect(codes.filter((c) => c === "OK")).toEqual([]);
    expect(codes.filter((c) => c === "SIGN_IN_FAILED").length).toBeLessThanOrEqual(4);
    expect(codes.filter((c) => c === "SIGN_IN_THROTTLED").length).toBeGreaterThanOrEqual(8);
    const audit = await auditRowsFor(t.db, user.id);
    expect(audit.filter((a) => a.action === "sign_in_failed")).toHaveLength(5);
    expect(audit.filter((a) => a.action === "sign_in_throttled")).toHaveLength(7);
    expect(await attemptRows(t.db, { accountKey: `user:${user.id}` })).toHaveLength(5);
  });
});
