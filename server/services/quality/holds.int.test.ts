import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO_PASSWORD, DEMO_PIN, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { signInWithPassword } from "@/server/auth/sign-in";
import { DomainError } from "@/server/domain/shared/errors";
import { INVALID_SIGNATURE_TEXT } from "@/server/domain/quality/signature";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createKit } from "@/server/services/kitting/create-kit";
import { pickToKit } from "@/server/services/kitting/pick-to-kit";
import { consumeComponent } from "@/server/services/station/consume-component";
import { placeHold } from "./place-hold";
import { releaseHold } from "./release-hold";
import { getHoldDetail, listHoldViews } from "./hold-views";
import { contentHash } from "./hash";
import { reauthenticateSigner, verifySignature, writeSignature, type VerifiedSigner } from "./sign-record";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
let ids: DemoIds;
let priya: Actor;
let jamal: Actor;
let dan: Actor;
let tlsQuality: Actor;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  priya = await actorFor(t.db, "priya.raman");
  jamal = await actorFor(t.db, "B1002");
  dan = await actorFor(t.db, "dan.whitaker");
  const [tq] = await queryRows<{ username: string }>(
    t.db,
    sql`select u.username from users u join user_site_roles r on r.user_id = u.id join sites s on s.id = r.site_id
        where s.code = 'TLS' and r.role = 'quality_engineer' and u.username is not null limit 1`,
  );
  tlsQuality = await actorFor(t.db, tq!.username, "TLS");
});

const rid = () => randomUUID();
const ctx = (now = TEST_NOW, clientKey = `test-${randomUUID()}`) => ({ now, clientKey });
const sign = (secret = DEMO_PASSWORD, meaning = "hold") => ({ method: "password" as const, secret, meaning });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** What placing or releasing a hold writes (sign-in attempts and audit are counted separately). */
async function holdFootprint(db: DbOrTx) {
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select (select count(*) from holds)::text as holds, (select count(*) from holds where released_at is null)::text as active,
               (select count(*) from signatures)::text as signatures, (select count(*) from request_log)::text as requests,
               (select count(*) from audit_log where entity = 'hold')::text as hold_audit`,
  );
  return row!;
}

async function auditOf(db: DbOrTx, userId: string, action: string) {
  return queryRows<{ reason: string | null; new_value: Record<string, unknown> }>(
    db,
    sql`select reason, new_value from audit_log where entity = 'user' and entity_id = ${userId} and action = ${action} order by id`,
  );
}

async function failedAttempts(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from sign_in_attempts where account_key = ${`user:${userId}`} and not succeeded`);
  return Number(row!.n);
}

/** The database's own words for a refused statement (drizzle wraps them as the cause). */
async function dbError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { cause?: { message?: string } }).cause?.message ?? String(e);
  }
  return "no error";
}

const lotTarget = (lotNumber: string) => ({ kind: "lot" as const, lotNumber });

