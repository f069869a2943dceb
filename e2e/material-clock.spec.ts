import { expect, test, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * Time-sensitive material at Wichita station SV-01, on data of its own (named after this run): a frozen sealant with
 * 60 minutes of out-time in a freezer of its own, and a two-part adhesive (base + activator in stores, mixed part with a
 * 45-minute pot life). The clerk takes sealant out of the freezer (its clock starts), the operator uses it within its
 * out-time, the clerk puts the rest back (the clock stops) and takes it out again; once its out-time is spent (the
 * lot's clock moved back 61 minutes in the database, as if the time had passed) the station refuses it. The clerk
 * mixes base and activator into a new lot (refused first without the activator) and the operator installs the mix.
 */
const DB_URL = e2eDatabaseUrl();
const sfx = Date.now().toString(36).toUpperCase();
const names = {
  order: `WO-CLK-${sfx}`,
  freezer: `FRZ-${sfx}`,
  sealant: `CLK-SEAL-${sfx}`,
  sealantLot: `SEAL-${sfx}`,
  base: `CLK-BASE-${sfx}`,
  activator: `CLK-ACT-${sfx}`,
  mixed: `CLK-MIX-${sfx}`,
  baseLot: `BASE-${sfx}`,
  activatorLot: `ACT-${sfx}`,
  units: [1, 2, 3].map((n) => `CLK-U-${sfx}-${n}`),
};
let stationId = "";

test.beforeAll(async () => {
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    stationId = await sql.begin(async (tx) => {
      const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
      const siteId = site!.id;
      const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
      const [erp] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'erp_supply' order by code limit 1`;
      const [stores] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and code = 'ST-A01'`;
      const [freezer] = await tx<{ id: string }[]>`insert into storage_locations (site_id, code, name, kind, is_physical, storage_class)
        values (${siteId}, ${names.freezer}, 'Freezer, e2e', 'stores', true, 'freezer') returning id`;
      const part = async (pn: string, description: string, extra: { outTime?: number; storageClass?: string; potLife?: number } = {}) => {
        const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking, out_time_minutes, storage_class, pot_life_minutes)
          values (${pn}, ${description}, 'G', 'lot', ${extra.outTime ?? null}, ${extra.storageClass ?? null}, ${extra.potLife ?? null}) returning id`;
        const [r] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
        return r!.id;
      };
      const asm = await part(`CLK-ASM-${sfx}`, "Access panel, e2e");
      await tx`update parts set tracking = 'serial', uom = 'EA' where part_number = ${`CLK-ASM-${sfx}`}`;
      const sealant = await part(names.sealant, "Sealant, frozen, e2e", { outTime: 60, storageClass: "freezer" });
      const base = await part(names.base, "Adhesive base, e2e");
      const activator = await part(names.activator, "Adhesive activator, e2e");
      const mixed = await part(names.mixed, "Adhesive, mixed, e2e", { potLife: 45 });
      const [bom] = await tx<{ id: string }[]>`insert into boms (parent_revision_id) values (${mixed}) returning id`;
      await tx`insert into bom_lines (bom_id, find_number, component_revision_id, quantity, operation_seq) values
        (${bom!.id}, 10, ${base}, 10, 10), (${bom!.id}, 20, ${activator}, 1, 10)`;

      const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
        values (${siteId}, ${names.order}, ${asm}, 3, 'released', (now() + interval '7 days')::date) returning id`;
      const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
        values (${siteId}, ${wo!.id}, 10, 'SEAL', 'Seal and bond the panel', ${station!.work_center_id}, ${tx.json([])}) returning id`;
      await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush) values
        (${siteId}, ${wo!.id}, 10, ${sealant}, 5, 10, false), (${siteId}, ${wo!.id}, 20, ${mixed}, 5, 10, false)`;
      for (const serial of names.units) {
        const [item] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${serial}, 'accepted', true) returning id`;
        const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${item!.id}, ${serial}, 'planned') returning id`;
        await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'pending')`;
      }
      // ERP issues the lots to the floor: the sealant into the freezer, base and activator to stores
      const issue = async (rev: string, lotNumber: string, qty: string, to: string) => {
        const [lot] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${rev}, ${lotNumber}, 'accepted', now() + interval '200 days') returning id`;
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${siteId}, ${mv!.id}, ${erp!.id}, ${rev}, ${lot!.id}, null, ${`-${qty}`}), (${siteId}, ${mv!.id}, ${to}, ${rev}, ${lot!.id}, null, ${qty})`;
        await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
          (${siteId}, ${erp!.id}, false, ${rev}, ${lot!.id}, null, ${`-${qty}`}), (${siteId}, ${to}, true, ${rev}, ${lot!.id}, null, ${qty})`;
      };
      await issue(sealant, names.sealantLot, "100", freezer!.id);
      await issue(base, names.baseLot, "200", stores!.id);
      await issue(activator, names.activatorLot, "20", stores!.id);
      return station!.id;
    });
  } finally {
    await sql.end();
  }
});

