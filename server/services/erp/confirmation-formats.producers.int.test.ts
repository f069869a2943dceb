import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { XMLParser } from "fast-xml-parser";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor, type StationPlant } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows } from "@/db/client";
import { hashSecret } from "@/server/auth/passwords";
import type { Confirmation } from "@/server/domain/erp/outbound";
import { DEFAULT_OWNERSHIP } from "@/server/domain/erp/ownership-defaults";
import { postMovement } from "@/server/repos/ledger";
import { updateOutboundSettings } from "@/server/repos/erp-outbound-settings";
import { b2mmlSchemaErrorsOf } from "@/server/integrations/erp/b2mml-schema.test-helper";
import { CONFIRMATION_TYPES, readConfirmation, unreadFields } from "@/server/integrations/erp/outbound/confirmation-types";
import { CONFIRMATION_EXAMPLES, type ExampleName } from "@/server/integrations/erp/outbound/examples.test-helper";
import { encodeBatch, encodeOne, OUTBOUND_FORMATS, unmappableReason } from "@/server/integrations/erp/outbound/formats";
import { toSapMessage } from "@/server/integrations/erp/outbound/sap";
import { b2mmlOperationsResponse } from "@/server/integrations/erp/outbound/b2mml";
import { returnToErp } from "@/server/services/kitting/return-to-erp";
import { scrapUnit } from "@/server/services/production/scrap-unit";
import { shipUnit } from "@/server/services/production/ship-unit";
import { shipTransfer } from "@/server/services/transfers/ship-transfer";
import { placeHold } from "@/server/services/quality/place-hold";
import { releaseHold } from "@/server/services/quality/release-hold";
import { extendShelfLife } from "@/server/services/material-clock/extend-shelf-life";
import { mixLots, type MixLotsCommand } from "@/server/services/material-clock/mix-lots";
import { completeOperation } from "@/server/services/station/complete-operation";
import { consumeComponent } from "@/server/services/station/consume-component";
import { removeComponent } from "@/server/services/station/remove-component";
import { scrapMaterial } from "@/server/services/station/scrap-material";
import { claimRun, insertRun } from "@/server/repos/recon-runs";
import { executeRun } from "@/server/services/reconciliation/run-reconciliation";
import { requestErpCorrection } from "@/server/services/reconciliation/resolve-exception";
import { createErpConnection } from "./connections";
import { pullConfirmations } from "./outbound-confirmations";

/*
 * Every confirmation the floor writes, written by its real producer (the station, kitting, production and quality
 * services on PostgreSQL), read back the way the worker and the pull feed read it, and put into every wire format:
 * none is ConfirmationNotMappable, every B2MML document validates against V0700, the readers look at every field the
 * producers write, every value the floor recorded reaches the ERP in every format, and the documented examples
 * (docs/erp-interface.md, examples.test-helper.ts) have exactly the fields of the real payloads. A producer that adds a
 * field the reader does not map, or a reader that requires a field no producer writes, fails here.
 */

const t = useTestDatabase("empty");
const PASSWORD = "correct horse battery staple";
const start = Date.UTC(2026, 10, 20, 15, 0);
const at = (minutes: number) => new Date(start + minutes * 60_000);
const rid = () => randomUUID();
const short = () => randomUUID().slice(0, 6).toUpperCase();

/** What each step of the scenario wrote, by `<step>:<type>`. */
const produced = new Map<string, Confirmation>();
/** Every confirmation the scenario wrote (labelled or not), in the order of the feed. */
let everything: Confirmation[] = [];
let plant: StationPlant;
let connection: { id: string; source: string; plantSites: Record<string, string> };

async function lastOutboxId(): Promise<number> {
  const [row] = await queryRows<{ id: string }>(t.db, sql`select coalesce(max(id), 0)::text as id from erp_outbox`);
  return Number(row!.id);
}

