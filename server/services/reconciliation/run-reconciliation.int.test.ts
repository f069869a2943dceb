import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { testTime } from "@/db/testing/clock";
import { postMovement } from "@/server/repos/ledger";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { claimRun, insertRun } from "@/server/repos/recon-runs";
import { actorFor } from "@/db/testing/actors";
import { DEMO_PASSWORD } from "@/db/seed/demo-plant";
import { DomainError } from "@/server/domain/shared/errors";
import { executeRun } from "./run-reconciliation";
import { acceptException, adjustLedger, requestErpCorrection } from "./resolve-exception";
import { exportExceptionsCsv, exportExceptionsPdf } from "./export-exceptions";
import { findException } from "@/server/repos/recon-exceptions";
import { exceptionSignature } from "./exception-views";

/*
 * Reconciliation on the demo plant (WCH): ERP agrees with the floor at a first snapshot; then one difference of every
 * category is planted (a consumption whose confirmation is not acknowledged, a scrap ERP was never told, an ERP count,
 * a lot ERP books under another revision, a line in another unit, a lot Traceline never had) and ERP sends a second
 * snapshot. The run finds exactly those, categorised and owned; the in-flight one clears when ERP acknowledges; a second
 * run adds nothing. Real commits in this file's own database (a run is its own transaction).
 */

const t = useTestDatabase("demo");
const t0 = testTime(10);
const t1 = testTime(20);
const t2 = testTime(30);

type Item = { part_revision_id: string; lot_id: string | null; serial_item_id: string | null; location_id: string; on_hand: string; part_number: string; revision: string; lot_number: string | null; uom: string; tracking: string };

/** The text a PDF shows (pdfkit writes strings as hex in TJ arrays), as the genealogy export test reads it. */
function pdfShownText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const out: string[] = [];
  for (const m of raw.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj/g)) {
    if (m[1] !== undefined) {
      let s = "";
      for (const h of m[1].matchAll(/<([0-9a-fA-F]*)>|\(((?:\\.|[^\\)])*)\)/g)) s += h[1] !== undefined ? Buffer.from(h[1], "hex").toString("latin1") : h[2]!;
      out.push(s);
    } else if (m[2] !== undefined) out.push(Buffer.from(m[2], "hex").toString("latin1"));
  }
  return out.join("\n");
}

type Explained = { meaning: string; messageId: string | null };
let siteId = "";
const planted: Record<string, Item> = {};
let inFlightMessageId = "";

async function runNow(db: Db, now: Date) {
  const queued = await insertRun(db, { siteId, trigger: "on_demand", requestedBy: null, now });
  expect(queued?.created).toBe(true);
  const run = await claimRun(db, { owner: "test", now, leaseMs: 60_000, siteId });
  const out = await executeRun(db, run!, { owner: "test", now: () => now, cancelPollMs: 0 });
  if (out.status === "failed") throw new Error(out.error);
  return out;
}

async function exceptions(db: Db) {
  return queryRows<{ item_key: string; category: string; status: string; owner_system: string; owner_role: string; erp_quantity: string | null; traceline_quantity: string | null; lot_number: string | null; resolution: string | null; explanation: { movements?: Explained[] } }>(
    db,
    sql`select item_key, category::text, status::text, owner_system::text, owner_role::text, erp_quantity::text, traceline_quantity::text,
               lot_number, resolution::text, explanation from recon_exceptions where site_id = ${siteId}::uuid order by number`,
  );
}

/** ERP's view per item over the floor (no locations), as it stands now in Traceline. */
async function floorLines(db: Db) {
  return queryRows<{ partNumber: string; revision: string; lotNumber?: string; serialNumber?: string; quantity: string; unit?: string }>(
    db,
    sql`select p.part_number as "partNumber", pr.revision, lo.lot_number as "lotNumber", si.serial_number as "serialNumber",
               trim_scale(sum(b.on_hand))::text as quantity
        from stock_balances b join part_revisions pr on pr.id = b.part_revision_id join parts p on p.id = pr.part_id
        left join lots lo on lo.site_id = b.site_id and lo.id = b.lot_id left join serial_items si on si.site_id = b.site_id and si.id = b.serial_item_id
        where b.site_id = ${siteId}::uuid and b.is_physical
        group by 1, 2, 3, 4 having sum(b.on_hand) <> 0`,
  );
}

