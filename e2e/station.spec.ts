import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";
import { ReceivingErp } from "../server/integrations/erp/receiver-sim";

/*
 * The operator's station at Wichita, on data of its own (a work order no other spec touches, at station SV-01, with
 * parts, lots and serials named after this run): Maria Lopez opens the unit at operation 10, installs a serial and a
 * lot quantity by scanning, is refused an expired lot with the reason, records the torque and completes the
 * operation (the washers are backflushed), and a quality engineer then sees all of it in the unit's as-built.
 *
 * The ERP side of the setup (order, parts, material issued to the floor) is written straight to the e2e database, as
 * ERP would have delivered it: one receive movement per item with its legs and balances, so the ledger stays sound.
 * A simulated ERP receives the confirmations the demo connection pushes (the app delivers them itself here:
 * TRACELINE_WORKER=inline), and the install shows as delivered on the ERP monitor within seconds.
 */
const DB_URL = e2eDatabaseUrl();
const sfx = Date.now().toString(36).toUpperCase();
const names = {
  order: `WO-E2E-${sfx}`,
  unit: `E2E-U-${sfx}`,
  pin: `PIN-${sfx}`,
  goodLot: `ADH-${sfx}-OK`,
  oldLot: `ADH-${sfx}-OLD`,
  washer: `E2E-WSH-${sfx}`,
};
let ids: { stationId: string; unitId: string; unitSerialItemId: string };
const erp = new ReceivingErp({ dedupe: true, faultRate: 0, faults: [], random: Math.random, holdMs: 0, slowMs: 0, burst: 0, token: null });

test.afterAll(async () => {
  await erp.close();
});

test.beforeAll(async () => {
  const endpoint = await erp.listen();
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    // the demo ERP receives its confirmations by push, at the simulated ERP
    await sql`update erp_connections set outbound_mode = 'push', outbound_url = ${endpoint} where name = 'SAP demo'`;
    ids = await sql.begin(async (tx) => {
      const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
      const siteId = site!.id;
      const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
      const [pou] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'point_of_use' and station_id = ${station!.id}`;
      const [erp] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'erp_supply' order by code limit 1`;
      const part = async (pn: string, description: string, tracking: string, uom = "EA") => {
        const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${pn}, ${description}, ${uom}, ${tracking}) returning id`;
        const [r] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
        return r!.id;
      };
      const asm = await part(`E2E-ASM-${sfx}`, "Servo valve, e2e", "serial");
      const pinRev = await part(`E2E-PIN-${sfx}`, "Locating pin", "serial");
      const adhRev = await part(`E2E-ADH-${sfx}`, "Thread locker", "lot", "ML");
      const wshRev = await part(names.washer, "Washer", "untracked");
      const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
        values (${siteId}, ${names.order}, ${asm}, 1, 'released', (now() + interval '7 days')::date) returning id`;
      const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
        values (${siteId}, ${wo!.id}, 10, 'ASSY', 'Assemble pin and washers', ${station!.work_center_id},
                ${tx.json([{ name: "Torque", unit: "N·m", min: "4.5", max: "5.5" }])}) returning id`;
      await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush) values
        (${siteId}, ${wo!.id}, 10, ${pinRev}, 1, 10, false), (${siteId}, ${wo!.id}, 20, ${adhRev}, 0.25, 10, false), (${siteId}, ${wo!.id}, 30, ${wshRev}, 4, 10, true)`;
      const [unitItem] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${names.unit}, 'accepted', true) returning id`;
      const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${unitItem!.id}, ${names.unit}, 'planned') returning id`;
      await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'pending')`;

      // ERP issues the material to SV-01's point of use
      const issue = async (item: { rev: string; lotId?: string; serialId?: string }, qty: string) => {
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${siteId}, ${mv!.id}, ${erp!.id}, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${`-${qty}`}),
          (${siteId}, ${mv!.id}, ${pou!.id}, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${qty})`;
        await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
          (${siteId}, ${erp!.id}, false, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${`-${qty}`}),
          (${siteId}, ${pou!.id}, true, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${qty})`;
      };
      const [pin] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status) values (${siteId}, ${pinRev}, ${names.pin}, 'accepted') returning id`;
      await issue({ rev: pinRev, serialId: pin!.id }, "1");
      const [good] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${adhRev}, ${names.goodLot}, 'accepted', now() + interval '300 days') returning id`;
      await issue({ rev: adhRev, lotId: good!.id }, "1");
      const [old] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${adhRev}, ${names.oldLot}, 'accepted', now() - interval '2 days') returning id`;
      await issue({ rev: adhRev, lotId: old!.id }, "1");
      await issue({ rev: wshRev }, "10");
      return { stationId: station!.id, unitId: unit!.id, unitSerialItemId: unitItem!.id };
    });
  } finally {
    await sql.end();
  }
});

