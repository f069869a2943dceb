import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO_PASSWORD } from "@/db/seed/demo-plant";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { signInWithBadge, signInWithPassword } from "@/server/auth/sign-in";
import { DomainError } from "@/server/domain/shared/errors";
import { placeHold } from "@/server/services/quality/place-hold";
import { releaseHold } from "@/server/services/quality/release-hold";
import { createUser, importBadges, resetSecret, setHoldReleaseRule, setUserRoles } from "./manage-users";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
let alex: Actor;
let priya: Actor;

beforeAll(async () => {
  alex = await actorFor(t.db, "alex.morgan");
  priya = await actorFor(t.db, "priya.raman");
});

const rid = () => randomUUID();
const ctx = () => ({ now: TEST_NOW, clientKey: `test-${randomUUID()}` });
const client = () => ({ clientKey: `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, now: TEST_NOW });
const sfx = () => randomUUID().slice(0, 8);

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

async function counts(db: DbOrTx) {
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select (select count(*) from users)::text as users, (select count(*) from user_site_roles)::text as roles, (select count(*) from audit_log)::text as audit,
               (select count(*) from signatures)::text as signatures`,
  );
  return row!;
}

async function userRow(db: DbOrTx, id: string) {
  const [row] = await queryRows<{ must_change_password: boolean; must_change_pin: boolean; session_version: number }>(
    db,
    sql`select must_change_password, must_change_pin, session_version from users where id = ${id}`,
  );
  return row!;
}

