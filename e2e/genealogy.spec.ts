import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * Recall at Wichita: a quality engineer searches the coil lot MM24-1187, sees its where-used reach the top-level unit
 * ACT-1001 (through TM-5001 and SV-3001) with its status and location, opens ACT-1001's as-built, and switches to the
 * graph view. Read-only: it changes no data other specs look at.
 */
test("a quality engineer traces lot MM24-1187 to ACT-1001 and opens its as-built and graph", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/genealogy");
  await expect(page.getByRole("heading", { level: 1, name: "Genealogy" })).toBeVisible();

  await page.getByLabel("Search or scan").fill("MM24-1187");
  await page.getByRole("button", { name: "Search" }).click();
  const results = page.getByRole("table", { name: "Search results" });
  const lotRow = results.getByRole("row").filter({ hasText: "MM24-1187" }).filter({ hasText: "Lot" }).first();
  await expect(lotRow).toBeVisible();
  await keepScreenshot(page, "genealogy-search");

  // links in lists are not prefetched: a long where-used page must not fire a request per row
  const rowPrefetches: string[] = [];
  page.on("request", (r) => {
    const headers = r.headers();
    if ((headers["next-router-prefetch"] || headers["rsc"]) && /\/genealogy\?item=/.test(r.url())) rowPrefetches.push(r.url());
  });
  await lotRow.getByRole("link", { name: "Where-used of MM24-1187" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Where-used of lot MM24-1187" })).toBeVisible();
  const units = page.getByRole("table", { name: "Units containing MM24-1187" });
  const top = units.getByRole("row").filter({ has: page.getByRole("link", { name: "As-built of ACT-1001" }) });
  await expect(top).toBeVisible();
  await expect(top).toContainText("top level");
  await expect(top).toContainText("Completed");
  await expect(top).toContainText("In stock at");
  await expect(top).toContainText(/TM-5001 → SV-3001 → ACT-1001/);
  await expect(page.getByRole("navigation", { name: "Pages of units" })).toContainText(/of \d+ units/);
  await keepScreenshot(page, "genealogy-where-used");
  expect(rowPrefetches, "the where-used rows' links are not prefetched").toEqual([]);

  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Graph" }).click();
  await expect(page.getByRole("img", { name: "Where-used graph of MM24-1187" }).getByRole("link", { name: "ACT-1001: open its as-built" })).toBeVisible();
  await keepScreenshot(page, "genealogy-where-used-graph");
  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Table" }).click();

  await top.getByRole("link", { name: "As-built of ACT-1001" }).click();
  await expect(page.getByRole("heading", { name: "As-built of ACT-1001" })).toBeVisible();
  const tree = page.getByRole("table", { name: "As-built components" });
  // the first view is the first level, each component with the exact count of what is below it; nothing below is read yet
  await expect(tree.getByRole("link", { name: "SV-3001", exact: true })).toBeVisible();
  await expect(tree.getByRole("link", { name: "TM-5001", exact: true })).toHaveCount(0);
  // opening a component reads its own level (one request), then the next one down
  const openSv = tree.getByRole("button", { name: /^Open SV-3001 \(\d+ below\)$/ });
  const below = Number(/\((\d+) below\)/.exec((await openSv.getAttribute("aria-label")) ?? "")![1]);
  expect(below).toBeGreaterThan(1);
  const levelRead = page.waitForResponse((r) => r.url().includes("/api/trpc/genealogy.asBuilt") && r.ok());
  await openSv.click();
  await levelRead;
  await expect(tree.getByRole("link", { name: "TM-5001", exact: true })).toBeVisible();
  await tree.getByRole("button", { name: /^Open TM-5001 \(\d+ below\)$/ }).click();
  await expect(tree.getByText("lot MM24-1187")).toBeVisible();
  await keepScreenshot(page, "genealogy-as-built");
  // closing hides what was opened under it
  await tree.getByRole("button", { name: /^Close SV-3001/ }).click();
  await expect(tree.getByRole("link", { name: "TM-5001", exact: true })).toHaveCount(0);

  // as it was long before it was built: nothing installed yet
  await page.getByLabel(/As it was at/).fill("2020-01-01T08:00");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("Nothing was installed in this serial at that time")).toBeVisible();
  await page.getByRole("link", { name: "Back to now" }).click();
  await expect(tree.getByRole("link", { name: "SV-3001", exact: true })).toBeVisible();

  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Graph" }).click();
  const graph = page.getByRole("img", { name: "As-built graph of ACT-1001" });
  await expect(graph).toBeVisible();
  await expect(graph.getByRole("link", { name: "SV-3001: open its as-built" })).toBeVisible();
  await keepScreenshot(page, "genealogy-as-built-graph");

  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "As-designed vs as-built" }).click();
  await expect(page.getByRole("region", { name: "Design of ACT-1001" })).toBeVisible();
  await keepScreenshot(page, "genealogy-as-designed");
});

