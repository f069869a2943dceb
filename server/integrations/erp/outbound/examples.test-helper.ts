import { confirmationOrderingKey, type Confirmation } from "@/server/domain/erp/outbound";

/**
 * Test support: one confirmation of every kind the floor writes, with payloads shaped as the station writes them
 * (GoodsMovementPayload / OrderConfirmationPayload of server/domain/station/station-rules.ts) and, for the kinds still
 * being added (return, shipment, unit scrap, hold status), as docs/erp-interface.md documents them.
 */

const PLANT = "1000";
const ORDER = "WO-100240";

function confirmation(messageId: string, type: string, occurredAt: string, payload: Record<string, unknown>): Confirmation {
  const p = payload as { order?: string | null; material?: string; batch?: string | null; serial?: string | null };
  return { messageId, type, plant: PLANT, orderingKey: confirmationOrderingKey(p), occurredAt: new Date(occurredAt), payload };
}

/** A goods movement payload with its fields in the order the station writes them (station-rules.ts goodsMovement). */
function movement(m: Record<string, unknown>): Record<string, unknown> {
  const { movementType, material, revision, batch, serial, uom, order, quantity, postingDate = "2026-11-20", reference, ...rest } = m;
  return { movementType, material, revision, batch, serial, uom, plant: PLANT, order, quantity, postingDate, reference, ...rest };
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
    movement({ movementType: "551", order: null, material: "FCA-7740-100", revision: "C", batch: null, serial: "ACT-1103", quantity: "1", uom: "EA", postingDate: "2026-11-21", reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e04", reason: "NONCONFORMING: Nonconforming (defect found) — cracked housing" }),
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
  return: confirmation(
    "22e8676f-4c80-45cc-93dd-a3858a7e78cb",
    "return",
    "2026-11-22T13:00:00.000Z",
    movement({ movementType: "311", order: null, material: "PR-1422-B2", revision: "-", batch: "AC24-0519", serial: null, quantity: "250", uom: "G", postingDate: "2026-11-22", reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e07", reason: "Unused after order close" }),
  ),
  shipment: confirmation(
    "f07ca7d9-b250-48ad-ad8a-2d256e380518",
    "shipment",
    "2026-11-23T20:15:00.000Z",
    movement({ movementType: "601", order: null, material: "FCA-7740-100", revision: "C", batch: null, serial: "ACT-1101", quantity: "1", uom: "EA", postingDate: "2026-11-23", reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e08", customer: "C-20417", delivery: "80004711" }),
  ),
  "hold_status-lot": confirmation("9d922a51-a999-4568-bb8d-2e0be24f8678", "hold_status", "2026-11-21T15:20:00.000Z", {
    action: "placed",
    material: "PR-1422-B2",
    revision: "-",
    batch: "AC24-0519",
    serial: null,
    reason: "Supplier notice SN-2211: possible contamination",
    holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e09",
    postingDate: "2026-11-21",
  }),
  "hold_status-serial": confirmation("f51f2359-ca45-4327-8f2d-f12584fb6ef8", "hold_status", "2026-11-22T16:40:00.000Z", {
    action: "released",
    material: "FCA-7740-100",
    revision: "C",
    batch: null,
    serial: "ACT-1102",
    reason: "Re-inspected: conforming",
    holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e10",
    postingDate: "2026-11-22",
  }),
} satisfies Record<string, Confirmation>;

export type ExampleName = keyof typeof CONFIRMATION_EXAMPLES;
