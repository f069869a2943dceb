import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { queryRows, type Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createKit } from "./create-kit";
import { pickToKit } from "./pick-to-kit";
import { recordShortPick } from "./record-short-pick";
import { issueKit } from "./issue-kit";
import { returnToStores } from "./return-to-stores";
import { transferBetweenStations } from "./transfer-between-stations";
import { addAllowedLot } from "./add-allowed-lot";
import { removeAllowedLot } from "./remove-allowed-lot";
import { getKit } from "./get-kit";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
let ids: DemoIds;
let jamal: Actor;
let priya: Actor;
const now = TEST_NOW;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  jamal = await actorFor(t.db, "B1002");
  priya = await actorFor(t.db, "priya.raman");
});

const rid = () => randomUUID();
const SIGN = { method: "password" as const, secret: "demo-password", meaning: "approval" as const };

/** Everything a kitting command could write: if none of it changes, nothing was written. */
async function footprint(tx: Tx) {
  const [row] = await queryRows<Record<string, string>>(
    tx,
    sql`select (select count(*) from kits)::text as kits, (select count(*) from kit_lines)::text as lines,
               (select count(*) from kit_picks)::text as picks, (select count(*) from movements)::text as movements,
               (select count(*) from movement_legs)::text as legs, (select count(*) from audit_log)::text as audit,
               (select count(*) from request_log)::text as requests, (select coalesce(sum(reserved), 0)::text from stock_balances) as reserved,
               (select coalesce(sum(on_hand), 0)::text from stock_balances where is_physical) as on_hand,
               (select string_agg(status::text || short_qty::text, ',' order by k.id) from kits k left join kit_lines l on l.kit_id = k.id) as states,
               (select count(*) from allowed_lots where removed_at is null)::text as allowed`,
  );
  return row!;
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** Refused with this code, and nothing written. */
async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message?: RegExp): Promise<DomainError> {
  const before = await footprint(tx);
  const e = await refusal(run());
  expect(e.code).toBe(code);
  if (message) expect(e.message).toMatch(message);
  expect(await footprint(tx)).toEqual(before);
  return e;
}

async function reservedOn(tx: Tx, siteCode: string, lot: string, location: string): Promise<string> {
  const [row] = await queryRows<{ r: string; h: string }>(
    tx,
    sql`select reserved::text as r, on_hand::text as h from stock_balances where lot_id = ${ids.lot(siteCode, lot)} and location_id = ${ids.location(siteCode, location)}`,
  );
  return row ? String(Number(row.r)) : "none";
}

/** Op 30 of WO-100234 (ACT-1007..1010, harness rev B): 4 harnesses and 50 g of sealant, to FA-01. */
async function op30Kit(tx: Tx) {
  return createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "operation", operationSeq: 30 }, stationId: ids.station("WCH", "FA-01") }, now);
}

