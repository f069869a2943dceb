// npm run bench:wip — the supervisor's WIP board as a supervisor gets it, on a generated site with --wip units (5,000)
// in work: `next start` (the production build), the site's supervisor signed in through next-auth (user name + password),
// and these lanes, interleaved over --rounds rounds:
//   page in Chromium   /wip opened cold in a new browser context of Debian's Chromium (Playwright): time to the load
//                      event (the server-rendered board painted, scripts loaded) and to "Live" (hydrated, event stream
//                      connected); bytes received for the whole load (encoded bodies + headers)
//   tRPC over HTTP     wip.board as the open board reads it again after a change: time to the last byte, bytes
//   raw SQL            the board's ten statements (server/repos/wip-board.ts) straight on the driver, in parallel as the
//                      service sends them, without the rules, the grouping or HTTP
// then the update latency: the unfiltered board open in Chromium while 8 station tablets (operators signed in with badge
// and PIN) each start --scans units by a first install (tRPC station.consumeComponent, one every --pace ms per tablet);
// each such scan moves a unit from waiting to in progress, so the board's "in progress" count says which scans it shows.
// Latency of a scan = the first time the open board showed it, minus the time its answer (after its commit) arrived.
// Targets: first full render < 1 s, < 500 KB sent, update latency p95 < 2 s.
// Options: --units N (generated plant, 12000) --wip N (units in work added, 5000) --rounds N (3) --scans N (per tablet
//          and round, 15) --pace MS (1000) --db NAME (reuse a database prepared by an earlier run, kept)
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { chromium, type Browser as Chromium } from "@playwright/test";
import { openDatabase, queryRows, type Db } from "../../db/client";
import { DEMO_PASSWORD, DEMO_PIN } from "../../db/seed/demo-users";
import { createTestLot, createTestPart } from "../../db/testing/factories";
import { createStationOrder } from "../../db/testing/station-fixtures";
import type { Plant } from "../../db/testing/genealogy-fixtures";
import { postMovement } from "../../server/repos/ledger";
import { readAlertContext, readInstalled, readInstalledHeld, readOpenBomLines, readShortKits, readStaged, readStations, readToolHolds, readWipUnits, readOperationTimes } from "../../server/repos/wip-board";
import { Browser, commandLine, cpuMeter, DatabaseCpu, ensureBuild, fmt, interleave, machineNote, median, onCleanup, percentile, plantDatabase, runBenchmark, spread, startApp, verdict } from "./harness";

const { values } = parseArgs({
  options: {
    units: { type: "string", default: "12000" },
    wip: { type: "string", default: "5000" },
    rounds: { type: "string", default: "3" },
    scans: { type: "string", default: "15" },
    pace: { type: "string", default: "1000" },
    db: { type: "string" },
  },
});
const WIP = Number(values.wip);
const ROUNDS = Number(values.rounds);
const SCANS = Number(values.scans);
const PACE = Number(values.pace);
const TABLETS = 8;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * Units in work at the generated site, set-based: orders of 50 units of the site's assemblies, three operations each at
 * the site's work centers in turn, each operation taking a lot-tracked part that is staged at that work center's points
 * of use; a third of the units waiting at op 10, a third under way there at a station, a third waiting at op 20.
 */
