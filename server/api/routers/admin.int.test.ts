import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { auditRowsFor } from "@/db/testing/audit-fixtures";
import { DEMO, DEMO_USERS } from "@/db/seed/demo-plant";
import type { Db, Tx } from "@/db/client";
import { DEFAULT_OWNERSHIP } from "@/server/domain/erp/ownership-defaults";
import { isDomainError } from "@/server/domain/shared/errors";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { authenticateConnection } from "@/server/services/erp/connections";
import { adminRouter } from "./admin";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(adminRouter);

const callerAs = (actor: Actor | null, db: Db | Tx = t.db) => createCaller({ db: db as Db, actor, clientKey: "test", now: () => TEST_NOW } satisfies Context);

/** The tRPC code, the domain code (if the refusal came from a rule) and the message of a refused call. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; domain: string | null; message: string }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, domain: isDomainError(e.cause) ? e.cause.code : null, message: e.message };
  }
  throw new Error("expected the call to be refused");
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

const DEMO_SIGN = (meaning: "approval" | "review") => ({ method: "password" as const, secret: "demo-password", meaning });

describe("admin router", () => {
  it("lists the users of the sites the administrator administers, with their roles there, and never a password or PIN hash", async () => {
    const alex = await actorFor(t.db, "alex.morgan"); // administrator at WCH only
    const users = await callerAs(alex).users();
    for (const demo of DEMO_USERS.filter((u) => u.siteCode === "WCH")) {
      const u = users.find((x) => x.displayName === demo.displayName);
      expect(u, demo.displayName).toBeDefined();
      expect(u!.sites.find((s) => s.siteCode === demo.siteCode)?.roles).toEqual(demo.roles);
      expect(u!.signsInWithBadge).toBe(Boolean(demo.badgeId));
      expect(u!.signsInWithPassword).toBe(Boolean(demo.username));
    }
    // Toulouse's people and badges are not Wichita's administrator's to see; a two-site user shows her Wichita roles only.
    for (const demo of DEMO_USERS.filter((u) => u.siteCode === "TLS")) expect(users.find((x) => x.displayName === demo.displayName), demo.displayName).toBeUndefined();
    expect(JSON.stringify(users)).not.toMatch(/B2001|B2002|TLS/);
    const elena = users.find((u) => u.username === DEMO.twoSiteUser)!;
    expect(elena.sites.map((s) => s.siteCode)).toEqual(["WCH"]);
    expect(JSON.stringify(users)).not.toMatch(/argon2/);
    // Toulouse's administrator sees Toulouse's badges, and Elena at Toulouse.
    const claire = await callerAs(await actorFor(t.db, "claire.petit")).users();
    expect(claire.map((u) => u.badgeId).filter(Boolean).sort()).toEqual(["B2001", "B2002"]);
    expect(claire.find((u) => u.username === DEMO.twoSiteUser)!.sites.map((s) => s.siteCode)).toEqual(["TLS"]);
  });

  it("lists the ownership registry", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const rows = await callerAs(alex).ownershipRegistry();
    expect(rows).toHaveLength(DEFAULT_OWNERSHIP.length);
    expect(rows.find((r) => r.entity === "lot" && r.attribute === "expires_at")).toMatchObject({ owner: "erp", direction: "erp_to_traceline" });
    expect(rows.find((r) => r.entity === "genealogy" && r.attribute === "as_built")).toMatchObject({ owner: "traceline" });
  });

  it("is for administrators only", async () => {
    for (const login of ["B1001", "B1002", "priya.raman", "dan.whitaker"]) {
      const actor = await actorFor(t.db, login);
      expect(await codeOf(callerAs(actor).users()), login).toBe("FORBIDDEN");
      expect(await codeOf(callerAs(actor).ownershipRegistry()), login).toBe("FORBIDDEN");
      expect(await codeOf(callerAs(actor).connections()), login).toBe("FORBIDDEN");
      expect(await codeOf(callerAs(actor).ownershipChanges()), login).toBe("FORBIDDEN");
      expect(
        await codeOf(callerAs(actor).proposeOwnershipChange({ entity: "part", attribute: "uom", owner: "traceline", direction: "none", reason: "Not allowed to do this" })),
        login,
      ).toBe("FORBIDDEN");
    }
    expect(await codeOf(callerAs(null).users())).toBe("UNAUTHORIZED");
  });
});

describe("ERP connections", () => {
  it("creates a connection whose key is shown once and authenticates, lists it without the key, and revokes it", async () => {
    const alex = await actorFor(t.db, "alex.morgan"); // Wichita admin
    const claire = await actorFor(t.db, "claire.petit"); // Toulouse admin
    await inRollback(t.db, async (tx) => {
      const name = `Test ERP ${randomUUID().slice(0, 8)}`;
      const created = await callerAs(alex, tx).createConnection({ name, source: "SAP-PRD", plants: [{ plant: "1000", siteCode: "WCH" }] });
      expect(created.apiKey).toMatch(/^tl_[A-Za-z0-9_-]{40,}$/);
      const connection = await authenticateConnection(tx, `Bearer ${created.apiKey}`);
      expect(connection).toMatchObject({ id: created.id, source: "SAP-PRD", plantSites: { "1000": alex.siteId } });

      const listed = (await callerAs(alex, tx).connections()).find((c) => c.id === created.id)!;
      expect(listed).toMatchObject({
        name,
        source: "SAP-PRD",
        keyHint: created.apiKey.slice(-4),
        plants: [{ plant: "1000", siteCode: "WCH" }],
        createdByName: "Alex Morgan",
        revokedAt: null,
        manageable: true,
      });
      expect(JSON.stringify(await callerAs(alex, tx).connections())).not.toContain(created.apiKey);
      // Toulouse's administrator sees it but cannot revoke a connection into Wichita
      expect((await callerAs(claire, tx).connections()).find((c) => c.id === created.id)?.manageable).toBe(false);
      expect(await refusal(callerAs(claire, tx).revokeConnection({ connectionId: created.id }))).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/every site it feeds/) });
      expect(await authenticateConnection(tx, `Bearer ${created.apiKey}`)).not.toBeNull();

      await callerAs(alex, tx).revokeConnection({ connectionId: created.id });
      expect(await authenticateConnection(tx, `Bearer ${created.apiKey}`)).toBeNull();
      const revoked = (await callerAs(alex, tx).connections()).find((c) => c.id === created.id)!;
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      expect(revoked.revokedByName).toBe("Alex Morgan");
      // revoking twice is harmless
      await callerAs(alex, tx).revokeConnection({ connectionId: created.id });
      expect((await auditRowsFor(tx, "erp_connection_created", created.id)).map((a) => a.actorName)).toEqual(["Alex Morgan"]);
      expect(await auditRowsFor(tx, "erp_connection_revoked", created.id)).toHaveLength(1);
      expect(await refusal(callerAs(alex, tx).revokeConnection({ connectionId: randomUUID() }))).toMatchObject({ code: "NOT_FOUND" });
    });
  });

  it("refuses a connection into a site the administrator does not administer, and bad input, creating nothing", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    await inRollback(t.db, async (tx) => {
      const before = (await callerAs(alex, tx).connections()).length;
      expect(await refusal(callerAs(alex, tx).createConnection({ name: "Into Toulouse", source: "SAP", plants: [{ plant: "2000", siteCode: "TLS" }] }))).toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringContaining("not TLS"),
      });
      expect(
        await refusal(
          callerAs(alex, tx).createConnection({
            name: "Twice",
            source: "SAP",
            plants: [
              { plant: "1000", siteCode: "WCH" },
              { plant: "1000", siteCode: "WCH" },
            ],
          }),
        ),
      ).toMatchObject({ code: "BAD_REQUEST", domain: "VALIDATION_FAILED", message: expect.stringContaining("listed twice") });
      expect(await refusal(callerAs(alex, tx).createConnection({ name: " ", source: "SAP", plants: [{ plant: "1000", siteCode: "WCH" }] }))).toMatchObject({ code: "BAD_REQUEST" });
      expect(await refusal(callerAs(alex, tx).createConnection({ name: "No plants", source: "SAP", plants: [] }))).toMatchObject({ code: "BAD_REQUEST" });
      expect(await refusal(callerAs(alex, tx).createConnection({ name: "Spaces", source: "SAP PRD", plants: [{ plant: "1000", siteCode: "WCH" }] }))).toMatchObject({ code: "BAD_REQUEST" });
      expect((await callerAs(alex, tx).connections()).length).toBe(before);
    });
  });
});

describe("ownership registry change control", () => {
  it("a change proposed by one administrator is approved by a second one; the proposer cannot decide it", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const claire = await actorFor(t.db, "claire.petit");
    await inRollback(t.db, async (tx) => {
      const proposal = { entity: "part", attribute: "out_time_minutes", owner: "erp" as const, direction: "erp_to_traceline" as const, reason: "Floor life now comes with the material master (ECO-2291)" };
      const { id } = await callerAs(alex, tx).proposeOwnershipChange(proposal);

      const mine = await callerAs(alex, tx).ownershipChanges();
      expect(mine.pending).toEqual([
        expect.objectContaining({ id, entity: "part", attribute: "out_time_minutes", currentOwner: "traceline", proposedOwner: "erp", proposedByName: "Alex Morgan", proposedByMe: true }),
      ]);
      expect(await refusal(callerAs(alex, tx).decideOwnershipChange({ changeId: id, approve: true, signature: DEMO_SIGN("approval") }))).toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringMatching(/second person/),
      });
      // a competing proposal for the same row waits for the first to be decided
      expect(await refusal(callerAs(claire, tx).proposeOwnershipChange({ ...proposal, owner: "traceline", direction: "traceline_to_erp" }))).toMatchObject({ code: "CONFLICT" });

      // before approval Traceline still owns out-time: a screen may edit it
      await callerAs(claire, tx).editPartPolicy({ partNumber: DEMO.expiredLot.partNumber, attribute: "out_time_minutes", value: 90, reason: "Per process spec PS-44", signature: DEMO_SIGN("approval") });

      expect((await callerAs(claire, tx).ownershipChanges()).pending[0]!.proposedByMe).toBe(false);
      expect(await callerAs(claire, tx).decideOwnershipChange({ changeId: id, approve: true, signature: DEMO_SIGN("approval") })).toMatchObject({ status: "approved" });
      const row = (await callerAs(alex, tx).ownershipRegistry()).find((r) => r.entity === "part" && r.attribute === "out_time_minutes");
      expect(row).toMatchObject({ owner: "erp", direction: "erp_to_traceline" });
      const after = await callerAs(alex, tx).ownershipChanges();
      expect(after.pending).toEqual([]);
      expect(after.decided[0]).toMatchObject({ id, status: "approved", decidedByName: "Claire Petit", proposedByName: "Alex Morgan" });
      expect((await auditRowsFor(tx, "ownership_change_approved", "part.out_time_minutes")).map((a) => a.actorName)).toEqual(["Claire Petit"]);

      // now ERP owns it: the screen edit is refused, naming the owner, and nothing changes
      const refused = await refusal(
        callerAs(claire, tx).editPartPolicy({ partNumber: DEMO.expiredLot.partNumber, attribute: "out_time_minutes", value: 60, reason: "Try after the change", signature: DEMO_SIGN("approval") }),
      );
      expect(refused).toMatchObject({ code: "PRECONDITION_FAILED", domain: "OWNED_BY_OTHER_SYSTEM", message: expect.stringMatching(/owned by ERP/) });
      expect(await auditRowsFor(tx, "part_policy_edited", DEMO.expiredLot.partNumber)).toHaveLength(1);
    });
  });

  it("a rejected proposal changes nothing; bad proposals and edits are refused in words", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const claire = await actorFor(t.db, "claire.petit");
    await inRollback(t.db, async (tx) => {
      const { id } = await callerAs(alex, tx).proposeOwnershipChange({ entity: "lot", attribute: "expires_at", owner: "traceline", direction: "none", reason: "Trial: expiry kept on the floor" });
      expect(await callerAs(claire, tx).decideOwnershipChange({ changeId: id, approve: false, reason: "Expiry stays with receiving", signature: DEMO_SIGN("review") })).toMatchObject({ status: "rejected" });
      expect((await callerAs(alex, tx).ownershipRegistry()).find((r) => r.entity === "lot" && r.attribute === "expires_at")?.owner).toBe("erp");
      expect(await refusal(callerAs(claire, tx).decideOwnershipChange({ changeId: id, approve: true, signature: DEMO_SIGN("approval") }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already rejected/) });

      expect(await refusal(callerAs(alex, tx).proposeOwnershipChange({ entity: "lot", attribute: "expires_at", owner: "traceline", direction: "none", reason: "short" }))).toMatchObject({
        code: "BAD_REQUEST",
        domain: "VALIDATION_FAILED",
        message: expect.stringMatching(/at least 10 characters/),
      });
      expect(await refusal(callerAs(alex, tx).proposeOwnershipChange({ entity: "lot", attribute: "colour", owner: "traceline", direction: "none", reason: "No such attribute here" }))).toMatchObject({
        code: "NOT_FOUND",
      });
      expect(
        await refusal(callerAs(alex, tx).editPartPolicy({ partNumber: DEMO.expiredLot.partNumber, attribute: "shelf_life_days", value: 90, reason: "Override shelf life", signature: DEMO_SIGN("approval") })),
      ).toMatchObject({ code: "PRECONDITION_FAILED", domain: "OWNED_BY_OTHER_SYSTEM", message: expect.stringMatching(/part.shelf_life_days is owned by ERP/) });
      expect(await refusal(callerAs(alex, tx).editPartPolicy({ partNumber: "NO-SUCH-PART", attribute: "out_time_minutes", value: 90, reason: "Per spec PS-1", signature: DEMO_SIGN("approval") }))).toMatchObject({
        code: "NOT_FOUND",
      });
      expect(await refusal(callerAs(alex, tx).editPartPolicy({ partNumber: DEMO.expiredLot.partNumber, attribute: "out_time_minutes", value: -5, reason: "Per spec PS-1", signature: DEMO_SIGN("approval") }))).toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringMatching(/whole number greater than zero/),
      });
      expect(await auditRowsFor(tx, "part_policy_edited", DEMO.expiredLot.partNumber)).toHaveLength(0);
    });
  });
});

describe("disabling a user from the admin screen", () => {
  it("ends the user's sessions at their next request, is audited, and is an admin's decision only", async () => {
    await inRollback(t.db, async (tx) => {
      const admin = await actorFor(tx, "alex.morgan");
      const operator = await actorFor(tx, "B1001");
      const supervisor = await actorFor(tx, "dan.whitaker");
      const { resolveActor } = await import("@/server/auth/actor");
      const claims = { userId: operator.userId, sessionVersion: 1, activeSiteId: operator.siteId };
      expect(await resolveActor(tx, claims)).not.toBeNull();

      expect(await codeOf(callerAs(supervisor, tx).disableUser({ userId: operator.userId, reason: "left the company" }))).toBe("FORBIDDEN");
      expect((await refusal(callerAs(admin, tx).disableUser({ userId: operator.userId, reason: "  " }))).code).toBe("BAD_REQUEST");
      expect(await resolveActor(tx, claims)).not.toBeNull();

      await callerAs(admin, tx).disableUser({ userId: operator.userId, reason: "Badge lost, reissue pending" });
      expect(await resolveActor(tx, claims)).toBeNull();
      const audit = await auditRowsFor(tx, "disable_user", operator.userId);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorName: admin.displayName, reason: "Badge lost, reissue pending" });
      const users = await callerAs(admin, tx).users();
      expect(users.find((u) => u.id === operator.userId)?.isActive).toBe(false);
    });
  });
});

describe("setting up a badge and PIN", () => {
  it("gives a user of the site a badge and PIN, ends their sessions, and audits it without the PIN", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    await inRollback(t.db, async (tx) => {
      const maria = await actorFor(tx, "B1001");
      const result = await callerAs(alex, tx).setBadgePin({ userId: maria.userId, badgeId: "B1001-NEW", pin: "482917" });
      expect(result.sessionVersion).toBe(2);
      const { signInWithBadge } = await import("@/server/auth/sign-in");
      expect(await signInWithBadge(tx, { badgeId: "B1001-NEW", pin: "482917" }, { clientKey: "t", now: TEST_NOW })).toMatchObject({ userId: maria.userId, sessionVersion: 2 });
      const [audit] = await auditRowsFor(tx, "set_badge_pin", maria.userId);
      expect(audit).toMatchObject({ actorName: "Alex Morgan", newValue: { badgeId: "B1001-NEW", pinLength: 6 } });
      expect(JSON.stringify(audit)).not.toContain("482917");
    });
  });

  it("refuses a PIN shorter than TRACELINE_PIN_LENGTH (6 here), a taken badge, another site's user, and non-administrators", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const maria = await actorFor(t.db, "B1001");
    const lucas = await actorFor(t.db, "B2001"); // Toulouse
    const saved = process.env.TRACELINE_PIN_LENGTH;
    process.env.TRACELINE_PIN_LENGTH = "6";
    try {
      await inRollback(t.db, async (tx) => {
        expect(await refusal(callerAs(alex, tx).setBadgePin({ userId: maria.userId, badgeId: "B1001", pin: "4829" }))).toEqual({
          code: "BAD_REQUEST",
          domain: "VALIDATION_FAILED",
          message: "A PIN has at least 6 digits here.",
        });
        expect(await refusal(callerAs(alex, tx).setBadgePin({ userId: maria.userId, badgeId: "B1002", pin: "482917" }))).toMatchObject({ message: "That badge is already given to someone else." });
        expect(await refusal(callerAs(alex, tx).setBadgePin({ userId: lucas.userId, badgeId: "B9999", pin: "482917" }))).toMatchObject({ code: "NOT_FOUND" });
        expect(await codeOf(callerAs(maria, tx).setBadgePin({ userId: maria.userId, badgeId: "B9999", pin: "482917" }))).toBe("FORBIDDEN");
        expect(await auditRowsFor(tx, "set_badge_pin", maria.userId)).toEqual([]);
      });
    } finally {
      if (saved === undefined) delete process.env.TRACELINE_PIN_LENGTH;
      else process.env.TRACELINE_PIN_LENGTH = saved;
    }
  });
});
