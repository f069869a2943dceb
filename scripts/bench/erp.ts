// npm run bench:erp — ERP inbound through the app's HTTP interface as an ERP sends it: `next start` (the production
// build) on a scratch PostgreSQL database, POST /api/erp/v1/messages with a bench connection's API key (created as an
// administrator does, stored hashed), JSON batches of 500 envelopes, one batch after another as one ERP link does.
// First an initial load of 50,000 parts with BOMs (every 10th part an assembly of the 9 before it; one run, it fills
// the database), then lanes interleaved over rounds (order rotated per round), 5,000 messages each:
//   new parts      part numbers not seen before (inserts)
//   updates        the next version of parts already loaded
//   redeliveries   messages already applied, sent again (answered as duplicates)
//   B2MML new parts  the same new-part work as SyncMaterialDefinition documents of 500 definitions each, POST
//                  /api/erp/v1/b2mml: well-formedness, the run-time XSD validation against the V0700 schemas and the
//                  mapping on top of the same receive path
// Per lane: messages/s, p50 / p99 per batch, CPU per message of the app and of PostgreSQL; median and spread over the
// rounds. No throughput target has been set for ERP ingestion; the figures are reported.
// Options: --parts N (initial load, 50000) --batch N (500) --per-round N (messages per lane and round, 5000) --rounds N (3)
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/client";
import { createTestSite } from "../../db/testing/factories";
import { urlFor } from "../../db/testing/pg-admin";
import { createErpConnection } from "../../server/services/erp/connections";
import type { Envelope } from "../../server/integrations/erp/messages";
import { commandLine, cpuMeter, DatabaseCpu, ensureBuild, fmt, interleave, machineNote, onCleanup, percentile, runBenchmark, scratchDatabase, spread, startApp, type App } from "./harness";

const { values } = parseArgs({
  options: { parts: { type: "string", default: "50000" }, batch: { type: "string", default: "500" }, "per-round": { type: "string", default: "5000" }, rounds: { type: "string", default: "3" } },
});
const PARTS = Number(values.parts);
const BATCH = Number(values.batch);
const PER_ROUND = Number(values["per-round"]);
const ROUNDS = Number(values.rounds);

function partMessage(i: number, version = 1): Envelope {
  const pn = `BP-${String(i).padStart(6, "0")}`;
  return { source: "BENCH", messageId: `p-${i}-v${version}`, type: "part", key: pn, version, plant: "BENCH", occurredAt: "2026-11-20T08:00:00Z", payload: { partNumber: pn, description: `Bench part ${i} v${version}`, uom: "EA", tracking: i % 3 === 0 ? "serial" : "lot", revisions: [{ revision: "A" }] } };
}

function bomMessage(i: number): Envelope {
  const pn = `BP-${String(i).padStart(6, "0")}`;
  const lines = Array.from({ length: 9 }, (_, k) => ({ findNumber: k + 1, partNumber: `BP-${String(i - 9 + k).padStart(6, "0")}`, revision: "A", quantity: "2", operationSeq: 10 }));
  return { source: "BENCH", messageId: `b-${i}`, type: "bom", key: `${pn}/A`, version: 1, plant: "BENCH", occurredAt: "2026-11-20T08:00:00Z", payload: { partNumber: pn, revision: "A", lines } };
}

function b2mmlDocument(first: number, count: number): string {
  const definitions = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const pn = `BP-${String(i).padStart(6, "0")}`;
    return `<MaterialDefinition><ID>${pn}</ID><Version>1</Version><Description>Bench part ${i} (B2MML)</Description>
<HierarchyScope><EquipmentID>BENCH</EquipmentID><EquipmentLevel>Site</EquipmentLevel></HierarchyScope>
<MaterialDefinitionProperty><ID>UnitOfMeasure</ID><Value><ValueString>EA</ValueString></Value></MaterialDefinitionProperty>
<MaterialDefinitionProperty><ID>TrackingType</ID><Value><ValueString>${i % 3 === 0 ? "serial" : "lot"}</ValueString></Value></MaterialDefinitionProperty>
<MaterialDefinitionProperty><ID>Revision</ID><Value><ValueString>A</ValueString></Value></MaterialDefinitionProperty></MaterialDefinition>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<SyncMaterialDefinition xmlns="http://www.mesa.org/xml/B2MML" releaseID="7.0"><ApplicationArea><CreationDateTime>2026-11-20T08:00:00Z</CreationDateTime><BODID>bench-${first}</BODID></ApplicationArea>
<DataArea><Sync/>${definitions.join("\n")}</DataArea></SyncMaterialDefinition>`;
}