async function pulled(): Promise<Confirmation[]> {
  const page = await pullConfirmations(t.db, connection, null, 1000);
  return page.confirmations.map((c) => ({ messageId: c.messageId, type: c.type, plant: c.plant, orderingKey: c.orderingKey, occurredAt: new Date(c.occurredAt), payload: c.payload }));
}

/** Run one step of the floor and label the confirmations it wrote. */
async function step(name: string, run: () => Promise<unknown>): Promise<void> {
  const before = await lastOutboxId();
  await run();
  const rows = await queryRows<{ message_id: string }>(t.db, sql`select message_id::text from erp_outbox where id > ${before} order by id`);
  expect(rows.length, `${name} writes a confirmation`).toBeGreaterThan(0);
  const ids = new Set(rows.map((r) => r.message_id));
  // read back as the pull feed hands them out: the payload as PostgreSQL returns it, the site's ERP plant
  for (const c of (await pulled()).filter((c) => ids.has(c.messageId))) {
    const key = `${name}:${c.type}`;
    expect(produced.has(key), `${key} is written once`).toBe(false);
    produced.set(key, c);
  }
}

beforeAll(async () => {
  plant = await createStationPlant(t.db);
  await t.db
    .insert(s.ownershipRegistry)
    .values(DEFAULT_OWNERSHIP.map((o) => ({ entity: o.entity, attribute: o.attribute, owner: o.owner, direction: o.direction, note: o.note })))
    .onConflictDoNothing();
  await t.db.update(s.users).set({ passwordHash: await hashSecret(PASSWORD) }).where(eq(s.users.id, plant.qualityId));
  const { id } = await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: `ERP ${plant.code}`, source: `ERP-${plant.code}`, plants: { [plant.code]: plant.code } });
  await t.db.transaction((tx) => updateOutboundSettings(tx, id, { mode: "pull", format: "json", url: null, dedupes: true, secret: null }));
  connection = { id, source: `ERP-${plant.code}`, plantSites: { [plant.code]: plant.siteId } };

  const bracket = await createTestPart(t.db, "lot");
  const sealant = await createTestPart(t.db, "lot", { uom: "ML" });
  const sensor = await createTestPart(t.db, "serial");
  const order = await createStationOrder(t.db, plant, {
    number: `WO-${short()}`,
    serials: [`U1-${short()}`, `U2-${short()}`, `U3-${short()}`],
    bom: [
      { find: 1, partRevisionId: bracket.revisionId, qty: "2", op: 10 },
      { find: 2, partRevisionId: sealant.revisionId, qty: "0.5", op: 20, backflush: true },
    ],
  });
  const bracketLot = await createTestLot(t.db, plant.siteId, bracket.revisionId);
  const sealantLot = await createTestLot(t.db, plant.siteId, sealant.revisionId);
  const bracketItem = { partRevisionId: bracket.revisionId, lotId: bracketLot.id, serialItemId: null };
  await t.db.transaction(async (tx) => {
    await issueToPointOfUse(tx, plant, bracketItem, "10", at(0));
    await issueToPointOfUse(tx, plant, { partRevisionId: sealant.revisionId, lotId: sealantLot.id, serialItemId: null }, "5", at(0));
  });
  const operator = operatorActor(plant);
  const supervisor = operatorActor(plant, ["supervisor"]);
  const clerk = operatorActor(plant, ["kitting_clerk"]);
  const quality = plant.actor(["quality_engineer"]);
  const [u1, u2, u3] = order.units;
  const op = (unitId: string, operationSeq: number) => ({ requestId: rid(), stationId: plant.stationId, unitId, operationSeq });
  const install = (unitId: string) => consumeComponent(t.db, operator, { ...op(unitId, 10), item: { lotId: bracketLot.id }, quantity: "2" }, at(5));

  // the station: install, intermediate confirmation, backflush and completion, rework (reversal and scrap), scrap
  await step("install", () => install(u1!.unitId));
  await step("complete operation 10", () => completeOperation(t.db, operator, op(u1!.unitId, 10), at(10)));
  await step("complete last operation", () => completeOperation(t.db, operator, op(u1!.unitId, 20), at(20)));
  const edge = await install(u2!.unitId);
  await step("remove", () => removeComponent(t.db, supervisor, { requestId: rid(), edgeId: edge.edgeId, reason: "Bore out of tolerance at functional test", destination: "scrap" }, at(25)));
  await install(u2!.unitId);
  await completeOperation(t.db, operator, op(u2!.unitId, 10), at(30));
  await completeOperation(t.db, operator, op(u2!.unitId, 20), at(35));
  await step("scrap material", () => scrapMaterial(t.db, operator, { requestId: rid(), locationId: plant.loc.point_of_use, item: { lotId: bracketLot.id }, quantity: "1", reasonCode: "DAMAGED", note: "Bent in handling" }, at(40)));

  // finished units: shipped, scrapped once completed, scrapped in work
  await step("ship", () => shipUnit(t.db, clerk, { requestId: rid(), unitId: u1!.unitId, shipTo: "Airbus Toulouse, dock 4", deliveryNote: `DN-${short()}` }, at(60)));
  // a site transfer of part of a lot in stores to another site: the issuing plant's 303
  const other = await createStationPlant(t.db);
  const transferLot = await createTestLot(t.db, plant.siteId, bracket.revisionId);
  await t.db.transaction((tx) =>
    postMovement(tx, {
      siteId: plant.siteId,
      kind: "receive_from_erp",
      occurredAt: at(61),
      legs: [
        { partRevisionId: bracket.revisionId, lotId: transferLot.id, serialItemId: null, locationId: plant.loc.erp_supply, quantity: "-8" },
        { partRevisionId: bracket.revisionId, lotId: transferLot.id, serialItemId: null, locationId: plant.loc.stores, quantity: "8" },
      ],
    }),
  );
  await step("ship to another site", () => shipTransfer(t.db, clerk, { requestId: rid(), toSiteId: other.siteId, itemNumber: transferLot.lotNumber, quantity: "3" }, at(62)));
  await step("scrap completed unit", () => scrapUnit(t.db, supervisor, { requestId: rid(), unitId: u2!.unitId, reason: "Cracked housing found at final inspection; MRB decision: scrap" }, at(70)));
  await step("scrap unit in work", () => scrapUnit(t.db, quality, { requestId: rid(), unitId: u3!.unitId, reason: "Dropped during handling" }, at(75)));

  // holds, as the ownership registry sends them to ERP, on every kind of target
  const sign = (meaning: "hold" | "release") => ({ method: "password" as const, secret: PASSWORD, meaning });
  const ctx = (minutes: number) => ({ now: at(minutes), clientKey: `test-${randomUUID()}` });
  const hold = (name: string, target: Parameters<typeof placeHold>[2]["target"], minutes: number) => {
    let holdId = "";
    return step(name, async () => {
      holdId = (await placeHold(t.db, quality, { requestId: rid(), target, reason: `Hold: ${name}`, signature: sign("hold") }, ctx(minutes))).holdId;
    }).then(() => holdId);
  };
  const release = (name: string, holdId: string, minutes: number) =>
    step(name, () => releaseHold(t.db, quality, { requestId: rid(), holdId, reason: `Released: ${name}`, signature: sign("release") }, ctx(minutes)));
  const heldLot = await createTestLot(t.db, plant.siteId, bracket.revisionId);
  const sensorSerial = await createTestSerial(t.db, plant.siteId, sensor.revisionId);
  const [manufacturer] = await t.db.insert(s.manufacturers).values({ code: `M${short()}`, name: "Test manufacturer" }).returning();
  const [supplier] = await t.db.insert(s.suppliers).values({ code: `S${short()}`, name: "Test supplier" }).returning();
  await hold("hold lot", { kind: "lot", lotNumber: heldLot.lotNumber }, 80);
  await release("release serial hold", await hold("hold serial", { kind: "serial", serialNumber: sensorSerial.serialNumber }, 81), 82);
  await release("release part revision hold", await hold("hold part revision", { kind: "part_revision", partNumber: sensor.partNumber, revision: "A" }, 83), 84);
  await release("release manufacturer hold", await hold("hold manufacturer", { kind: "manufacturer", code: manufacturer!.code }, 85), 86);
  await release("release supplier hold", await hold("hold supplier", { kind: "supplier", code: supplier!.code }, 87), 88);

  // returns to ERP: free stock, and a held lot (blocked stock with the hold's reason)
  const spare = await createTestLot(t.db, plant.siteId, bracket.revisionId);
  await t.db.transaction(async (tx) => {
    for (const [lotId, to] of [
      [spare.id, plant.loc.stores],
      [heldLot.id, plant.loc.quarantine],
    ] as const) {
      await postMovement(tx, {
        siteId: plant.siteId,
        kind: "receive_from_erp",
        occurredAt: at(0),
        legs: [
          { partRevisionId: bracket.revisionId, lotId, serialItemId: null, locationId: plant.loc.erp_supply, quantity: "-5" },
          { partRevisionId: bracket.revisionId, lotId, serialItemId: null, locationId: to, quantity: "5" },
        ],
      });
    }
  });
  const giveBack = (lotId: string, from: string) => returnToErp(t.db, clerk, { requestId: rid(), fromLocationId: from, item: { ...bracketItem, lotId }, quantity: "5", reason: "Not needed on the floor" }, at(90));
  await step("return", () => giveBack(spare.id, plant.loc.stores));
  await step("return held lot", () => giveBack(heldLot.id, plant.loc.quarantine));

  // reconciliation: ERP's snapshot counts 5 of a lot the floor does not hold; the exception asks ERP to correct it
  const counted = await createTestLot(t.db, plant.siteId, bracket.revisionId);
  await t.db.execute(sql`insert into erp_stock_snapshots (site_id, snapshot_key, taken_at, lines)
    values (${plant.siteId}::uuid, 'STOCK-PRODUCERS', ${at(91).toISOString()}::timestamptz,
      ${JSON.stringify([{ partNumber: bracket.partNumber, revision: "A", lotNumber: counted.lotNumber, quantity: "5" }])}::jsonb)`);
  await insertRun(t.db, { siteId: plant.siteId, trigger: "on_demand", requestedBy: null, now: at(92) });
  const run = await claimRun(t.db, { owner: "producers", now: at(92), leaseMs: 60_000, siteId: plant.siteId });
  await executeRun(t.db, run!, { owner: "producers", now: () => at(92), cancelPollMs: 0 });
  const [counts] = await queryRows<{ id: string }>(t.db, sql`select id from recon_exceptions where site_id = ${plant.siteId}::uuid and lot_number = ${counted.lotNumber}`);
  await step("stock correction", () => requestErpCorrection(t.db, clerk, { requestId: rid(), exceptionId: counts!.id, reason: "The floor never received this lot" }, at(95)));

  // a shelf life extended after a re-test: ERP owns lot expiry (the registry's default), so it is told
  const retested = await createTestLot(t.db, plant.siteId, bracket.revisionId, { expiresAt: at(60 * 24 * 10) });
  await step("extend shelf life", () =>
    extendShelfLife(
      t.db,
      quality,
      { requestId: rid(), lotId: retested.id, newExpiryDate: "2027-03-31", reason: "Re-test passed", testReference: "LAB-RT-0001", signature: { method: "password", secret: PASSWORD, meaning: "approval" } },
      ctx(96),
    ),
  );

  // a two-part sealant mixed on the floor: both input lots issued (201), the child lot received (501) with its pot life
  const base = await createTestPart(t.db, "lot", { uom: "G" });
  const activator = await createTestPart(t.db, "lot", { uom: "G" });
  const mixed = await createTestPart(t.db, "lot", { uom: "G", potLifeMinutes: 240 });
  const [bom] = await t.db.insert(s.boms).values({ parentRevisionId: mixed.revisionId }).returning();
  await t.db.insert(s.bomLines).values([
    { bomId: bom!.id, findNumber: 10, componentRevisionId: base.revisionId, quantity: "10", operationSeq: 10 },
    { bomId: bom!.id, findNumber: 20, componentRevisionId: activator.revisionId, quantity: "1", operationSeq: 10 },
  ]);
  const mixInputs: MixLotsCommand["inputs"] = [];
  for (const [part, qty] of [[base, "100"], [activator, "10"]] as const) {
    const lot = await createTestLot(t.db, plant.siteId, part.revisionId, { expiresAt: at(60 * 24 * 30) });
    await t.db.transaction((tx) =>
      postMovement(tx, {
        siteId: plant.siteId,
        kind: "receive_from_erp",
        occurredAt: at(96),
        legs: [
          { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: plant.loc.erp_supply, quantity: `-${qty}` },
          { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: plant.loc.stores, quantity: qty },
        ],
      }),
    );
    mixInputs.push({ partRevisionId: part.revisionId, lotId: lot.id, fromLocationId: plant.loc.stores, quantity: qty });
  }
  await step("mix", () => mixLots(t.db, clerk, { requestId: rid(), inputs: mixInputs, toLocation: "POINT_OF_USE" }, at(97)));
  everything = await pulled();
}, 120_000);

