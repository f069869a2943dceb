// npm run bench:erp — ERP inbound throughput (part + BOM messages in batches) and an initial load of 50,000 parts with
// BOMs, through the real ingestion service on a scratch PostgreSQL database (created and dropped here).
// Options: --parts N (default 50000) --batch N (default 500) --keep (keep the database)
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/client";
import { createDatabase, dropDatabase, urlFor } from "../../db/testing/pg-admin";
import { createTestSite } from "../../db/testing/factories";
import { seedOwnershipDefaults } from "../../db/seed/ownership-defaults";
import { receiveErpMessages, type Connection } from "../../server/services/erp/receive-messages";
import type { Envelope } from "../../server/integrations/erp/messages";

const { values } = parseArgs({ options: { parts: { type: "string", default: "50000" }, batch: { type: "string", default: "500" }, keep: { type: "boolean", default: false } } });
const PARTS = Number(values.parts);
const BATCH = Number(values.batch);
const name = `tl_bench_erp_${Date.now().toString(36)}`;

function partMessage(plant: string, i: number, version = 1): Envelope {
  const pn = `BP-${String(i).padStart(6, "0")}`;
  return { source: "BENCH", messageId: `p-${i}-v${version}`, type: "part", key: pn, version, plant, occurredAt: "2026-11-20T08:00:00Z", payload: { partNumber: pn, description: `Bench part ${i}`, uom: "EA", tracking: i % 3 === 0 ? "serial" : "lot", revisions: [{ revision: "A" }] } };
}

function bomMessage(plant: string, i: number): Envelope {
  const pn = `BP-${String(i).padStart(6, "0")}`;
  // every 10th part is an assembly of the 9 parts before it
  const lines = Array.from({ length: 9 }, (_, k) => ({ findNumber: k + 1, partNumber: `BP-${String(i - 9 + k).padStart(6, "0")}`, revision: "A", quantity: "2", operationSeq: 10 }));
  return { source: "BENCH", messageId: `b-${i}`, type: "bom", key: `${pn}/A`, version: 1, plant, occurredAt: "2026-11-20T08:00:00Z", payload: { partNumber: pn, revision: "A", lines } };
}

async function main() {
  console.log(`bench:erp — scratch database ${name}, ${PARTS} parts + ${Math.floor(PARTS / 10)} BOMs (9 lines each), batches of ${BATCH}`);
  await createDatabase(name);
  const database = await openDatabase({ url: urlFor(name), max: 10 });
  try {
    await database.migrate();
    const db = database.db;
    const site = await createTestSite(db, "BENCH");
    await seedOwnershipDefaults(db);
    const connection: Connection = { id: "00000000-0000-4000-8000-000000000001", source: "BENCH", plantSites: { BENCH: site.siteId } };

    const messages: Envelope[] = [];
    for (let i = 1; i <= PARTS; i++) {
      messages.push(partMessage("BENCH", i));
      if (i % 10 === 0) messages.push(bomMessage("BENCH", i));
    }
    const started = performance.now();
    let done = 0;
    let lastReport = started;
    const statuses: Record<string, number> = {};
    for (let i = 0; i < messages.length; i += BATCH) {
      const results = await receiveErpMessages(db, connection, messages.slice(i, i + BATCH), new Date());
      for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      done += results.length;
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        console.log(`  ${done}/${messages.length} messages, ${Math.round(done / ((lastReport - started) / 1000))} msg/s`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`initial load: ${messages.length} messages (${PARTS} parts, ${Math.floor(PARTS / 10)} BOMs) in ${seconds.toFixed(1)} s = ${Math.round(messages.length / seconds)} msg/s; statuses ${JSON.stringify(statuses)}`);

    // steady state: a second version of 5,000 parts, in batches (updates, not inserts)
    const updates = Array.from({ length: Math.min(5000, PARTS) }, (_, k) => partMessage("BENCH", k + 1, 2));
    const t2 = performance.now();
    for (let i = 0; i < updates.length; i += BATCH) await receiveErpMessages(db, connection, updates.slice(i, i + BATCH), new Date());
    const s2 = (performance.now() - t2) / 1000;
    console.log(`updates: ${updates.length} part messages (version 2) in ${s2.toFixed(1)} s = ${Math.round(updates.length / s2)} msg/s`);
    // duplicates: the same 5,000 again
    const t3 = performance.now();
    for (let i = 0; i < updates.length; i += BATCH) await receiveErpMessages(db, connection, updates.slice(i, i + BATCH), new Date());
    const s3 = (performance.now() - t3) / 1000;
    console.log(`duplicates: ${updates.length} redelivered messages in ${s3.toFixed(1)} s = ${Math.round(updates.length / s3)} msg/s`);

    // the same ingestion through the real HTTP route handler (Request -> API key check -> JSON parse -> service -> Response)
    process.env.DATABASE_URL = urlFor(name);
    process.env.TRACELINE_DEMO = "0";
    const { POST } = await import("../../app/api/erp/v1/messages/route");
    const { createErpConnection } = await import("../../server/services/erp/connections");
    const { apiKey } = await createErpConnection(db, { userId: null, displayName: "bench:erp" }, { name: "bench", source: "BENCH", plants: { BENCH: "BENCH" } });
    const httpParts = Math.min(20_000, PARTS);
    const viaHttp: Envelope[] = [];
    for (let i = 1; i <= httpParts; i++) viaHttp.push({ ...partMessage("BENCH", PARTS + i), messageId: `h-${i}` });
    const t4 = performance.now();
    for (let i = 0; i < viaHttp.length; i += BATCH) {
      const response = await POST(
        new Request("http://127.0.0.1/api/erp/v1/messages", {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(viaHttp.slice(i, i + BATCH)),
        }),
      );
      if (response.status !== 200) throw new Error(`route answered ${response.status}: ${await response.text()}`);
    }
    const s4 = (performance.now() - t4) / 1000;
    console.log(`through the HTTP route handler: ${viaHttp.length} new part messages in ${s4.toFixed(1)} s = ${Math.round(viaHttp.length / s4)} msg/s`);
  } finally {
    await database.close();
    if (!values.keep) await dropDatabase(name);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
