import { confirmationOrderingKey, type Confirmation } from "@/server/domain/erp/outbound";

/**
 * Test support: one confirmation of every kind the floor writes, with the payloads its producers write
 * (GoodsMovementPayload / OrderConfirmationPayload / HoldStatusPayload of server/domain/station/station-rules.ts) and
 * their fields in the order the ERP receives them: the order in which PostgreSQL's jsonb keeps an object's keys
 * (shorter keys first, then by their bytes), which is how the outbox hands a payload to the wire formats.
 * server/services/erp/confirmation-formats.producers.int.test.ts runs the real producers and checks that each example
 * has exactly the fields, nesting and field order of the payload its producer writes.
 */

const PLANT = "1000";
const ORDER = "WO-100240";

/** An object's keys in jsonb's order (length, then bytes), at every depth. */
export function inStoredOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map(inStoredOrder) as T;
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Object.fromEntries(keys.map((k) => [k, inStoredOrder((value as Record<string, unknown>)[k])])) as T;
}

function confirmation(messageId: string, type: string, occurredAt: string, payload: Record<string, unknown>): Confirmation {
  const stored = inStoredOrder(payload);
  return { messageId, type, plant: PLANT, orderingKey: confirmationOrderingKey(stored as Parameters<typeof confirmationOrderingKey>[0]), occurredAt: new Date(occurredAt), payload: stored };
}

/** A goods movement payload as station-rules.ts goodsMovement builds it. */
function movement(m: Record<string, unknown>): Record<string, unknown> {
  return { plant: PLANT, postingDate: "2026-11-20", ...m };
}

