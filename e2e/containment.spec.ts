import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * Containment at Wichita, on data of its own: a unit at station SV-01 has a lot of resin installed at operation 10
 * (written as the station would have: a receive and a consume movement with their legs and balances, and the genealogy
 * edge). Priya Raman holds the lot (signed), sees where-used flag it and its unit, and bulk-holds the unit from
 * where-used (signed); Maria Lopez's completion of the unit is then refused naming the hold; the as-built flags the lot
 * with the hold's reason.
 */
const DB_URL = e2eDatabaseUrl();
const sfx = Date.now().toString(36).toUpperCase();
const names = { order: `WO-CNT-${sfx}`, unit: `CNT-U-${sfx}`, lot: `RES-${sfx}`, part: `CNT-RES-${sfx}` };
let ids: { stationId: string; unitId: string; unitSerialItemId: string; lotId: string };

test.beforeAll(async () => {
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    ids = await sql.begin(async (tx) => {
      const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
      const siteId = site!.id;
      const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
      const loc = async (kind: string, stationId: string | null = null) =>
        (await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = ${kind} and (${stationId}::uuid is null or station_id = ${stationId}) order by code limit 1`)[0]!.id;
      const pou = await loc("point_of_use", station!.id);
      const erp = await loc("erp_supply");
      const consumed = await loc("consumed");
      const [maria] = await tx<{ id: string }[]>`select id from users where badge_id = ${USERS.operatorWichita.badge}`;
      const part = async (pn: string, description: string, tracking: string, uom = "EA") => {
        const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${pn}, ${description}, ${uom}, ${tracking}) returning id`;
        const [r] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
        return r!.id;
      };
      const asm = await part(`CNT-ASM-${sfx}`, "Actuator, containment e2e", "serial");
      const resin = await part(names.part, "Potting resin", "lot", "G");
      const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
        values (${siteId}, ${names.order}, ${asm}, 1, 'released', (now() + interval '7 days')::date) returning id`;
      const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
        values (${siteId}, ${wo!.id}, 10, 'POT', 'Pot the connector', ${station!.work_center_id}, '[]'::jsonb) returning id`;
      await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
        values (${siteId}, ${wo!.id}, 10, ${resin}, 5, 10, false)`;
      const [unitItem] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${names.unit}, 'accepted', true) returning id`;
      const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${unitItem!.id}, ${names.unit}, 'in_progress') returning id`;
      await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'in_progress')`;
      const [lot] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${resin}, ${names.lot}, 'accepted', now() + interval '300 days') returning id`;
      // ERP issued 20 g to SV-01's point of use; 5 g went into the unit at operation 10 (legs, then the balances they leave)
      const move = async (kind: string, from: string, to: string, qty: string) => {
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, ${kind}, now(), 'e2e setup', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${siteId}, ${mv!.id}, ${from}, ${resin}, ${lot!.id}, null, ${`-${qty}`}), (${siteId}, ${mv!.id}, ${to}, ${resin}, ${lot!.id}, null, ${qty})`;
        return mv!.id;
      };
      await move("receive_from_erp", erp, pou, "20");
      const consume = await move("consume", pou, consumed, "5");
      await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
        (${siteId}, ${erp}, false, ${resin}, ${lot!.id}, null, -20), (${siteId}, ${pou}, true, ${resin}, ${lot!.id}, null, 15),
        (${siteId}, ${consumed}, false, ${resin}, ${lot!.id}, null, 5)`;
      await tx`insert into genealogy_edges (site_id, parent_serial_item_id, parent_unit_id, child_part_revision_id, child_lot_id, quantity, find_number, operation_seq, operator_user_id, station_id, installed_at, movement_id)
        values (${siteId}, ${unitItem!.id}, ${unit!.id}, ${resin}, ${lot!.id}, 5, 10, 10, ${maria!.id}, ${station!.id}, now(), ${consume})`;
      return { stationId: station!.id, unitId: unit!.id, unitSerialItemId: unitItem!.id, lotId: lot!.id };
    });
  } finally {
    await sql.end();
  }
});

test("a held lot contains its unit: where-used flags it, the unit is bulk-held signed, completion is refused naming the hold, the as-built flags the lot", async ({ page, browser }) => {
  const reason = `Resin batch failed cure test (e2e ${sfx})`;
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/quality/holds");
  const form = page.getByRole("form", { name: "Place a hold" });
  await expect(form.getByRole("button", { name: "Place hold and sign…" })).toBeEnabled();
  await form.getByLabel("Hold a").selectOption({ label: "Lot" });
  await form.getByLabel("Lot number").fill(names.lot);
  await form.getByLabel("Reason for the hold").fill(reason);
  await form.getByRole("button", { name: "Place hold and sign…" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign the hold" });
  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(page.getByTestId("hold-reason")).toHaveText(reason);

  // the home page counts the unit in work as affected
  await page.goto("/");
  const holdRow = page.getByRole("table", { name: "Active holds" }).getByRole("row").filter({ hasText: names.lot });
  await expect(holdRow.getByRole("link", { name: `Units affected by the hold on ${names.part} rev A, lot ${names.lot}` })).toHaveText("1");

  // where-used of the lot: the lot is flagged, its unit contains held material
  await page.goto(`/genealogy/where-used?kind=lot&id=${ids.lotId}`);
  const banner = page.getByRole("alert").filter({ hasText: `lot ${names.lot} is on hold` });
  await expect(banner).toContainText(reason);
  const units = page.getByRole("table", { name: `Units containing ${names.lot}` });
  const row = units.getByRole("row").filter({ hasText: names.unit });
  await expect(row).toContainText("Contains held material");

  // bulk hold of the selected unit, signed
  const bulk = page.getByRole("form", { name: "Hold selected units" });
  await expect(bulk.getByRole("button", { name: "Hold selected units and sign…" })).toBeEnabled();
  await row.getByRole("checkbox", { name: `Select ${names.unit}` }).check();
  await bulk.getByLabel("Reason to hold the selected units").fill(`Contain units built with ${names.lot}`);
  await bulk.getByRole("button", { name: "Hold selected units and sign…" }).click();
  const bulkDialog = page.getByRole("dialog", { name: "Sign the hold of 1 unit" });
  await expect(bulkDialog.getByLabel("Meaning")).toHaveValue("hold");
  await bulkDialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await bulkDialog.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(bulk.getByRole("status")).toContainText("1 unit put on hold.");
  await expect(row.getByTestId("held-marker")).toContainText(`Contain units built with ${names.lot}`);
  await keepScreenshot(page, "containment-where-used");

  // the operator tries to complete the unit: refused, naming the hold
  const floor = await browser.newContext();
  const station = await floor.newPage();
  await signInWithBadge(station, USERS.operatorWichita.badge);
  await station.goto(`/station/${ids.stationId}/units/${ids.unitId}/operations/10`);
  const complete = station.getByRole("button", { name: "Complete operation 10" });
  await expect(complete).toBeEnabled();
  await complete.click();
  const refusal = station.getByRole("status").filter({ hasText: "Refused" });
  await expect(refusal).toContainText(`Unit ${names.unit} contains held material`);
  await expect(refusal).toContainText(`lot ${names.lot} (hold: ${reason})`);
  await expect(refusal).toContainText("call quality");
  await keepScreenshot(station, "containment-completion-refused");
  await floor.close();

  // the as-built flags the lot with the hold's reason, and says the unit is contained
  await page.goto(`/genealogy?item=${ids.unitSerialItemId}`);
  await expect(page.getByRole("alert").filter({ hasText: `${names.unit} contains held material` })).toContainText(reason);
  const asBuilt = page.getByRole("table", { name: "As-built components" });
  await expect(asBuilt.getByRole("row").filter({ hasText: names.lot }).getByTestId("held-marker")).toContainText(reason);
  await keepScreenshot(page, "containment-as-built");
});