/** Each example of the documentation and the real confirmation it stands for. */
const EXAMPLE_OF: Record<ExampleName, string> = {
  consumption: "install:consumption",
  reversal: "remove:reversal",
  scrap: "remove:scrap",
  "scrap-unit": "scrap completed unit:scrap",
  completion: "complete last operation:completion",
  confirmation: "complete operation 10:confirmation",
  "confirmation-scrap": "scrap unit in work:confirmation",
  return: "return:return",
  "return-blocked": "return held lot:return",
  shipment: "ship:shipment",
  stock_transfer: "ship to another site:stock_transfer",
  "hold_status-lot": "hold lot:hold_status",
  "hold_status-serial": "release serial hold:hold_status",
  "hold_status-part_revision": "hold part revision:hold_status",
  "hold_status-manufacturer": "hold manufacturer:hold_status",
  "hold_status-supplier": "release supplier hold:hold_status",
  stock_correction: "stock correction:stock_correction",
  lot_expiry: "extend shelf life:lot_expiry",
  lot_mix: "mix:lot_mix",
};

/** Every kind of confirmation the scenario makes: one per producer and variant. */
const KINDS = [
  ...new Set([
    ...Object.values(EXAMPLE_OF),
    "complete last operation:consumption", // a backflush
    "scrap material:scrap",
    "hold serial:hold_status",
    "release part revision hold:hold_status",
    "release manufacturer hold:hold_status",
    "hold supplier:hold_status",
  ]),
];