async function storeSnapshot(db: Db, key: string, takenAt: Date, lines: object[]) {
  const clean = lines.map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== null && v !== undefined)));
  await db.execute(sql`insert into erp_stock_snapshots (site_id, snapshot_key, taken_at, lines) values (${siteId}::uuid, ${key}, ${takenAt.toISOString()}::timestamptz, ${JSON.stringify(clean)}::jsonb)`);
}

async function lotsAtFloor(db: Db): Promise<Item[]> {
  return queryRows<Item>(
    db,
    sql`select distinct on (b.lot_id) b.part_revision_id, b.lot_id, b.serial_item_id, b.location_id, b.on_hand::text as on_hand, p.part_number, pr.revision,
               lo.lot_number, p.uom, p.tracking::text as tracking
        from stock_balances b join part_revisions pr on pr.id = b.part_revision_id join parts p on p.id = pr.part_id
        join lots lo on lo.site_id = b.site_id and lo.id = b.lot_id
        where b.site_id = ${siteId}::uuid and b.is_physical and b.on_hand - b.reserved >= 1
        order by b.lot_id, b.on_hand desc`,
  );
}

async function locationOfKind(db: Db, kind: string): Promise<string> {
  const rows = await queryRows<{ id: string }>(db, sql`select id from storage_locations where site_id = ${siteId}::uuid and kind = ${kind}::location_kind order by code limit 1`);
  return rows[0]!.id;
}

beforeAll(async () => {
  const db = t.db;
  siteId = (await queryRows<{ id: string }>(db, sql`select id from sites where code = 'WCH'`))[0]!.id;
  // ERP has applied every confirmation the demo wrote, and its first snapshot agrees with the floor.
  await db.execute(sql`update erp_outbox set status = 'delivered', delivered_at = ${testTime(5).toISOString()}::timestamptz where site_id = ${siteId}::uuid`);
  await storeSnapshot(db, "STOCK-T0", t0, await floorLines(db));

  const lots = await lotsAtFloor(db);
  expect(lots.length, "the demo floor has five lots").toBeGreaterThanOrEqual(5);
  const [inFlight, unconfirmed, erpCount, revision, unit] = lots;
  const unknown = lots[0];
  Object.assign(planted, { inFlight, unconfirmed, erpCount, revision, unit, unknown });
}, 120_000);

