import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * Issue 19 in the browser, on data of its own (a two-unit work order at station SV-01, named after this run, whose
 * operation 10 asks for an inspector's stamp): the operator completes operation 10 of unit A, which then waits for the
 * stamp; the quality engineer buys it off from the inspector's list, signed, and unit A's as-built shows the stamp;
 * the operation page at the station shows it too. At unit B the operator raises an NCR on the operation ("Raise
 * NCR"), which holds the unit.
 */
test.describe("inspector buy-off and the station's Raise NCR", () => {
  const DB_URL = e2eDatabaseUrl();
  const sfx = Date.now().toString(36).toUpperCase();
  const n = { order: `WO-SG-${sfx}`, a: `SG-A-${sfx}`, b: `SG-B-${sfx}` };
  let ids: { siteId: string; stationId: string; aItem: string; aUnit: string; bUnit: string };

  test.beforeAll(async () => {
    const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
    try {
      ids = await sql.begin(async (tx) => {
        const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
        const siteId = site!.id;
        const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
        const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${`SG-ASM-${sfx}`}, 'Actuator, buy-off e2e', 'EA', 'serial') returning id`;
        const [asm] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
        const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
          values (${siteId}, ${n.order}, ${asm!.id}, 2, 'released', (now() + interval '7 days')::date) returning id`;
        const [op10] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters, inspection_required)
          values (${siteId}, ${wo!.id}, 10, 'TORQ', 'Torque the end caps', ${station!.work_center_id}, ${tx.json([])}, true) returning id`;
        const [op20] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
          values (${siteId}, ${wo!.id}, 20, 'PACK', 'Pack', ${station!.work_center_id}, ${tx.json([])}) returning id`;
        const unit = async (serial: string) => {
          const [item] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm!.id}, ${serial}, 'accepted', true) returning id`;
          const [u] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${item!.id}, ${serial}, 'planned') returning id`;
          await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${u!.id}, ${op10!.id}, 10, 'pending'), (${siteId}, ${u!.id}, ${op20!.id}, 20, 'pending')`;
          return { item: item!.id, unit: u!.id };
        };
        const a = await unit(n.a);
        const b = await unit(n.b);
        return { siteId, stationId: station!.id, aItem: a.item, aUnit: a.unit, bUnit: b.unit };
      });
    } finally {
      await sql.end();
    }
  });

  test("the operator's completion waits for the stamp; the inspector buys it off, signed; the as-built shows the stamp", async ({ page, browser }) => {
    await signInWithBadge(page, USERS.operatorWichita.badge);
    await page.goto(`/station/${ids.stationId}/units/${ids.aUnit}/operations/10`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${n.a}`);
    await expect(page.getByTestId("inspection-note")).toContainText("asks for an inspector’s stamp");
    await expect(page.getByRole("button", { name: "Complete operation 10" })).toBeEnabled();
    await page.getByRole("button", { name: "Complete operation 10" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Operation 10 of unit ${n.a} recorded: it waits for an inspector’s stamp.` })).toBeVisible();
    await expect(page.getByTestId("inspection-note")).toContainText("waits for an inspector’s stamp");
    await keepScreenshot(page, "buy-off-waiting-station");

    const context = await browser.newContext();
    const office = await context.newPage();
    await signInWithPassword(office, USERS.qualityWichita.username);
    await office.goto("/quality/buy-offs");
    await expect(office.getByRole("heading", { level: 1, name: "Inspector buy-off" })).toBeVisible();
    const row = office.getByRole("row").filter({ hasText: n.a });
    await expect(row).toContainText(USERS.operatorWichita.name);
    await row.getByRole("button", { name: `Buy off operation 10 of unit ${n.a}` }).click();
    const dialog = office.getByRole("dialog", { name: `Stamp operation 10 of unit ${n.a}` });
    await expect(dialog).toContainText(`Signing as ${USERS.qualityWichita.name}`);
    await expect(dialog.getByLabel("Meaning")).toHaveValue("approval");
    await dialog.getByLabel("Your password").fill("not-my-password");
    await dialog.getByRole("button", { name: "Sign", exact: true }).click();
    await expect(dialog.getByRole("alert")).toContainText("wrong");
    await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
    await dialog.getByRole("button", { name: "Sign", exact: true }).click();
    await expect(office.getByRole("status").filter({ hasText: `Operation 10 of unit ${n.a} bought off` })).toBeVisible();
    await keepScreenshot(office, "buy-off-signed");

    await office.goto(`/genealogy?item=${ids.aItem}`);
    const stamp = office.getByTestId("inspector-stamp");
    await expect(stamp).toContainText("Operation 10");
    await expect(stamp.getByTestId("signature")).toContainText(`${USERS.qualityWichita.name} — approval`);
    await expect(stamp.getByTestId("signature")).toContainText("Signature valid");
    await keepScreenshot(office, "buy-off-as-built");
    await context.close();

    // the station shows the stamp, and the unit goes on to operation 20
    await page.reload();
    await expect(page.getByTestId("inspection-note").getByTestId("signature")).toContainText(`${USERS.qualityWichita.name} — approval`);
    await page.goto(`/station/${ids.stationId}/units/${ids.aUnit}/operations/20`);
    await expect(page.getByRole("button", { name: "Complete operation 20" })).toBeEnabled();
  });

  test("the operator raises an NCR on an operation at the station: the unit is held", async ({ page }) => {
    await signInWithBadge(page, USERS.operatorWichita.badge);
    await page.goto(`/station/${ids.stationId}/units/${ids.bUnit}/operations/10`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${n.b}`);
    await page.getByRole("button", { name: "Raise NCR…" }).click();
    const form = page.getByRole("form", { name: "Raise an NCR" });
    await form.getByLabel(`This operation of unit ${n.b}`).check();
    await form.getByLabel("What is wrong").selectOption("damaged");
    await form.getByLabel("Description").fill(`End cap thread galled ${sfx}`);
    await form.getByRole("button", { name: "Raise the NCR" }).click();
    const said = page.getByText(new RegExp(`NCR-\\d{6} raised: Unit ${n.b}.* is on hold\\.`)).first();
    await expect(said).toBeVisible();
    await keepScreenshot(page, "station-raise-ncr");
    // held: the operation does not complete
    await page.getByRole("button", { name: "Complete operation 10" }).click();
    await expect(page.getByRole("status").filter({ hasText: /held material|hold/ }).first()).toBeVisible();
  });
});
