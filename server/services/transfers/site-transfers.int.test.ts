import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { testTime } from "@/db/testing/clock";
import { createTestLot, createTestPart, createTestUser } from "@/db/testing/factories";
import { createStationOrder, createStationPlant, operatorActor, type StationPlant } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { traceWhereUsed } from "@/server/repos/genealogy-where-used";
import { consumeComponent } from "@/server/services/station/consume-component";
import { completeOperation } from "@/server/services/station/complete-operation";
import { readEnterpriseAsBuilt, readEnterpriseWhereUsed } from "@/server/services/enterprise/genealogy";
import { shipTransfer } from "./ship-transfer";
import { receiveTransfer } from "./receive-transfer";

/*
 * The demo plant's case across two sites: Wichita (WCH) sends a lot of bearings to Toulouse (TLS); TLS builds a
 * servo-valve from it and sends the finished sub-assembly back; WCH installs it into an actuator. Every step through
 * the real services (ship, receive by scan, the station's install and completion), on committed data.
 */

const t = useTestDatabase("empty");
const rid = () => randomUUID();

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** An actor of one user holding these roles at each of these sites, active at the first. */
function actorAt(userId: string, sites: { plant: StationPlant; roles: Role[] }[]): Actor {
  const memberships = sites.map(({ plant, roles }) => ({ id: plant.siteId, code: plant.code, name: `Test site ${plant.code}`, timeZone: "America/Chicago", roles }));
  const active = memberships[0]!;
  return { userId, displayName: "Test User", locale: "en", siteId: active.id, siteCode: active.code, siteName: active.name, timeZone: active.timeZone, roles: active.roles, sites: memberships };
}

const at = (actor: Actor, siteId: string): Actor => {
  const m = actor.sites.find((x) => x.id === siteId)!;
  return { ...actor, siteId: m.id, siteCode: m.code, siteName: m.name, timeZone: m.timeZone, roles: m.roles };
};

async function onHand(db: DbOrTx, siteId: string, locationId: string, item: { lotId?: string | null; serialItemId?: string | null }): Promise<string> {
  const rows = await queryRows<{ q: string }>(
    db,
    sql`select coalesce(sum(on_hand), 0)::text as q from stock_balances where site_id = ${siteId}::uuid and location_id = ${locationId}::uuid
        and lot_id is not distinct from ${item.lotId ?? null}::uuid and serial_item_id is not distinct from ${item.serialItemId ?? null}::uuid`,
  );
  return String(Number(rows[0]!.q));
}

async function transferConfirmations(db: DbOrTx, siteId: string): Promise<{ movementType: string; transfer: string; issuingPlant: string; receivingPlant: string; plant: string }[]> {
  const rows = await queryRows<{ payload: Record<string, string> }>(db, sql`select payload from erp_outbox where site_id = ${siteId}::uuid and type = 'stock_transfer' order by created_at, message_id`);
  return rows.map((r) => ({ movementType: r.payload.movementType!, transfer: r.payload.transfer!, issuingPlant: r.payload.issuingPlant!, receivingPlant: r.payload.receivingPlant!, plant: r.payload.plant! }));
}

type World = Awaited<ReturnType<typeof build>>;