describe("a reconciliation run", () => {
  it("finds nothing when ERP's snapshot agrees with the floor", async () => {
    const out = await runNow(t.db, testTime(11));
    expect(out.status).toBe("completed");
    expect(await exceptions(t.db)).toEqual([]);
    // the run's phase is a code with its figures (the screen says it in the reader's language), not an English sentence
    const [run] = await queryRows<{ phase: string; phase_values: Record<string, number> }>(t.db, sql`select phase, phase_values from recon_runs where site_id = ${siteId}::uuid order by number desc limit 1`);
    expect(run).toEqual({ phase: "done", phase_values: { differences: 0, opened: 0, failed: 0 } });
  });

  it("finds each planted difference once, in its category, with its owner, and nothing else", async () => {
    const db = t.db;
    const consumed = await locationOfKind(db, "consumed");
    const scrap = await locationOfKind(db, "scrap");
    const item = (i: Item) => ({ partRevisionId: i.part_revision_id, lotId: i.lot_id, serialItemId: null });
    // In flight: a consumption of 1 whose confirmation ERP has not acknowledged.
    const a = planted.inFlight!;
    const move = await db.transaction(async (tx) => {
      const m = await postMovement(tx, { siteId, kind: "consume", occurredAt: t1, legs: [{ ...item(a), locationId: a.location_id, quantity: "-1" }, { ...item(a), locationId: consumed, quantity: "1" }] });
      inFlightMessageId = randomUUID();
      await tx.execute(sql`insert into erp_outbox (site_id, message_id, type, payload, ordering_key, created_at, next_attempt_at)
        values (${siteId}::uuid, ${inFlightMessageId}::uuid, 'consumption', ${JSON.stringify({ movementType: "261", reference: m.movementId, order: "WO-TEST", quantity: "1" })}::jsonb, 'WO-TEST', ${t1.toISOString()}::timestamptz, ${t1.toISOString()}::timestamptz)`);
      return m;
    });
    // Unconfirmed: a scrap of 1 with no confirmation at all.
    const b = planted.unconfirmed!;
    await db.transaction((tx) => postMovement(tx, { siteId, kind: "scrap", occurredAt: t1, legs: [{ ...item(b), locationId: b.location_id, quantity: "-1" }, { ...item(b), locationId: scrap, quantity: "1" }] }));
    // Master data: a revision ERP knows and Traceline has no stock of.
    const d = planted.revision!;
    await db.execute(sql`insert into part_revisions (part_id, revision) select part_id, 'ZZ' from part_revisions where id = ${d.part_revision_id}::uuid`);

    const lines = (await queryRows<{ lines: Record<string, string>[] }>(db, sql`select lines from erp_stock_snapshots where site_id = ${siteId}::uuid and snapshot_key = 'STOCK-T0'`))[0]!.lines;
    const same = (l: Record<string, string>, i: Item) => l.partNumber === i.part_number && l.lotNumber === i.lot_number;
    const next = lines.map((l) => {
      if (same(l, planted.erpCount!)) return { ...l, quantity: String(Number(l.quantity) + 5) };
      if (same(l, d)) return { ...l, revision: "ZZ" };
      if (same(l, planted.unit!)) return { ...l, unit: planted.unit!.uom === "KG" ? "LB" : "KG" };
      return l;
    });
    next.push({ partNumber: planted.unknown!.part_number, revision: planted.unknown!.revision, lotNumber: "NEVER-SEEN-1", quantity: "3" });
    await storeSnapshot(db, "STOCK-T2", t2, next);

    const out = await runNow(db, testTime(31));
    expect(out.status).toBe("completed");
    const found = await exceptions(db);
    const byLot = Object.fromEntries(found.map((x) => [x.lot_number, x]));
    expect(found.map((x) => x.lot_number).sort()).toEqual([a.lot_number, b.lot_number, planted.erpCount!.lot_number, d.lot_number, planted.unit!.lot_number, "NEVER-SEEN-1"].sort());
    expect(byLot[a.lot_number!]).toMatchObject({ category: "in_flight", owner_system: "traceline", owner_role: "admin", status: "open" });
    expect(byLot[b.lot_number!]).toMatchObject({ category: "unconfirmed_movement", owner_system: "traceline", owner_role: "supervisor" });
    expect(byLot[planted.erpCount!.lot_number!]).toMatchObject({ category: "erp_side_adjustment", owner_system: "erp", owner_role: "kitting_clerk" });
    expect(byLot[d.lot_number!]).toMatchObject({ category: "master_data_mismatch", owner_system: "erp", owner_role: "quality_engineer" });
    expect(byLot[planted.unit!.lot_number!]).toMatchObject({ category: "uom_mismatch", owner_system: "erp" });
    expect(byLot["NEVER-SEEN-1"]).toMatchObject({ category: "unknown", owner_system: "traceline", erp_quantity: "3.000000", traceline_quantity: "0.000000" });
    // Both quantities, and the movements that explain them.
    const inFlight = byLot[a.lot_number!]!;
    expect(Number(inFlight.traceline_quantity) - Number(inFlight.erp_quantity)).toBe(-1);
    expect(inFlight.explanation.movements!.find((m: Explained) => m.meaning === "in_flight")).toMatchObject({ messageId: inFlightMessageId });
    expect(byLot[b.lot_number!]!.explanation.movements!.map((m: Explained) => m.meaning)).toContain("unconfirmed");
    expect(move.movementId).toBeTruthy();
    expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
  });

  it("clears the in-flight exception when ERP acknowledges its confirmation, and reports nothing new for it", async () => {
    const db = t.db;
    await db.execute(sql`update erp_outbox set status = 'delivered', delivered_at = ${testTime(40).toISOString()}::timestamptz where site_id = ${siteId}::uuid and message_id = ${inFlightMessageId}::uuid`);
    const out = await runNow(db, testTime(41));
    expect(out.status).toBe("completed");
    if (out.status !== "completed") return;
    expect(out.figures.clearedInFlight).toBe(1);
    expect(out.figures.merge.opened).toBe(0);
    const cleared = (await exceptions(db)).find((x) => x.category === "in_flight")!;
    expect(cleared).toMatchObject({ status: "resolved", resolution: "cleared" });
  });

  it("a second run over the same snapshot duplicates nothing", async () => {
    const db = t.db;
    const before = await exceptions(db);
    const out = await runNow(db, testTime(42));
    if (out.status !== "completed") throw new Error(out.status);
    expect(out.figures.merge).toMatchObject({ opened: 0, stillOpen: 5, noLongerDiffers: 0 });
    expect((await exceptions(db)).map((x) => [x.item_key, x.status])).toEqual(before.map((x) => [x.item_key, x.status]));
  });

  it("a ledger check that fails is a critical exception, resolved when the check passes again", async () => {
    const db = t.db;
    const supply = await locationOfKind(db, "erp_supply");
    const row = (await queryRows<{ id: string }>(db, sql`select id from stock_balances where site_id = ${siteId}::uuid and location_id = ${supply}::uuid and serial_item_id is null limit 1`))[0]!;
    await db.execute(sql`update stock_balances set on_hand = on_hand - 1 where site_id = ${siteId}::uuid and id = ${row.id}::uuid`);
    const out = await runNow(db, testTime(50));
    if (out.status !== "completed") throw new Error(out.status);
    const critical = await queryRows<{ item_key: string; severity: string; status: string }>(db, sql`select item_key, severity, status::text from recon_exceptions where site_id = ${siteId}::uuid and category = 'ledger_integrity' order by item_key`);
    expect(critical.map((c) => c.item_key)).toEqual(["ledger|balances equal the ledger", "ledger|item totals conserved across locations"]);
    expect(critical.every((c) => c.severity === "critical" && c.status === "open")).toBe(true);
    // what failed is kept as codes and figures (check name, invariant, violations), worded on the screen in the reader's language
    const checks = await queryRows<{ check: { name: string; invariant: string; violations: number } }>(db, sql`select explanation->'check' as check from recon_exceptions where site_id = ${siteId}::uuid and category = 'ledger_integrity' order by item_key`);
    expect(checks.map((c) => c.check.name)).toEqual(["balances equal the ledger", "item totals conserved across locations"]);
    expect(checks.every((c) => typeof c.check.invariant === "string" && c.check.violations >= 1 && c.check.violations <= 21)).toBe(true);
    await db.execute(sql`update stock_balances set on_hand = on_hand + 1 where site_id = ${siteId}::uuid and id = ${row.id}::uuid`);
    await runNow(db, testTime(51));
    const after = await queryRows<{ status: string }>(db, sql`select status::text from recon_exceptions where site_id = ${siteId}::uuid and category = 'ledger_integrity'`);
    expect(after.map((a) => a.status)).toEqual(["resolved", "resolved"]);
  });
});