async function addWip(db: Db, siteId: string, count: number): Promise<void> {
  const tag = Date.now().toString(36).toUpperCase();
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      create temp table bench_wc on commit drop as
        select wc.id, row_number() over (order by wc.code) - 1 as i,
          (select s.id from stations s where s.site_id = wc.site_id and s.work_center_id = wc.id order by s.code limit 1) as station_id,
          (select b.part_revision_id from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
             join stations s on s.site_id = l.site_id and s.id = l.station_id
             where b.site_id = wc.site_id and s.work_center_id = wc.id and l.kind = 'point_of_use' and b.lot_id is not null and b.on_hand > 0
             order by b.part_revision_id limit 1) as part_revision_id
        from work_centers wc where wc.site_id = ${siteId}`);
    await tx.execute(sql`
      create temp table bench_wo on commit drop as
        select gen_random_uuid() as id, g as n, (select id from part_revisions pr where exists (select 1 from work_orders w where w.part_revision_id = pr.id and w.site_id = ${siteId}) order by pr.id offset (g % 4) limit 1) as rev
        from generate_series(0, ${Math.ceil(count / 50) - 1}) g`);
    await tx.execute(sql`insert into work_orders (site_id, id, number, part_revision_id, quantity, status, due_date, released_at)
      select ${siteId}, id, ${`WO-WIP-${tag}-`} || n, rev, 50, 'in_progress', (now() + (n % 20) * interval '1 day')::date, now() - interval '3 days' from bench_wo`);
    await tx.execute(sql`
      create temp table bench_op on commit drop as
        select gen_random_uuid() as id, w.id as wo, o.seq, wc.id as wc, wc.station_id, wc.part_revision_id
        from bench_wo w cross join (values (10), (20), (30)) o(seq)
        join bench_wc wc on wc.i = (w.n + o.seq / 10) % (select count(*) from bench_wc)`);
    await tx.execute(sql`insert into work_order_operations (site_id, id, work_order_id, seq, code, description, work_center_id, parameters)
      select ${siteId}, id, wo, seq, 'OP' || seq, 'Bench operation ' || seq, wc, '[]'::jsonb from bench_op`);
    await tx.execute(sql`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
      select ${siteId}, wo, seq, part_revision_id, 1, seq, false from bench_op where part_revision_id is not null`);
    await tx.execute(sql`
      create temp table bench_unit on commit drop as
        select gen_random_uuid() as id, gen_random_uuid() as si, w.id as wo, w.rev, ${`WIP-${tag}-`} || w.n || '-' || k as serial, (w.n * 50 + k) % 3 as phase
        from bench_wo w cross join generate_series(1, 50) k where w.n * 50 + k <= ${count}`);
    await tx.execute(sql`insert into serial_items (site_id, id, part_revision_id, serial_number, inspection_status, built_here) select ${siteId}, si, rev, serial, 'pending', true from bench_unit`);
    await tx.execute(sql`insert into units (site_id, id, work_order_id, serial_item_id, serial, status)
      select ${siteId}, id, wo, si, serial, case when phase = 0 then 'planned' else 'in_progress' end::unit_status from bench_unit`);
    await tx.execute(sql`insert into unit_operations (site_id, unit_id, work_order_operation_id, seq, status, station_id, started_at, completed_at)
      select ${siteId}, u.id, o.id, o.seq,
        (case when o.seq = 10 and u.phase = 1 then 'in_progress' when o.seq = 10 and u.phase = 2 then 'completed' else 'pending' end)::operation_status,
        case when o.seq = 10 and u.phase >= 1 then o.station_id end,
        case when o.seq = 10 and u.phase >= 1 then now() - interval '2 hours' end,
        case when o.seq = 10 and u.phase = 2 then now() - interval '1 hour' end
      from bench_unit u join bench_op o on o.wo = u.wo`);
  });
}

type Tablet = { browser: Browser; stationId: string; lotId: string; units: string[] };

/** Per station an order of units waiting at op 10 (routed to its work center), with a lot of its own staged there. */
async function setUpTablets(db: Db, appUrl: string, siteId: string, perStation: number): Promise<Tablet[]> {
  const stations = await queryRows<{ id: string; code: string; work_center_id: string; badge: string }>(
    db,
    sql`select st.id, st.code, st.work_center_id, u.badge_id as badge from stations st join sites s on s.id = st.site_id
        join users u on u.badge_id = s.code || '-OP-' || substring(st.code from 4)
        where st.site_id = ${siteId} order by st.code limit ${TABLETS}`,
  );
  if (stations.length < TABLETS) throw new Error(`need ${TABLETS} stations with their operators, found ${stations.length}: regenerate the plant with the current generator`);
  const [erp] = await queryRows<{ id: string }>(db, sql`select id from storage_locations where site_id = ${siteId} and kind = 'erp_supply' order by code limit 1`);
  const tag = Date.now().toString(36).toUpperCase();
  const part = await createTestPart(db, "lot", { partNumber: `BENCH-WIP-${tag}`, description: "Bench sealant" });
  const tablets: Tablet[] = [];
  for (const [i, st] of stations.entries()) {
    const [pou] = await queryRows<{ id: string }>(db, sql`select id from storage_locations where site_id = ${siteId} and station_id = ${st.id} and kind = 'point_of_use' order by code limit 1`);
    const order = await createStationOrder(db, { siteId, workCenterId: st.work_center_id } as Plant, {
      number: `WO-BWIP-${tag}-${i + 1}`,
      serials: Array.from({ length: perStation }, (_, k) => `BWIP-${tag}-${i + 1}-${String(k + 1).padStart(3, "0")}`),
      ops: [{ seq: 10, workCenterId: st.work_center_id }],
      bom: [{ find: 10, partRevisionId: part.revisionId, qty: "1000", op: 10 }],
    });
    const lot = await createTestLot(db, siteId, part.revisionId, { lotNumber: `BW${tag}${i + 1}`, inspectionStatus: "accepted" });
    await db.transaction((tx) =>
      postMovement(tx, {
        siteId,
        kind: "receive_from_erp",
        occurredAt: new Date(),
        legs: [
          { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: erp!.id, quantity: `-${perStation * 2}` },
          { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: pou!.id, quantity: String(perStation * 2) },
        ],
      }),
    );
    const browser = new Browser(appUrl);
    await browser.signIn("badge", { badgeId: st.badge, pin: DEMO_PIN });
    tablets.push({ browser, stationId: st.id, lotId: lot.id, units: order.units.map((u) => u.unitId) });
  }
  return tablets;
}

async function newBoardPage(chrome: Chromium, app: string, cookies: Map<string, string>) {
  const context = await chrome.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addCookies([...cookies].map(([name, value]) => ({ name, value, url: app })));
  const page = await context.newPage();
  let bytes = 0;
  page.on("requestfinished", (r) => {
    void r.sizes().then((s) => (bytes += s.responseBodySize + s.responseHeadersSize)).catch(() => {});
  });
  return { context, page, bytes: () => bytes };
}

type RenderResult = { loadMs: number; liveMs: number; kb: number; units: number };

async function openBoard(chrome: Chromium, app: string, cookies: Map<string, string>): Promise<RenderResult> {
  const { context, page, bytes } = await newBoardPage(chrome, app, cookies);
  try {
    const t0 = Date.now();
    await page.goto(`${app}/wip`, { waitUntil: "load" });
    const loadMs = Date.now() - t0;
    await page.getByTestId("wip-totals").waitFor();
    await page.getByText("● Live").waitFor({ timeout: 30_000 });
    const liveMs = Date.now() - t0;
    await page.waitForTimeout(300); // let the last responses' sizes settle
    const units = Number((await page.getByTestId("wip-totals").textContent())?.match(/(\d+)\s*units in work/)?.[1] ?? "0");
    return { loadMs, liveMs, kb: bytes() / 1024, units };
  } finally {
    await context.close();
  }
}

async function main() {
  console.log(`bench:wip — ${commandLine("bench:wip")}`);
  console.log(`machine: ${machineNote()}`);
  ensureBuild();
  const plant = await plantDatabase({ prefix: "tl_bench_wip", reuse: values.db, genArgs: ["--sites", "1", "--units", String(values.units), "--lines", "8"] });
  const owner = await openDatabase({ url: plant.url, role: null, max: 4 });
  onCleanup("owner connection", () => owner.close());
  const [site] = await queryRows<{ id: string; code: string }>(owner.db, sql`select id, code from sites where code like 'G%' order by code limit 1`);
  if (!site) throw new Error("no generated site (G...) in the database");
  const countWip = async () =>
    (await queryRows<{ n: number }>(owner.db, sql`select count(*)::int as n from units u join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
      where u.site_id = ${site.id} and u.status in ('planned', 'in_progress') and wo.status in ('released', 'in_progress')`))[0]!.n;
  const before = await countWip();
  if (before < WIP) {
    console.log(`adding ${fmt(WIP - before)} units in work (the generated plant has ${fmt(before)})...`);
    await addWip(owner.db, site.id, WIP - before);
  }
  const perStation = ROUNDS * SCANS + 5;
  const app = await startApp({ label: "app on PostgreSQL", databaseUrl: plant.url });
  const tablets = await setUpTablets(owner.db, app.url, site.id, perStation);
  await owner.db.execute(sql`analyze`);
  const [size] = await queryRows<{ units: number; edges: number; legs: number }>(
    owner.db,
    sql`select (select count(*)::int from units) as units, (select count(*)::int from genealogy_edges) as edges, (select count(*)::int from movement_legs) as legs`,
  );
  const wipNow = await countWip();
  const dataSize = `${fmt(wipNow)} units in work at ${site.code} (${fmt(size!.units)} units, ${fmt(size!.edges)} genealogy edges, ${fmt(size!.legs)} ledger legs)`;
  console.log(`data: ${dataSize}`);

  const supervisor = new Browser(app.url);
  await supervisor.signIn("password", { username: `${site.code.toLowerCase()}.supervisor`, password: DEMO_PASSWORD });
  const chrome = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  onCleanup("chromium", () => chrome.close());
  const dbCpu = new DatabaseCpu(plant.name);
  const raw = await openDatabase({ url: plant.url, max: 8 });
  onCleanup("raw lane connections", () => raw.close());

  // warm up: the first page build, the first read
  await openBoard(chrome, app.url, supervisor.cookies);
  await supervisor.query("wip.board", {});

  type Lane = { name: string; run: () => Promise<{ ms: number[]; kb: number; extra?: number[]; cpu?: { app: number; db: number } }> };
  const CALLS = 10;
  const lanes: Lane[] = [
    {
      name: "page in Chromium (cold context)",
      run: async () => {
        const r: RenderResult[] = [];
        for (let i = 0; i < 3; i++) r.push(await openBoard(chrome, app.url, supervisor.cookies));
        return { ms: r.map((x) => x.loadMs), extra: r.map((x) => x.liveMs), kb: median(r.map((x) => x.kb)) };
      },
    },
    {
      name: "wip.board, tRPC over HTTP",
      run: async () => {
        const stop = await cpuMeter(app, dbCpu);
        const ms: number[] = [];
        let bytes = 0;
        for (let i = 0; i < CALLS; i++) {
          const r = await supervisor.query("wip.board", {});
          ms.push(r.ms);
          bytes = r.bytes;
        }
        const cpu = await stop();
        return { ms, kb: bytes / 1024, cpu: { app: cpu.appMs / CALLS, db: cpu.dbMs / CALLS } };
      },
    },
    {
      name: "raw SQL, the board's 10 statements",
      run: async () => {
        const stop = await cpuMeter(null, dbCpu);
        const ms: number[] = [];
        for (let i = 0; i < CALLS; i++) {
          const t0 = performance.now();
          await Promise.all([
            readWipUnits(raw.db, site.id),
            readStations(raw.db, site.id),
            readOpenBomLines(raw.db, site.id),
            readInstalled(raw.db, site.id),
            readStaged(raw.db, site.id),
            readInstalledHeld(raw.db, site.id),
            readShortKits(raw.db, site.id),
            readOperationTimes(raw.db, site.id, new Date(Date.now() - 14 * 86_400_000)),
            readToolHolds(raw.db, site.id),
            readAlertContext(raw.db, site.id),
          ]);
          ms.push(performance.now() - t0);
        }
        const cpu = await stop();
        return { ms, kb: 0, cpu: { app: 0, db: cpu.dbMs / CALLS } };
      },
    },
  ];
  console.log(`\n${ROUNDS} rounds; lane order rotated per round`);
  const results = await interleave(lanes, ROUNDS, (lane) => lane.run(), (r) => `p50 ${percentile(r.ms, 50).toFixed(0)} ms, max ${Math.max(...r.ms).toFixed(0)} ms${r.kb ? `, ${r.kb.toFixed(0)} KB` : ""}`);

  // update latency: the open, unfiltered board while 8 tablets scan
  console.log(`\nupdate latency: the board open in Chromium, ${TABLETS} tablets each starting ${SCANS} units per round, one every ${PACE} ms`);
  const latencyRounds: number[][] = [];
  let next = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const { context, page } = await newBoardPage(chrome, app.url, supervisor.cookies);
    await page.goto(`${app.url}/wip`, { waitUntil: "load" });
    await page.getByText("● Live").waitFor({ timeout: 30_000 });
    // every change of the totals line, with the browser's clock (the same machine's clock as ours)
    // (a string: the bench runs under tsx, whose helpers a function passed to the page would reference)
    await page.evaluate(`(() => {
      window.__seen = [];
      const el = document.querySelector('[data-testid="wip-totals"]');
      const read = () => {
        const m = el.textContent.match(/(\\d+) in progress/);
        if (m) window.__seen.push({ at: Date.now(), inProgress: Number(m[1]) });
      };
      read();
      new MutationObserver(read).observe(el, { subtree: true, childList: true, characterData: true });
    })()`);
    const base = (await page.evaluate("window.__seen[0].inProgress")) as number;
    const answered: number[] = [];
    const from = next;
    await Promise.all(
      tablets.map(async (t, ti) => {
        await new Promise((r) => setTimeout(r, (ti * PACE) / TABLETS));
        for (let k = 0; k < SCANS; k++) {
          const started = Date.now();
          await t.browser.mutate("station.consumeComponent", { requestId: randomUUID(), stationId: t.stationId, unitId: t.units[from + k]!, operationSeq: 10, item: { lotId: t.lotId }, quantity: "1" });
          answered.push(Date.now());
          await new Promise((r) => setTimeout(r, Math.max(0, PACE - (Date.now() - started))));
        }
      }),
    );
    next += SCANS;
    const total = TABLETS * SCANS;
    const deadline = Date.now() + 20_000;
    for (;;) {
      const seen = (await page.evaluate("window.__seen")) as { at: number; inProgress: number }[];
      if (seen.some((s) => s.inProgress >= base + total) || Date.now() > deadline) {
        answered.sort((a, b) => a - b);
        const lat = answered.map((at, i) => {
          const shown = seen.find((s) => s.inProgress >= base + i + 1);
          return shown ? Math.max(0, shown.at - at) : NaN;
        });
        const missing = lat.filter((x) => Number.isNaN(x)).length;
        if (missing > 0) console.log(`  round ${round + 1}: ${missing} of ${total} scans never showed within 20 s`);
        latencyRounds.push(lat.map((x) => (Number.isNaN(x) ? 20_000 : x)));
        console.log(`  round ${round + 1}/${ROUNDS}: ${total} scans, latency p50 ${percentile(latencyRounds.at(-1)!, 50).toFixed(0)} ms, p95 ${percentile(latencyRounds.at(-1)!, 95).toFixed(0)} ms, max ${Math.max(...latencyRounds.at(-1)!).toFixed(0)} ms`);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await context.close();
  }

  console.log(`\nbench:wip — ${commandLine("bench:wip")}`);
  console.log(`machine: ${machineNote("end")}`);
  console.log(`data: ${dataSize}; ${ROUNDS} rounds; figures: median (min-max) over the rounds`);
  const col = (s: string, w: number) => s.padEnd(w);
  console.log(`${col("lane", 36)} ${col("p50 ms", 20)} ${col("max ms", 20)} ${col("KB", 14)} ${col("app CPU ms/call", 18)} PostgreSQL CPU ms/call`);
  for (const lane of lanes) {
    const rs = results.get(lane)!;
    const cpu = (f: (c: { app: number; db: number }) => number) => (rs[0]!.cpu ? spread(rs.map((r) => f(r.cpu!)), 0) : "-");
    console.log(
      `${col(lane.name, 36)} ${col(spread(rs.map((r) => percentile(r.ms, 50)), 0), 20)} ${col(spread(rs.map((r) => Math.max(...r.ms)), 0), 20)} ${col(rs[0]!.kb ? spread(rs.map((r) => r.kb), 0) : "-", 14)} ${col(cpu((c) => c.app), 18)} ${cpu((c) => c.db)}`,
    );
  }
  const page = results.get(lanes[0]!)!;
  const loadP50 = median(page.map((r) => percentile(r.ms, 50)));
  const liveP50 = median(page.map((r) => percentile(r.extra!, 50)));
  const kb = median(page.map((r) => r.kb));
  const p95s = latencyRounds.map((l) => percentile(l, 95));
  console.log(`page: load event ${loadP50.toFixed(0)} ms, live (hydrated, stream connected) ${liveP50.toFixed(0)} ms`);
  console.log(`update latency, committed scan to the open board: p50 ${spread(latencyRounds.map((l) => percentile(l, 50)), 0)} ms, p95 ${spread(p95s, 0)} ms (${TABLETS} tablets x ${SCANS} scans per round)`);
  console.log(`targets: first full render < 1 s ${verdict(loadP50 < 1000)} (${loadP50.toFixed(0)} ms); sent < 500 KB ${verdict(kb < 500)} (${kb.toFixed(0)} KB); update p95 < 2 s ${verdict(median(p95s) < 2000)} (${median(p95s).toFixed(0)} ms)`);
}

runBenchmark(main);