test("an operator installs a serial and a lot quantity, is refused an expired lot, completes with backflush; the as-built shows it", async ({ page, browser }) => {
  await signInWithBadge(page, USERS.operatorWichita.badge);
  await page.goto(`/station/${ids.stationId}`);
  await page.getByRole("link", { name: `Work on ${names.unit} op 10` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${names.unit}`);
  const required = page.getByRole("table", { name: "Components required at this operation" });
  await expect(required).toContainText(`E2E-PIN-${sfx}`);
  await expect(required).toContainText("Backflushed at completion");

  const scan = page.getByLabel("Scan serial, lot, part or kit");
  const install = page.getByRole("button", { name: "Install", exact: true });
  await expect(install).toBeEnabled();
  await expect(scan).toBeFocused();

  await scan.fill(names.pin);
  await scan.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: `Installed serial ${names.pin}` })).toBeVisible();

  await page.getByLabel("Quantity", { exact: true }).fill("0.25");
  await scan.fill(names.oldLot);
  await install.click();
  const refusal = page.getByRole("status").filter({ hasText: "Refused" });
  await expect(refusal).toContainText(`Lot ${names.oldLot} is not usable: expired on`);
  await expect(refusal).toContainText("scan another lot");
  await keepScreenshot(page, "station-refused-expired");

  await page.getByLabel("Quantity", { exact: true }).fill("0.25");
  await scan.fill(names.goodLot);
  await install.click();
  await expect(page.getByRole("status").filter({ hasText: `Installed 0.25 ML of lot ${names.goodLot}` })).toBeVisible();
  const installed = page.getByRole("table", { name: "Installed at this operation" });
  await expect(installed).toContainText(names.pin);
  await expect(installed).toContainText(names.goodLot);

  await page.getByLabel("Torque (N·m)").fill("5.0");
  await page.getByRole("button", { name: "Complete operation 10" }).click();
  const done = page.getByRole("status").filter({ hasText: "complete" });
  await expect(done).toContainText(`Backflushed: 4 EA ${names.washer}`);
  await expect(done).toContainText("Unit finished");
  await keepScreenshot(page, "station-operation-complete");

  // the as-built, as quality sees it
  const context = await browser.newContext();
  const office = await context.newPage();
  await signInWithPassword(office, USERS.qualityWichita.username);
  await office.goto(`/genealogy?item=${ids.unitSerialItemId}`);
  await expect(office.getByRole("heading", { name: `As-built of ${names.unit}` })).toBeVisible();
  const tree = office.getByRole("table", { name: "As-built components" });
  await expect(tree).toContainText(names.pin);
  await expect(tree).toContainText(names.goodLot);
  await expect(tree).toContainText(names.washer);
  await expect(tree).not.toContainText(names.oldLot);
  await keepScreenshot(office, "station-as-built");
  await context.close();

  // the ERP has the install: the supervisor sees it delivered on the monitor
  const supervisor = await browser.newContext();
  const monitor = await supervisor.newPage();
  await signInWithPassword(monitor, USERS.supervisorWichita.username);
  await expect(async () => {
    await monitor.goto(`/erp/confirmations?q=${encodeURIComponent(names.order)}`);
    const rows = monitor.getByRole("table", { name: "Outbound confirmations" }).getByRole("row").filter({ hasText: `serial ${names.pin}` });
    await expect(rows.first()).toContainText("Delivered", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  expect([...erp.applied.values()].some((a) => JSON.stringify(a.confirmation).includes(names.pin))).toBe(true);
  await keepScreenshot(monitor, "erp-confirmations-delivered");
  await supervisor.close();
});
