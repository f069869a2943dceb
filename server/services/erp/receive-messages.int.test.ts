import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import * as s from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { receiveErpMessages, replayMessage, HELD_LIMIT_MINUTES, MAX_ATTEMPTS } from "./receive-messages";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

const partMsg = (plant: string, pn: string, v: number, extra: Record<string, unknown> = {}) =>
  message(plant, "part", pn, v, { partNumber: pn, description: `Part ${pn} v${v}`, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }], ...extra });

async function statusOf(db: DbOrTx, messageId: string) {
  const [row] = await db.select({ status: s.erpInbox.status, error: s.erpInbox.error }).from(s.erpInbox).where(eq(s.erpInbox.messageId, messageId));
  return row;
}

async function bomLineCount(db: DbOrTx, partNumber: string) {
  const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from bom_lines l join boms b on b.id = l.bom_id
    join part_revisions r on r.id = b.parent_revision_id join parts p on p.id = r.part_id where p.part_number = ${partNumber}`);
  return rows[0]!.n;
}

describe("receiveErpMessages", () => {
  it("applies master data, and answers duplicates and conflicting ids", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const m = partMsg(plant, "BRK-100", 1);
      const [first] = await receiveErpMessages(tx, connection, [m], now);
      expect(first).toMatchObject({ status: "applied" });
      const [again] = await receiveErpMessages(tx, connection, [m], now);
      expect(again).toMatchObject({ status: "duplicate" });
      const [conflict] = await receiveErpMessages(tx, connection, [{ ...m, payload: { ...(m.payload as object), description: "changed" } }], now);
      expect(conflict).toMatchObject({ status: "rejected", error: { code: "MESSAGE_ID_CONFLICT" } });
      const [part] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, "BRK-100"));
      expect(part).toMatchObject({ description: "Part BRK-100 v1", erpVersion: 1 });
    });
  });

  it("records an older version after a newer one as overtaken and keeps the newer (scenario 9)", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const results = await receiveErpMessages(tx, connection, [partMsg(plant, "BRK-200", 2), partMsg(plant, "BRK-200", 1)], now);
      expect(results.map((r) => r.status)).toEqual(["applied", "overtaken"]);
      const [part] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, "BRK-200"));
      expect(part!.description).toBe("Part BRK-200 v2");
    });
  });

  it("writes only ERP-owned attributes and says which it ignored", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const [r] = await receiveErpMessages(tx, connection, [partMsg(plant, "SEAL-1", 1, { outTimeMinutes: 240, shelfLifeDays: 180 })], now);
      expect(r).toMatchObject({ status: "applied", warnings: ["part.out_time_minutes is owned by Traceline: ignored"] });
      const [part] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, "SEAL-1"));
      expect(part).toMatchObject({ outTimeMinutes: null, shelfLifeDays: 180 });
    });
  });

  it("applies a BOM sent in segments only when the last segment arrives", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      await receiveErpMessages(tx, connection, [partMsg(plant, "ASM-1", 1), partMsg(plant, "C-1", 1), partMsg(plant, "C-2", 1), partMsg(plant, "C-3", 1)], now);
      const line = (n: number) => ({ findNumber: n, partNumber: `C-${n}`, revision: "A", quantity: "2", operationSeq: 10 });
      const seg = (i: number) => message(plant, "bom", "ASM-1/A", 1, { partNumber: "ASM-1", revision: "A", segment: { index: i, count: 3 }, lines: [line(i)] });
      const r1 = await receiveErpMessages(tx, connection, [seg(3), seg(1)], now);
      expect(r1.map((r) => r.status)).toEqual(["held", "held"]);
      expect(await bomLineCount(tx, "ASM-1")).toBe(0);
      const [r2] = await receiveErpMessages(tx, connection, [seg(2)], now);
      expect(r2!.status).toBe("applied");
      expect(await bomLineCount(tx, "ASM-1")).toBe(3);
      const statuses = await tx.select({ status: s.erpInbox.status }).from(s.erpInbox).where(eq(s.erpInbox.type, "bom"));
      expect(statuses.every((x) => x.status === "applied")).toBe(true);
    });
  });

  it("applies production-order messages in order, holding a later one until the gap fills", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      await receiveErpMessages(tx, connection, [partMsg(plant, "ACT-1", 1)], now);
      await receiveErpMessages(tx, connection, [
        message(plant, "routing", "R-ACT", 1, { code: "R-ACT", partNumber: "ACT-1", revision: "A", operations: [{ seq: 10, code: "ASSY", description: "Assemble", workCenter: "WC1" }] }),
      ], now);
      const release = message(plant, "production_order", "WO-1", 1, { action: "release", number: "WO-1", partNumber: "ACT-1", revision: "A", quantity: 2, dueDate: "2026-12-10", serials: ["S1", "S2"] });
      const change = message(plant, "production_order", "WO-1", 2, { action: "change", number: "WO-1", quantity: 3, serials: ["S1", "S2", "S3"] });
      const close = message(plant, "production_order", "WO-1", 3, { action: "close", number: "WO-1" });
      const held = await receiveErpMessages(tx, connection, [close, change], now);
      expect(held.map((r) => r.status)).toEqual(["held", "held"]);
      expect(held[1]!.error?.message).toMatch(/Waiting for version 1/);
      const [applied] = await receiveErpMessages(tx, connection, [release], now);
      expect(applied!.status).toBe("applied");
      const [wo] = await tx.select().from(s.workOrders).where(eq(s.workOrders.number, "WO-1"));
      expect(wo).toMatchObject({ quantity: 3, status: "closed", erpVersion: 3 });
      const units = await tx.select().from(s.units).where(eq(s.units.workOrderId, wo!.id));
      expect(units.map((u) => u.serial).sort()).toEqual(["S1", "S2", "S3"]);
      expect((await statusOf(tx, close.messageId))!.status).toBe("applied");
    });
  });

  it("settles a held copy of a version (re-sent under another message id) as overtaken when that version applies", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      await receiveErpMessages(tx, connection, [partMsg(plant, "ACT-2", 1)], now);
      await receiveErpMessages(tx, connection, [
        message(plant, "routing", "R-ACT2", 1, { code: "R-ACT2", partNumber: "ACT-2", revision: "A", operations: [{ seq: 10, code: "ASSY", description: "Assemble", workCenter: "WC1" }] }),
      ], now);
      const release = message(plant, "production_order", "WO-2", 1, { action: "release", number: "WO-2", partNumber: "ACT-2", revision: "A", quantity: 1, dueDate: "2026-12-10", serials: ["T1"] });
      const changePayload = { action: "change", number: "WO-2", quantity: 2, serials: ["T1", "T2"] };
      const change = message(plant, "production_order", "WO-2", 2, changePayload);
      const resent = message(plant, "production_order", "WO-2", 2, changePayload);
      expect((await receiveErpMessages(tx, connection, [change, resent], now)).map((r) => r.status)).toEqual(["held", "held"]);
      expect((await receiveErpMessages(tx, connection, [release], now))[0]!.status).toBe("applied");
      expect([(await statusOf(tx, change.messageId))!.status, (await statusOf(tx, resent.messageId))!.status]).toEqual(["applied", "overtaken"]);
      // nothing is left waiting to be dead-lettered
      const later = new Date(now.getTime() + (HELD_LIMIT_MINUTES + 1) * 60_000);
      await receiveErpMessages(tx, connection, [], later);
      expect((await statusOf(tx, resent.messageId))!.status).toBe("overtaken");
    });
  });

  it("dead-letters a held message after the time limit, and a replay is idempotent", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const late = message(plant, "production_order", "WO-9", 2, { action: "close", number: "WO-9" });
      await receiveErpMessages(tx, connection, [late], now);
      const later = new Date(now.getTime() + (HELD_LIMIT_MINUTES + 1) * 60_000);
      await receiveErpMessages(tx, connection, [], later);
      const row = await statusOf(tx, late.messageId);
      expect(row).toMatchObject({ status: "dead_letter", error: { code: "HELD_TOO_LONG" } });
      const [inboxRow] = await tx.select({ id: s.erpInbox.id }).from(s.erpInbox).where(eq(s.erpInbox.messageId, late.messageId));
      const user = await tx.insert(s.users).values({ username: "admin-x", displayName: "Admin", passwordHash: "x" }).returning();
      const replay1 = await replayMessage(tx, inboxRow!.id, user[0]!.id, later);
      expect(replay1!.status).toBe("held");
      const replay2 = await replayMessage(tx, inboxRow!.id, user[0]!.id, later);
      expect(replay2!.status).toBe("held");
    });
  });

  it("rejects each bad message precisely, keeps it, and applies the rest of the batch", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const good = partMsg(plant, "OK-1", 1);
      const missingField = { ...partMsg(plant, "BAD-1", 1), payload: { partNumber: "BAD-1", uom: "EA", tracking: "lot", revisions: [{ revision: "A" }] } };
      const unknownType = { ...partMsg(plant, "BAD-2", 1), type: "invoice" };
      const unknownPlant = { ...partMsg(plant, "BAD-3", 1), plant: "9999" };
      const badBom = message(plant, "bom", "OK-1/A", 1, { partNumber: "OK-1", revision: "A", lines: [{ findNumber: 1, partNumber: "NOPE", revision: "A", quantity: "1", operationSeq: 10 }] });
      const badDecimal = message(plant, "bom", "OK-1/A", 2, { partNumber: "OK-1", revision: "A", lines: [{ findNumber: 1, partNumber: "OK-1", revision: "A", quantity: "1.1234567", operationSeq: 10 }] });
      const wrongKey = { ...partMsg(plant, "BAD-4", 1), key: "SOMETHING-ELSE" };
      const noEnvelope = { hello: "world" };
      const results = await receiveErpMessages(tx, connection, [missingField, good, unknownType, unknownPlant, badBom, badDecimal, wrongKey, noEnvelope], now);
      expect(results.map((r) => r.status)).toEqual(["rejected", "applied", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected"]);
      expect(results[0]!.error!.fields).toContainEqual({ field: "payload.description", reason: expect.any(String) });
      expect(results[2]!.error!.fields!.map((f) => f.field)).toContain("type");
      expect(results[3]!.error!.fields).toEqual([{ field: "plant", reason: "unknown plant" }]);
      expect(results[4]!.error!.fields![0]!.field).toBe("payload.lines.0.partNumber");
      expect(results[4]!.error!.message).toMatch(/unknown part NOPE/);
      expect(results[5]!.error!.fields![0]!.field).toBe("payload.lines.0.quantity");
      expect(results[6]!.error!.fields).toEqual([{ field: "key", reason: 'must be "BAD-4"' }]);
      expect(results[7]!.error!.fields!.map((f) => f.field)).toEqual(expect.arrayContaining(["messageId", "type", "key", "version", "plant"]));
      expect(await bomLineCount(tx, "OK-1")).toBe(0);
      const bad = await tx.select().from(s.parts).where(sql`${s.parts.partNumber} like 'BAD-%'`);
      expect(bad).toEqual([]);
      const kept = await tx.select({ status: s.erpInbox.status }).from(s.erpInbox);
      expect(kept.filter((k) => k.status === "rejected")).toHaveLength(7);
    });
  });

  it("replays a rejected BOM once its part has arrived", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      await receiveErpMessages(tx, connection, [partMsg(plant, "TOP-1", 1)], now);
      const bom = message(plant, "bom", "TOP-1/A", 1, { partNumber: "TOP-1", revision: "A", lines: [{ findNumber: 1, partNumber: "LATE-1", revision: "A", quantity: "1", operationSeq: 10 }] });
      expect((await receiveErpMessages(tx, connection, [bom], now))[0]!.status).toBe("rejected");
      await receiveErpMessages(tx, connection, [partMsg(plant, "LATE-1", 1)], now);
      const [row] = await tx.select({ id: s.erpInbox.id }).from(s.erpInbox).where(eq(s.erpInbox.messageId, bom.messageId));
      const [user] = await tx.insert(s.users).values({ username: "admin-y", displayName: "Admin", passwordHash: "x" }).returning();
      expect((await replayMessage(tx, row!.id, user!.id, now))!.status).toBe("applied");
      expect((await replayMessage(tx, row!.id, user!.id, now))!.status).toBe("duplicate");
      expect(await bomLineCount(tx, "TOP-1")).toBe(1);
      const history = await tx.select({ status: s.erpInboxEvents.status }).from(s.erpInboxEvents).where(eq(s.erpInboxEvents.inboxId, row!.id));
      expect(history.map((h) => h.status)).toEqual(["received", "rejected", "received", "applied"]);
    });
  });

  it("issues material to the floor as a ledger movement from ERP supply", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant, site } = await erpFixture(tx);
      await receiveErpMessages(tx, connection, [
        partMsg(plant, "ORING-1", 1),
        message(plant, "approved_manufacturers", "ORING-1", 1, { partNumber: "ORING-1", manufacturers: [{ code: "81349", name: "Seal Co", status: "approved" }] }),
      ], now);
      const issue = (n: string, qty: string, uom?: string) =>
        message(plant, "material_issue", `DOC-${n}`, 1, {
          partNumber: "ORING-1",
          revision: "A",
          lotNumber: "L-77",
          quantity: qty,
          ...(uom ? { uom } : {}),
          location: "STORES",
          manufacturer: "81349",
          inspectionStatus: "accepted",
          expiresAt: "2027-06-30T00:00:00Z",
        });
      // a quantity in another unit than the part's is refused, not booked: the part is counted in EA
      const results = await receiveErpMessages(tx, connection, [issue("1", "100"), issue("2", "0.5", "ea"), issue("3", "5", "EA"), issue("4", "2", "KG")], now);
      expect(results.map((r) => r.status)).toEqual(["applied", "applied", "applied", "rejected"]);
      expect(results[3]!.error).toMatchObject({ fields: [{ field: "payload.uom", reason: expect.stringContaining("counted in EA") }] });
      const [bal] = await tx
        .select({ onHand: s.stockBalances.onHand })
        .from(s.stockBalances)
        .where(and(eq(s.stockBalances.siteId, site.siteId), eq(s.stockBalances.locationId, site.loc.stores)));
      expect(bal!.onHand).toBe("105.500000");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});

describe("a message that keeps failing", () => {
  it("is retried on redelivery, dead-lettered after the attempt limit, and never blocks other objects", async () => {
    // An unexpected failure (not a bad message): a trigger, installed by the owner, breaks every write of one part.
    await t.ownerDb.execute(sql`create or replace function test_break_part() returns trigger language plpgsql as $$
      begin if new.part_number = 'BROKEN-1' then raise exception 'disk on fire'; end if; return new; end $$`);
    await t.ownerDb.execute(sql`create trigger test_break_part before insert or update on parts for each row execute function test_break_part()`);
    try {
      const { connection, plant } = await erpFixture(t.db);
      const broken = partMsg(plant, "BROKEN-1", 1);
      const statuses: string[] = [];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        // odd attempts go through the set-based batch path, which falls back to one-by-one when its transaction fails
        const [r, other] = await receiveErpMessages(t.db, connection, [broken, partMsg(plant, `FINE-${attempt}`, 1)], now, { fastPathMinBatch: attempt % 2 ? 1 : 1000 });
        expect(r).toMatchObject({ status: "rejected", error: { code: "TEMPORARY_FAILURE" } });
        expect(other!.status).toBe("applied");
        statuses.push((await statusOf(t.db, broken.messageId))!.status);
      }
      expect(statuses).toEqual([...Array(MAX_ATTEMPTS - 1).fill("received"), "dead_letter"]);
      const [row] = await t.db.select().from(s.erpInbox).where(eq(s.erpInbox.messageId, broken.messageId));
      expect(row!.attempts).toBe(MAX_ATTEMPTS);
      // redelivery after the dead letter does not retry on its own: it answers with the recorded failure
      const [again] = await receiveErpMessages(t.db, connection, [broken], now);
      expect(again!.status).toBe("rejected");
    } finally {
      await t.ownerDb.execute(sql`drop trigger if exists test_break_part on parts`);
    }
  });
});
