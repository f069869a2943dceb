// ERP delivery beside the station benchmark (npm run bench:outbox): a simulated receiving ERP in this process, a push
// connection for the bench site pointing at it, and the confirmation worker as its own process (`npm run worker`, as a
// PostgreSQL deployment runs it). Measures how fast the worker drains a backlog, and the lag from an install's commit
// to the ERP's receipt of its confirmation.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { createErpConnection } from "../../server/services/erp/connections";
import { updateOutboundSettings } from "../../server/repos/erp-outbound-settings";
import { ReceivingErp } from "../../server/integrations/erp/receiver-sim";
import { onCleanup, processTreeCpuMs } from "./harness";

export type Delivery = {
  erp: ReceivingErp;
  /** Start the worker process and wait until everything waiting is delivered: confirmations delivered and seconds. */
  startAndDrain(): Promise<{ delivered: number; seconds: number; workerCpuMs: number }>;
  /** Wait until nothing waits, then the lag (ms) of every confirmation recorded in [from, to). */
  lagsOf(from: Date, to: Date): Promise<number[]>;
  /** Stop the worker (SIGTERM: its round finishes, its leases are given back). */
  stopWorker(): Promise<void>;
  workerPid(): number | null;
};

async function waitingCount(db: Db, siteId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from erp_outbox where site_id = ${siteId}::uuid and status <> 'delivered'`);
  return row!.n;
}

async function until(what: string, check: () => Promise<boolean>, ms = 600_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function setUpDelivery(db: Db, siteId: string, siteCode: string, databaseUrl: string): Promise<Delivery> {
  const erp = new ReceivingErp({ dedupe: true, faultRate: 0, faults: [], random: Math.random, holdMs: 0, slowMs: 0, burst: 0, token: null });
  const endpoint = await erp.listen();
  onCleanup("simulated receiving ERP", () => erp.close());
  // the bench site's confirmations go to the simulated ERP, and nowhere else
  await db.execute(sql`update erp_connections set outbound_mode = 'none' where exists (select 1 from jsonb_each_text(plant_sites) p where p.value = ${siteId})`);
  const [site] = await queryRows<{ erp_plant: string }>(db, sql`select erp_plant from sites where id = ${siteId}::uuid`);
  const { id } = await createErpConnection(db, { userId: null, displayName: "bench" }, { name: `Bench ERP ${Date.now().toString(36)}`, source: `BENCH-${Date.now().toString(36)}`, plants: { [`${site!.erp_plant}-bench`]: siteCode } });
  await db.transaction((tx) => updateOutboundSettings(tx, id, { mode: "push", format: "json", url: endpoint, dedupes: true, secret: null }));
  let worker: ChildProcess | null = null;
  const stopWorker = async () => {
    const w = worker;
    worker = null;
    if (!w || w.exitCode !== null) return;
    const gone = new Promise((r) => w.once("exit", r));
    w.kill("SIGTERM");
    await gone;
  };
  onCleanup("confirmation worker", stopWorker);
  return {
    erp,
    workerPid: () => worker?.pid ?? null,
    async startAndDrain() {
      const received = erp.applied.size;
      // the worker process starts (tsx, the database pool); the clock starts when it says it is delivering
      worker = spawn(process.execPath, [...process.execArgv, path.join("scripts", "worker.ts")], {
        env: { ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: `bench-only-secret-${process.pid}-0123456789abcdefghijklmnop` },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const w = worker;
      await new Promise<void>((resolve, reject) => {
        let out = "";
        w.stdout!.on("data", (d: Buffer) => {
          out += d.toString("utf8");
          if (/worker .* started/.test(out)) resolve();
        });
        w.once("exit", (code) => reject(new Error(`the worker exited (code ${code}) before starting`)));
      });
      const t0 = performance.now();
      const cpu0 = processTreeCpuMs(w.pid!);
      await until("the worker to drain the backlog", async () => (await waitingCount(db, siteId)) === 0);
      const seconds = (performance.now() - t0) / 1000;
      return { delivered: erp.applied.size - received, seconds, workerCpuMs: processTreeCpuMs(w.pid!) - cpu0 };
    },
    async lagsOf(from: Date, to: Date) {
      await until("the lane's confirmations to be delivered", async () => (await waitingCount(db, siteId)) === 0);
      const rows = await queryRows<{ message_id: string; created_at: string | Date }>(
        db,
        sql`select message_id, created_at from erp_outbox where site_id = ${siteId}::uuid and created_at >= ${from.toISOString()}::timestamptz and created_at < ${to.toISOString()}::timestamptz`,
      );
      return rows.flatMap((r) => {
        const got = erp.applied.get(r.message_id);
        return got ? [got.firstAt - new Date(r.created_at).getTime()] : [];
      });
    },
    stopWorker,
  };
}