describe("resolving exceptions", () => {
  const exceptionOf = async (db: Db, category: string) =>
    (await queryRows<{ id: string; status: string }>(db, sql`select id, status::text from recon_exceptions where site_id = ${siteId}::uuid and category = ${category}::recon_category and status in ('open', 'investigating')`))[0]!;
  const counts = (db: Db) =>
    queryRows<{ movements: number; audit: number; signatures: number; outbox: number }>(
      db,
      sql`select (select count(*)::int from movements) as movements, (select count(*)::int from audit_log) as audit,
                 (select count(*)::int from signatures) as signatures, (select count(*)::int from erp_outbox) as outbox`,
    );

  it("a signed adjustment brings the floor to ERP's figure through the ledger; the checkers stay green; a later run finds nothing for it", async () => {
    const db = t.db;
    const dan = await actorFor(db, "dan.whitaker", "WCH");
    const x = await exceptionOf(db, "erp_side_adjustment");
    const sign = (secret: string) => ({ method: "password" as const, secret, meaning: "approval" });
    const before = await counts(db);
    // refusals change nothing: no location for a difference compared over the whole floor, a wrong password
    await expect(adjustLedger(db, dan, { requestId: randomUUID(), exceptionId: x.id, reason: "ERP count is right", signature: sign(DEMO_PASSWORD) }, { now: testTime(60), clientKey: "test" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const wrong = adjustLedger(db, dan, { requestId: randomUUID(), exceptionId: x.id, locationId: planted.erpCount!.location_id, reason: "ERP count is right", signature: sign("wrong") }, { now: testTime(60), clientKey: "test" });
    await expect(wrong).rejects.toBeInstanceOf(DomainError);
    await expect(wrong).rejects.toMatchObject({ code: "SIGNATURE_REFUSED" });
    const afterRefusals = await counts(db);
    expect({ ...afterRefusals[0], audit: 0 }).toEqual({ ...before[0], audit: 0 });
    const requestId = randomUUID();
    const cmd = { requestId, exceptionId: x.id, locationId: planted.erpCount!.location_id, reason: "ERP count is right: found 5 more in the bin", signature: sign(DEMO_PASSWORD) };
    const done = await adjustLedger(db, dan, cmd, { now: testTime(60), clientKey: "test" });
    expect(done).toMatchObject({ status: "resolved", resolution: "adjusted" });
    expect((await counts(db))[0]).toMatchObject({ movements: before[0]!.movements + 1, signatures: before[0]!.signatures + 1 });
    const [move] = await queryRows<{ kind: string; legs: string[] }>(db, sql`select m.kind::text, array_agg(l.quantity::text order by l.quantity) as legs from movements m join movement_legs l on l.site_id = m.site_id and l.movement_id = m.id where m.id = ${done.movementId!}::uuid group by m.kind`);
    expect(move).toEqual({ kind: "recon_adjustment", legs: ["-5.000000", "5.000000"] });
    expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
    // ERP's next snapshot says the same as before: now the floor agrees
    const lines = (await queryRows<{ lines: object[] }>(db, sql`select lines from erp_stock_snapshots where site_id = ${siteId}::uuid and snapshot_key = 'STOCK-T2'`))[0]!.lines;
    await storeSnapshot(db, "STOCK-T3", testTime(61), lines);
    const out = await runNow(db, testTime(62));
    if (out.status !== "completed") throw new Error(out.status);
    const again = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from recon_exceptions where site_id = ${siteId}::uuid and lot_number = ${planted.erpCount!.lot_number} and status = 'open'`);
    expect(again[0]!.n).toBe(0);
    // the scrap ERP was never told is still explained as such, though the new snapshot's window no longer holds it
    const scrapped = await queryRows<{ category: string }>(db, sql`select category::text from recon_exceptions where site_id = ${siteId}::uuid and lot_number = ${planted.unconfirmed!.lot_number}`);
    expect(scrapped).toEqual([{ category: "unconfirmed_movement" }]);
  });

  it("asking ERP to correct writes a stock_correction message for the worker; accepting needs a reason; both are audited", async () => {
    const db = t.db;
    const priya = await actorFor(db, "priya.raman", "WCH");
    const uom = await exceptionOf(db, "uom_mismatch");
    const asked = await requestErpCorrection(db, priya, { requestId: randomUUID(), exceptionId: uom.id, reason: "ERP counts this lot in the wrong unit" }, testTime(70));
    expect(asked).toMatchObject({ status: "investigating", resolution: "correction_requested" });
    const [msg] = await queryRows<{ type: string; status: string; payload: Record<string, unknown> }>(db, sql`select type, status::text, payload from erp_outbox where message_id = ${asked.messageId!}::uuid`);
    expect(msg).toMatchObject({ type: "stock_correction", status: "pending", payload: { category: "uom_mismatch", batch: planted.unit!.lot_number } });
    const unknown = await exceptionOf(db, "unknown");
    await expect(acceptException(db, priya, { requestId: randomUUID(), exceptionId: unknown.id, reason: " " }, testTime(71))).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await acceptException(db, priya, { requestId: randomUUID(), exceptionId: unknown.id, reason: "ERP test lot, to be deleted there" }, testTime(71));
    await expect(acceptException(db, priya, { requestId: randomUUID(), exceptionId: unknown.id, reason: "again" }, testTime(72))).rejects.toMatchObject({ code: "RECON_EXCEPTION_CLOSED" });
    const audits = await queryRows<{ action: string }>(db, sql`select action from audit_log where entity = 'recon_exception' order by id`);
    expect(audits.map((a) => a.action)).toEqual(["adjust_for_recon_exception", "request_erp_correction", "accept_recon_exception"]);
    // a run over the same snapshot raises nothing new for the accepted difference
    const out = await runNow(db, testTime(73));
    if (out.status !== "completed") throw new Error(out.status);
    expect(out.figures.merge.opened).toBe(0);
  });

  it("exports the exceptions as CSV and PDF, with the adjustment's signature, valid", async () => {
    const db = t.db;
    const dan = await actorFor(db, "dan.whitaker", "WCH");
    const [adjusted] = await queryRows<{ id: string }>(db, sql`select id from recon_exceptions where site_id = ${siteId}::uuid and resolution = 'adjusted'`);
    const signature = await exceptionSignature(db, dan, (await findException(db, siteId, adjusted!.id))!);
    expect(signature).toMatchObject({ status: "valid", meaning: "approval", quantity: "5" });
    const csv = await exportExceptionsCsv(db, dan, { status: "all" }, testTime(80));
    const lines = String(csv.body).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^exception,category,severity,status,owner_system/);
    const total = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from recon_exceptions where site_id = ${siteId}::uuid`))[0]!.n;
    expect(lines).toHaveLength(total + 1);
    expect(csv.body).toContain("ERP-side adjustment");
    const pdf = await exportExceptionsPdf(db, dan, { status: "all" }, testTime(80));
    expect((pdf.body as Buffer).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfShownText(pdf.body as Buffer);
    expect(text).toContain("Electronic signatures of adjustments");
    expect(text).toContain("Dan Whitaker");
  });
});
