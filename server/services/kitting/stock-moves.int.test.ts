import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { queryRows, type Tx } from "@/db/client";
import { lots } from "@/db/schema";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { postMovement } from "@/server/repos/ledger";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { addAllowedLot } from "./add-allowed-lot";
import { createKit } from "./create-kit";
import { findStationItem } from "./find-station-item";
import { getKit } from "./get-kit";
import { pickToKit } from "./pick-to-kit";
import { removeAllowedLot } from "./remove-allowed-lot";
import { returnToStores } from "./return-to-stores";
import { transferBetweenStations } from "./transfer-between-stations";
import { TEST_NOW } from "@/db/testing/clock";

/*
 * The paths that finish the kitting issue: transfers refuse held and expired material (returns take it back), the scan
 * on the stock-moves screen, and suggestions that follow an allowed-lot list however far down the expiry order its lots are.
 */

const t = useTestDatabase("demo");
let ids: DemoIds;
let jamal: Actor;
let priya: Actor;
const now = TEST_NOW;
const rid = () => randomUUID();
const SIGN = { method: "password" as const, secret: "demo-password", meaning: "approval" as const };

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  jamal = await actorFor(t.db, "B1002");
  priya = await actorFor(t.db, "priya.raman");
});

/** Everything a stock move could write. */
async function footprint(tx: Tx) {
  const [row] = await queryRows<Record<string, string>>(
    tx,
    sql`select (select count(*) from movements)::text as movements, (select count(*) from movement_legs)::text as legs,
               (select count(*) from audit_log)::text as audit, (select count(*) from request_log)::text as requests,
               (select string_agg(location_id::text || coalesce(lot_id::text, '') || coalesce(serial_item_id::text, '') || on_hand::text, ',' order by id) from stock_balances) as balances,
               (select count(*) from allowed_lots where removed_at is null)::text as allowed`,
  );
  return row!;
}

async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message?: RegExp): Promise<DomainError> {
  const before = await footprint(tx);
  let error: unknown = null;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof DomainError)) throw error ?? new Error(`expected a refusal with ${code}`);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  expect(await footprint(tx)).toEqual(before);
  return error;
}

async function onHand(tx: Tx, lot: string, location: string): Promise<number> {
  const [row] = await queryRows<{ q: string }>(tx, sql`select on_hand::text as q from stock_balances where lot_id = ${ids.lot("WCH", lot)} and location_id = ${ids.location("WCH", location)}`);
  return row ? Number(row.q) : 0;
}

const lotItem = (part: string, rev: string, lot: string) => ({ partRevisionId: ids.revision(part, rev), lotId: ids.lot("WCH", lot), serialItemId: null });