describe("placeHold and releaseHold", () => {
  it("places a signed hold on a lot, shows the affected kits, staged stock and units, refuses kitting it, and releases it signed", async () => {
    await inRollback(t.db, async (tx) => {
      const now = TEST_NOW;
      // a kit that already has KP24-0901 picked, before the hold
      const kit = await createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "work_order" }, stationId: ids.station("WCH", "FA-02") }, now);
      await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "KP24-0901", quantity: "2" }, now);

      const placed = await placeHold(tx, priya, { requestId: rid(), target: lotTarget("KP24-0901"), reason: "Supplier reported wrong heat treatment", signature: sign() }, ctx(now));
      expect(placed.targetLabel).toMatch(/^BKT-4410-07 rev .+, lot KP24-0901$/);

      const [hold] = await queryRows<{ target_type: string; target_id: string; placed_signature_id: string; reason: string }>(
        tx,
        sql`select target_type::text, target_id, placed_signature_id, reason from holds where id = ${placed.holdId}`,
      );
      expect(hold).toMatchObject({ target_type: "lot", target_id: ids.lot("WCH", "KP24-0901"), placed_signature_id: placed.signatureId });
      const [sig] = await queryRows<{ printed_name: string; meaning: string; time_zone: string; auth_method: string; record_id: string; content_hash: string }>(
        tx,
        sql`select printed_name, meaning, time_zone, auth_method, record_id, content_hash from signatures where id = ${placed.signatureId}`,
      );
      expect(sig).toMatchObject({ printed_name: "Priya Raman", meaning: "hold", time_zone: priya.timeZone, auth_method: "password", record_id: placed.holdId });
      expect(sig!.content_hash).toMatch(/^[0-9a-f]{64}$/);
      const audit = await queryRows<{ action: string }>(tx, sql`select action from audit_log where (entity = 'hold' and entity_id = ${placed.holdId}) or (entity = 'signature' and entity_id = ${placed.signatureId}) order by id`);
      expect(audit.map((a) => a.action).sort()).toEqual(["place_hold", "sign"]);

      // from now on kitting refuses the lot, with the hold's reason
      const e = await refusal(pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "KP24-0901", quantity: "1" }, now));
      expect(e.code).toBe("LOT_ON_HOLD");
      expect(e.message).toMatch(/wrong heat treatment/);

      const detail = await getHoldDetail(tx, dan, placed.holdId, { offset: 0, limit: 50 });
      expect(detail.hold.active).toBe(true);
      expect(detail.hold.signatures.map((s) => [s.meaning, s.status, s.printedName])).toEqual([["hold", "valid", "Priya Raman"]]);
      expect(detail.hold.signatures[0]!.display).toMatch(/^Priya Raman — hold — \d{4}-\d\d-\d\d \d\d:\d\d \S+ \(America\/Chicago\)$/);
      expect(detail.kits).toEqual([expect.objectContaining({ kitId: kit.kitId, lotNumber: "KP24-0901", quantity: expect.stringMatching(/^2(\.0+)?$/) })]);
      expect(detail.staged).toEqual(expect.arrayContaining([expect.objectContaining({ locationCode: "POU-FA-01", stationCode: "FA-01", lotNumber: "KP24-0901" })]));
      const [wu] = await queryRows<{ n: number }>(
        tx,
        sql`select count(distinct parent_serial_item_id)::int as n from genealogy_edges where child_lot_id = ${ids.lot("WCH", "KP24-0901")}`,
      );
      expect(wu!.n).toBeGreaterThan(0);
      expect(detail.units.total).toBeGreaterThanOrEqual(Number(wu!.n));
      expect(detail.units.rows.length).toBe(Math.min(50, detail.units.total));

      const list = await listHoldViews(tx, dan);
      expect(list.active.find((h) => h.id === placed.holdId)).toMatchObject({ reason: "Supplier reported wrong heat treatment", tampered: false });

      // release, signed
      const later = new Date(now.getTime() + 60_000);
      const released = await releaseHold(tx, priya, { requestId: rid(), holdId: placed.holdId, reason: "Certificates checked: heat treatment correct", signature: sign(DEMO_PASSWORD, "release") }, ctx(later));
      const after = await getHoldDetail(tx, priya, placed.holdId, { offset: 0, limit: 10 });
      expect(after.hold).toMatchObject({ active: false, releasedByName: "Priya Raman", releaseReason: "Certificates checked: heat treatment correct", tampered: false });
      expect(after.hold.signatures.map((s) => [s.meaning, s.status, s.id])).toEqual([
        ["hold", "valid", placed.signatureId],
        ["release", "valid", released.signatureId],
      ]);
      // a second release is refused, the material is kittable again
      const failures = await failedAttempts(tx, priya.userId);
      const again = await refusal(releaseHold(tx, priya, { requestId: rid(), holdId: placed.holdId, reason: "again", signature: sign("not-even-checked", "release") }, ctx(later)));
      expect(again.code).toBe("HOLD_NOT_ACTIVE");
      expect(await failedAttempts(tx, priya.userId)).toBe(failures);
      const pick = await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "KP24-0901", quantity: "1" }, later);
      expect(pick.lotNumber).toBe("KP24-0901");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses to consume held material at the station with the hold's reason, and accepts it once the hold is released", async () => {
    await inRollback(t.db, async (tx) => {
      const maria = await actorFor(tx, "B1001");
      const now = TEST_NOW;
      const consume = () =>
        consumeComponent(
          tx,
          maria,
          { requestId: rid(), stationId: ids.station("WCH", "FA-01"), unitId: ids.unit("WCH", "ACT-1004"), operationSeq: 10, item: { lotId: ids.lot("WCH", "KP24-0901") }, quantity: "2" },
          now,
        );
      const placed = await placeHold(tx, priya, { requestId: rid(), target: lotTarget("KP24-0901"), reason: "Bracket cracks found at incoming", signature: sign() }, ctx(now));
      const e = await refusal(consume());
      expect(e.code).toBe("LOT_ON_HOLD");
      expect(e.message).toMatch(/Bracket cracks found at incoming/);
      await releaseHold(tx, priya, { requestId: rid(), holdId: placed.holdId, reason: "Cracks were on another lot", signature: sign(DEMO_PASSWORD, "release") }, ctx(now));
      const ok = await consume();
      expect(ok.edgeId).toBeTruthy();
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("replays a delivered request id without placing a second hold or asking twice", async () => {
    await inRollback(t.db, async (tx) => {
      const cmd = { requestId: rid(), target: lotTarget("MM24-1187"), reason: "Magnet strength below spec", signature: sign() };
      const first = await placeHold(tx, priya, cmd, ctx());
      const before = await holdFootprint(tx);
      const second = await placeHold(tx, priya, cmd, ctx());
      expect(second).toEqual(first);
      expect(await holdFootprint(tx)).toEqual(before);
      const conflict = await refusal(placeHold(tx, priya, { ...cmd, reason: "Another reason" }, ctx()));
      expect(conflict.code).toBe("REQUEST_CONFLICT");
    });
  });

  it("holds a part revision, a manufacturer and a supplier by code (supplier where-used paged with exact totals), refuses a PIN the user does not have", async () => {
    await inRollback(t.db, async (tx) => {
      const [lot] = await queryRows<{ mfr: string | null; sup: string | null; part_number: string; revision: string }>(
        tx,
        sql`select m.code as mfr, su.code as sup, p.part_number, pr.revision from lots l
            left join manufacturers m on m.id = l.manufacturer_id left join suppliers su on su.id = l.supplier_id
            join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
            where l.id = ${ids.lot("WCH", "SE24-3420")}`,
      );
      const part = await placeHold(tx, priya, { requestId: rid(), target: { kind: "part_revision", partNumber: lot!.part_number, revision: lot!.revision }, reason: "Drawing change pending", signature: sign() }, ctx());
      expect(part.targetType).toBe("part_revision");
      expect(lot!.mfr).toBeTruthy();
      expect(lot!.sup).toBeTruthy();
      const m = await placeHold(tx, priya, { requestId: rid(), target: { kind: "manufacturer", code: lot!.mfr! }, reason: "Manufacturer audit finding", signature: sign() }, ctx());
      expect(m.targetLabel).toMatch(new RegExp(`^Manufacturer ${lot!.mfr} `));
      const s = await placeHold(tx, priya, { requestId: rid(), target: { kind: "supplier", code: lot!.sup! }, reason: "Supplier counterfeit alert", signature: sign() }, ctx());
      const d = await getHoldDetail(tx, priya, s.holdId, { offset: 0, limit: 5 });
      expect(d.hold.targetLabel).toMatch(new RegExp(`^Supplier ${lot!.sup} `));
      // the supplier's lot SE24-3420 is staged at FA-01 and installed in units: both show under the supplier hold
      expect(d.staged.some((x) => x.lotNumber === "SE24-3420")).toBe(true);
      const [n] = await queryRows<{ n: number }>(
        tx,
        sql`select count(distinct e.parent_serial_item_id)::int as n from genealogy_edges e join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
            where l.site_id = ${priya.siteId} and l.supplier_id = (select id from suppliers where code = ${lot!.sup!})`,
      );
      expect(n!.n).toBeGreaterThan(0);
      expect(d.units.total).toBeGreaterThanOrEqual(Number(n!.n));
      expect(d.units.rows.length).toBe(Math.min(5, d.units.total));
      const pastEnd = await getHoldDetail(tx, priya, s.holdId, { offset: 10_000, limit: 5 });
      expect(pastEnd.units).toMatchObject({ total: d.units.total, rows: [] });
      const unknown = await refusal(placeHold(tx, priya, { requestId: rid(), target: { kind: "supplier", code: "NOPE-0" }, reason: "x", signature: sign() }, ctx()));
      expect(unknown.code).toBe("NOT_FOUND");
      // a PIN is refused when the user has none set up (office user), counted like a wrong one
      const noPin = await refusal(placeHold(tx, priya, { requestId: rid(), target: lotTarget("MM24-1187"), reason: "x", signature: { method: "pin", secret: DEMO_PIN, meaning: "hold" } }, ctx()));
      expect(noPin.code).toBe("SIGNATURE_REFUSED");
      expect(noPin.message).toMatch(/no PIN set up/);
    });
  });

  it("refuses a wrong password: nothing written, the attempt counted and audited", async () => {
    await inRollback(t.db, async (tx) => {
      const before = await holdFootprint(tx);
      const failuresBefore = await failedAttempts(tx, priya.userId);
      const e = await refusal(placeHold(tx, priya, { requestId: rid(), target: lotTarget("KP24-0901"), reason: "Suspect lot", signature: sign("wrong-password") }, ctx()));
      expect(e.code).toBe("SIGNATURE_REFUSED");
      expect(e.message).toMatch(/password is wrong/);
      expect(await holdFootprint(tx)).toEqual(before);
      expect(await failedAttempts(tx, priya.userId)).toBe(failuresBefore + 1);
      const audited = await auditOf(tx, priya.userId, "signature_failed");
      expect(audited.at(-1)).toMatchObject({ reason: "wrong password", new_value: expect.objectContaining({ meaning: "hold", recordType: "hold", method: "password" }) });
      // the wrong meaning, a missing reason and an unknown lot are refused before any password is checked
      for (const [cmd, code] of [
        [{ signature: sign(DEMO_PASSWORD, "approval") }, "VALIDATION_FAILED"],
        [{ reason: "   " }, "VALIDATION_FAILED"],
        [{ target: lotTarget("NO-SUCH-LOT") }, "NOT_FOUND"],
      ] as const) {
        const base = { requestId: rid(), target: lotTarget("KP24-0901"), reason: "Suspect lot", signature: sign() };
        const r = await refusal(placeHold(tx, priya, { ...base, ...cmd }, ctx()));
        expect(r.code).toBe(code);
      }
      expect(await failedAttempts(tx, priya.userId)).toBe(failuresBefore + 1);
      expect(await holdFootprint(tx)).toEqual(before);
    });
  });

  it("locks the account after 5 failed signatures: the right password is refused too, and so is sign-in", async () => {
    await inRollback(t.db, async (tx) => {
      const now = TEST_NOW;
      const cmd = () => ({ requestId: rid(), target: lotTarget("KP24-0901"), reason: "Suspect lot", signature: sign("guess") });
      for (let i = 0; i < 5; i++) {
        const e = await refusal(placeHold(tx, priya, cmd(), ctx(now, `device-${i}`)));
        expect(e.code).toBe("SIGNATURE_REFUSED");
        expect(e.details.locked).toBe(i === 4);
      }
      const before = await holdFootprint(tx);
      const locked = await refusal(placeHold(tx, priya, { ...cmd(), signature: sign() }, ctx(new Date(now.getTime() + 60_000), "device-ok")));
      expect(locked.code).toBe("SIGNATURE_REFUSED");
      expect(locked.details).toMatchObject({ locked: true, scope: "account" });
      expect(locked.message).toMatch(/locked.*Try again in 14 minutes/);
      expect(await holdFootprint(tx)).toEqual(before);
      expect((await auditOf(tx, priya.userId, "signature_throttled")).length).toBe(1);
      const signIn = await refusal(signInWithPassword(tx, { username: "priya.raman", password: DEMO_PASSWORD }, { clientKey: "office-pc", now: new Date(now.getTime() + 60_000) }));
      expect(signIn.code).toBe("SIGN_IN_THROTTLED");
      // 15 minutes after the fifth failure the lock is over
      const ok = await placeHold(tx, priya, { ...cmd(), signature: sign() }, ctx(new Date(now.getTime() + 15 * 60_000 + 1000), "device-ok"));
      expect(ok.holdId).toBeTruthy();
    });
  });

  it("answers NOT_FOUND for a lot, serial or hold of another site, and FORBIDDEN for a supervisor", async () => {
    await inRollback(t.db, async (tx) => {
      const e = await refusal(placeHold(tx, tlsQuality, { requestId: rid(), target: lotTarget("KP24-0901"), reason: "x", signature: sign() }, ctx()));
      expect(e.code).toBe("NOT_FOUND");
      const [wchSerial] = await queryRows<{ serial_number: string }>(
        tx,
        sql`select s.serial_number from serial_items s join sites x on x.id = s.site_id where x.code = 'WCH'
            and not exists (select 1 from serial_items o join sites y on y.id = o.site_id where y.code = 'TLS' and o.serial_number = s.serial_number) limit 1`,
      );
      const es = await refusal(placeHold(tx, tlsQuality, { requestId: rid(), target: { kind: "serial", serialNumber: wchSerial!.serial_number }, reason: "x", signature: sign() }, ctx()));
      expect(es.code).toBe("NOT_FOUND");
      const placed = await placeHold(tx, priya, { requestId: rid(), target: lotTarget("KP24-0901"), reason: "Suspect lot", signature: sign() }, ctx());
      expect((await refusal(getHoldDetail(tx, tlsQuality, placed.holdId, { offset: 0, limit: 10 }))).code).toBe("NOT_FOUND");
      const er = await refusal(releaseHold(tx, tlsQuality, { requestId: rid(), holdId: placed.holdId, reason: "x", signature: sign(DEMO_PASSWORD, "release") }, ctx()));
      expect(er.code).toBe("NOT_FOUND");
      expect((await listHoldViews(tx, tlsQuality)).active.some((h) => h.id === placed.holdId)).toBe(false);
      const forbidden = await refusal(placeHold(tx, dan, { requestId: rid(), target: lotTarget("KP24-0901"), reason: "x", signature: sign() }, ctx()));
      expect(forbidden.code).toBe("FORBIDDEN");
    });
  });
});

