import postgres from "postgres";
import { expect, test } from "@playwright/test";
import { e2eDatabaseUrl } from "./e2e-database";
import { wedge } from "./floor-fixtures";
import { USERS, keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/*
 * Material alerts and lot labels (issue 21, Musts 5 and 7), on data of their own: a sealant (240 minutes of out-time,
 * with a GTIN) whose lot was taken out of storage 200 minutes ago and sits at SV-01's point of use, needed at operation
 * 10 of a one-unit work order there. The supervisor's alerts list shows it about to run out and the WIP board shows it
 * as an upcoming blocker of that operation; its printed label's 2D content, scanned into the header, opens the lot;
 * an unknown code and another site's lot are refused with the reason. Written straight to the e2e database as whole
 * movements, as in wip-board.spec.ts.
 */

/** A GTIN-14 with its GS1 check digit (mod 10, weights 3 and 1 from the right). */
function gtin14(body13: string): string {
  const sum = [...body13].reverse().reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return body13 + String((10 - (sum % 10)) % 10);
}

test.describe("material alerts and lot labels", () => {
  test.describe.configure({ mode: "serial" });
  const DB_URL = e2eDatabaseUrl();
  const sfx = Date.now().toString(36).toUpperCase();
  const order = `WO-ALR-${sfx}`;
  const serial = `ALR-U1-${sfx}`;
  const lotNumber = `ALR-SEAL-${sfx}`;
  const otherSiteLot = `ALR-TLS-${sfx}`;
  const gtin = gtin14(`95${String(Date.now()).slice(-11)}`);
  let lotId = "";

  test.beforeAll(async () => {
    const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
    try {
      lotId = await sql.begin(async (tx) => {
        const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
        const siteId = site!.id;
        const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
        const [pou] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'point_of_use' and station_id = ${station!.id}`;
        const erpOf = async (sid: string) => (await tx<{ id: string }[]>`select id from storage_locations where site_id = ${sid} and kind = 'erp_supply' order by code limit 1`)[0]!.id;
        const [asmPart] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${`ALR-ASM-${sfx}`}, 'Actuator, alerts e2e', 'EA', 'serial') returning id`;
        const [asm] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${asmPart!.id}, 'A') returning id`;
        const [sealPart] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking, gtin, out_time_minutes)
          values (${`ALR-SEALP-${sfx}`}, 'Two-part sealant', 'ML', 'lot', ${gtin}, 240) returning id`;
        const [seal] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${sealPart!.id}, 'B') returning id`;
        const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
          values (${siteId}, ${order}, ${asm!.id}, 1, 'released', (now() + interval '7 days')::date) returning id`;
        const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
          values (${siteId}, ${wo!.id}, 10, 'SEAL', 'Seal the housing', ${station!.work_center_id}, ${tx.json([])}) returning id`;
        await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
          values (${siteId}, ${wo!.id}, 10, ${seal!.id}, 1, 10, false)`;
        const [item] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm!.id}, ${serial}, 'accepted', true) returning id`;
        const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${item!.id}, ${serial}, 'planned') returning id`;
        await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'pending')`;
        // out of storage for 200 of its 240 minutes: runs out in 40 minutes
        const [lot] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at, out_time_started_at)
          values (${siteId}, ${seal!.id}, ${lotNumber}, 'accepted', now() + interval '200 days', now() - interval '200 minutes') returning id`;
        const receive = async (sid: string, lot: string, to: string) => {
          const erp = await erpOf(sid);
          const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${sid}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
          await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
            (${sid}, ${mv!.id}, ${erp}, ${seal!.id}, ${lot}, null, -50), (${sid}, ${mv!.id}, ${to}, ${seal!.id}, ${lot}, null, 50)`;
          await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
            (${sid}, ${erp}, false, ${seal!.id}, ${lot}, null, -50), (${sid}, ${to}, true, ${seal!.id}, ${lot}, null, 50)`;
        };
        await receive(siteId, lot!.id, pou!.id);
        // the same sealant at Toulouse: its label is another site's
        const [tls] = await tx<{ id: string }[]>`select id from sites where code = 'TLS'`;
        await tx`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${tls!.id}, ${seal!.id}, ${otherSiteLot}, 'accepted', now() + interval '200 days')`;
        return lot!.id;
      });
    } finally {
      await sql.end();
    }
  });

  test("the alerts list shows the lot about to run out, the header counts it, and the WIP board shows it as an upcoming blocker", async ({ page }) => {
    test.setTimeout(120_000);
    await signInWithPassword(page, USERS.supervisorWichita.username);
    await expect(page.getByTestId("alert-badge")).toHaveAttribute("aria-label", /^\d+ material alerts?/);
    await page.goto("/alerts?station=SV-01&kind=out_time");
    await expect(page.getByRole("heading", { level: 1, name: "Material alerts" })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: `Lot ${lotNumber}` });
    await expect(row).toContainText(`ALR-SEALP-${sfx}`);
    await expect(row).toContainText("point of use of SV-01");
    await expect(row).toContainText(/(3\d|40) min left/);
    await expect(row).toContainText("Use it before it runs out, or put it back in its storage to stop the clock.");
    await keepScreenshot(page, "material-alerts");

    await page.goto(`/wip?wo=${order}`);
    const upcoming = page.getByRole("group", { name: /^Upcoming blockers at / });
    await expect(upcoming).toContainText("Upcoming: material running out");
    await expect(upcoming).toContainText(`${lotNumber} (ALR-SEALP-${sfx}) runs out of out-time at`);
    await expect(upcoming).toContainText("at SV-01");
    await expect(page.getByTestId("wip-upcoming")).toContainText(/upcoming blockers? from material running out/);
    await keepScreenshot(page, "wip-upcoming-blockers");
  });

  test("a printed lot label's 2D content scanned into the header opens the lot; an unknown code and another site's lot are refused with the reason", async ({ page }) => {
    test.setTimeout(120_000);
    await signInWithPassword(page, USERS.supervisorWichita.username);
    await page.goto("/alerts?station=SV-01");
    await page.getByRole("link", { name: `Label of Lot ${lotNumber}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Label of lot ${lotNumber}` })).toBeVisible();
    const label = page.getByRole("region", { name: `Label of Lot ${lotNumber}` });
    await expect(label).toContainText(`ALR-SEALP-${sfx}`);
    await expect(label).toContainText("Rev B");
    await expect(label).toContainText(/Out-time: (3\d|40) min left of 240 min, running; runs out at/);
    const code = label.getByRole("img", { name: `Data Matrix of Lot ${lotNumber}` });
    const scanned = (await code.getAttribute("data-scan"))!;
    expect(scanned).toMatch(new RegExp(`^\\]d201${gtin}17\\d{6}10${lotNumber}$`));
    await expect(label).toContainText(`(01)${gtin}(17)`);
    // the ZPL download: the same label for a printer
    const zpl = await page.request.get(`/api/labels/lot/${lotId}/zpl`);
    expect(zpl.status()).toBe(200);
    const text = await zpl.text();
    expect(text).toContain(`^FDLot ${lotNumber}^FS`);
    expect(text).toContain(`^BXN,7,200,,,,_^FD_101${gtin}17`);
    expect(text).toMatch(/\^FDOut-time 0 h (3\d|40) min left of 240 min\^FS/);
    await keepScreenshot(page, "lot-label");

    // scanned anywhere (here: from the home page), the label opens the lot's where-used
    await page.goto("/");
    // hydrated: the badge has asked for its count
    await expect(page.getByTestId("alert-badge")).toHaveAttribute("aria-label", /^\d+ material alerts?/);
    const field = page.getByRole("textbox", { name: "Find by scan" });
    await field.click();
    await wedge(page, scanned);
    await expect(page).toHaveURL(new RegExp(`/genealogy/where-used\\?kind=lot&id=${lotId}`));
    await expect(page.getByRole("heading", { level: 1, name: `Where-used of lot ${lotNumber}` })).toBeVisible();

    await field.click();
    await wedge(page, `NO-SUCH-${sfx}`);
    await expect(page.getByRole("alert").filter({ hasText: `No lot, serial or part "NO-SUCH-${sfx}" is known at Wichita Actuation Plant` })).toBeVisible();

    await page.getByRole("button", { name: "Close" }).click();
    await field.click();
    await wedge(page, `]d201${gtin}10${otherSiteLot}`);
    await expect(page.getByRole("alert").filter({ hasText: `No lot, serial or part "${otherSiteLot}" is known at Wichita Actuation Plant` })).toBeVisible();
  });
});