test("an unknown identifier gets close matches, not an error page", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/genealogy?q=MM24-11");
  await expect(page.getByRole("heading", { name: 'Nothing at Wichita Actuation Plant matches "MM24-11"' })).toBeVisible();
  await expect(page.getByRole("link", { name: "MM24-1187" })).toBeVisible();
});

/** The records of a CSV file (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
function csvRecords(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

/** The data rows of the table whose header row starts with `firstColumn`, up to the next empty line. */
function tableRows(rows: string[][], firstColumn: string): string[][] {
  const start = rows.findIndex((r) => r[0] === firstColumn);
  expect(start).toBeGreaterThan(0);
  const end = rows.findIndex((r, i) => i > start && r.length === 1 && r[0] === "");
  return rows.slice(start + 1, end < 0 ? undefined : end);
}

/* Audit package: the as-built of ACT-1001 downloads as CSV with the whole tree, who generated it and when. */
test("a quality engineer downloads the as-built of ACT-1001 as CSV", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/genealogy?q=MM24-1187");
  await page.getByRole("table", { name: "Search results" }).getByRole("link", { name: "Where-used of MM24-1187" }).first().click();
  await page.getByRole("table", { name: "Units containing MM24-1187" }).getByRole("link", { name: "As-built of ACT-1001" }).click();
  await expect(page.getByRole("heading", { name: "As-built of ACT-1001" })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^as-built-ACT-1001-\d{8}-\d{4}\.csv$/);
  const text = await readFile((await download.path())!, "utf8");
  expect(text).toContain("SV-3001");
  expect(text).toContain("TM-5001");
  expect(text).toContain("MM24-1187");
  expect(text).toContain(`Generated by,${USERS.qualityWichita.name}`);
  expect(text).toMatch(/Generated at,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} C[SD]T \(America\/Chicago\)/);
  // the printable PDF of the same as-built, through the same session
  const pdfHref = await page.getByRole("link", { name: "Download PDF" }).getAttribute("href");
  const pdf = await page.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  // and as JSON: the same whole tree, every node with its level
  const json = await page.request.get((await page.getByRole("link", { name: "Download JSON" }).getAttribute("href"))!);
  expect(json.status()).toBe(200);
  const body = (await json.json()) as { unit: { serial: string }; components: { total: number }; nodes: { level: number; serial: string | null; lot: string | null }[] };
  expect(body.unit.serial).toBe("ACT-1001");
  expect(body.nodes).toHaveLength(body.components.total);
  expect(body.nodes.find((n) => n.lot === "MM24-1187")?.level).toBe(3);
});

/*
 * DOMAIN scenario 6: where-used is never silently truncated. The headline total, the pager's "of N units", the rows
 * shown over all pages and the downloaded CSV all agree.
 */