/** By example name; the type is the part before any "-". */
export const CONFIRMATION_EXAMPLES = {
  consumption: confirmation(
    "b473802a-eb38-49c6-8ca8-70711e4bd561",
    "consumption",
    "2026-11-20T15:04:05.000Z",
    movement({ movementType: "261", order: ORDER, material: "PR-1422-B2", revision: "-", batch: "AC24-0519", serial: null, quantity: "12.5", uom: "G", reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e01", operation: 30 }),
  ),
  reversal: confirmation(
    "ea196603-a56c-4903-a3fd-d0e8bacf6d4f",
    "reversal",
    "2026-11-20T16:10:00.000Z",
    movement({ movementType: "262", order: ORDER, material: "BKT-4410-07", revision: "A", batch: "BK-2611-04", serial: null, quantity: "1", uom: "EA", reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e02", reason: "Failed functional test: bore out of tolerance", operation: 10 }),
  ),
  scrap: confirmation(
    "9120a507-6274-412a-a564-ca714b3225d3",
    "scrap",
    "2026-11-20T16:10:00.000Z",
    movement({ movementType: "551", order: null, material: "BKT-4410-07", revision: "A", batch: "BK-2611-04", serial: null, quantity: "1", uom: "EA", reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e02", reason: "Failed functional test: bore out of tolerance", operation: 10 }),
  ),
  "scrap-unit": confirmation(
    "28dce346-ac69-42c9-a56b-481f54c53087",
    "scrap",
    "2026-11-21T14:30:00.000Z",
    movement({
      movementType: "551",
      order: null,
      builtOnOrder: ORDER,
      material: "FCA-7740-100",
      revision: "C",
      batch: null,
      serial: "ACT-1103",
      quantity: "1",
      uom: "EA",
      postingDate: "2026-11-21",
      reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e04",
      reason: "Cracked housing found at final inspection; MRB decision: scrap",
      fromLocation: "FG-01",
    }),
  ),
  completion: confirmation(
    "b679f000-3965-4d0c-b569-aa3010dc77ad",
    "completion",
    "2026-11-20T21:45:00.000Z",
    movement({
      movementType: "101",
      order: ORDER,
      material: "FCA-7740-100",
      revision: "C",
      batch: null,
      serial: "ACT-1101",
      quantity: "1",
      uom: "EA",
      reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e05",
      operation: 30,
      confirmation: { operation: 30, finalConfirmation: true, unitSerial: "ACT-1101" },
    }),
  ),
  confirmation: confirmation("37353d21-cd66-4a89-9fb2-9800219e08a8", "confirmation", "2026-11-20T18:02:00.000Z", {
    plant: PLANT,
    order: ORDER,
    postingDate: "2026-11-20",
    confirmation: { operation: 10, finalConfirmation: false, unitSerial: "ACT-1102" },
  }),
  "confirmation-scrap": confirmation("5c0b7e29-0d7a-4f36-9a53-6f1e2d8c4b10", "confirmation", "2026-11-21T10:12:00.000Z", {
    plant: PLANT,
    order: ORDER,
    postingDate: "2026-11-21",
    confirmation: { operation: 20, finalConfirmation: false, unitSerial: "ACT-1104", yield: "0", scrap: "1" },
    material: "FCA-7740-100",
    revision: "C",
    reason: "Housing cracked at press fit",
    reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e06",
  }),
  return: confirmation(
    "22e8676f-4c80-45cc-93dd-a3858a7e78cb",
    "return",
    "2026-11-22T13:00:00.000Z",
    movement({
      movementType: "311",
      order: null,
      material: "PR-1422-B2",
      revision: "-",
      batch: "AC24-0519",
      serial: null,
      quantity: "250",
      uom: "G",
      postingDate: "2026-11-22",
      reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e07",
      reason: "Unused after order close",
      fromLocation: "STORES-01",
      stockType: "unrestricted",
    }),
  ),
  "return-blocked": confirmation(
    "6a3f1c88-2b9e-4d0a-8f71-3c5d9e2a4b11",
    "return",
    "2026-11-22T14:20:00.000Z",
    movement({
      movementType: "311",
      order: null,
      material: "BKT-4410-07",
      revision: "A",
      batch: "BK-2611-09",
      serial: null,
      quantity: "40",
      uom: "EA",
      postingDate: "2026-11-22",
      reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e0b",
      reason: "Held lot back to the supplier's returns area",
      fromLocation: "QUAR-01",
      stockType: "blocked",
      holdReasons: ["Supplier notice SN-2211: possible contamination of heat lot 7"],
    }),
  ),
  shipment: confirmation(
    "f07ca7d9-b250-48ad-ad8a-2d256e380518",
    "shipment",
    "2026-11-23T20:15:00.000Z",
    movement({
      movementType: "601",
      order: null,
      builtOnOrder: ORDER,
      material: "FCA-7740-100",
      revision: "C",
      batch: null,
      serial: "ACT-1101",
      quantity: "1",
      uom: "EA",
      postingDate: "2026-11-23",
      reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e08",
      fromLocation: "FG-01",
      shipTo: "Airbus Toulouse, dock 4",
      deliveryNote: "80004711",
    }),
  ),
  stock_transfer: confirmation(
    "3b6f0e2a-51c4-4d7e-9a80-6c2f1e4d7a31",
    "stock_transfer",
    "2026-11-24T09:05:00.000Z",
    movement({
      movementType: "303",
      order: null,
      material: "BRG-2210-04",
      revision: "B",
      batch: "BRG-2611-04",
      serial: null,
      quantity: "4",
      uom: "EA",
      postingDate: "2026-11-24",
      reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e0c",
      fromLocation: "ST-A01",
      transfer: "TR-3B6F0E2A51",
      issuingPlant: PLANT,
      receivingPlant: "2100",
    }),
  ),
  "hold_status-lot": confirmation("9d922a51-a999-4568-bb8d-2e0be24f8678", "hold_status", "2026-11-21T15:20:00.000Z", {
    action: "placed",
    holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e09",
    target: { type: "lot", key: "AC24-0519" },
    plant: PLANT,
    material: "PR-1422-B2",
    revision: "-",
    batch: "AC24-0519",
    serial: null,
    reason: "Supplier notice SN-2211: possible contamination",
    postingDate: "2026-11-21",
  }),
  "hold_status-serial": confirmation("f51f2359-ca45-4327-8f2d-f12584fb6ef8", "hold_status", "2026-11-22T16:40:00.000Z", {
    action: "released",
    holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e10",
    target: { type: "serial", key: "ACT-1102" },
    plant: PLANT,
    material: "FCA-7740-100",
    revision: "C",
    batch: null,
    serial: "ACT-1102",
    reason: "Re-inspected: conforming",
    holdReason: "Dropped during handling",
    postingDate: "2026-11-22",
  }),
  "hold_status-part_revision": confirmation("0b8d5e6f-7a1c-4e2b-9d3f-5a6b7c8d9e12", "hold_status", "2026-11-21T09:05:00.000Z", {
    action: "placed",
    holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e13",
    target: { type: "part_revision", key: "BKT-4410-07" },
    plant: PLANT,
    material: "BKT-4410-07",
    revision: "A",
    batch: null,
    serial: null,
    reason: "Drawing change pending: rev A bore tolerance under review",
    postingDate: "2026-11-21",
  }),
  "hold_status-manufacturer": confirmation("3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a14", "hold_status", "2026-11-21T11:30:00.000Z", {
    action: "placed",
    holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e15",
    target: { type: "manufacturer", key: "3AB71" },
    plant: PLANT,
    material: null,
    revision: null,
    batch: null,
    serial: null,
    reason: "GIDEP alert on counterfeit parts from this manufacturer",
    postingDate: "2026-11-21",
  }),
  "hold_status-supplier": confirmation("8f9a0b1c-2d3e-4f5a-9b6c-7d8e9f0a1b16", "hold_status", "2026-11-24T08:45:00.000Z", {
    action: "released",
    holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e17",
    target: { type: "supplier", key: "SUP-4410" },
    plant: PLANT,
    material: null,
    revision: null,
    batch: null,
    serial: null,
    reason: "Supplier audit closed: corrective actions verified",
    holdReason: "Supplier audit finding: traceability gaps",
    postingDate: "2026-11-24",
  }),
  stock_correction: confirmation("5a1f3c7e-2b4d-4e6f-8a9b-0c1d2e3f4a18", "stock_correction", "2026-11-26T09:12:00.000Z", {
    plant: PLANT,
    exception: "RX-42",
    category: "erp_side_adjustment",
    material: "PR-1422-B2",
    revision: "-",
    batch: "AC24-0519",
    serial: null,
    location: null,
    uom: "G",
    erpQuantity: "1505",
    tracelineQuantity: "1500",
    erpRevision: null,
    erpUnit: null,
    snapshot: "STOCK-1000-2026-11-26",
    reason: "Cycle count in ERP posted 5 g too many: the floor weighed the lot",
    postingDate: "2026-11-26",
  }),
  lot_expiry: confirmation("6b2e4d8f-3c5e-4f70-9a1b-2c3d4e5f6a19", "lot_expiry", "2026-11-27T14:05:00.000Z", {
    plant: PLANT,
    material: "PR-1422-B2",
    revision: "-",
    batch: "AC24-0519",
    previousExpiry: "2027-06-23",
    expiry: "2027-09-30",
    reason: "Re-test passed: viscosity, tack-free time and peel strength within specification",
    testReference: "LAB-RT-2026-0418",
    postingDate: "2026-11-27",
  }),
  lot_mix: confirmation("9c4f2a7e-1d3b-5e6f-8a90-b1c2d3e4f5a6", "lot_mix", "2026-11-28T09:30:00.000Z", {
    plant: PLANT,
    movementType: "501",
    material: "PR-1422-B2-MIX",
    revision: "A",
    batch: "AC24-0519-M1",
    quantity: "110",
    uom: "G",
    expiry: "2026-11-28",
    expiresAt: "2026-11-28T13:30:00.000Z",
    toLocation: "POU-A1",
    postingDate: "2026-11-28",
    reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e21",
    reason: "Mixed lot AC24-0519 + lot AC24-0611 into lot AC24-0519-M1",
    inputs: [
      { movementType: "201", material: "PR-1422-B2-BASE", revision: "-", batch: "AC24-0519", quantity: "100", uom: "G", fromLocation: "FRZ-01" },
      { movementType: "201", material: "PR-1422-B2-ACT", revision: "-", batch: "AC24-0611", quantity: "10", uom: "G", fromLocation: "FRZ-01" },
    ],
  }),
} satisfies Record<string, Confirmation>;

export type ExampleName = keyof typeof CONFIRMATION_EXAMPLES;
