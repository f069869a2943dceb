import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";
import { wedge } from "./floor-fixtures";

/*
 * Who installs, with which tool: at Wichita's station SV-01, operation 10 of an order of its own requires skill
 * SEAL-<run> and a calibrated torque wrench. Maria Lopez scans a lot and is refused, the reason naming the skill she
 * lacks; Priya Raman (quality) records her qualification on the qualifications screen; Maria is then refused for the
 * missing tool, scans the wrench's label, and the install is accepted with the tool recorded.
 */
const DB_URL = e2eDatabaseUrl();
const sfx = Date.now().toString(36).toUpperCase();
const names = { order: `WO-QUAL-${sfx}`, unit: `QUAL-U-${sfx}`, lot: `PS-${sfx}-OK`, skill: `SEAL-${sfx}`, wrench: `TW-${sfx}` };
let ids: { stationId: string; unitId: string; wrenchId: string };

test.beforeAll(async () => {
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
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
      const asm = await part(`QUAL-ASM-${sfx}`, "Sealed housing, e2e", "serial");
      const seal = await part(`QUAL-PS-${sfx}`, "Sealant PS-870", "lot", "ML");
      const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
        values (${siteId}, ${names.order}, ${asm}, 1, 'released', (now() + interval '7 days')::date) returning id`;
      const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, required_skills, required_tool_classes)
        values (${siteId}, ${wo!.id}, 10, 'SEAL', 'Seal the housing', ${station!.work_center_id}, ${[names.skill]}, ${["TORQUE-WRENCH"]}) returning id`;
      await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush) values
        (${siteId}, ${wo!.id}, 10, ${seal}, 5, 10, false)`;
      const [unitItem] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${names.unit}, 'accepted', true) returning id`;
      const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${unitItem!.id}, ${names.unit}, 'planned') returning id`;
      await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'pending')`;
      const [lot] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${seal}, ${names.lot}, 'accepted', now() + interval '300 days') returning id`;
      const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
      await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
        (${siteId}, ${mv!.id}, ${erp!.id}, ${seal}, ${lot!.id}, null, -50), (${siteId}, ${mv!.id}, ${pou!.id}, ${seal}, ${lot!.id}, null, 50)`;
      await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
        (${siteId}, ${erp!.id}, false, ${seal}, ${lot!.id}, null, -50), (${siteId}, ${pou!.id}, true, ${seal}, ${lot!.id}, null, 50)`;
      await tx`insert into skills (site_id, code, name) values (${siteId}, ${names.skill}, 'Sealing, PS-870 (e2e)')`;
      const [wrench] = await tx<{ id: string }[]>`insert into tools (site_id, code, tool_class, description, calibrated_at, calibration_due_at)
        values (${siteId}, ${names.wrench}, 'TORQUE-WRENCH', 'Torque wrench 5-25 N·m', now() - interval '30 days', now() + interval '60 days') returning id`;
      return { stationId: station!.id, unitId: unit!.id, wrenchId: wrench!.id };
    });
  } finally {
    await sql.end();
  }
});

test("an operator without the skill is refused with the reason, then qualified by quality and accepted with a calibrated tool", async ({ page, browser }) => {
  await signInWithBadge(page, USERS.operatorWichita.badge);
  await page.goto(`/station/${ids.stationId}`);
  await page.getByRole("link", { name: `Work on ${names.unit} op 10` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${names.unit}`);
  await expect(page.getByRole("group", { name: "Qualification and tools" })).toContainText(names.skill);

  const scan = page.getByLabel("Scan serial, lot, part or kit");
  const install = page.getByRole("button", { name: "Install", exact: true });
  await expect(install).toBeEnabled();
  await page.getByLabel("Quantity", { exact: true }).fill("5");
  await scan.fill(names.lot);
  await install.click();
  const refusal = page.getByRole("status").filter({ hasText: "Refused" });
  await expect(refusal).toContainText(`Maria Lopez is not qualified for operation 10 (SEAL): no qualification in ${names.skill}`);
  await expect(refusal).toContainText("Ask a supervisor or quality to record your qualification");
  await keepScreenshot(page, "station-refused-not-qualified");

  // quality records the qualification
  const context = await browser.newContext();
  const office = await context.newPage();
  await signInWithPassword(office, USERS.qualityWichita.username);
  await office.goto("/quality/qualifications");
  await expect(office.getByRole("heading", { level: 1, name: "Operator qualifications" })).toBeVisible();
  const form = office.getByRole("form", { name: "Record a qualification" });
  await expect(form.getByRole("button", { name: "Record qualification" })).toBeEnabled();
  await form.getByLabel("Operator").selectOption({ label: USERS.operatorWichita.name });
  await form.getByLabel("Skill").selectOption(names.skill);
  await form.getByLabel("Reason (for the audit trail)").fill("Certificate PS-870 no. 4471, e2e");
  await form.getByRole("button", { name: "Record qualification" }).click();
  await expect(office.getByRole("status").filter({ hasText: `Maria Lopez is qualified in ${names.skill}` })).toBeVisible();
  await expect(office.getByRole("table", { name: "Operators and their qualifications" })).toContainText(names.skill);
  await keepScreenshot(office, "quality-qualifications");
  await context.close();

  // qualified now: the tool the operation requires is still missing
  await page.getByLabel("Quantity", { exact: true }).fill("5");
  await scan.fill(names.lot);
  await install.click();
  await expect(page.getByRole("status").filter({ hasText: "Refused" })).toContainText("requires a calibrated tool of class TORQUE-WRENCH");

  // the wrench's label scanned with the wedge scanner into the tool field stays there (it is not sent as a component)
  await page.getByLabel("Scan tool label").click();
  await wedge(page, names.wrench);
  await expect(page.getByRole("list", { name: "Tools used at this operation" })).toContainText(names.wrench);
  await page.getByLabel("Quantity", { exact: true }).fill("5");
  await scan.fill(names.lot);
  await install.click();
  await expect(page.getByRole("status").filter({ hasText: `Installed 5 ML of lot ${names.lot}` })).toBeVisible();
  await keepScreenshot(page, "station-installed-qualified-with-tool");

  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    const [edge] = await sql<{ tool_ids: string[] }[]>`select tool_ids from genealogy_edges where parent_unit_id = ${ids.unitId}`;
    expect(edge!.tool_ids).toEqual([ids.wrenchId]);
  } finally {
    await sql.end();
  }
});