test("where-used of lot MM24-1187 is complete: the total, the pages and the CSV agree", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/genealogy?q=MM24-1187");
  await page.getByRole("table", { name: "Search results" }).getByRole("link", { name: "Where-used of MM24-1187" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Where-used of lot MM24-1187" })).toBeVisible();
  const headline = await page.getByText(/\d+ units? reached/).first().textContent();
  const total = Number(/(\d[\d,]*) units? reached/.exec(headline ?? "")![1]!.replace(/,/g, ""));
  expect(total).toBeGreaterThan(0);
  const pager = page.getByRole("navigation", { name: "Pages of units" });
  await expect(pager).toContainText(new RegExp(`of ${total.toLocaleString("en-US")} units?`));
  // walk every page: each unit once, and exactly `total` of them
  const seen: string[] = [];
  for (;;) {
    const links = page.getByRole("table", { name: "Units containing MM24-1187" }).getByRole("link", { name: /^As-built of / });
    for (const name of await links.allTextContents()) seen.push(name);
    const next = pager.getByRole("link", { name: /next/i });
    if ((await next.count()) === 0) break;
    await next.first().click();
  }
  expect(seen).toHaveLength(total);
  expect(new Set(seen).size).toBe(total);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Download all ${total.toLocaleString("en-US")} as CSV` }).click()]);
  const text = await readFile((await download.path())!, "utf8");
  const units = tableRows(csvRecords(text), "Unit serial");
  expect(units).toHaveLength(total);
  expect(units.map((r) => r[0]).sort()).toEqual([...seen].sort());
});

/*
 * DOMAIN scenario 4, in the browser, on data of its own (a two-unit work order at station SV-01 and a serial pin named
 * after this run): the operator installs the pin into unit A, removes it in rework with a reason, and installs it into
 * unit B. A's current as-built no longer shows it, A's history does (removed, with the reason), B's shows it, and the
 * where-used of the pin shows both units. The ERP side (order, parts, material at the point of use) and the clerk's
 * return of the pin from stores to the station are written straight to the e2e database as whole movements (legs and
 * balances), so the ledger stays sound.
 */
test.describe("scenario 4: a serial moved from unit A to unit B in rework", () => {
  const DB_URL = e2eDatabaseUrl();
  const sfx = Date.now().toString(36).toUpperCase();
  const n = { order: `WO-RW-${sfx}`, a: `RW-A-${sfx}`, b: `RW-B-${sfx}`, pin: `RW-PIN-${sfx}`, reason: `Bent on insertion ${sfx}` };
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
        const asm = await part(`RW-ASM-${sfx}`, "Servo valve, rework e2e");
        const pinRev = await part(`RW-PINP-${sfx}`, "Locating pin");
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

  /** The clerk brings the removed pin from wherever rework put it back to SV-01's point of use: one transfer movement. */
  async function returnPinToStation() {
    const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
    try {
      await sql.begin(async (tx) => {
        const [from] = await tx<{ location_id: string }[]>`select location_id from stock_balances where site_id = ${ids.siteId} and serial_item_id = ${ids.pinId} and on_hand > 0 for update`;
        expect(from).toBeDefined();
        const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${ids.siteId}, 'transfer', now(), 'e2e: back to the station after rework', '{}') returning id`;
        await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
          (${ids.siteId}, ${mv!.id}, ${from!.location_id}, ${ids.pinRev}, null, ${ids.pinId}, -1), (${ids.siteId}, ${mv!.id}, ${ids.pouId}, ${ids.pinRev}, null, ${ids.pinId}, 1)`;
        await tx`update stock_balances set on_hand = on_hand - 1 where site_id = ${ids.siteId} and location_id = ${from!.location_id} and serial_item_id = ${ids.pinId}`;
        await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values (${ids.siteId}, ${ids.pouId}, true, ${ids.pinRev}, null, ${ids.pinId}, 1)
          on conflict on constraint stock_balances_key_unique do update set on_hand = stock_balances.on_hand + 1`;
      });
    } finally {
      await sql.end();
    }
  }

  test("A's current as-built drops the pin, A's history keeps it with the reason, B's shows it, where-used shows both", async ({ page, browser }) => {
    await signInWithBadge(page, USERS.operatorWichita.badge);
    const installInto = async (unit: string) => {
      await page.goto(`/station/${ids.stationId}`);
      await page.getByRole("link", { name: `Work on ${unit} op 10` }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${unit}`);
      const scan = page.getByLabel("Scan serial, lot, part or kit");
      await expect(page.getByRole("button", { name: "Install", exact: true })).toBeEnabled();
      await scan.fill(n.pin);
      await scan.press("Enter");
      await expect(page.getByRole("status").filter({ hasText: `Installed serial ${n.pin}` })).toBeVisible();
    };
    await installInto(n.a);
    const installed = page.getByRole("table", { name: "Installed at this operation" });
    await installed.getByRole("button", { name: new RegExp(`^Remove .*${n.pin}$`) }).click();
    const form = page.getByRole("form", { name: new RegExp(`^Remove .*${n.pin}$`) });
    await form.getByLabel("Why does it come out?").fill(n.reason);
    await form.getByLabel("Where does it go?").selectOption("stores");
    const removed = page.waitForResponse((r) => r.url().includes("station.removeComponent") && r.request().method() === "POST");
    await form.getByRole("button", { name: "Remove", exact: true }).click();
    expect((await removed).ok()).toBe(true);
    // the page refreshes without the removed install (its row, and the form's message with it, are gone)
    await expect(page.getByRole("form", { name: new RegExp(`^Remove .*${n.pin}$`) })).toHaveCount(0);
    // the confirmation stays on screen after the row it came from is gone
    await expect(page.getByText(new RegExp(`Removed serial ${n.pin} from unit`)).first()).toBeVisible();

    await returnPinToStation();
    await installInto(n.b);

    const context = await browser.newContext();
    const office = await context.newPage();
    await signInWithPassword(office, USERS.qualityWichita.username);
    const tree = office.getByRole("table", { name: "As-built components" });
    // A now, rework history hidden: the pin is gone
    await office.goto(`/genealogy?item=${ids.aItem}&history=0`);
    await expect(office.getByRole("heading", { name: `As-built of ${n.a}` })).toBeVisible();
    await expect(office.getByRole("status").filter({ hasText: "Now: 0 component records installed (rework history hidden)." })).toBeVisible();
    await expect(office.getByText(n.pin, { exact: true })).toHaveCount(0);
    // A with its history: the pin, removed, with the reason
    await office.goto(`/genealogy?item=${ids.aItem}`);
    const pinRow = tree.getByRole("row").filter({ hasText: n.pin });
    await expect(pinRow).toContainText("Removed");
    await expect(pinRow).toContainText(n.reason);
    await keepScreenshot(office, "genealogy-rework-history");
    // B shows it, installed
    await office.goto(`/genealogy?item=${ids.bItem}`);
    const bRow = tree.getByRole("row").filter({ hasText: n.pin });
    await expect(bRow).toBeVisible();
    await expect(bRow).not.toContainText("Removed");
    // where-used of the pin: both units
    await office.goto(`/genealogy/where-used?kind=serial&id=${ids.pinId}`);
    const units = office.getByRole("table", { name: `Units containing ${n.pin}` });
    await expect(units.getByRole("link", { name: `As-built of ${n.a}` })).toBeVisible();
    await expect(units.getByRole("link", { name: `As-built of ${n.b}` })).toBeVisible();
    await keepScreenshot(office, "genealogy-rework-where-used");
    await context.close();
  });
});

/*
 * DOMAIN scenario 3, in the browser, on data of its own: a work order for 5 units consumes one shared adhesive lot and
 * five distinct pins at station SV-01. Each unit's as-built shows its own pin (not the other four) and the shared lot;
 * the where-used of the lot reaches all five units. The ERP side is written straight to the e2e database as in
 * scenario 4 above.
 */
test.describe("scenario 3: five units, one shared lot, five distinct serials", () => {
  const DB_URL = e2eDatabaseUrl();
  const sfx = Date.now().toString(36).toUpperCase();
  const units = [1, 2, 3, 4, 5].map((i) => ({ serial: `S3-U${i}-${sfx}`, pin: `S3-PIN${i}-${sfx}` }));
  const lotNumber = `S3-ADH-${sfx}`;
  let ids: { stationId: string; lotId: string; unitItems: string[] };

  test.beforeAll(async () => {
    const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
    try {
      ids = await sql.begin(async (tx) => {
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
        const asm = await part(`S3-ASM-${sfx}`, "Servo valve, scenario 3", "serial", "EA");
        const pinRev = await part(`S3-PINP-${sfx}`, "Locating pin", "serial", "EA");
        const adhRev = await part(`S3-ADHP-${sfx}`, "Thread locker", "lot", "ML");
        const [wo] = await tx<{ id: string }[]>`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date)
          values (${siteId}, ${`WO-S3-${sfx}`}, ${asm}, 5, 'released', (now() + interval '7 days')::date) returning id`;
        const [op] = await tx<{ id: string }[]>`insert into work_order_operations (site_id, work_order_id, seq, code, description, work_center_id, parameters)
          values (${siteId}, ${wo!.id}, 10, 'ASSY', 'Install the pin', ${station!.work_center_id}, ${tx.json([])}) returning id`;
        await tx`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
          values (${siteId}, ${wo!.id}, 10, ${pinRev}, 1, 10, false), (${siteId}, ${wo!.id}, 20, ${adhRev}, 0.25, 10, false)`;
        const issue = async (item: { rev: string; lotId?: string; serialId?: string }, qty: string) => {
          const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, occurred_at, reason, reference) values (${siteId}, 'receive_from_erp', now(), 'e2e setup', '{}') returning id`;
          await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity) values
            (${siteId}, ${mv!.id}, ${erp!.id}, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${`-${qty}`}),
            (${siteId}, ${mv!.id}, ${pou!.id}, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${qty})`;
          await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand) values
            (${siteId}, ${erp!.id}, false, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${`-${qty}`}),
            (${siteId}, ${pou!.id}, true, ${item.rev}, ${item.lotId ?? null}, ${item.serialId ?? null}, ${qty})`;
        };
        const unitItems: string[] = [];
        for (const u of units) {
          const [item] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status, built_here) values (${siteId}, ${asm}, ${u.serial}, 'accepted', true) returning id`;
          const [unit] = await tx<{ id: string }[]>`insert into units (site_id, work_order_id, serial_item_id, serial, status) values (${siteId}, ${wo!.id}, ${item!.id}, ${u.serial}, 'planned') returning id`;
          await tx`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status) values (${siteId}, ${unit!.id}, ${op!.id}, 10, 'pending')`;
          unitItems.push(item!.id);
          const [pin] = await tx<{ id: string }[]>`insert into serial_items (site_id, part_revision_id, serial_number, inspection_status) values (${siteId}, ${pinRev}, ${u.pin}, 'accepted') returning id`;
          await issue({ rev: pinRev, serialId: pin!.id }, "1");
        }
        const [lot] = await tx<{ id: string }[]>`insert into lots (site_id, part_revision_id, lot_number, inspection_status, expires_at) values (${siteId}, ${adhRev}, ${lotNumber}, 'accepted', now() + interval '300 days') returning id`;
        await issue({ rev: adhRev, lotId: lot!.id }, "2");
        return { stationId: station!.id, lotId: lot!.id, unitItems };
      });
    } finally {
      await sql.end();
    }
  });

  test("each unit's as-built shows its own pin and the shared lot; the lot's where-used reaches all five", async ({ page, browser }) => {
    test.setTimeout(120_000);
    await signInWithBadge(page, USERS.operatorWichita.badge);
    for (const u of units) {
      await page.goto(`/station/${ids.stationId}`);
      await page.getByRole("link", { name: `Work on ${u.serial} op 10` }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${u.serial}`);
      const scan = page.getByLabel("Scan serial, lot, part or kit");
      const install = page.getByRole("button", { name: "Install", exact: true });
      await expect(install).toBeEnabled();
      await scan.fill(u.pin);
      await scan.press("Enter");
      await expect(page.getByRole("status").filter({ hasText: `Installed serial ${u.pin}` })).toBeVisible();
      await page.getByLabel("Quantity", { exact: true }).fill("0.25");
      await scan.fill(lotNumber);
      await install.click();
      await expect(page.getByRole("status").filter({ hasText: `Installed 0.25 ML of lot ${lotNumber}` })).toBeVisible();
    }

    const context = await browser.newContext();
    const office = await context.newPage();
    await signInWithPassword(office, USERS.qualityWichita.username);
    const tree = office.getByRole("table", { name: "As-built components" });
    for (const [i, u] of units.entries()) {
      await office.goto(`/genealogy?item=${ids.unitItems[i]}`);
      await expect(office.getByRole("heading", { name: `As-built of ${u.serial}` })).toBeVisible();
      await expect(tree).toContainText(u.pin);
      await expect(tree).toContainText(lotNumber);
      for (const other of units) if (other !== u) await expect(tree).not.toContainText(other.pin);
    }
    await office.goto(`/genealogy/where-used?kind=lot&id=${ids.lotId}`);
    const reached = office.getByRole("table", { name: `Units containing ${lotNumber}` });
    for (const u of units) await expect(reached.getByRole("link", { name: `As-built of ${u.serial}` })).toBeVisible();
    await expect(office.getByRole("navigation", { name: "Pages of units" })).toContainText(/of 5 units/);
    await keepScreenshot(office, "genealogy-shared-lot-where-used");
    await context.close();
  });
});