describe("createKit", () => {
  it("builds the lines of a scope from the frozen BOM with the revision effective per unit", async () => {
    await inRollback(t.db, async (tx) => {
      const kit = await op30Kit(tx);
      expect(kit.kitNumber).toBe("K-WO-100234-01");
      const view = await getKit(tx, jamal, kit.kitId, now);
      expect(view.lines.map((l) => [l.partNumber, l.revision, l.required])).toEqual([
        ["HAR-5521-01", "B", "4"],
        ["PR-1422-B2", "-", "50"],
      ]);
      // suggestions FEFO, exclusions with reasons: the expired sealant lot is excluded
      const sealant = view.lines.find((l) => l.partNumber === "PR-1422-B2")!;
      expect(sealant.suggested.map((s) => s.lotNumber)).toEqual(["AC24-0519"]);
      expect(sealant.excluded.map((s) => [s.lotNumber, s.reasons[0]!.code])).toEqual([["AC24-0331", "LOT_EXPIRED"]]);

      // WO-100233 unit ACT-1005 (not started): harness rev B, not A
      const unitKit = await createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100233"), scope: { kind: "unit", unitId: ids.unit("WCH", "ACT-1005") }, stationId: ids.station("WCH", "FA-02") }, now);
      const unitView = await getKit(tx, jamal, unitKit.kitId, now);
      expect(unitView.lines.filter((l) => l.partNumber === "HAR-5521-01").map((l) => l.revision)).toEqual(["B"]);
      expect(unitView.lines.find((l) => l.partNumber === "PR-1422-B2")!.required).toBe("12.5");

      // a second op-30 kit needs nothing more only once the first is picked; before that both ask for everything
      const before = await footprint(tx);
      expect(Number(before.kits)).toBe(2);
    });
  });

  it("refuses another site's station or work order, a unit of another order, and an operation without material", async () => {
    await inRollback(t.db, async (tx) => {
      const wo = ids.workOrder("WCH", "WO-100234");
      await expectRefused(tx, "NOT_FOUND", () => createKit(tx, jamal, { requestId: rid(), workOrderId: wo, scope: { kind: "work_order" }, stationId: ids.station("TLS", "FA-21") }, now));
      await expectRefused(tx, "NOT_FOUND", () => createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("TLS", "WO-200101"), scope: { kind: "work_order" }, stationId: ids.station("WCH", "FA-01") }, now));
      await expectRefused(tx, "NOT_FOUND", () => createKit(tx, jamal, { requestId: rid(), workOrderId: wo, scope: { kind: "unit", unitId: ids.unit("WCH", "ACT-1001") }, stationId: ids.station("WCH", "FA-01") }, now));
      await expectRefused(tx, "NOT_FOUND", () => createKit(tx, jamal, { requestId: rid(), workOrderId: wo, scope: { kind: "operation", operationSeq: 40 }, stationId: ids.station("WCH", "FA-01") }, now), /operation 40/);
      await expectRefused(tx, "WORK_ORDER_NOT_OPEN", () => createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100231"), scope: { kind: "work_order" }, stationId: ids.station("WCH", "TM-01") }, now));
    });
  });
});