async function signedIn(browser: Browser, badge: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInWithBadge(page, badge);
  return page;
}

/** The clerk's storage move: scan the lot, choose where it is taken from, scan where it goes. */
async function storageMove(page: Page, from: string, to: string, quantity: string) {
  await page.getByLabel("Scan lot, serial or part").fill(names.sealantLot);
  await page.getByRole("button", { name: "Find", exact: true }).click();
  // the places as found now (the list of the last move is replaced, with its first place chosen)
  await expect(page.getByRole("status").filter({ hasText: `${names.sealantLot} is at` })).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`at ${from}`) }).check();
  const form = page.getByRole("form", { name: "Move to a location" });
  await form.getByLabel("Scan the location it goes to").fill(to);
  await form.getByLabel("Quantity (G)").fill(quantity);
  await form.getByRole("button", { name: "Move" }).click();
}

/** The operator installs a lot quantity on a unit at operation 10. */
async function install(page: Page, unit: string, lot: string, quantity: string) {
  await page.goto(`/station/${stationId}`);
  await page.getByRole("link", { name: `Work on ${unit} op 10` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${unit}`);
  await page.getByLabel("Quantity", { exact: true }).fill(quantity);
  await page.getByLabel("Scan serial, lot, part or kit").fill(lot);
  await page.getByRole("button", { name: "Install", exact: true }).click();
}

test("a lot checked out of the freezer is used within its out-time, checked back in, and refused once its out-time is spent", async ({ browser }) => {
  const clerk = await signedIn(browser, USERS.clerkWichita.badge);
  const operator = await signedIn(browser, USERS.operatorWichita.badge);
  await clerk.goto("/kitting/storage");
  await expect(clerk.getByRole("heading", { level: 1, name: "Storage moves" })).toBeVisible();

  // out of the freezer: the clock starts
  await storageMove(clerk, names.freezer, "POU-SV-01", "20");
  const started = clerk.getByRole("status").filter({ hasText: "Out-time clock started" });
  await expect(started).toContainText(`Moved 20 G from ${names.freezer} to POU-SV-01`);
  await expect(started).toContainText(/Out-time (1 h 00 min|59 min) left/);
  await keepScreenshot(clerk, "material-clock-checked-out");

  // used within its out-time
  await install(operator, names.units[0]!, names.sealantLot, "5");
  await expect(operator.getByRole("status").filter({ hasText: `Installed 5 G of lot ${names.sealantLot}` })).toBeVisible();

  // back into the freezer: the clock stops with what is left
  await storageMove(clerk, "POU-SV-01", names.freezer, "15");
  const stopped = clerk.getByRole("status").filter({ hasText: "Out-time clock stopped" });
  await expect(stopped).toContainText(`Moved 15 G from POU-SV-01 to ${names.freezer}`);
  await expect(stopped).toContainText("clock stopped (in storage)");

  // out again; then the out-time runs out (the lot's running cycle moved back 61 minutes, as if the time had passed)
  await storageMove(clerk, names.freezer, "POU-SV-01", "15");
  await expect(clerk.getByRole("status").filter({ hasText: "Out-time clock started" })).toBeVisible();
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    await sql`update lots set out_time_started_at = out_time_started_at - interval '61 minutes' where lot_number = ${names.sealantLot}`;
  } finally {
    await sql.end();
  }
  await install(operator, names.units[1]!, names.sealantLot, "5");
  const refused = operator.getByRole("status").filter({ hasText: "Refused" });
  await expect(refused).toContainText(`Lot ${names.sealantLot} is not usable: out-time`);
  await expect(refused).toContainText("60 minutes of out-time are used");
  await keepScreenshot(operator, "material-clock-out-time-spent");

  // the clerk sees it spent where it is
  await clerk.getByLabel("Scan lot, serial or part").fill(names.sealantLot);
  await clerk.getByRole("button", { name: "Find", exact: true }).click();
  await expect(clerk.getByRole("radio", { name: /at POU-SV-01/ })).toBeVisible();
  await expect(clerk.getByTestId("clock-chip").first()).toContainText("Out-time used up");

  // quality sees the lot's clock history and extends its shelf life after a re-test, signed
  const quality = await (await browser.newContext()).newPage();
  await signInWithPassword(quality, USERS.qualityWichita.username);
  await quality.goto(`/quality/shelf-life?lot=${names.sealantLot}`);
  const history = quality.getByRole("group", { name: `Clock history of lot ${names.sealantLot}` });
  await expect(history.getByRole("row").filter({ hasText: `Taken out of storage at ${names.freezer}` })).toHaveCount(2);
  await expect(history.getByRole("row").filter({ hasText: `Put back into storage at ${names.freezer}` })).toHaveCount(1);
  const extend = quality.getByRole("form", { name: `Extend the shelf life of lot ${names.sealantLot}` });
  // the lot expires 200 days after it was issued (the database's now): the new date is 400 days from now
  const newExpiry = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
  await extend.getByLabel("New expiry date").fill(newExpiry);
  await extend.getByLabel("Test report reference").fill(`LAB-RT-${sfx}`);
  await extend.getByLabel("Reason").fill("Re-test passed: viscosity and tack-free time within specification");
  await extend.getByRole("button", { name: "Extend and sign…" }).click();
  const dialog = quality.getByRole("dialog", { name: `Sign the shelf-life extension of lot ${names.sealantLot}` });
  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(quality.getByRole("status").filter({ hasText: `Shelf life of lot ${names.sealantLot} extended to ${newExpiry}.` })).toBeVisible();
  await expect(history.getByRole("row").filter({ hasText: `to ${newExpiry}` })).toContainText(`LAB-RT-${sfx}`);
  await keepScreenshot(quality, "material-shelf-life-extended");
});

test("the clerk mixes base and activator into a new lot with its pot life, and the operator installs the mix", async ({ browser }) => {
  const clerk = await signedIn(browser, USERS.clerkWichita.badge);
  await clerk.goto("/kitting/mix");
  await expect(clerk.getByRole("heading", { level: 1, name: "Mix lots" })).toBeVisible();
  const add = async (lot: string) => {
    await clerk.getByLabel("Scan a lot to mix").fill(lot);
    await clerk.getByRole("button", { name: "Add lot" }).click();
    await expect(clerk.getByRole("status").filter({ hasText: `Lot ${lot} (` })).toContainText("added from ST-A01");
  };
  await add(names.baseLot);
  await clerk.getByLabel(`Quantity of lot ${names.baseLot} (G)`).fill("100");
  await clerk.getByLabel("Scan the location the mixed lot goes to").fill("POU-SV-01");
  await clerk.getByRole("button", { name: "Mix", exact: true }).click();
  const refused = clerk.getByRole("status").filter({ hasText: "Refused" });
  await expect(refused).toContainText(`${names.mixed} rev A is mixed from ${names.base} + ${names.activator}: scan a lot of ${names.activator} too.`);

  await add(names.activatorLot);
  await clerk.getByLabel(`Quantity of lot ${names.activatorLot} (G)`).fill("10");
  await clerk.getByRole("button", { name: "Mix", exact: true }).click();
  const mixed = clerk.getByRole("status").filter({ hasText: "Mixed lot" });
  await expect(mixed).toContainText(`Mixed lot ${names.baseLot}-M1 (${names.mixed} rev A): 110 G at POU-SV-01.`);
  await expect(mixed).toContainText("(end of its pot life)");
  await keepScreenshot(clerk, "material-mix-lots");

  const operator = await signedIn(browser, USERS.operatorWichita.badge);
  await install(operator, names.units[2]!, `${names.baseLot}-M1`, "5");
  await expect(operator.getByRole("status").filter({ hasText: `Installed 5 G of lot ${names.baseLot}-M1` })).toBeVisible();
});