async function build() {
  const db = t.db;
  const wch = await createStationPlant(db, `W${randomUUID().slice(0, 5).toUpperCase()}`);
  const tls = await createStationPlant(db, `T${randomUUID().slice(0, 5).toUpperCase()}`);
  const bearing = await createTestPart(db, "lot", { description: "Bearing" });
  // TLS builds the servo-valve from one bearing; WCH builds the actuator from one servo-valve
  const servo = await createStationOrder(db, tls, { number: `WO-SV-${randomUUID().slice(0, 4)}`, serials: ["SV-40012"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: bearing.revisionId, qty: "1", op: 10 }] });
  const actuator = await createStationOrder(db, wch, { number: `WO-AC-${randomUUID().slice(0, 4)}`, serials: ["ACT-1101"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: servo.partRevisionId, qty: "1", op: 10 }] });
  const lot = await createTestLot(db, wch.siteId, bearing.revisionId, { lotNumber: `BRG-${randomUUID().slice(0, 6)}`, expiresAt: new Date("2028-01-01T00:00:00Z") });
  await db.transaction((tx) =>
    postMovement(tx, {
      siteId: wch.siteId,
      kind: "receive_from_erp",
      occurredAt: testTime(-600),
      legs: [
        { partRevisionId: bearing.revisionId, lotId: lot.id, serialItemId: null, locationId: wch.loc.erp_supply, quantity: "-10" },
        { partRevisionId: bearing.revisionId, lotId: lot.id, serialItemId: null, locationId: wch.loc.stores, quantity: "10" },
      ],
    }),
  );
  // one clerk per site, and a clerk (another user) at TLS for the concurrent receipt
  const wchClerkUser = await createTestUser(db, wch.siteId, "kitting_clerk");
  const tlsClerkUser = await createTestUser(db, tls.siteId, "kitting_clerk");
  const tlsClerk2User = await createTestUser(db, tls.siteId, "kitting_clerk");
  const wchClerk = actorAt(wchClerkUser.id, [{ plant: wch, roles: ["kitting_clerk"] }]);
  const tlsClerk = actorAt(tlsClerkUser.id, [{ plant: tls, roles: ["kitting_clerk"] }]);
  const tlsClerk2 = actorAt(tlsClerk2User.id, [{ plant: tls, roles: ["kitting_clerk"] }]);
  // a quality engineer holding the enterprise role at both sites; one of WCH only
  const enterpriseUser = await createTestUser(db, wch.siteId, "quality_engineer");
  await db.insert(s.userSiteRoles).values([
    { userId: enterpriseUser.id, siteId: wch.siteId, role: "enterprise" },
    { userId: enterpriseUser.id, siteId: tls.siteId, role: "quality_engineer" },
    { userId: enterpriseUser.id, siteId: tls.siteId, role: "enterprise" },
  ]);
  const enterprise = actorAt(enterpriseUser.id, [
    { plant: wch, roles: ["quality_engineer", "enterprise"] },
    { plant: tls, roles: ["quality_engineer", "enterprise"] },
  ]);
  const wchQuality = wch.actor(["quality_engineer"]);
  return { wch, tls, bearing, servo, actuator, lot, wchClerk, tlsClerk, tlsClerk2, enterprise, wchQuality };
}

