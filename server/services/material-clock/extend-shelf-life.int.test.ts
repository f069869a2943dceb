import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { TEST_NOW } from "@/db/testing/clock";
import { DEMO_PASSWORD } from "@/db/seed/demo-plant";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { extendShelfLife, type ExtendShelfLifeCommand } from "./extend-shelf-life";
import { readLotHistory } from "./lot-history";

const t = useTestDatabase("demo");
let priya: Actor;
let jamal: Actor;
let lotId: string;

beforeAll(async () => {
  priya = await actorFor(t.db, "priya.raman");
  jamal = await actorFor(t.db, "B1002");
  const [lot] = await queryRows<{ id: string }>(t.db, sql`select lo.id from lots lo join sites s on s.id = lo.site_id where s.code = 'WCH' and lo.lot_number = 'AC24-0519'`);
  lotId = lot!.id;
});

const ctx = (now = TEST_NOW) => ({ now, clientKey: `test-${randomUUID()}` });
const cmd = (over: Partial<ExtendShelfLifeCommand> = {}): ExtendShelfLifeCommand => ({
  requestId: randomUUID(),
  lotId,
  newExpiryDate: "2027-09-30",
  reason: "Re-test passed: viscosity and tack-free time within specification",
  testReference: "LAB-RT-2026-0418",
  signature: { method: "password", secret: DEMO_PASSWORD, meaning: "approval" },
  ...over,
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** What an extension writes: the lot's expiry, clock events, signatures, audit rows, outbox rows. */
async function footprint(db: DbOrTx) {
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select (select expires_at::text from lots where id = ${lotId}::uuid) as expires,
               (select count(*)::text from lot_clock_events where lot_id = ${lotId}::uuid) as events,
               (select count(*)::text from signatures) as signatures,
               (select count(*)::text from audit_log where action = 'extend_shelf_life') as audit,
               (select count(*)::text from erp_outbox) as outbox`,
  );
  return row;
}

describe("shelf-life extension after a re-test", () => {
  it("is signed, moves the lot's expiry, is in its clock history, and ERP (which owns lot expiry) is told; a retry has one effect", async () => {
    await inRollback(t.db, async (tx) => {
      const before = await footprint(tx);
      const c = cmd();
      const out = await extendShelfLife(tx, priya, c, ctx());
      expect(out).toMatchObject({ lotNumber: "AC24-0519", erpTold: true });
      // usable through the new date, in the site's time zone (America/Chicago): 23:59 local
      expect(out.newExpiresAt).toBe("2027-10-01T04:59:00.000Z");
      expect(await extendShelfLife(tx, priya, { ...c, signature: { ...c.signature } }, ctx())).toEqual(out);

      const after = await footprint(tx);
      expect(Number(after!.events) - Number(before!.events)).toBe(1);
      expect(Number(after!.signatures) - Number(before!.signatures)).toBe(1);
      expect(Number(after!.audit) - Number(before!.audit)).toBe(1);
      expect(Number(after!.outbox) - Number(before!.outbox)).toBe(1);
      const [msg] = await queryRows<{ type: string; payload: Record<string, string> }>(tx, sql`select type, payload from erp_outbox where type = 'lot_expiry'`);
      expect(msg).toMatchObject({ type: "lot_expiry", payload: { batch: "AC24-0519", material: "PR-1422-B2", expiry: "2027-09-30", testReference: "LAB-RT-2026-0418", plant: "1000" } });
      const [sig] = await queryRows<{ meaning: string; record_type: string; printed_name: string }>(
        tx,
        sql`select meaning::text, record_type, printed_name from signatures where id = ${out.signatureId}::uuid`,
      );
      expect(sig).toEqual({ meaning: "approval", record_type: "shelf_life_extension", printed_name: priya.displayName });

      // the lot's history shows it, with the test reference and the reason
      const [lot] = await readLotHistory(tx, priya, { lotNumber: "AC24-0519" }, TEST_NOW);
      const ext = lot!.events.find((e) => e.kind === "shelf_life_extended")!;
      expect(ext).toMatchObject({ reason: c.reason, actorName: priya.displayName, detail: { testReference: "LAB-RT-2026-0418", signatureId: out.signatureId } });
      expect(lot!.expiresAt!.toISOString()).toBe(out.newExpiresAt);
    });
  });

  it("tells ERP nothing when the registry keeps lot expiry in Traceline", async () => {
    await inRollback(t.db, async (tx) => {
      await tx.execute(sql`update ownership_registry set owner = 'traceline', direction = 'none' where entity = 'lot' and attribute = 'expires_at'`);
      const before = await footprint(tx);
      expect((await extendShelfLife(tx, priya, cmd(), ctx())).erpTold).toBe(false);
      expect((await footprint(tx))!.outbox).toBe(before!.outbox);
    });
  });

  it.each([
    ["an earlier date", { newExpiryDate: "2027-01-31" }, "VALIDATION_FAILED", /already expires on 2027-06-2\d: an extension must give a later date/],
    ["no test reference", { testReference: " " }, "VALIDATION_FAILED", /reference of the re-test report/],
    ["no reason", { reason: "" }, "VALIDATION_FAILED", /Say why/],
    ["not a date", { newExpiryDate: "2027-02-30" }, "VALIDATION_FAILED", /calendar date/],
    ["another meaning", { signature: { method: "password" as const, secret: DEMO_PASSWORD, meaning: "review" } }, "VALIDATION_FAILED", /meaning "approval"/],
    ["a wrong password", { signature: { method: "password" as const, secret: "not the password", meaning: "approval" } }, "SIGNATURE_REFUSED", /./],
  ])("refuses %s and writes nothing", async (_what, over, code, message) => {
    await inRollback(t.db, async (tx) => {
      const before = await footprint(tx);
      const e = await refusal(extendShelfLife(tx, priya, cmd(over), ctx()));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(await footprint(tx)).toEqual(before);
    });
  });

  it("is a quality engineer's action", async () => {
    await inRollback(t.db, async (tx) => {
      expect((await refusal(extendShelfLife(tx, jamal, cmd(), ctx()))).code).toBe("FORBIDDEN");
    });
  });
});
