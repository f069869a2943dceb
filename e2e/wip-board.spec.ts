import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabaseUrl } from "./e2e-database";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";

/*
 * The supervisor's WIP board, on data of its own (a three-unit work order at station SV-01 whose operation 10 takes a
 * sealant lot staged at SV-01's point of use): a scan at the station shows on the open board without a reload; a signed
 * hold on the lot marks the units blocked with the hold's reason; the filters are kept in the URL; a tile drills down to
 * the unit's as-built and to the hold; the wall screen says when it lost the server. The ERP side (order, parts,
 * material at the point of use) is written straight to the e2e database as whole movements, as in genealogy.spec.ts.
 */
test.describe("WIP board", () => {
  test.describe.configure({ mode: "serial" });
  const DB_URL = e2eDatabaseUrl();
  const sfx = Date.now().toString(36).toUpperCase();
  const order = `WO-WIP-${sfx}`;
  const serials = [1, 2, 3].map((i) => `WIP-U${i}-${sfx}`);
  const lotNumber = `WIP-SEAL-${sfx}`;
  const reason = `Cure schedule missing from the certificate (e2e ${sfx})`;
  let stationId = "";

  test.beforeAll(async () => {
    const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
    try {
      stationId = await sql.begin(async (tx) => {
        const [site] = await tx<{ id: string }[]>`select id from sites where code = 'WCH'`;
        const siteId = site!.id;
        const [station] = await tx<{ id: string; work_center_id: string }[]>`select id, work_center_id from stations where site_id = ${siteId} and code = 'SV-01'`;
        const [pou] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'point_of_use' and station_id = ${station!.id}`;
        const [erp] = await tx<{ id: string }[]>`select id from storage_locations where site_id = ${siteId} and kind = 'erp_supply' order by code limit 1`;
        const part = async (pn: string, description: string, tracking: string, uom: string) => {
          const [p] = await tx<{ id: string }[]>`insert into parts (part_number, description, uom, tracking) values (${pn}, ${description}, ${uom}, ${tracking}) returning id`;
          const [r] = await tx<{ id: string }[]>`insert into part_revisions (part_id, revision) values (${p!.id}, 'A') returning id`;
          return r!.id;
        };
        const asm = await part(`WIP-ASM-${sfx}`, "Servo valve, WIP board e2e", "serial", "EA");
        const sealRev = await part(`WIP-SEALP-${sfx}`, "Sealant", "lot", "ML");
        const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
          values (${siteId}, ${order}, ${asm}, 3, 'released', (now() + interval '7 days')::date) returning id`;
        const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
          values (${siteId}, ${wo!.id}, 10, 'SEAL', 'Seal the housing', ${station!.work_center_id}, ${tx.json([])}) returning id`;
        await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
          values (${siteId}, ${wo!.id}, 10, ${sealRev}, 1, 10, false)`;
        for (const serial of serials) {
          const [item] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${serial}, 'accepted', true) returning id`;
          const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${item!.id}, ${serial}, 'planned') returning id`;
          await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'pending')`;
        }
        const [lot] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${sealRev}, ${lotNumber}, 'accepted', now() + interval '300 days') returning id`;
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${siteId}, ${mv!.id}, ${erp!.id}, ${sealRev}, ${lot!.id}, null, -10), (${siteId}, ${mv!.id}, ${pou!.id}, ${sealRev}, ${lot!.id}, null, 10)`;
        await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
          (${siteId}, ${erp!.id}, false, ${sealRev}, ${lot!.id}, null, -10), (${siteId}, ${pou!.id}, true, ${sealRev}, ${lot!.id}, null, 10)`;
        return station!.id;
      });
    } finally {
      await sql.end();
    }
  });

  const tile = (page: Page, serial: string) => page.getByRole("listitem", { name: new RegExp(`^Unit ${serial}`) });

  test("a scan at the station shows on the open board without a reload; a hold on the lot marks the units blocked with its reason", async ({ page, browser }) => {
    test.setTimeout(150_000);
    await signInWithPassword(page, USERS.supervisorWichita.username);
    await page.goto(`/wip?wo=${order}`);
    await expect(page.getByRole("heading", { level: 1, name: "WIP board" })).toBeVisible();
    await expect(page.getByText("● Live")).toBeVisible();
    for (const s of serials) await expect(tile(page, s)).toContainText("Waiting");
    // a marker that a reload would wipe
    await page.evaluate(() => ((window as unknown as { __wipNoReload: boolean }).__wipNoReload = true));

    // the operator installs sealant into the first unit at SV-01
    const floor = await browser.newContext();
    const station = await floor.newPage();
    await signInWithBadge(station, USERS.operatorWichita.badge);
    await station.goto(`/station/${stationId}`);
    await station.getByRole("link", { name: `Work on ${serials[0]} op 10` }).click();
    const scan = station.getByLabel("Scan serial, lot or part");
    const install = station.getByRole("button", { name: "Install", exact: true });
    await expect(install).toBeEnabled();
    await station.getByLabel("Quantity", { exact: true }).fill("1");
    await scan.fill(lotNumber);
    await install.click();
    await expect(station.getByRole("status").filter({ hasText: `Installed 1 ML of lot ${lotNumber}` })).toBeVisible();
    const scannedAt = Date.now();

    await expect(tile(page, serials[0]!)).toContainText("In progress at SV-01", { timeout: 5_000 });
    const seenAfter = Date.now() - scannedAt;
    expect(seenAfter, "the scan shows on the board within 2 s (plus the test's own polling)").toBeLessThan(4_000);
    expect(await page.evaluate(() => (window as unknown as { __wipNoReload?: boolean }).__wipNoReload)).toBe(true);
    await keepScreenshot(page, "wip-board-after-scan");
    await floor.close();

    // a quality engineer places a signed hold on the lot
    const office = await browser.newContext();
    const quality = await office.newPage();
    await signInWithPassword(quality, USERS.qualityWichita.username);
    await quality.goto("/quality/holds");
    const form = quality.getByRole("form", { name: "Place a hold" });
    await expect(form.getByRole("button", { name: "Place hold and sign…" })).toBeEnabled();
    await form.getByLabel("Hold a").selectOption({ label: "Lot" });
    await form.getByLabel("Lot number").fill(lotNumber);
    await form.getByLabel("Reason for the hold").fill(reason);
    await form.getByRole("button", { name: "Place hold and sign…" }).click();
    const dialog = quality.getByRole("dialog", { name: "Sign the hold" });
    await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
    await dialog.getByRole("button", { name: "Sign", exact: true }).click();
    await expect(quality.getByTestId("hold-reason")).toHaveText(reason);
    await office.close();

    // the board, still not reloaded: the unit with the lot installed, and those that need it where it is staged
    await expect(tile(page, serials[0]!)).toContainText(`${lotNumber} installed is on hold: ${reason}`, { timeout: 5_000 });
    for (const s of serials.slice(1)) await expect(tile(page, s)).toContainText(`${lotNumber} staged is on hold: ${reason}`);
    await expect(page.getByTestId("wip-totals")).toContainText("3 blocked");
    expect(await page.evaluate(() => (window as unknown as { __wipNoReload?: boolean }).__wipNoReload)).toBe(true);
    await keepScreenshot(page, "wip-board-hold");
  });

  test("filters are kept in the URL, and a tile drills down to the unit's as-built and to the hold", async ({ page }) => {
    await signInWithPassword(page, USERS.supervisorWichita.username);
    await page.goto("/wip");
    const filters = page.getByRole("search", { name: "Filter the board" });
    await filters.getByLabel("Work order").selectOption(order);
    await filters.getByLabel("Status").selectOption("in_progress");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("wo") === order && url.searchParams.get("status") === "in_progress");
    await expect(tile(page, serials[0]!)).toBeVisible();
    await expect(tile(page, serials[1]!)).toHaveCount(0);
    await expect(page.getByTestId("wip-totals")).toContainText("1 units in work");

    // blocked only, from a URL someone shared
    await page.goto(`/wip?wo=${order}&blocked=1`);
    await expect(page.getByRole("checkbox", { name: "Blocked only" })).toBeChecked();
    for (const s of serials) await expect(tile(page, s)).toBeVisible();
    // a station of another work center: none of these units is there
    await page.goto(`/wip?wo=${order}&station=FA-01`);
    await expect(page.getByText("No unit matches these filters")).toBeVisible();

    // drill down: the hold, then the unit's as-built
    await page.goto(`/wip?wo=${order}`);
    await tile(page, serials[0]!).getByRole("link", { name: new RegExp(`installed is on hold`) }).click();
    await expect(page.getByTestId("hold-reason")).toHaveText(reason);
    await page.goBack();
    await tile(page, serials[0]!).getByRole("link", { name: serials[0]!, exact: true }).click();
    await expect(page.getByRole("heading", { name: `As-built of ${serials[0]}` })).toBeVisible();
    await expect(page.getByRole("table", { name: "As-built components" })).toContainText(lotNumber);
  });

  test("the wall screen shows the board in large type and a clear banner when it loses the server", async ({ page }) => {
    await signInWithPassword(page, USERS.supervisorWichita.username);
    await page.goto(`/wall/wip?wo=${order}`);
    await expect(page.getByTestId("wall-last-heard")).toContainText("● Live");
    await expect(page.getByRole("alert").filter({ hasText: "CONNECTION LOST" })).toHaveCount(0);
    await keepScreenshot(page, "wip-wall");

    // the event stream is cut off: every reconnection fails
    await page.route("**/api/wip/events", (route) => route.abort("connectionfailed"));
    await page.goto(`/wall/wip?wo=${order}`);
    await expect(page.getByRole("alert").filter({ hasText: "CONNECTION LOST" })).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole("alert").filter({ hasText: "CONNECTION LOST" })).toContainText("This board may be out of date");
    await expect(page.getByTestId("wall-last-heard")).toContainText("● Lost");
    await keepScreenshot(page, "wip-wall-lost");
  });
});