function real(kind: string): Confirmation {
  return produced.get(kind) ?? expect.unreachable(`the scenario wrote no ${kind}; it wrote ${[...produced.keys()].join(", ")}`);
}

describe("confirmations written by the real producers", () => {
  it("cover every confirmation type, with no kind left out", () => {
    expect([...produced.keys()].sort()).toEqual([...KINDS].sort());
    expect([...new Set([...produced.values()].map((c) => c.type))].sort()).toEqual(Object.keys(CONFIRMATION_TYPES).sort());
  });

  it.each(KINDS)("%s: its type's reader reads it, and every field of it", (kind) => {
    const c = real(kind);
    expect(() => readConfirmation(c)).not.toThrow();
    expect(unreadFields(c), "fields the producer writes that the reader does not map").toEqual([]);
  });

  it.each(OUTBOUND_FORMATS.map((f) => [f]))("the pull feed of a connection in the %s format carries each of them", async (format) => {
    await t.db.transaction((tx) => updateOutboundSettings(tx, connection.id, { mode: "pull", format, url: null, dedupes: true, secret: null }));
    try {
      const page = await pullConfirmations(t.db, connection, null, 1000);
      expect(page.confirmations.map((c) => c.messageId)).toEqual(everything.map((c) => c.messageId));
      for (const [i, item] of page.confirmations.entries()) {
        expect(item.documentError, `${item.type} ${item.messageId}`).toBeUndefined();
        if (format !== "json") expect(item.document).toBe(encodeOne(format, everything[i]!));
      }
      if (format === "b2mml") {
        const errors = await b2mmlSchemaErrorsOf(Object.fromEntries(page.confirmations.map((c) => [c.type + c.messageId, c.document!])));
        expect(Object.entries(errors).filter(([, e]) => e.length > 0)).toEqual([]);
      }
    } finally {
      await t.db.transaction((tx) => updateOutboundSettings(tx, connection.id, { mode: "pull", format: "json", url: null, dedupes: true, secret: null }));
    }
  });

  it.each(OUTBOUND_FORMATS.map((f) => [f]))("one push request in the %s format carries all of them", async (format) => {
    const all = everything;
    expect(all.length).toBeGreaterThan(produced.size);
    for (const c of all) expect(unmappableReason(format, c), `${c.type} ${c.messageId}`).toBeNull();
    const body = encodeBatch(format, all).body;
    if (format === "b2mml") expect(Object.values(await b2mmlSchemaErrorsOf({ all: body })).flat()).toEqual([]);
  });

  it.each(KINDS)("%s: every value the floor recorded reaches the ERP in every format", (kind) => {
    const c = real(kind);
    expect(missingIn("sap", c)).toEqual([]);
    expect(missingIn("b2mml", c)).toEqual([]);
  });

  it("the checks can fail: a field the reader does not map, or a value no format carries, is named", () => {
    const c = real("ship:shipment");
    const extra = { ...c, payload: { ...c.payload, customsTariff: "8803.30" } };
    expect(unreadFields(extra)).toEqual(["customsTariff"]);
    expect(missingIn("sap", extra)).toEqual(["customsTariff"]);
    expect(missingIn("b2mml", extra)).toEqual(["customsTariff"]);
    const renamed = { ...c, payload: { ...c.payload, shipTo: undefined, customer: c.payload.shipTo } };
    expect(unmappableReason("sap", renamed)).toMatch(/payload\.shipTo must be a non-empty string/);
  });

  it.each(Object.entries(EXAMPLE_OF))("the documented example %s has the fields, nesting and field order of the real %s", (name, kind) => {
    const example = CONFIRMATION_EXAMPLES[name as ExampleName];
    const c = real(kind);
    expect(example.type).toBe(c.type);
    expect(shapeOf(example.payload)).toEqual(shapeOf(c.payload));
    expect(example.orderingKey.split(":")[0]).toBe(c.orderingKey.split(":")[0]);
  });
});