describe("signature binding", () => {
  it("signs with a badge PIN, uses each re-authentication once, and refuses a signer object it did not issue", async () => {
    await inRollback(t.db, async (tx) => {
      const now = TEST_NOW;
      const signer = await reauthenticateSigner(tx, jamal, { method: "pin", secret: DEMO_PIN, meaning: "review" }, { recordType: "kit", recordId: null }, ctx(now));
      const content = { recordType: "kit", id: "K-1", lines: [{ part: "BKT-4410-07", qty: "2" }] };
      const row = await writeSignature(tx, jamal, signer, { recordType: "kit", recordId: "K-1", content }, now);
      expect(row).toMatchObject({ printedName: "Jamal Carter", meaning: "review", authMethod: "pin", timeZone: jamal.timeZone });
      expect(verifySignature(row, content).status).toBe("valid");
      expect(verifySignature(row, { ...content, lines: [{ part: "BKT-4410-07", qty: "3" }] }).status).toBe("invalid");
      // the same re-authentication cannot sign twice, and a hand-made signer is refused
      expect((await refusal(writeSignature(tx, jamal, signer, { recordType: "kit", recordId: "K-2", content }, now))).code).toBe("SIGNATURE_REFUSED");
      const forged: VerifiedSigner = { userId: jamal.userId, printedName: "Jamal Carter", method: "pin", meaning: "approval", siteId: jamal.siteId };
      expect((await refusal(writeSignature(tx, jamal, forged, { recordType: "kit", recordId: "K-3", content }, now))).code).toBe("SIGNATURE_REFUSED");
      const [n] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from signatures where record_type = 'kit'`);
      expect(Number(n!.n)).toBe(1);
    });
  });

  it("shows a signature as INVALID once the signed hold is altered behind the application's back", async () => {
    // committed, so the owner connection can alter the row (as a database administrator could, past the hold's trigger)
    const placed = await placeHold(t.db, priya, { requestId: rid(), target: lotTarget("MM24-1203"), reason: "Coating thickness out of tolerance", signature: sign() }, ctx());
    const good = await getHoldDetail(t.db, priya, placed.holdId, { offset: 0, limit: 10 });
    expect(good.hold.signatures[0]!.status).toBe("valid");

    await t.ownerDb.transaction(async (tx) => {
      await tx.execute(sql`alter table holds disable trigger holds_release_only`);
      await tx.execute(sql`update holds set reason = 'Coating fine' where id = ${placed.holdId}`);
      await tx.execute(sql`alter table holds enable trigger holds_release_only`);
    });
    const bad = await getHoldDetail(t.db, priya, placed.holdId, { offset: 0, limit: 10 });
    expect(bad.hold.reason).toBe("Coating fine");
    expect(bad.hold.tampered).toBe(true);
    expect(bad.hold.signatures[0]!.status).toBe("invalid");
    expect(INVALID_SIGNATURE_TEXT).toBe("INVALID: record changed after signing");
    expect((await listHoldViews(t.db, priya)).active.find((h) => h.id === placed.holdId)!.tampered).toBe(true);

    // the signature itself cannot be re-pointed at the new content, by the app or by the owner
    const fake = contentHash({ anything: "else" });
    expect(await dbError(t.db.execute(sql`update signatures set content_hash = ${fake} where id = ${placed.signatureId}`))).toMatch(/permission denied/);
    expect(await dbError(t.ownerDb.execute(sql`update signatures set content_hash = ${fake} where id = ${placed.signatureId}`))).toMatch(/APPEND_ONLY/);
    // putting the signed content back makes it valid again: the hash is of the content, nothing else
    await t.ownerDb.transaction(async (tx) => {
      await tx.execute(sql`alter table holds disable trigger holds_release_only`);
      await tx.execute(sql`update holds set reason = 'Coating thickness out of tolerance' where id = ${placed.holdId}`);
      await tx.execute(sql`alter table holds enable trigger holds_release_only`);
    });
    expect((await getHoldDetail(t.db, priya, placed.holdId, { offset: 0, limit: 10 })).hold.signatures[0]!.status).toBe("valid");
  });
});

