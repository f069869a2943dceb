import postgres from "postgres";
import type { Page } from "@playwright/test";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * A work order of its own at Wichita station SV-01 for the floor specs, written straight to the e2e database as ERP
 * and kitting would have left it: units at operation 10 (a serial pin, 0.25 ML of a lot-tracked adhesive, torque),
 * material issued to SV-01's point of use (one receive movement per item with its legs and balances, so the ledger
 * stays sound), and a kit issued to SV-01 holding pins and the adhesive lot. Names carry `sfx`.
 */
export type FloorOrder = {
  stationId: string;
  workOrderId: string;
  kitId: string;
  names: { order: string; kit: string; adhesive: string; lot: string; oldLot: string; pins: string[]; units: string[] };
  units: { id: string; serial: string }[];
};

/** Where the order is built: Wichita's SV-01 (kitted by B1002) unless told, e.g. Toulouse's FA-21 (kitted by B2002). */
export type FloorSite = { code: string; station: string; clerkBadge: string };
const WICHITA_SV01: FloorSite = { code: "WCH", station: "SV-01", clerkBadge: "B1002" };
export const TOULOUSE_FA21: FloorSite = { code: "TLS", station: "FA-21", clerkBadge: "B2002" };

export async function createFloorOrder(sfx: string, unitCount = 4, at: FloorSite = WICHITA_SV01): Promise<FloorOrder> {
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  const names = {
    order: `WO-FL-${sfx}`,
    kit: `K-WO-FL-${sfx}-01`,
    adhesive: `FL-ADH-${sfx}`,
    lot: `FLADH-${sfx}-OK`,
    oldLot: `FLADH-${sfx}-OLD`,
    pins: Array.from({ length: unitCount }, (_, i) => `FLPIN-${sfx}-${i + 1}`),
    units: Array.from({ length: unitCount }, (_, i) => `FL-U-${sfx}-${i + 1}`),
  };
  try {
    return await sql.begin(async (tx) => {
      const [site] = await tx<{ id: string }[]>`select id from sites where code = ${at.code}`;
      const siteId = site!.id;
      const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = ${at.station}`;
      const [pou] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'point_of_use' and station_id = ${station!.id}`;
      const [erp] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'erp_supply' order by code limit 1`;
      const [stores] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'stores' order by code limit 1`;
      const [clerk] = await tx<{ id: string }[]>`select id from users where badge_id = ${at.clerkBadge}`;
      const part = async (pn: string, description: string, tracking: string, uom = "EA") => {
        const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${pn}, ${description}, ${uom}, ${tracking}) returning id`;
        const [r] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
        return r!.id;
      };
      const asm = await part(`FL-ASM-${sfx}`, "Servo valve, floor e2e", "serial");
      const pinRev = await part(`FL-PIN-${sfx}`, "Locating pin", "serial");
      const adhRev = await part(names.adhesive, "Thread locker", "lot", "ML");
      const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
        values (${siteId}, ${names.order}, ${asm}, ${unitCount}, 'released', (now() + interval '7 days')::date) returning id`;
      const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
        values (${siteId}, ${wo!.id}, 10, 'ASSY', 'Assemble pin and adhesive', ${station!.work_center_id},
                ${tx.json([{ name: "Torque", unit: "N·m", min: "4.5", max: "5.5" }])}) returning id`;
      const [pinLine] = await tx<{ id: string }[]>`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
        values (${siteId}, ${wo!.id}, 10, ${pinRev}, 1, 10, false) returning id`;
      const [adhLine] = await tx<{ id: string }[]>`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
        values (${siteId}, ${wo!.id}, 20, ${adhRev}, 0.25, 10, false) returning id`;
      const units: { id: string; serial: string }[] = [];
      for (const serial of names.units) {
        const [item] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${serial}, 'accepted', true) returning id`;
        const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${item!.id}, ${serial}, 'planned') returning id`;
        await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'pending')`;
        units.push({ id: unit!.id, serial });
      }
      const issue = async (item: { rev: string; lotId?: string; serialId?: string }, qty: string) => {
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${siteId}, ${mv!.id}, ${erp!.id}, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${`-${qty}`}),
          (${siteId}, ${mv!.id}, ${pou!.id}, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${qty})`;
        await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
          (${siteId}, ${erp!.id}, false, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${`-${qty}`}),
          (${siteId}, ${pou!.id}, true, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${qty})`;
      };
      const pins: string[] = [];
      for (const pn of names.pins) {
        const [pin] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status) values (${siteId}, ${pinRev}, ${pn}, 'accepted') returning id`;
        await issue({ rev: pinRev, serialId: pin!.id }, "1");
        pins.push(pin!.id);
      }
      const [good] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${adhRev}, ${names.lot}, 'accepted', now() + interval '300 days') returning id`;
      await issue({ rev: adhRev, lotId: good!.id }, "5");
      const [old] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${adhRev}, ${names.oldLot}, 'accepted', now() - interval '2 days') returning id`;
      await issue({ rev: adhRev, lotId: old!.id }, "1");

      // the kit that brought them, issued to SV-01
      const [kit] = await tx<{ id: string }[]>`insert into kits (site_id, number, work_order_id, scope, station_id, status, created_by, created_at, issued_by, issued_at)
        values (${siteId}, ${names.kit}, ${wo!.id}, 'work_order', ${station!.id}, 'issued', ${clerk!.id}, now(), ${clerk!.id}, now()) returning id`;
      const [kPin] = await tx<{ id: string }[]>`insert into kit_lines (site_id, kit_id, work_order_bom_line_id, part_revision_id, required_qty) values (${siteId}, ${kit!.id}, ${pinLine!.id}, ${pinRev}, ${unitCount}) returning id`;
      const [kAdh] = await tx<{ id: string }[]>`insert into kit_lines (site_id, kit_id, work_order_bom_line_id, part_revision_id, required_qty) values (${siteId}, ${kit!.id}, ${adhLine!.id}, ${adhRev}, ${0.25 * unitCount}) returning id`;
      for (const pinId of pins) {
        await tx`insert into kit_picks (site_id, kit_id, kit_line_id, location_id, part_revision_id, serial_item_id, quantity, picked_by, picked_at)
          values (${siteId}, ${kit!.id}, ${kPin!.id}, ${stores!.id}, ${pinRev}, ${pinId}, 1, ${clerk!.id}, now())`;
      }
      await tx`insert into kit_picks (site_id, kit_id, kit_line_id, location_id, part_revision_id, lot_id, quantity, picked_by, picked_at)
        values (${siteId}, ${kit!.id}, ${kAdh!.id}, ${stores!.id}, ${adhRev}, ${good!.id}, ${0.25 * unitCount}, ${clerk!.id}, now())`;
      return { stationId: station!.id, workOrderId: wo!.id, kitId: kit!.id, names, units };
    });
  } finally {
    await sql.end();
  }
}

/**
 * A keyboard-wedge scanner: the label's keys 5 ms apart, then Enter, as real key events (Chromium's input pipeline,
 * text inserted into whatever field has the focus). The events carry the scanner's own times, as the operating system
 * stamps a scanner's keys, so a busy test machine delivering them late does not make them look typed by a person.
 */
export async function wedge(page: Page, label: string) {
  const cdp = await page.context().newCDPSession(page);
  let at = Date.now() / 1000;
  for (const ch of label) {
    at += 0.005;
    await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", key: ch, text: ch, unmodifiedText: ch, timestamp: at });
    await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: ch, timestamp: at + 0.001 });
  }
  at += 0.005;
  await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r", unmodifiedText: "\r", timestamp: at });
  await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, timestamp: at + 0.001 });
  await cdp.detach();
}
