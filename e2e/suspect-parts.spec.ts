import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * Suspect parts at Wichita, on data of its own: a unit at station SV-01 has a lot of capacitors installed (written as
 * the station would have: a receive and a consume movement with their legs and balances, and the genealogy edge); the
 * lot was made in ISO week 11 of 2024 by a manufacturer of its own. Priya Raman imports a GIDEP-style CSV whose first
 * version has a bad line (nothing imported, the line named), corrects it, signs once, and sees the alert's signed hold
 * and the unit the suspect lot is installed in.
 */
const DB_URL = e2eDatabaseUrl();
const sfx = Date.now().toString(36).toUpperCase();
const names = { order: `WO-SUS-${sfx}`, unit: `SUS-U-${sfx}`, lot: `CAP-${sfx}`, part: `SUS-CAP-${sfx}`, cage: `S${sfx.slice(-4)}` };

test.beforeAll(async () => {
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
      const siteId = site!.id;
      const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
      const loc = async (kind: string, stationId: string | null = null) =>
        (await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = ${kind} and (${stationId}::uuid is null or station_id = ${stationId}) order by code limit 1`)[0]!.id;
      const pou = await loc("point_of_use", station!.id);
      const erp = await loc("erp_supply");
      const consumed = await loc("consumed");
      const [maria] = await tx<{ id: string }[]>`select id from users where badge_id = ${USERS.operatorWichita.badge}`;
      const part = async (pn: string, description: string, tracking: string) => {
        const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${pn}, ${description}, 'EA', ${tracking}) returning id`;
        const [r] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
        return r!.id;
      };
      const asm = await part(`SUS-ASM-${sfx}`, "Controller, suspect-parts e2e", "serial");
      const cap = await part(names.part, "Capacitor, tantalum", "lot");
      const [mfr] = await tx<{ id: string }[]>`insert into manufacturers (code, name) values (${names.cage}, 'Capacitor maker e2e') returning id`;
      const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
        values (${siteId}, ${names.order}, ${asm}, 1, 'released', (now() + interval '7 days')::date) returning id`;
      const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
        values (${siteId}, ${wo!.id}, 10, 'SMT', 'Place the capacitors', ${station!.work_center_id}, '[]'::jsonb) returning id`;
      const [unitItem] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${names.unit}, 'accepted', true) returning id`;
      const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${unitItem!.id}, ${names.unit}, 'in_progress') returning id`;
      await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'in_progress')`;
      const [lot] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, manufacturer_id, manufactured_at, inspection_status)
        values (${siteId}, ${cap}, ${names.lot}, ${mfr!.id}, '2024-03-13T12:00:00Z', 'accepted') returning id`;
      const move = async (kind: string, from: string, to: string, qty: string) => {
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, ${kind}, now(), 'e2e setup', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${siteId}, ${mv!.id}, ${from}, ${cap}, ${lot!.id}, null, ${`-${qty}`}), (${siteId}, ${mv!.id}, ${to}, ${cap}, ${lot!.id}, null, ${qty})`;
        return mv!.id;
      };
      await move("receive_from_erp", erp, pou, "20");
      const consume = await move("consume", pou, consumed, "4");
      await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
        (${siteId}, ${erp}, false, ${cap}, ${lot!.id}, null, -20), (${siteId}, ${pou}, true, ${cap}, ${lot!.id}, null, 16),
        (${siteId}, ${consumed}, false, ${cap}, ${lot!.id}, null, 4)`;
      await tx`insert into genealogy_edges (site_id, parent_serial_item_id, parent_unit_id, child_part_revision_id, child_lot_id, quantity, find_number, operation_seq, operator_user_id, station_id, installed_at, movement_id)
        values (${siteId}, ${unitItem!.id}, ${unit!.id}, ${cap}, ${lot!.id}, 4, 10, 10, ${maria!.id}, ${station!.id}, now(), ${consume})`;
    });
  } finally {
    await sql.end();
  }
});

test("quality imports a suspect-part CSV, signs once, and sees the signed hold and the unit the suspect lot is installed in", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/quality/holds");
  await page.getByRole("link", { name: "Suspect parts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Suspect parts" })).toBeVisible();

  const form = page.getByRole("form", { name: "Import suspect-part alerts" });
  const header = "reference,manufacturer,part_number,lot,date_code_from,date_code_to,description";
  const good = `GIDEP-E2E-${sfx},${names.cage},${names.part},,2410,2411,"Counterfeit tantalum capacitors, remarked date codes"`;
  // a bad second line: nothing is imported, the line and column are named
  await form.getByLabel(/Or paste it/).fill([header, good, `GIDEP-E2E-${sfx}-2,${names.cage},${names.part},,2411,2460,Bad week`].join("\n"));
  await form.getByRole("button", { name: "Import and sign…" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign the suspect-part holds" });
  await expect(dialog.getByLabel("Meaning")).toHaveValue("hold");
  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign", exact: true }).click();
  const problems = form.getByRole("table", { name: /Problems in the file/ });
  // re-authentication (argon2) and the check run on the server: allow for a loaded machine
  await expect(problems.getByRole("row").filter({ hasText: "date_code_to" })).toContainText("2024 has no week 60", { timeout: 30_000 });
  await expect(problems.getByRole("row").nth(1).getByRole("cell").first()).toHaveText("3");
  await expect(page.getByRole("table", { name: "Suspect-part alerts" }).getByText(`GIDEP-E2E-${sfx}`)).toHaveCount(0);
  await keepScreenshot(page, "suspect-parts-bad-line");

  // corrected: imported and signed
  await form.getByLabel(/Or paste it/).fill([header, good].join("\n"));
  await form.getByRole("button", { name: "Import and sign…" }).click();
  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(form.getByText("1 alert imported; 1 signed hold placed.")).toBeVisible({ timeout: 30_000 });

  const alerts = page.getByRole("table", { name: "Suspect-part alerts" });
  const row = alerts.getByRole("row").filter({ hasText: `GIDEP-E2E-${sfx}` });
  await expect(row).toContainText(`${names.part} from manufacturer ${names.cage}, date codes 2410 to 2411`);
  await row.getByRole("link", { name: `GIDEP-E2E-${sfx}` }).click();

  await expect(page.getByRole("heading", { level: 1, name: `Suspect-part alert GIDEP-E2E-${sfx}` })).toBeVisible();
  await expect(page.getByRole("region", { name: "Alert record" }).getByTestId("signature")).toContainText(/Priya Raman — hold — .*Signature valid/);
  const holds = page.getByRole("table", { name: "Holds of this alert" });
  await expect(holds.getByRole("row")).toHaveCount(2);
  await expect(holds).toContainText(`${names.part} rev A, lot ${names.lot}`);
  await expect(holds).toContainText("On hold");
  await expect(holds.getByTestId("signature")).toContainText("Signature valid");
  await expect(page.getByRole("heading", { name: "Installed in units (1)" })).toBeVisible();
  const units = page.getByRole("table", { name: "Units containing suspect material" });
  await expect(units.getByRole("link", { name: names.unit })).toBeVisible();
  await expect(units).toContainText(names.order);
  await keepScreenshot(page, "suspect-parts-alert");
});