describe("site transfers: a TLS sub-assembly built from a WCH lot, installed at WCH", () => {
  let w: World;
  let lotAtTls: string;
  let servoAtWch: string;

  beforeAll(async () => {
    w = await build();
  }, 60_000);

  it("ships part of a WCH lot to TLS: stock to in transit, a transfer, one 303 at the issuing plant", async () => {
    const out = await shipTransfer(t.db, w.wchClerk, { requestId: rid(), toSiteId: w.tls.siteId, itemNumber: w.lot.lotNumber, quantity: "4" }, testTime(-500));
    expect(out).toMatchObject({ toSiteCode: w.tls.code, itemNumber: w.lot.lotNumber, quantity: "4", from: "STORES" });
    expect(out.number).toMatch(/^TR-[0-9A-F]{10}$/);
    expect(await onHand(t.db, w.wch.siteId, w.wch.loc.stores, { lotId: w.lot.id })).toBe("6");
    expect(await onHand(t.db, w.wch.siteId, w.wch.loc.in_transit, { lotId: w.lot.id })).toBe("4");
    expect(await transferConfirmations(t.db, w.wch.siteId)).toEqual([
      { movementType: "303", transfer: out.number, issuingPlant: w.wch.code, receivingPlant: w.tls.code, plant: w.wch.code },
    ]);
    // more than is free is refused and changes nothing
    const e = await refusal(shipTransfer(t.db, w.wchClerk, { requestId: rid(), toSiteId: w.tls.siteId, itemNumber: w.lot.lotNumber, quantity: "7" }, testTime(-499)));
    expect(e.code).toBe("INSUFFICIENT_STOCK");
    expect(await onHand(t.db, w.wch.siteId, w.wch.loc.stores, { lotId: w.lot.id })).toBe("6");
    // and the sending site cannot receive its own shipment
    expect((await refusal(receiveTransfer(t.db, w.wchClerk, { requestId: rid(), scan: out.number }, testTime(-498)))).code).toBe("NOT_FOUND");
  });

  it("receives it at TLS by scanning the lot: same lot number and facts, 305 at the receiving plant, exactly once under a retry and a concurrent receipt", async () => {
    const requestId = rid();
    const [first, second] = await Promise.allSettled([
      receiveTransfer(t.db, w.tlsClerk, { requestId, scan: w.lot.lotNumber }, testTime(-400)),
      receiveTransfer(t.db, w.tlsClerk2, { requestId: rid(), scan: w.lot.lotNumber }, testTime(-400)),
    ]);
    const outcomes = [first, second];
    const won = outcomes.filter((o) => o.status === "fulfilled");
    const lost = outcomes.filter((o) => o.status === "rejected") as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as DomainError).code).toBe("TRANSFER_ALREADY_RECEIVED");
    // the retry of the first clerk's request (the answer lost on the way) gets the same outcome and writes nothing
    if (first.status === "fulfilled") {
      const again = await receiveTransfer(t.db, w.tlsClerk, { requestId, scan: w.lot.lotNumber }, testTime(-399));
      expect(again).toEqual(first.value);
    }
    const [row] = await queryRows<{ id: string; inspection_status: string; expires_at: Date }>(
      t.db,
      sql`select id, inspection_status::text, expires_at from lots where site_id = ${w.tls.siteId}::uuid and lot_number = ${w.lot.lotNumber}`,
    );
    lotAtTls = row!.id;
    expect(row!.inspection_status).toBe("accepted");
    expect(new Date(row!.expires_at).toISOString()).toBe("2028-01-01T00:00:00.000Z");
    expect(await onHand(t.db, w.tls.siteId, w.tls.loc.stores, { lotId: lotAtTls })).toBe("4");
    expect(await onHand(t.db, w.wch.siteId, w.wch.loc.in_transit, { lotId: w.lot.id })).toBe("0");
    expect(await onHand(t.db, w.wch.siteId, w.wch.loc.other_sites, { lotId: w.lot.id })).toBe("4");
    expect(await onHand(t.db, w.tls.siteId, w.tls.loc.other_sites, { lotId: lotAtTls })).toBe("-4");
    const tlsConf = await transferConfirmations(t.db, w.tls.siteId);
    expect(tlsConf).toHaveLength(1);
    expect(tlsConf[0]).toMatchObject({ movementType: "305", issuingPlant: w.wch.code, receivingPlant: w.tls.code, plant: w.tls.code });
    expect(await transferConfirmations(t.db, w.wch.siteId)).toHaveLength(1);
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("TLS builds the servo-valve from the received lot and ships the finished sub-assembly to WCH; WCH installs it into the actuator", async () => {
    const tlsOperator = operatorActor(w.tls);
    const servoUnit = w.servo.units[0]!;
    await t.db.transaction((tx) =>
      postMovement(tx, {
        siteId: w.tls.siteId,
        kind: "transfer",
        occurredAt: testTime(-300),
        legs: [
          { partRevisionId: w.bearing.revisionId, lotId: lotAtTls, serialItemId: null, locationId: w.tls.loc.stores, quantity: "-1" },
          { partRevisionId: w.bearing.revisionId, lotId: lotAtTls, serialItemId: null, locationId: w.tls.loc.point_of_use, quantity: "1" },
        ],
      }),
    );
    await consumeComponent(t.db, tlsOperator, { requestId: rid(), stationId: w.tls.stationId, unitId: servoUnit.unitId, operationSeq: 10, item: { lotId: lotAtTls }, quantity: "1" }, testTime(-290));
    await completeOperation(t.db, tlsOperator, { requestId: rid(), stationId: w.tls.stationId, unitId: servoUnit.unitId, operationSeq: 10 }, testTime(-280));
    // the completed unit goes to its stores location (the station completes into stores)
    const shipped = await shipTransfer(t.db, w.tlsClerk, { requestId: rid(), toSiteId: w.wch.siteId, itemNumber: "SV-40012" }, testTime(-200));
    expect(shipped.unitSerial).toBe("SV-40012");
    const [unitRow] = await queryRows<{ status: string; shipment_reference: string }>(t.db, sql`select status::text, shipment_reference from units where site_id = ${w.tls.siteId}::uuid and id = ${servoUnit.unitId}::uuid`);
    expect(unitRow).toEqual({ status: "shipped", shipment_reference: shipped.number });
    const received = await receiveTransfer(t.db, w.wchClerk, { requestId: rid(), scan: shipped.number }, testTime(-100));
    expect(received).toMatchObject({ fromSiteCode: w.tls.code, itemNumber: "SV-40012", to: "STORES", inspectionStatus: "accepted" });
    const [sv] = await queryRows<{ id: string; built_here: boolean }>(t.db, sql`select id, built_here from serial_items where site_id = ${w.wch.siteId}::uuid and serial_number = 'SV-40012'`);
    servoAtWch = sv!.id;
    expect(sv!.built_here).toBe(false);
    await t.db.transaction((tx) =>
      postMovement(tx, {
        siteId: w.wch.siteId,
        kind: "transfer",
        occurredAt: testTime(-90),
        legs: [
          { partRevisionId: w.servo.partRevisionId, lotId: null, serialItemId: servoAtWch, locationId: w.wch.loc.stores, quantity: "-1" },
          { partRevisionId: w.servo.partRevisionId, lotId: null, serialItemId: servoAtWch, locationId: w.wch.loc.point_of_use, quantity: "1" },
        ],
      }),
    );
    const wchOperator = operatorActor(w.wch);
    await consumeComponent(t.db, wchOperator, { requestId: rid(), stationId: w.wch.stationId, unitId: w.actuator.units[0]!.unitId, operationSeq: 10, item: { serialItemId: servoAtWch } }, testTime(-80));
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
    // each plant got exactly one confirmation per transfer it took part in
    expect((await transferConfirmations(t.db, w.wch.siteId)).map((c) => c.movementType)).toEqual(["303", "305"]);
    expect((await transferConfirmations(t.db, w.tls.siteId)).map((c) => c.movementType)).toEqual(["305", "303"]);
  });

  it("recall of the WCH lot, for an enterprise user, finds the WCH actuator through the TLS servo-valve, with the site on each node", async () => {
    const answer = await readEnterpriseWhereUsed(t.db, w.enterprise, { siteId: w.wch.siteId, kind: "lot", id: w.lot.id });
    expect(answer.rows.map((r) => [r.siteCode, r.unitSerialNumber, r.level, r.current])).toEqual([
      [w.tls.code, "SV-40012", 1, true],
      [w.wch.code, "ACT-1101", 2, true],
    ]);
    expect(answer.total).toBe(2);
    const act = answer.rows.find((r) => r.unitSerialNumber === "ACT-1101")!;
    expect(act.path).toEqual([
      { siteCode: w.wch.code, number: w.lot.lotNumber, via: "start" },
      { siteCode: w.tls.code, number: w.lot.lotNumber, via: "transferred" },
      { siteCode: w.tls.code, number: "SV-40012", via: "installed" },
      { siteCode: w.wch.code, number: "SV-40012", via: "transferred" },
      { siteCode: w.wch.code, number: "ACT-1101", via: "installed" },
    ]);
    // as-built down from the actuator: the servo-valve at WCH, then its origin at TLS, then the bearing lot there
    const top = await readEnterpriseAsBuilt(t.db, w.enterprise, w.wch.siteId, w.actuator.units[0]!.serialItemId);
    expect(top.components.map((c) => [c.siteCode, c.number, c.relation, c.below])).toEqual([[w.wch.code, "SV-40012", "installed", 1]]);
    const servo = await readEnterpriseAsBuilt(t.db, w.enterprise, w.wch.siteId, servoAtWch);
    expect(servo.components.map((c) => [c.siteCode, c.number, c.relation, c.transferNumber !== null])).toEqual([[w.tls.code, "SV-40012", "received_from", true]]);
    const origin = await readEnterpriseAsBuilt(t.db, w.enterprise, w.tls.siteId, servo.components[0]!.id!);
    expect(origin.components.map((c) => [c.siteCode, c.number, c.kind])).toEqual([[w.tls.code, w.lot.lotNumber, "lot"]]);
  });

  it("a single-site user sees only their site: no TLS node or id in where-used, and no enterprise reads", async () => {
    const local = await traceWhereUsed(t.db, w.wch.siteId, { kind: "lot", id: w.lot.id });
    expect(local.total).toBe(0);
    const text = JSON.stringify(local);
    for (const id of [w.tls.siteId, lotAtTls, w.servo.units[0]!.serialItemId, w.servo.units[0]!.unitId]) expect(text).not.toContain(id);
    expect((await refusal(readEnterpriseWhereUsed(t.db, w.wchQuality, { siteId: w.wch.siteId, kind: "lot", id: w.lot.id }))).code).toBe("FORBIDDEN");
    // an enterprise user of WCH only: the walk stops at the site boundary, and says a link left the scope
    const wchOnly = actorAt(w.enterprise.userId, [{ plant: w.wch, roles: ["quality_engineer", "enterprise"] }]);
    const bounded = await readEnterpriseWhereUsed(t.db, wchOnly, { siteId: w.wch.siteId, kind: "lot", id: w.lot.id });
    expect(bounded.rows).toEqual([]);
    expect(bounded.linksOutOfScope).toBe(1);
    expect(JSON.stringify(bounded)).not.toContain(w.tls.siteId);
    const asBuilt = await readEnterpriseAsBuilt(t.db, wchOnly, w.wch.siteId, servoAtWch);
    expect(asBuilt.components).toEqual([]);
    expect(asBuilt.originOutOfScope).toBe(w.tls.code);
    expect((await refusal(readEnterpriseAsBuilt(t.db, wchOnly, w.tls.siteId, w.servo.units[0]!.serialItemId))).code).toBe("NOT_FOUND");
  });

  it("the enterprise user at TLS alone (active site) still reaches WCH: the scope is every site they hold the role at", async () => {
    const fromTls = at(w.enterprise, w.tls.siteId);
    const answer = await readEnterpriseWhereUsed(t.db, fromTls, { siteId: w.wch.siteId, kind: "lot", id: w.lot.id });
    expect(answer.rows.map((r) => r.unitSerialNumber)).toEqual(["SV-40012", "ACT-1101"]);
  });
});