/** The structure of a value: each object's keys in order with the shape of their values; scalars by their type. */
function shapeOf(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object") return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOf(v)]);
  return typeof value;
}

/** Every scalar of a value with its path (array elements under their array's path). */
function leaves(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v) => leaves(v, path));
  if (value !== null && typeof value === "object") return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, value]];
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, parseAttributeValue: false });

/** The payload fields whose value appears nowhere in the confirmation's document in this format. */
function missingIn(format: "sap" | "b2mml", c: Confirmation): string[] {
  const doc = format === "sap" ? toSapMessage(c) : xml.parse(b2mmlOperationsResponse(c));
  const carried = new Set(leaves(doc).map(([, v]) => String(v)));
  // how a value may appear: as it is; a date as SAP's YYYYMMDD or B2MML's midnight; an operation as SAP's four digits;
  // a quantity negated (a reversal in B2MML); true as SAP's X
  const forms = (v: unknown): string[] => {
    if (typeof v === "number") return [String(v), String(v).padStart(4, "0")];
    if (typeof v === "boolean") return [String(v), v ? "X" : ""];
    const text = String(v);
    return [text, `-${text}`, `${text}T00:00:00`, /^\d{4}-\d{2}-\d{2}$/.test(text) ? text.replaceAll("-", "") : text];
  };
  return leaves(c.payload)
    .filter(([, v]) => v !== null && v !== undefined && !forms(v).some((f) => carried.has(f)))
    .map(([path]) => path);
}