describe("pickToKit", () => {
  it("reserves a scanned lot to the kit, refuses the expired lot with its reason and writes nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const kit = await op30Kit(tx);
      const e = await expectRefused(tx, "LOT_EXPIRED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "AC24-0331", quantity: "50" }, now), /AC24-0331 is not usable: expired/);
      expect(e.details.reasons).toBeDefined();

      const pick = await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "AC24-0519", quantity: "50" }, now);
      expect(pick).toMatchObject({ partNumber: "PR-1422-B2", lotNumber: "AC24-0519", quantity: "50", locationCode: "ST-FRZ", lineOutstanding: "0", kitStatus: "picking" });
      expect(await reservedOn(tx, "WCH", "AC24-0519", "ST-FRZ")).toBe("50");
      // over-pick: the line is full
      await expectRefused(tx, "OVER_PICK", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "AC24-0519", quantity: "0.5" }, now), /already fully picked/);
      // a serial of the wrong revision, a lot of another part, an unknown and an unreadable scan
      await expectRefused(tx, "WRONG_REVISION", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "NI-A-0043" }, now), /rev A.*needs rev B/);
      await expectRefused(tx, "WRONG_PART", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "MM24-1187" }, now), /CL-1180-20/);
      await expectRefused(tx, "SCAN_NOT_RECOGNISED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "NOPE-4711" }, now), /NOPE-4711/);
      await expectRefused(tx, "SCAN_NOT_RECOGNISED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "]d2019501101020917" }, now));
      // ISO/IEC 15434 format 06 label of a harness serial: 1P part number + S serial
      const viaGs1 = await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "[)>\u001e06\u001d1PHAR-5521-01\u001dSNI-B-0102\u001e\u0004" }, now);
      expect(viaGs1).toMatchObject({ serialNumber: "NI-B-0102", quantity: "1" });
      await expectRefused(tx, "VALIDATION_FAILED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "NI-B-0103", quantity: "2" }, now), /one piece/);
      // the same serial twice: it is already in this kit (said so, identifiers in their own case), nothing written
      await expectRefused(
        tx,
        "SERIAL_ALREADY_PLACED",
        () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "NI-B-0102" }, now),
        /^Serial NI-B-0102 is already in kit \S+ \(HAR-5521-01 rev B\): it needs no second pick\./,
      );
      // the same lot again once the line is full: it is already fully picked (the over-pick rule, as before)
      await expectRefused(tx, "OVER_PICK", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "AC24-0519", quantity: "1" }, now), /already fully picked/);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses a label that contradicts the record with both values; a true IUID label records the serial's UII", async () => {
    await inRollback(t.db, async (tx) => {
      const kit = await op30Kit(tx);
      const [m] = await queryRows<{ code: string }>(tx, sql`select m.code from serial_items si join manufacturers m on m.id = si.manufacturer_id where si.serial_number = 'NI-B-0102'`);
      const iuid = (cage: string, pn = "HAR-5521-01") => `[)>\u001e06\u001d17V${cage}\u001d1P${pn}\u001dSNI-B-0102\u001e\u0004`;
      await expectRefused(tx, "LABEL_CONTRADICTS_RECORD", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: iuid("0FAKE") }, now), new RegExp(`CAGE on the label is 0FAKE, the record says ${m!.code}`));
      await expectRefused(tx, "LABEL_CONTRADICTS_RECORD", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: iuid(m!.code, "HAR-5521-02") }, now), /part number on the label is HAR-5521-02, the record says HAR-5521-01/);
      const pick = await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: iuid(m!.code) }, now);
      expect(pick).toMatchObject({ serialNumber: "NI-B-0102" });
      const [stored] = await queryRows<{ uii: string | null }>(tx, sql`select uii from serial_items where serial_number = 'NI-B-0102'`);
      expect(stored!.uii).toBe(`D${m!.code}HAR-5521-01NI-B-0102`);
    });
  });

  it("refuses held, unapproved-manufacturer, uninspected and not-allowed lots, and bad quantities", async () => {
    await inRollback(t.db, async (tx) => {
      const kit = await createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "work_order" }, stationId: ids.station("WCH", "FA-02") }, now);
      const pick = (scan: string, quantity?: string) => () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan, quantity }, now);
      await expectRefused(tx, "LOT_ON_HOLD", pick("KP24-0877", "2"), /SEN-24-118/);
      await expectRefused(tx, "MANUFACTURER_NOT_APPROVED", pick("DS24-7712", "2"), /9WQ17/);
      await expectRefused(tx, "LOT_NOT_INSPECTED", pick("SE24-3502", "2"), /receiving inspection/);
      await expectRefused(tx, "VALIDATION_FAILED", pick("KP24-0901", "1.1234567"), /6 decimal/);
      await expectRefused(tx, "VALIDATION_FAILED", pick("KP24-0901", "-1"), /negative/);
      await expectRefused(tx, "VALIDATION_FAILED", pick("KP24-0901", "0"), /more than zero/);
      await expectRefused(tx, "OVER_PICK", pick("KP24-0901", "9"), /needs only 8/);

      // quality restricts brackets of this order to lot KP24-0877: KP24-0901 is now refused
      const allowed = await addAllowedLot(tx, priya, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100234"), lotId: ids.lot("WCH", "KP24-0877"), reason: "MRB use-as-is for WO-100234 only" , signature: SIGN }, { now, clientKey: "test-rules" });
      await expectRefused(tx, "LOT_NOT_ALLOWED", pick("KP24-0901", "2"), /allowed-lot list/);
      await expectRefused(tx, "WRONG_PART", () => addAllowedLot(tx, priya, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100234"), lotId: ids.lot("WCH", "MM24-1187"), reason: "wrong part" , signature: SIGN }, { now, clientKey: "test-rules" }));
      await removeAllowedLot(tx, priya, { requestId: rid(), allowedLotId: allowed.allowedLotId, reason: "Restriction lifted by MRB" , signature: SIGN }, { now, clientKey: "test-rules" });
      const ok = await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "KP24-0901", quantity: "8" }, now);
      expect(ok.lineOutstanding).toBe("0");
      // untracked hardware by part number
      const screws = await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "NAS1352-3-8P", quantity: "32" }, now);
      expect(screws).toMatchObject({ lotNumber: null, serialNumber: null, quantity: "32", locationCode: "ST-A02" });
    });
  });

  it("replays a request id with the same outcome and refuses it with another payload", async () => {
    await inRollback(t.db, async (tx) => {
      const kit = await op30Kit(tx);
      const cmd = { requestId: rid(), kitId: kit.kitId, scan: "AC24-0519", quantity: "10" };
      const first = await pickToKit(tx, jamal, cmd, now);
      const before = await footprint(tx);
      const again = await pickToKit(tx, jamal, { ...cmd }, now);
      expect(again).toEqual(first);
      expect(await footprint(tx)).toEqual(before);
      await expectRefused(tx, "REQUEST_CONFLICT", () => pickToKit(tx, jamal, { ...cmd, quantity: "11" }, now));
      expect(await reservedOn(tx, "WCH", "AC24-0519", "ST-FRZ")).toBe("10");
    });
  });
});

