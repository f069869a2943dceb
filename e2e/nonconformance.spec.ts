import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * Issue 19 in the browser, on data of its own (a two-unit work order at station SV-01 and a serial pin named after
 * this run): the operator installs the pin into unit A and removes it to quarantine: the removal opens a
 * nonconformance report and holds the pin. The quality engineer finds the report, decides "Scrap" and signs it (the
 * site's review board is quality alone): the report closes, the pin is scrapped. Unit A's as-built shows the removal
 * with its reason and the report. The ERP side (order, parts, material at the point of use) is written straight to the
 * e2e database as whole movements (legs and balances), so the ledger stays sound.
 */
test.describe("a component removed at the station opens an NCR that the MRB scraps", () => {
  const DB_URL = e2eDatabaseUrl();
  const sfx = Date.now().toString(36).toUpperCase();
  const n = { order: `WO-NC-${sfx}`, a: `NC-A-${sfx}`, b: `NC-B-${sfx}`, pin: `NC-PIN-${sfx}`, reason: `Cracked on insertion ${sfx}` };
  let ids: { siteId: string; stationId: string; pouId: string; aItem: string; bItem: string; pinId: string; pinRev: string };

  test.beforeAll(async () => {
    const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
    try {
      ids = await sql.begin(async (tx) => {
        const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
        const siteId = site!.id;
        const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
        const [pou] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'point_of_use' and station_id = ${station!.id}`;
        const [erp] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'erp_supply' order by code limit 1`;
        const part = async (pn: string, description: string) => {
          const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${pn}, ${description}, 'EA', 'serial') returning id`;
          const [r] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
          return r!.id;
        };
        const asm = await part(`NC-ASM-${sfx}`, "Servo valve, NCR e2e");
        const pinRev = await part(`NC-PINP-${sfx}`, "Locating pin");
        const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
          values (${siteId}, ${n.order}, ${asm}, 2, 'released', (now() + interval '7 days')::date) returning id`;
        const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
          values (${siteId}, ${wo!.id}, 10, 'ASSY', 'Install the pin', ${station!.work_center_id}, ${tx.json([])}) returning id`;
        await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
          values (${siteId}, ${wo!.id}, 10, ${pinRev}, 1, 10, false)`;
        const unit = async (serial: string) => {
          const [item] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${serial}, 'accepted', true) returning id`;
          const [u] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${item!.id}, ${serial}, 'planned') returning id`;
          await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${u!.id}, ${op!.id}, 10, 'pending')`;
          return item!.id;
        };
        const aItem = await unit(n.a);
        const bItem = await unit(n.b);
        const [pin] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status) values (${siteId}, ${pinRev}, ${n.pin}, 'accepted') returning id`;
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${siteId}, ${mv!.id}, ${erp!.id}, ${pinRev}, null, ${pin!.id}, -1), (${siteId}, ${mv!.id}, ${pou!.id}, ${pinRev}, null, ${pin!.id}, 1)`;
        await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
          (${siteId}, ${erp!.id}, false, ${pinRev}, null, ${pin!.id}, -1), (${siteId}, ${pou!.id}, true, ${pinRev}, null, ${pin!.id}, 1)`;
        return { siteId, stationId: station!.id, pouId: pou!.id, aItem, bItem, pinId: pin!.id, pinRev };
      });
    } finally {
      await sql.end();
    }
  });

  test("removal -> NCR (pin held) -> MRB scrap signed -> as-built shows the removal and its NCR", async ({ page, browser }) => {
    await signInWithBadge(page, USERS.operatorWichita.badge);
    await page.goto(`/station/${ids.stationId}`);
    await page.getByRole("link", { name: `Work on ${n.a} op 10` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${n.a}`);
    const scan = page.getByLabel("Scan serial, lot, part or kit");
    await expect(page.getByRole("button", { name: "Install", exact: true })).toBeEnabled();
    await scan.fill(n.pin);
    await scan.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: `Installed serial ${n.pin}` })).toBeVisible();

    const installed = page.getByRole("table", { name: "Installed at this operation" });
    await installed.getByRole("button", { name: new RegExp(`^Remove .*${n.pin}$`) }).click();
    const form = page.getByRole("form", { name: new RegExp(`^Remove .*${n.pin}$`) });
    await form.getByLabel("Why does it come out?").fill(n.reason);
    await form.getByLabel("Where does it go?").selectOption("quarantine");
    await form.getByRole("button", { name: "Remove", exact: true }).click();
    const said = page.getByText(new RegExp(`Removed serial ${n.pin} from unit ${n.a} .*Nonconformance report (NCR-\\d{6}) raised`)).first();
    await expect(said).toBeVisible();
    const number = /NCR-\d{6}/.exec((await said.textContent()) ?? "")![0];

    const context = await browser.newContext();
    const office = await context.newPage();
    await signInWithPassword(office, USERS.qualityWichita.username);
    await office.goto(`/quality/ncrs?q=${encodeURIComponent(n.pin)}`);
    await expect(office.getByRole("heading", { level: 1, name: "Nonconformance reports" })).toBeVisible();
    await office.getByRole("link", { name: number }).click();
    await expect(office.getByRole("heading", { level: 1, name: number })).toBeVisible();
    await expect(office.getByText(n.reason)).toBeVisible();
    await expect(office.getByRole("link", { name: "On hold" })).toBeVisible();
    await expect(office.getByRole("link", { name: "Where used" })).toBeVisible();
    await keepScreenshot(office, "ncr-open");

    const mrb = office.getByRole("form", { name: "Material Review Board" });
    await mrb.getByLabel("Disposition").selectOption("scrap");
    await mrb.getByLabel("Why (the board's decision)").fill("Crack through the shank: not repairable");
    await mrb.getByRole("button", { name: "Decide and sign…" }).click();
    const dialog = office.getByRole("dialog", { name: "Sign the disposition" });
    await expect(dialog.getByLabel("Meaning")).toHaveValue("approval");
    await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
    await dialog.getByRole("button", { name: "Sign", exact: true }).click();
    await expect(office.getByText("Closed", { exact: true }).first()).toBeVisible();
    await expect(office.getByText(/Disposition: Scrap\. Crack through the shank/)).toBeVisible();
    await expect(office.getByTestId("signature").first()).toContainText(`${USERS.qualityWichita.name} — approval`);
    await expect(office.getByRole("link", { name: "Released" })).toBeVisible();
    await keepScreenshot(office, "ncr-scrapped");

    // the pin went from quarantine to scrap through the ledger, once
    const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
    try {
      const at = await sql<{ kind: string }[]>`select l.kind::text as kind from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
        where b.site_id = ${ids.siteId} and b.serial_item_id = ${ids.pinId} and b.on_hand > 0`;
      expect(at.map((r) => r.kind)).toEqual(["scrap"]);
    } finally {
      await sql.end();
    }

    // unit A's as-built: the pin removed, with its reason and its report
    await office.goto(`/genealogy?item=${ids.aItem}`);
    const pinRow = office.getByRole("table", { name: "As-built components" }).getByRole("row").filter({ hasText: n.pin });
    await expect(pinRow).toContainText("Removed");
    await expect(pinRow).toContainText(n.reason);
    await expect(pinRow.getByRole("link", { name: number })).toBeVisible();
    await keepScreenshot(office, "ncr-as-built");
    await context.close();
  });
});
