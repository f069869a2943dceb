import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestSite, type TestSite } from "@/db/testing/factories";
import { seededRandom } from "@/db/testing/race";
import { queryRows } from "@/db/client";
import { DEFAULT_RETRY_POLICY } from "@/server/domain/erp/outbound";
import { ReceivingErp } from "@/server/integrations/erp/receiver-sim";
import { updateOutboundSettings } from "@/server/repos/erp-outbound-settings";
import { createErpConnection } from "./connections";
import { startOutboundWorker } from "./outbound-worker";

// The worker as users run it: several at once never send one confirmation concurrently twice, and a worker killed
// with SIGKILL in the middle of a round loses and doubles nothing once another takes over. The receiving ERP here
// applies a resent message id again (no dedupe), so any second sending would show as a double.
const t = useTestDatabase("empty", { max: 12 });
const erps: ReceivingErp[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const e of erps) await e.close();
});

async function setup(erp: ReceivingErp, n: number): Promise<TestSite> {
  const site = await createTestSite(t.db);
  const url = await erp.listen();
  const { id } = await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: `ERP ${site.code}`, source: `ERP-${site.code}`, plants: { [site.code]: site.code } });
  await t.db.transaction((tx) => updateOutboundSettings(tx, id, { mode: "push", format: "json", url, dedupes: false, secret: null }));
  const random = seededRandom(n);
  for (let i = 0; i < n; i += 50) {
    const rows = Array.from({ length: Math.min(50, n - i) }, (_, k) => {
      const order = `WO-${Math.floor(random() * 12)}`;
      return sql`(${site.siteId}::uuid, ${randomUUID()}::uuid, 'consumption', ${JSON.stringify({ order, quantity: "1", n: i + k })}::jsonb, ${`order:${order}`})`;
    });
    await t.db.execute(sql`insert into erp_outbox (site_id, message_id, type, payload, ordering_key) values ${sql.join(rows, sql`, `)}`);
  }
  return site;
}

async function waiting(siteId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from erp_outbox where site_id = ${siteId}::uuid and status <> 'delivered'`);
  return row!.n;
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fastDelivery = { keys: 6, perKey: 5, timeoutMs: 5_000, leaseMs: 20_000, installationSecret: "test-installation-secret-of-enough-length", policy: { ...DEFAULT_RETRY_POLICY, baseMs: 1, capMs: 5 } };

describe("the delivery worker", () => {
  it("three workers at once: every confirmation sent once (no concurrent double), all delivered", async () => {
    // slow answers keep rounds in flight while the other workers claim
    const erp = new ReceivingErp({ dedupe: false, faultRate: 1, faults: ["slow"], random: seededRandom(1), holdMs: 0, slowMs: 15, burst: 0, token: null });
    erps.push(erp);
    const site = await setup(erp, 600);
    const workers = [1, 2, 3].map((i) => startOutboundWorker(t.db, { name: `w${i}`, pollMs: 10, log: () => {}, delivery: fastDelivery }));
    try {
      await until("the outbox to drain", async () => (await waiting(site.siteId)) === 0);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    expect(erp.doubles()).toEqual([]);
    expect(erp.applied.size).toBe(600);
    // the work was shared
    expect(workers.filter((w) => w.totals.delivered > 0).length).toBeGreaterThan(1);
  });

  it("a worker killed with SIGKILL mid-round: after another takes over, nothing lost, nothing doubled", async () => {
    const erp = new ReceivingErp({ dedupe: false, faultRate: 1, faults: ["slow"], random: seededRandom(2), holdMs: 0, slowMs: 40, burst: 0, token: null });
    erps.push(erp);
    const site = await setup(erp, 400);
    const root = path.resolve(import.meta.dirname, "../../..");
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts/worker.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.url, AUTH_SECRET: fastDelivery.installationSecret, TRACELINE_OUTBOX_LEASE_MS: "1500", TRACELINE_OUTBOX_POLL_MS: "20", TRACELINE_OUTBOX_KEYS_PER_ROUND: "6", TRACELINE_OUTBOX_PER_KEY: "5" },
      stdio: "ignore",
    });
    children.push(child);
    // kill it while a round is in flight: some delivered, the ERP holding answers to others
    await until("the child worker to deliver some", async () => erp.stats.applied >= 60);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const leased = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from erp_outbox where site_id = ${site.siteId}::uuid and lease_owner is not null`);
    const left = await waiting(site.siteId);
    expect(left).toBeGreaterThan(0);
    // a new worker takes over once the dead one's leases run out; what it may have sent is asked about first
    const worker = startOutboundWorker(t.db, { name: "after-kill", pollMs: 20, log: () => {}, delivery: { ...fastDelivery, leaseMs: 1_500 } });
    try {
      await until("the outbox to drain", async () => (await waiting(site.siteId)) === 0);
    } finally {
      await worker.stop();
    }
    expect(erp.doubles()).toEqual([]);
    expect(erp.applied.size).toBe(400);
    console.log(`SIGKILL test: ${leased[0]!.n} confirmation(s) under the killed worker's lease, ${left} waiting; status queries ${erp.stats.statusQueries}`);
  });
});