describe("transferBetweenStations and returnToStores: held and expired material", () => {
  it("refuses to transfer a held lot with the hold's reason, and takes it back to stores", async () => {
    await inRollback(t.db, async (tx) => {
      const held = lotItem("BKT-4410-07", "A", "KP24-0877");
      const fa02 = ids.station("WCH", "FA-02");
      const e = await expectRefused(
        tx,
        "LOT_ON_HOLD",
        () => transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: fa02, toStationId: ids.station("WCH", "FA-01"), item: held, quantity: "2", reason: "FA-01 short of brackets" }, now),
        /Lot KP24-0877 is not usable: on quality hold \(Supplier escape notice SEN-24-118.*cannot go to another station/,
      );
      expect((e.details.reasons as { code: string }[]).map((r) => r.code)).toEqual(["LOT_ON_HOLD"]);

      const atStation = await onHand(tx, "KP24-0877", "POU-FA-02");
      const inStores = await onHand(tx, "KP24-0877", "ST-A01");
      expect(atStation).toBeGreaterThan(0);
      const back = await returnToStores(tx, jamal, { requestId: rid(), stationId: fa02, toLocationId: ids.location("WCH", "ST-A01"), item: held, quantity: String(atStation), reason: "Held by quality: back to stores for MRB" }, now);
      expect(back).toMatchObject({ from: "POU-FA-02", to: "ST-A01", quantity: String(atStation) });
      expect(await onHand(tx, "KP24-0877", "POU-FA-02")).toBe(0);
      expect(await onHand(tx, "KP24-0877", "ST-A01")).toBe(inStores + atStation);
      const [audit] = await queryRows<{ n: string }>(tx, sql`select count(*)::text as n from audit_log where action = 'stock.return_to_stores' and entity_id = ${back.movementId}`);
      expect(audit!.n).toBe("1");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses to transfer an expired lot with its expiry date, and takes it back to stores", async () => {
    await inRollback(t.db, async (tx) => {
      const expired = lotItem("PR-1422-B2", "-", "AC24-0331");
      const fa01 = ids.station("WCH", "FA-01");
      await expectRefused(
        tx,
        "LOT_EXPIRED",
        () => transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: fa01, toStationId: ids.station("WCH", "FA-02"), item: expired, quantity: "10", reason: "FA-02 needs sealant" }, now),
        /Lot AC24-0331 is not usable: expired on \d{4}-\d{2}-\d{2}\. It cannot go to another station/,
      );
      await returnToStores(tx, jamal, { requestId: rid(), stationId: fa01, toLocationId: ids.location("WCH", "ST-FRZ"), item: expired, quantity: "100", reason: "Expired: back to stores for disposal" }, now);
      expect(await onHand(tx, "AC24-0331", "POU-FA-01")).toBe(0);
      // good material still moves between stations
      const good = await transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: fa01, toStationId: ids.station("WCH", "FA-02"), item: lotItem("BKT-4410-07", "A", "KP24-0901"), quantity: "4", reason: "FA-02 short of brackets" }, now);
      expect(good).toMatchObject({ from: "POU-FA-01", to: "POU-FA-02", quantity: "4" });
      expect(await onHand(tx, "KP24-0901", "POU-FA-02")).toBe(4);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses a transfer of a lot whose hold was placed after it was staged, and one of material not at the station", async () => {
    await inRollback(t.db, async (tx) => {
      const fa01 = ids.station("WCH", "FA-01");
      const fa02 = ids.station("WCH", "FA-02");
      const sealant = lotItem("PR-1422-B2", "-", "AC24-0519");
      await tx.execute(sql`insert into holds (site_id, target_type, target_id, reason, placed_by, placed_at)
        values (${jamal.siteId}, 'part_revision', ${sealant.partRevisionId}, 'Supplier notice: mix ratio error on B2 sealant', ${priya.userId}, now())`);
      await expectRefused(tx, "LOT_ON_HOLD", () => transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: fa01, toStationId: fa02, item: sealant, quantity: "1", reason: "FA-02 needs sealant" }, now), /mix ratio error/);
      // nothing of this lot at FA-02: the ledger refuses it
      await expectRefused(tx, "INSUFFICIENT_STOCK", () => transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: fa02, toStationId: fa01, item: lotItem("BKT-4410-07", "A", "KP24-0901"), quantity: "1", reason: "move back" }, now));
    });
  });
});