/** Send B2MML documents one after another, as one ERP link does. */
async function sendB2mml(app: App, apiKey: string, first: number, total: number): Promise<Sent> {
  const batchMs: number[] = [];
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  for (let i = 0; i < total; i += BATCH) {
    const s = performance.now();
    const res = await fetch(`${app.url}/api/erp/v1/b2mml`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/xml" }, body: b2mmlDocument(first + i, Math.min(BATCH, total - i)) });
    const body = await res.text();
    batchMs.push(performance.now() - s);
    if (res.status !== 200) throw new Error(`POST /api/erp/v1/b2mml answered ${res.status}: ${body.slice(0, 500)}`);
    for (const r of (JSON.parse(body) as { results: { status: string }[] }).results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  return { messages: total, seconds: (performance.now() - t0) / 1000, batchMs, statuses };
}

type Sent = { messages: number; seconds: number; batchMs: number[]; statuses: Record<string, number> };

/** Send messages in batches over HTTP, one batch after another, as one ERP link does. */
async function send(app: App, apiKey: string, messages: Envelope[], progress = false): Promise<Sent> {
  const batchMs: number[] = [];
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  let lastReport = t0;
  for (let i = 0; i < messages.length; i += BATCH) {
    const s = performance.now();
    const res = await fetch(`${app.url}/api/erp/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(messages.slice(i, i + BATCH)),
    });
    const body = await res.text();
    batchMs.push(performance.now() - s);
    if (res.status !== 200) throw new Error(`POST /api/erp/v1/messages answered ${res.status}: ${body.slice(0, 500)}`);
    for (const r of (JSON.parse(body) as { results: { status: string }[] }).results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (progress && performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      console.log(`  ${fmt(Math.min(i + BATCH, messages.length))}/${fmt(messages.length)} messages, ${Math.round((i + BATCH) / ((lastReport - t0) / 1000))} msg/s`);
    }
  }
  return { messages: messages.length, seconds: (performance.now() - t0) / 1000, batchMs, statuses };
}

type Lane = { name: string; messages: (round: number) => Envelope[]; b2mml?: (round: number) => number };
type LaneResult = { rate: number; p50: number; p99: number; appCpu: number; dbCpu: number; statuses: Record<string, number> };

async function main() {
  console.log(`bench:erp — ${commandLine("bench:erp")}`);
  console.log(`machine: ${machineNote()}`);
  ensureBuild();
  const name = await scratchDatabase("tl_bench_erp");
  const url = urlFor(name);
  const owner = await openDatabase({ url, role: null, max: 2 });
  onCleanup("owner connection", () => owner.close());
  await owner.migrate();
  await createTestSite(owner.db, "BENCH");
  const { apiKey } = await createErpConnection(owner.db, { userId: null, displayName: "bench:erp" }, { name: "bench", source: "BENCH", plants: { BENCH: "BENCH" } });
  const app = await startApp({ label: "app on PostgreSQL", databaseUrl: url });
  const dbCpu = new DatabaseCpu(name);

  const initial: Envelope[] = [];
  for (let i = 1; i <= PARTS; i++) {
    initial.push(partMessage(i));
    if (i % 10 === 0) initial.push(bomMessage(i));
  }
  console.log(`initial load: ${fmt(initial.length)} messages (${fmt(PARTS)} parts, ${fmt(Math.floor(PARTS / 10))} BOMs of 9 lines) in batches of ${BATCH}...`);
  const stopInitial = await cpuMeter(app, dbCpu);
  const load = await send(app, apiKey, initial, true);
  const initialCpu = await stopInitial();
  console.log(`  ${Math.round(load.messages / load.seconds)} msg/s in ${load.seconds.toFixed(1)} s; statuses ${JSON.stringify(load.statuses)}`);

  // each round takes its own slice of part numbers, so every lane-round does the same kind of work
  const lanes: Lane[] = [
    { name: "new parts", messages: (r) => Array.from({ length: PER_ROUND }, (_, k) => partMessage(PARTS + r * PER_ROUND + k + 1)) },
    { name: "updates (next version)", messages: (r) => Array.from({ length: PER_ROUND }, (_, k) => partMessage(((r * PER_ROUND + k) % PARTS) + 1, 2 + Math.floor((r * PER_ROUND + k) / PARTS))) },
    { name: "redeliveries (duplicates)", messages: (r) => Array.from({ length: PER_ROUND }, (_, k) => partMessage(PARTS - ((r * PER_ROUND + k) % PARTS))) },
    // part numbers far above the JSON lanes', so both insert new parts
    { name: "B2MML new parts", messages: () => [], b2mml: (r) => 5 * PARTS + r * PER_ROUND + 1 },
  ];
  console.log(`\n${ROUNDS} rounds of ${fmt(PER_ROUND)} messages per lane, lane order rotated per round`);
  const results = await interleave(
    lanes,
    ROUNDS,
    async (lane, round): Promise<LaneResult> => {
      const stop = await cpuMeter(app, dbCpu);
      const sent = lane.b2mml ? await sendB2mml(app, apiKey, lane.b2mml(round), PER_ROUND) : await send(app, apiKey, lane.messages(round));
      const cpu = await stop();
      return { rate: sent.messages / sent.seconds, p50: percentile(sent.batchMs, 50), p99: percentile(sent.batchMs, 99), appCpu: cpu.appMs / sent.messages, dbCpu: cpu.dbMs / sent.messages, statuses: sent.statuses };
    },
    (r) => `${Math.round(r.rate)} msg/s, batch p50 ${r.p50.toFixed(0)} ms; ${JSON.stringify(r.statuses)}`,
  );

  console.log(`\nbench:erp — ${commandLine("bench:erp")}`);
  console.log(`machine: ${machineNote("end")}`);
  console.log(`data: initial load of ${fmt(PARTS)} parts + ${fmt(Math.floor(PARTS / 10))} BOMs, then ${ROUNDS} rounds x ${fmt(PER_ROUND)} messages per lane; batches of ${BATCH} over HTTP; median (min-max) over the rounds`);
  console.log(
    `initial load (one run): ${Math.round(load.messages / load.seconds)} msg/s (${load.seconds.toFixed(1)} s), batch p50 ${percentile(load.batchMs, 50).toFixed(0)} ms / p99 ${percentile(load.batchMs, 99).toFixed(0)} ms; ` +
      `app CPU ${(initialCpu.appMs / load.messages).toFixed(2)} ms/msg, PostgreSQL ${(initialCpu.dbMs / load.messages).toFixed(2)} ms/msg`,
  );
  const col = (s: string, w: number) => s.padEnd(w);
  console.log(`${col("lane", 28)} ${col("msg/s", 22)} ${col("batch p50 ms", 22)} ${col("batch p99 ms", 22)} ${col("app CPU ms/msg", 20)} PostgreSQL CPU ms/msg`);
  for (const lane of lanes) {
    const rs = results.get(lane)!;
    console.log(`${col(lane.name, 28)} ${col(spread(rs.map((r) => r.rate), 0), 22)} ${col(spread(rs.map((r) => r.p50), 0), 22)} ${col(spread(rs.map((r) => r.p99), 0), 22)} ${col(spread(rs.map((r) => r.appCpu), 2), 20)} ${spread(rs.map((r) => r.dbCpu), 2)}`);
  }
  console.log("target: none set for ERP ingestion (figures reported)");
}

runBenchmark(main);