describe("issueKit, short picks, returns and transfers", () => {
  it("issues a kit in one movement to the station's point of use, releasing the reservations", async () => {
    await inRollback(t.db, async (tx) => {
      const kit = await op30Kit(tx);
      await expectRefused(tx, "KIT_NOT_READY", () => issueKit(tx, jamal, { requestId: rid(), kitId: kit.kitId }, now));
      await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "AC24-0519", quantity: "50" }, now);
      for (const s of ["NI-B-0102", "NI-B-0103", "NI-B-0104"]) await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: s }, now);
      const view = await getKit(tx, jamal, kit.kitId, now);
      const harness = view.lines.find((l) => l.partNumber === "HAR-5521-01")!;
      await expectRefused(tx, "VALIDATION_FAILED", () => recordShortPick(tx, jamal, { requestId: rid(), kitId: kit.kitId, kitLineId: harness.id, quantity: "1", reason: "" }, now));
      await expectRefused(tx, "OVER_PICK", () => recordShortPick(tx, jamal, { requestId: rid(), kitId: kit.kitId, kitLineId: harness.id, quantity: "2", reason: "Only three in stores" }, now));
      const short = await recordShortPick(tx, jamal, { requestId: rid(), kitId: kit.kitId, kitLineId: harness.id, quantity: "1", reason: "NI-B-0105 damaged connector, MRB" }, now);
      expect(short.kitStatus).toBe("short");

      // to a station of another site: not found, nothing written
      await expectRefused(tx, "NOT_FOUND", () => issueKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, stationId: ids.station("TLS", "FA-21") }, now));
      const movementsBefore = Number((await footprint(tx)).movements);
      const issued = await issueKit(tx, jamal, { requestId: rid(), kitId: kit.kitId }, now);
      expect(issued).toMatchObject({ kitNumber: "K-WO-100234-01", stationCode: "FA-01", locationCode: "POU-FA-01", picks: 4 });
      expect(Number((await footprint(tx)).movements)).toBe(movementsBefore + 1);
      const legs = await queryRows<{ n: string }>(tx, sql`select count(*)::text as n from movement_legs where movement_id = ${issued.movementId}`);
      expect(legs[0]!.n).toBe("8");
      expect(await reservedOn(tx, "WCH", "AC24-0519", "ST-FRZ")).toBe("0");
      const [pou] = await queryRows<{ q: string }>(tx, sql`select on_hand::text as q from stock_balances where lot_id = ${ids.lot("WCH", "AC24-0519")} and location_id = ${ids.location("WCH", "POU-FA-01")}`);
      expect(Number(pou!.q)).toBe(287.5); // 250 staged by the seed - 12.5 used on ACT-1001 + 50 issued
      const [audit] = await queryRows<{ n: string }>(tx, sql`select count(*)::text as n from audit_log where action = 'kit.issue' and entity_id = ${kit.kitId}`);
      expect(audit!.n).toBe("1");
      // closed for picking and for a second issue
      await expectRefused(tx, "KIT_CLOSED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "NI-B-0105" }, now));
      await expectRefused(tx, "KIT_CLOSED", () => issueKit(tx, jamal, { requestId: rid(), kitId: kit.kitId }, now));
      // what the station still misses shows in the kit view
      const after = await getKit(tx, jamal, kit.kitId, now);
      expect(after.kit.status).toBe("issued");
      expect(after.lines.find((l) => l.partNumber === "HAR-5521-01")!.shortQty).toBe("1");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses to issue a kit whose picked lot was put on hold since", async () => {
    await inRollback(t.db, async (tx) => {
      const kit = await op30Kit(tx);
      await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "AC24-0519", quantity: "50" }, now);
      const view = await getKit(tx, jamal, kit.kitId, now);
      const harness = view.lines.find((l) => l.partNumber === "HAR-5521-01")!;
      await recordShortPick(tx, jamal, { requestId: rid(), kitId: kit.kitId, kitLineId: harness.id, quantity: "4", reason: "Harnesses at receiving" }, now);
      await tx.execute(sql`insert into holds (site_id, target_type, target_id, reason, placed_by, placed_at)
        values (${jamal.siteId}, 'lot', ${ids.lot("WCH", "AC24-0519")}, 'Cure test failed on retained sample', ${priya.userId}, now())`);
      await expectRefused(tx, "LOT_ON_HOLD", () => issueKit(tx, jamal, { requestId: rid(), kitId: kit.kitId }, now), /Cure test failed/);
    });
  });

  it("returns unused material from a station to stores and transfers between stations", async () => {
    await inRollback(t.db, async (tx) => {
      const item = { partRevisionId: ids.revision("PR-1422-B2", "-"), lotId: ids.lot("WCH", "AC24-0519"), serialItemId: null };
      const fa01 = ids.station("WCH", "FA-01");
      const back = await returnToStores(tx, jamal, { requestId: rid(), stationId: fa01, toLocationId: ids.location("WCH", "ST-FRZ"), item, quantity: "100.5", reason: "Over-staged for the week" }, now);
      expect(back).toMatchObject({ from: "POU-FA-01", to: "ST-FRZ", quantity: "100.5" });
      await expectRefused(tx, "INSUFFICIENT_STOCK", () => returnToStores(tx, jamal, { requestId: rid(), stationId: fa01, toLocationId: ids.location("WCH", "ST-FRZ"), item, quantity: "1000", reason: "too much" }, now));
      await expectRefused(tx, "VALIDATION_FAILED", () => returnToStores(tx, jamal, { requestId: rid(), stationId: fa01, toLocationId: ids.location("WCH", "KIT-01"), item, quantity: "1", reason: "not stores" }, now));
      await expectRefused(tx, "NOT_FOUND", () => returnToStores(tx, jamal, { requestId: rid(), stationId: ids.station("TLS", "FA-21"), toLocationId: ids.location("WCH", "ST-FRZ"), item, quantity: "1", reason: "other site" }, now));
      const moved = await transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: fa01, toStationId: ids.station("WCH", "FA-02"), item, quantity: "49.5", reason: "FA-02 starts op 30 first" }, now);
      expect(moved).toMatchObject({ from: "POU-FA-01", to: "POU-FA-02" });
      await expectRefused(tx, "VALIDATION_FAILED", () => transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: fa01, toStationId: fa01, item, quantity: "1", reason: "same" }, now));
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