describe("findStationItem", () => {
  it("finds what a scan names among the stock at a station, and refuses what is not there", async () => {
    await inRollback(t.db, async (tx) => {
      const fa01 = ids.station("WCH", "FA-01");
      const found = await findStationItem(tx, jamal, { stationId: fa01, scan: "AC24-0519" }, now);
      expect(found.map((r) => [r.partNumber, r.lotNumber, Number(r.quantity), r.locationCode])).toEqual([["PR-1422-B2", "AC24-0519", 237.5, "POU-FA-01"]]);
      // a GS1 element string with the lot in AI 10
      const gs1 = await findStationItem(tx, jamal, { stationId: fa01, scan: "[)>\u001e06\u001d1PBKT-4410-07\u001d1TKP24-0901\u001e\u0004" }, now);
      expect(gs1.map((r) => r.lotNumber)).toEqual(["KP24-0901"]);
      const screws = await findStationItem(tx, jamal, { stationId: fa01, scan: "NAS1352-3-8P" }, now);
      expect(screws.map((r) => [r.partNumber, r.lotId, r.serialItemId])).toEqual([["NAS1352-3-8P", null, null]]);
      const expired = await findStationItem(tx, jamal, { stationId: fa01, scan: "AC24-0331" }, now);
      expect(expired[0]).toMatchObject({ expired: true });

      await expect(findStationItem(tx, jamal, { stationId: ids.station("WCH", "FA-02"), scan: "AC24-0519" }, now)).rejects.toMatchObject({ code: "INSUFFICIENT_STOCK", message: /not at station FA-02/ });
      await expect(findStationItem(tx, jamal, { stationId: fa01, scan: "NOPE-4711" }, now)).rejects.toMatchObject({ code: "SCAN_NOT_RECOGNISED" });
      await expect(findStationItem(tx, jamal, { stationId: ids.station("TLS", "FA-21"), scan: "AC24-0519" }, now)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  it("refuses a label that contradicts the record of what it names, with both values (the move starts from this scan)", async () => {
    await inRollback(t.db, async (tx) => {
      const fa01 = ids.station("WCH", "FA-01");
      // format 06 label of lot KP24-0901 naming another part, then another expiry (DI 14D)
      await expect(findStationItem(tx, jamal, { stationId: fa01, scan: "[)>\u001e06\u001d1PBKT-4410-09\u001d1TKP24-0901\u001e\u0004" }, now)).rejects.toMatchObject({
        code: "LABEL_CONTRADICTS_RECORD",
        message: /part number on the label is BKT-4410-09, the record says BKT-4410-07/,
      });
      const [lot] = await queryRows<{ expires: string | null }>(tx, sql`select to_char(expires_at at time zone ${jamal.timeZone}, 'YYYYMMDD') as expires from lots where lot_number = 'AC24-0519'`);
      expect(lot!.expires).not.toBeNull();
      await expect(findStationItem(tx, jamal, { stationId: fa01, scan: "[)>\u001e06\u001d1PPR-1422-B2\u001d1TAC24-0519\u001d14D20991231\u001e\u0004" }, now)).rejects.toMatchObject({
        code: "LABEL_CONTRADICTS_RECORD",
        message: new RegExp(`expiry on the label is 2099-12-31, the record says ${lot!.expires!.slice(0, 4)}-${lot!.expires!.slice(4, 6)}-${lot!.expires!.slice(6)}`),
      });
    });
  });
});

describe("suggestions under an allowed-lot list", () => {
  /** Twelve more accepted bracket lots in stores, expiring a day apart, received as ERP would issue them. */
  async function receiveBracketLots(tx: Tx): Promise<string[]> {
    const revision = ids.revision("BKT-4410-07", "A");
    const [like] = await tx.select().from(lots).where(sql`${lots.id} = ${ids.lot("WCH", "KP24-0901")}`);
    const numbers: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const lotNumber = `QA24-${String(i).padStart(4, "0")}`;
      const [row] = await tx
        .insert(lots)
        .values({ siteId: jamal.siteId, partRevisionId: revision, lotNumber, manufacturerId: like!.manufacturerId, supplierId: like!.supplierId, expiresAt: new Date(now.getTime() + (400 + i) * 86_400_000), inspectionStatus: "accepted" })
        .returning({ id: lots.id });
      await postMovement(tx, {
        siteId: jamal.siteId,
        kind: "receive_from_erp",
        occurredAt: now,
        reason: "Issued to the floor by ERP",
        legs: [
          { partRevisionId: revision, lotId: row!.id, serialItemId: null, locationId: ids.location("WCH", "V-ERP"), quantity: "-10" },
          { partRevisionId: revision, lotId: row!.id, serialItemId: null, locationId: ids.location("WCH", "ST-A01"), quantity: "10" },
        ],
      });
      numbers.push(lotNumber);
    }
    return numbers;
  }

  it("suggests only the listed lot, even far down the expiry order, lists the others as not allowed, and the pick check stays", async () => {
    await inRollback(t.db, async (tx) => {
      const numbers = await receiveBracketLots(tx);
      const wo = ids.workOrder("WCH", "WO-100234");
      const kit = await createKit(tx, jamal, { requestId: rid(), workOrderId: wo, scope: { kind: "operation", operationSeq: 10 }, stationId: ids.station("WCH", "FA-02") }, now);
      const brackets = async () => (await getKit(tx, jamal, kit.kitId, now)).lines.find((l) => l.partNumber === "BKT-4410-07")!;

      const open = await brackets();
      expect(open.suggested.map((s) => s.lotNumber)).toEqual(numbers.slice(0, 8));
      expect(open.moreNotShown).toBe(true);

      // quality restricts the bracket line to the last of them (by typed lot number), past what the screen shows
      const last = numbers[11]!;
      const added = await addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, bomLineId: open.bomLineId, lot: last, reason: "MRB 24-131: only heat lot QA24-0012 for this order" , signature: SIGN }, { now, clientKey: "test-rules" });
      expect(added).toMatchObject({ lotNumber: last, bomLine: 10 });
      const restricted = await brackets();
      expect(restricted.suggested.map((s) => s.lotNumber)).toEqual([last]);
      expect(restricted.excluded.length).toBeGreaterThan(0);
      for (const x of restricted.excluded) expect(x.reasons.map((r) => r.code)).toContain("LOT_NOT_ALLOWED");

      // the pick-time check still refuses a lot that is not listed; the listed one is picked
      await expectRefused(tx, "LOT_NOT_ALLOWED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: numbers[0]!, quantity: "2" }, now), /allowed-lot list/);
      const pick = await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: last, quantity: "2" }, now);
      expect(pick.lotNumber).toBe(last);

      // lifted: first-expired-first-out again
      await removeAllowedLot(tx, priya, { requestId: rid(), allowedLotId: added.allowedLotId, reason: "MRB 24-131 closed" , signature: SIGN }, { now, clientKey: "test-rules" });
      expect((await brackets()).suggested[0]?.lotNumber).toBe(numbers[0]);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("restricts every line of the part to an order-wide entry", async () => {
    await inRollback(t.db, async (tx) => {
      const numbers = await receiveBracketLots(tx);
      const wo = ids.workOrder("WCH", "WO-100234");
      const kit = await createKit(tx, jamal, { requestId: rid(), workOrderId: wo, scope: { kind: "operation", operationSeq: 10 }, stationId: ids.station("WCH", "FA-02") }, now);
      const line = (await getKit(tx, jamal, kit.kitId, now)).lines.find((l) => l.partNumber === "BKT-4410-07")!;
      // order-wide entry for the part: the line is restricted too
      await addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, lotId: ids.lot("WCH", "KP24-0901"), reason: "Order-wide: KP24-0901 only" , signature: SIGN }, { now, clientKey: "test-rules" });
      const after = (await getKit(tx, jamal, kit.kitId, now)).lines.find((l) => l.bomLineId === line.bomLineId)!;
      expect(after.suggested.map((s) => s.lotNumber)).toEqual(["KP24-0901"]);
      expect(after.excluded.map((x) => x.lotNumber)).toContain(numbers[0]);
    });
  });

  it("reads a scanned lot label for the list, refuses an unknown lot and a lot of a part the order does not use, writing nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const wo = ids.workOrder("WCH", "WO-100234");
      const added = await addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, lot: "[)>\u001e06\u001d1PM83248/1-214\u001d1TSE24-3420\u001e\u0004", reason: "O-rings from one batch only" , signature: SIGN }, { now, clientKey: "test-rules" });
      expect(added.lotNumber).toBe("SE24-3420");
      await expectRefused(tx, "SCAN_NOT_RECOGNISED", () => addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, lot: "NOPE-4711", reason: "unknown lot" , signature: SIGN }, { now, clientKey: "test-rules" }), /NOPE-4711/);
      await expectRefused(tx, "WRONG_PART", () => addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, lot: "MM24-1187", reason: "coil lot" , signature: SIGN }, { now, clientKey: "test-rules" }));
      await expectRefused(tx, "VALIDATION_FAILED", () => addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, lot: "  ", reason: "no lot given" , signature: SIGN }, { now, clientKey: "test-rules" }), /lot/);
      await expectRefused(tx, "VALIDATION_FAILED", () => addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, lot: "KP24-0901", reason: "" , signature: SIGN }, { now, clientKey: "test-rules" }), /Say why/);
    });
  });
});
