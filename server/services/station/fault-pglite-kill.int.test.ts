import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, openDatabase, queryRows, type Database } from "@/db/client";
import { TEST_NOW } from "@/db/testing/clock";
import type { Actor } from "@/server/auth/types";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { onHandAt } from "@/db/testing/station-fixtures";
import { consumeComponent } from "./consume-component";

/*
 * Fault suite (issue 15): the embedded database of the quick start (PGlite, db/client.ts) killed with SIGKILL in the
 * middle of a load of installs. A child process (db/testing/pglite-writer.ts) writes to a PGlite folder and logs each
 * install before it is sent and when it is acknowledged; the test kills it while an install is in flight, reopens the
 * folder (the dead process's lock is taken over) and sends every logged install again with its request id, as the
 * console does after a restart. Every acknowledged install is there once, the retried ones take effect exactly once,
 * and the ledger checks (those of check:ledger, hash chain included) pass.
 *
 * A fresh PGlite folder costs its initdb and the migrations (about a minute on a busy machine): the migrated folder is
 * made once per set of migrations and PGlite version (node_modules/.cache) and copied for each run.
 */
const ROOT = process.cwd();
const UNITS = 24;
const KILL_AFTER_ACKS = 6;

function templateKey(): string {
  const h = createHash("sha256");
  for (const f of readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql")).sort()) h.update(f).update(readFileSync(path.join(MIGRATIONS_FOLDER, f)));
  h.update(readFileSync(path.join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json")));
  return h.digest("hex").slice(0, 16);
}

/** Opens the embedded database in the folder, in this process (db/client.ts reads the folder from TRACELINE_DATA_DIR). */
async function openEmbeddedAt(dir: string): Promise<Database> {
  const saved = { dir: process.env.TRACELINE_DATA_DIR, url: process.env.DATABASE_URL };
  process.env.TRACELINE_DATA_DIR = dir;
  delete process.env.DATABASE_URL;
  try {
    return await openDatabase();
  } finally {
    if (saved.dir === undefined) delete process.env.TRACELINE_DATA_DIR;
    else process.env.TRACELINE_DATA_DIR = saved.dir;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
  }
}

/** A migrated PGlite folder for this set of migrations, made once (concurrent runs each make one; the first rename wins). */
async function migratedTemplate(): Promise<string> {
  const cache = path.join(ROOT, "node_modules", ".cache");
  const dir = path.join(cache, `traceline-fault-pglite-${templateKey()}`);
  if (existsSync(dir)) return dir;
  await mkdir(cache, { recursive: true });
  const building = await mkdtemp(path.join(cache, "traceline-fault-pglite-building-"));
  const d = await openEmbeddedAt(building);
  await d.migrate();
  await d.close();
  await rename(building, dir).catch(async () => rm(building, { recursive: true, force: true }));
  return dir;
}

type Ready = { actor: Actor; stationId: string; lotId: string; partRevisionId: string; pointOfUse: string; units: string[] };
type LogLine = { ready?: Ready; sent?: { requestId: string; unitId: string }; ack?: { requestId: string; movementId: string }; done?: boolean };

const work = await mkdtemp(path.join(tmpdir(), "traceline-fault-pglite-"));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(`${path.join(work, "data")}.lock`, { force: true });
});

describe("fault suite: PGlite (the embedded database) killed with SIGKILL under a load of installs", () => {
  it("reopened: every acknowledged install once, retries with the same request id take effect once, ledger checks pass", async () => {
    const started = Date.now();
    const data = path.join(work, "data");
    await cp(await migratedTemplate(), data, { recursive: true });
    const prepared = Date.now();

    // the writer: killed with SIGKILL while an install is in flight, after some have been acknowledged
    const env: NodeJS.ProcessEnv = { ...process.env, TRACELINE_DATA_DIR: data };
    delete env.DATABASE_URL;
    // node itself with tsx as a loader: the tsx command runs the script in a child process, which SIGKILL would not reach
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "db/testing/pglite-writer.ts", String(UNITS)], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    let ready: Ready | null = null;
    const sent: { requestId: string; unitId: string }[] = [];
    const acked = new Map<string, string>();
    let killedAt = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const entry = JSON.parse(line) as LogLine;
      if (entry.ready) ready = entry.ready;
      if (entry.ack) acked.set(entry.ack.requestId, entry.ack.movementId);
      if (entry.sent) {
        sent.push(entry.sent);
        if (acked.size >= KILL_AFTER_ACKS && !killedAt) {
          // in flight: somewhere between not yet begun and committed, as a power cut or an OOM kill finds it
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 120)));
          child.kill("SIGKILL");
          killedAt = Date.now();
        }
      }
    }
    const exit = await exited;
    expect(exit.signal, `the writer should have been killed mid-load; it ended with ${JSON.stringify(exit)}: ${stderr}`).toBe("SIGKILL");
    expect(ready).not.toBeNull();
    const { actor, stationId, lotId, partRevisionId, pointOfUse } = ready!;

    // reopened by another process (this one): the dead writer's lock is taken over
    const reopenStart = Date.now();
    const d = await openEmbeddedAt(data);
    const reopenMs = Date.now() - reopenStart;
    try {
      const db = d.db;
      const ackIds = `{${[...acked.values()].join(",")}}`;
      const [before] = await queryRows<{ lost: number }>(db, sql`select count(*)::int as lost from unnest(${ackIds}::uuid[]) as ack(id) where not exists (select 1 from movements m where m.id = ack.id)`);
      // every logged install sent again with its request id: an acknowledged one answers what it answered then
      let retriedTookEffect = 0;
      for (const s of sent) {
        const [had] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from movements where request_id = ${s.requestId}::uuid`);
        const outcome = await consumeComponent(db, actor, { requestId: s.requestId, stationId, unitId: s.unitId, operationSeq: 10, item: { lotId }, quantity: "1" }, TEST_NOW);
        if (acked.has(s.requestId)) expect(outcome.movementId).toBe(acked.get(s.requestId));
        if (had!.n === 0) retriedTookEffect++;
      }
      const [after] = await queryRows<{ moves: number; doubled: number; requests: number }>(
        db,
        sql`select (select count(*)::int from movements where kind = 'consume') as moves,
                   (select count(*)::int from (select request_id from movements where kind = 'consume' group by request_id having count(*) > 1) d) as doubled,
                   (select count(*)::int from request_log where command = 'station.consumeComponent') as requests`,
      );
      const failed = failedChecks(await runLedgerChecks(db));
      console.info(
        `fault-pglite-kill: ${sent.length} installs sent, ${acked.size} acknowledged before the SIGKILL, ${before!.lost} acknowledged lost, ` +
          `${retriedTookEffect} took effect on retry, ${after!.doubled} with two effects, ${failed.length} failed ledger checks; ` +
          `reopened in ${reopenMs} ms; ${((prepared - started) / 1000).toFixed(1)} s to prepare the folder, ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
      );
      expect(killedAt).toBeGreaterThan(0);
      expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      expect(sent.length).toBeGreaterThan(acked.size);
      expect(before!.lost).toBe(0);
      expect(after).toEqual({ moves: sent.length, doubled: 0, requests: sent.length });
      expect(await onHandAt(db, actor.siteId, pointOfUse, { partRevisionId, lotId })).toBe(String(100 - sent.length));
      expect(failed).toEqual([]);
    } finally {
      await d.close();
    }
  }, 180_000);
});