describe("user administration", () => {
  it("creates an office user with a role here, who must choose their own password at the first sign-in", async () => {
    await inRollback(t.db, async (tx) => {
      const username = `new.${sfx()}`;
      const made = await createUser(tx, alex, { requestId: rid(), displayName: "Nora Quinn", username, password: "first-password-1", roles: ["quality_engineer"] }, TEST_NOW);
      const roles = await queryRows<{ role: string; site: string }>(tx, sql`select r.role::text as role, s.code as site from user_site_roles r join sites s on s.id = r.site_id where r.user_id = ${made.userId}`);
      expect(roles).toEqual([{ role: "quality_engineer", site: "WCH" }]);
      expect(await userRow(tx, made.userId)).toMatchObject({ must_change_password: true, must_change_pin: false });
      const [audit] = await queryRows<{ new_value: Record<string, unknown> }>(tx, sql`select new_value from audit_log where action = 'create_user' and entity_id = ${made.userId}`);
      expect(audit!.new_value).toMatchObject({ displayName: "Nora Quinn", username, roles: ["quality_engineer"] });
      expect(JSON.stringify(audit!.new_value)).not.toContain("first-password-1");

      // first sign-in: the right password, but a new one must be chosen; no session yet
      const e = await refusal(signInWithPassword(tx, { username, password: "first-password-1" }, client()));
      expect(e.code).toBe("SECRET_CHANGE_REQUIRED");
      expect(e.message).toMatch(/choose your own new password/);
      const [sessions] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from user_sessions where user_id = ${made.userId}`);
      expect(Number(sessions!.n)).toBe(0);
      // a new password breaking the policy, or the same one again: refused, still to change
      expect((await refusal(signInWithPassword(tx, { username, password: "first-password-1", newPassword: "short" }, client()))).message).toMatch(/at least 12 characters/);
      expect((await refusal(signInWithPassword(tx, { username, password: "first-password-1", newPassword: "first-password-1" }, client()))).message).toMatch(/not the one the administrator gave you/);
      // with their own new password: signed in, the flag cleared, audited; the old one no longer works
      const signed = await signInWithPassword(tx, { username, password: "first-password-1", newPassword: "my own passphrase" }, client());
      expect(signed.userId).toBe(made.userId);
      expect(await userRow(tx, made.userId)).toMatchObject({ must_change_password: false });
      expect((await refusal(signInWithPassword(tx, { username, password: "first-password-1" }, client()))).code).toBe("SIGN_IN_FAILED");
      expect((await signInWithPassword(tx, { username, password: "my own passphrase" }, client())).userId).toBe(made.userId);
    });
  });

  it.each([
    ["no credential", { username: null, password: null }, "username"],
    ["a weak first password", { password: "abc" }, "password"],
    ["a badge with a short PIN", { username: null, password: null, badgeId: "BX1", pin: "12" }, "pin"],
    ["no role", { roles: [] }, "roles"],
    ["a taken user name", { username: "priya.raman" }, "username"],
    ["a taken badge", { username: null, password: null, badgeId: "B1001", pin: "4821" }, "badgeId"],
  ])("refuses a new user with %s and writes nothing", async (_what, change, field) => {
    await inRollback(t.db, async (tx) => {
      const before = await counts(tx);
      const cmd = { requestId: rid(), displayName: "X", username: `u.${sfx()}`, password: "a good first password", roles: ["operator"], ...change };
      const e = await refusal(createUser(tx, alex, cmd, TEST_NOW));
      expect(e.code).toBe("VALIDATION_FAILED");
      expect(e.details.field).toBe(field);
      expect(await counts(tx)).toEqual(before);
    });
  });

  it("refuses user administration to anyone but an administrator", async () => {
    await inRollback(t.db, async (tx) => {
      expect((await refusal(createUser(tx, priya, { requestId: rid(), displayName: "X", username: `u.${sfx()}`, password: "a good first password", roles: ["operator"] }, TEST_NOW))).code).toBe("FORBIDDEN");
      expect((await refusal(importBadges(tx, priya, { requestId: rid(), csv: "display_name,badge_id,pin,roles\nA,B9,4821,operator\n" }, TEST_NOW))).code).toBe("FORBIDDEN");
    });
  });

  it("assigns roles at this site, audited with old and new; an administrator cannot drop their own admin role", async () => {
    await inRollback(t.db, async (tx) => {
      const made = await createUser(tx, alex, { requestId: rid(), displayName: "Omar", badgeId: `B-${sfx()}`, pin: "4821", roles: ["operator"] }, TEST_NOW);
      await setUserRoles(tx, alex, { userId: made.userId, roles: ["operator", "kitting_clerk"], reason: "Cross-trained" }, TEST_NOW);
      const roles = await queryRows<{ role: string }>(tx, sql`select role::text as role from user_site_roles where user_id = ${made.userId} order by role`);
      expect(roles.map((r) => r.role)).toEqual(["kitting_clerk", "operator"]);
      const [audit] = await queryRows<{ old_value: unknown; new_value: unknown; reason: string }>(tx, sql`select old_value, new_value, reason from audit_log where action = 'set_roles' and entity_id = ${made.userId}`);
      expect(audit).toEqual({ old_value: { roles: ["operator"], site: "WCH" }, new_value: { roles: ["operator", "kitting_clerk"], site: "WCH" }, reason: "Cross-trained" });
      expect((await refusal(setUserRoles(tx, alex, { userId: alex.userId, roles: ["supervisor"], reason: "oops" }, TEST_NOW))).message).toMatch(/own administrator role/);
      // a user of another site only is not found here
      const [sophie] = await queryRows<{ id: string }>(tx, sql`select id from users where username = 'sophie.martin'`);
      expect((await refusal(setUserRoles(tx, alex, { userId: sophie!.id, roles: ["operator"], reason: "x" }, TEST_NOW))).code).toBe("NOT_FOUND");
    });
  });

  it("resets a PIN signed by the administrator: sessions end, the user must choose a new PIN at the next sign-in", async () => {
    await inRollback(t.db, async (tx) => {
      const badge = `B-${sfx()}`;
      const made = await createUser(tx, alex, { requestId: rid(), displayName: "Ida", badgeId: badge, pin: "4821", roles: ["operator"] }, TEST_NOW);
      await signInWithBadge(tx, { badgeId: badge, pin: "4821", newPin: "7305" }, client());
      const before = await userRow(tx, made.userId);
      expect(before.must_change_pin).toBe(false);

      // a wrong signing password: refused, nothing changed
      const wrong = await refusal(resetSecret(tx, alex, { requestId: rid(), userId: made.userId, kind: "pin", temporary: "5190", reason: "Forgot PIN", signature: { method: "password", secret: "nope", meaning: "responsibility" } }, ctx()));
      expect(wrong.code).toBe("SIGNATURE_REFUSED");
      expect(await userRow(tx, made.userId)).toEqual(before);

      const out = await resetSecret(tx, alex, { requestId: rid(), userId: made.userId, kind: "pin", temporary: "5190", reason: "Forgot PIN", signature: { method: "password", secret: DEMO_PASSWORD, meaning: "responsibility" } }, ctx());
      const after = await userRow(tx, made.userId);
      expect(after).toEqual({ must_change_password: false, must_change_pin: true, session_version: before.session_version + 1 });
      const [sig] = await queryRows<{ record_type: string; record_id: string; meaning: string; printed_name: string }>(tx, sql`select record_type, record_id, meaning, printed_name from signatures where id = ${out.signatureId}`);
      expect(sig).toEqual({ record_type: "credential_reset", record_id: made.userId, meaning: "responsibility", printed_name: "Alex Morgan" });
      const [audit] = await queryRows<{ reason: string; new_value: Record<string, unknown> }>(tx, sql`select reason, new_value from audit_log where action = 'reset_pin' and entity_id = ${made.userId}`);
      expect(audit).toMatchObject({ reason: "Forgot PIN", new_value: { mustChangeAtNextSignIn: true, signatureId: out.signatureId } });
      expect(JSON.stringify(audit)).not.toContain("5190");

      expect((await refusal(signInWithBadge(tx, { badgeId: badge, pin: "5190" }, client()))).code).toBe("SECRET_CHANGE_REQUIRED");
      expect((await signInWithBadge(tx, { badgeId: badge, pin: "5190", newPin: "8642" }, client())).userId).toBe(made.userId);
    });
  });

  it("imports badges from CSV: every problem reported by line and nothing written; a clean file creates every user", async () => {
    await inRollback(t.db, async (tx) => {
      const a = `B-${sfx()}`;
      const b = `B-${sfx()}`;
      const before = await counts(tx);
      const bad = await refusal(
        importBadges(tx, alex, { requestId: rid(), csv: `display_name,badge_id,pin,roles\nAna,${a},4821,operator\nBen,B1001,4821,operator\nCid,${b},12,welder\n` }, TEST_NOW),
      );
      expect(bad.code).toBe("VALIDATION_FAILED");
      expect(bad.message).toMatch(/nothing was written/);
      expect(bad.details.problems).toEqual([
        { line: 4, column: "pin", message: "A PIN has at least 4 digits here." },
        { line: 4, column: "roles", message: expect.stringMatching(/^Unknown role: welder/) },
      ]);
      expect(await counts(tx)).toEqual(before);
      // the badge of someone else is found once the format is right
      const taken = await refusal(importBadges(tx, alex, { requestId: rid(), csv: `display_name,badge_id,pin,roles\nAna,${a},4821,operator\nBen,B1001,4821,operator\n` }, TEST_NOW));
      expect(taken.details.problems).toEqual([{ line: 3, column: "badge_id", message: "Badge B1001 is already given to Maria Lopez." }]);
      expect(await counts(tx)).toEqual(before);

      const ok = await importBadges(tx, alex, { requestId: rid(), csv: `display_name,badge_id,pin,roles\nAna,${a},4821,operator\n"Lee, Bo",${b},90417,operator;kitting_clerk\n` }, TEST_NOW);
      expect(ok.created.map((c) => [c.line, c.displayName, c.badgeId])).toEqual([
        [2, "Ana", a],
        [3, "Lee, Bo", b],
      ]);
      const after = await counts(tx);
      expect(Number(after.users) - Number(before.users)).toBe(2);
      expect(Number(after.roles) - Number(before.roles)).toBe(3);
      expect((await refusal(signInWithBadge(tx, { badgeId: b, pin: "90417" }, client()))).code).toBe("SECRET_CHANGE_REQUIRED");
    });
  });

  it("with the two-person rule on, the quality engineer who placed a hold cannot release it; another one can", async () => {
    await inRollback(t.db, async (tx) => {
      const hold = await placeHold(tx, priya, { requestId: rid(), target: { kind: "lot", lotNumber: "MM24-1203" }, reason: "Two-person test", signature: { method: "password", secret: DEMO_PASSWORD, meaning: "hold" } }, ctx());
      const release = (who: Actor, secret: string) =>
        releaseHold(tx, who, { requestId: rid(), holdId: hold.holdId, reason: "Retest passed", signature: { method: "password", secret, meaning: "release" } }, ctx());
      await setHoldReleaseRule(tx, alex, { twoPerson: true, reason: "AS9100 audit finding" }, TEST_NOW);
      const e = await refusal(release(priya, DEMO_PASSWORD));
      expect(e.code).toBe("TWO_PERSON_RULE");
      expect(e.message).toMatch(/another quality engineer must release it/);
      const [still] = await queryRows<{ released_at: string | null }>(tx, sql`select released_at from holds where id = ${hold.holdId}`);
      expect(still!.released_at).toBeNull();

      const second = await createUser(tx, alex, { requestId: rid(), displayName: "Second QE", username: `qe.${sfx()}`, password: "second quality pw", roles: ["quality_engineer"] }, TEST_NOW);
      const qe2 = await actorFor(tx, (await queryRows<{ username: string }>(tx, sql`select username from users where id = ${second.userId}`))[0]!.username);
      await release(qe2, "second quality pw");
      const [done] = await queryRows<{ released_by: string }>(tx, sql`select released_by from holds where id = ${hold.holdId}`);
      expect(done!.released_by).toBe(second.userId);

      // rule off: the placer may release their own hold again
      await setHoldReleaseRule(tx, alex, { twoPerson: false, reason: "Back to single release" }, TEST_NOW);
      const own = await placeHold(tx, priya, { requestId: rid(), target: { kind: "lot", lotNumber: "MM24-1203" }, reason: "Own release", signature: { method: "password", secret: DEMO_PASSWORD, meaning: "hold" } }, ctx());
      await releaseHold(tx, priya, { requestId: rid(), holdId: own.holdId, reason: "ok", signature: { method: "password", secret: DEMO_PASSWORD, meaning: "release" } }, ctx());
    });
  });
});
