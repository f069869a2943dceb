import { describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor } from "@/db/testing/station-fixtures";
import { sleep } from "@/db/testing/race";
import { TEST_NOW } from "@/db/testing/clock";
import { queryRows } from "@/db/client";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";

/*
 * Fault suite (issue 15): the app process killed with SIGKILL under a logged load of installs, twice. The station
 * service runs in a process of its own (db/testing/station-worker.ts: the app's database client and pool, the real
 * service) that four tablets send installs to; the test kills it while installs are in flight and starts another, as a
 * supervisor would. A tablet whose install got no answer sends it again, with the same request id, to the new process.
 * Afterwards: every acknowledged install is there once, the retried ones took effect exactly once, and the ledger
 * checks pass. The transactions the dead process left open were rolled back by the server; the ones it committed
 * without answering are found by their request id.
 */
const t = useTestDatabase("empty");

const TABLETS = 4;
const PER_TABLET = 8;
const KILL_AFTER_ACKS = [6, 18];

type Answer = { ok?: { movementId: string; unitId: string }; error?: { code: string; message: string; retryable: boolean } };

/** One run of the station process: send a command, get its answer, or null when the process died first. */
class App {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly dead: Promise<void>;
  private readonly waiting = new Map<number, (a: Answer | null) => void>();
  private next = 0;
  private stderr = "";

  constructor(url: string) {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "db/testing/station-worker.ts"], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    child.stderr.on("data", (b: Buffer) => (this.stderr += b.toString()));
    child.stdin.on("error", () => {}); // writes to a process that was just killed
    this.dead = new Promise((resolve) =>
      child.on("exit", () => {
        for (const answer of this.waiting.values()) answer(null);
        this.waiting.clear();
        resolve();
      }),
    );
    let started: () => void = () => {};
    this.ready = new Promise((resolve) => (started = resolve));
    void (async () => {
      for await (const line of createInterface({ input: child.stdout })) {
        const message = JSON.parse(line) as Answer & { id?: number; ready?: boolean };
        if (message.ready) started();
        if (message.id !== undefined) {
          this.waiting.get(message.id)?.(message);
          this.waiting.delete(message.id);
        }
      }
    })();
  }

  send(actor: unknown, cmd: unknown): Promise<Answer | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve(null);
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ id, actor, cmd })}\n`);
    });
  }

  get errors() {
    return this.stderr;
  }
}

describe("fault suite: the app killed with SIGKILL under a load of installs", () => {
  it("two kills: every acknowledged install once, retries with the same request id take effect once, ledger sound", async () => {
    const started = Date.now();
    const plant = await createStationPlant(t.db);
    const oil = await createTestPart(t.db, "lot", { uom: "L" });
    const units = TABLETS * PER_TABLET;
    const serials = Array.from({ length: units }, (_, i) => `U${i + 1}`);
    const order = await createStationOrder(t.db, plant, { number: "WO-APPKILL", serials, bom: [{ find: 1, partRevisionId: oil.revisionId, qty: "1", op: 10 }] });
    const lot = await createTestLot(t.db, plant.siteId, oil.revisionId);
    await t.db.transaction((tx) => issueToPointOfUse(tx, plant, { partRevisionId: oil.revisionId, lotId: lot.id, serialItemId: null }, "100", TEST_NOW));
    const actor = operatorActor(plant);

    let app = new App(t.url);
    await app.ready;
    const acknowledged = new Map<string, string>(); // request id -> movement id: the tablets' log
    const unexpected: string[] = [];
    let unanswered = 0;
    const restarts: { killedWithInFlight: number; firstAckAfterMs: number | null; killedAt: number }[] = [];
    let inFlight = 0;

    // the supervisor: kills the app with SIGKILL after some acknowledged installs, and starts another at once
    const supervisor = (async () => {
      for (const after of KILL_AFTER_ACKS) {
        while (acknowledged.size < after && unexpected.length === 0) await sleep(2);
        if (unexpected.length > 0) return;
        const killedWithInFlight = inFlight;
        const killedAt = Date.now();
        app.child.kill("SIGKILL");
        await app.dead;
        restarts.push({ killedWithInFlight, firstAckAfterMs: null, killedAt });
        app = new App(t.url);
        await app.ready;
      }
    })();

    const tablets = Array.from({ length: TABLETS }, async (_, tablet) => {
      for (let k = 0; k < PER_TABLET; k++) {
        const unit = order.units[tablet * PER_TABLET + k]!;
        const cmd = { requestId: randomUUID(), stationId: plant.stationId, unitId: unit.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" };
        for (let attempt = 0; ; attempt++) {
          const current = app;
          await current.ready;
          inFlight++;
          const answer = await current.send(actor, cmd);
          inFlight--;
          if (answer?.ok) {
            acknowledged.set(cmd.requestId, answer.ok.movementId);
            const restart = restarts.at(-1);
            if (restart && restart.firstAckAfterMs === null) restart.firstAckAfterMs = Date.now() - restart.killedAt;
            break;
          }
          if ((answer?.error && !answer.error.retryable) || attempt >= 20) {
            unexpected.push(`${unit.serial}: ${JSON.stringify(answer?.error ?? "no answer")} ${current.errors}`);
            return;
          }
          // no answer (the app died) or a retryable one: the same request again, once the app is back
          if (answer) {
            await sleep(20);
            continue;
          }
          unanswered++;
          while (app === current) await sleep(5);
        }
      }
    });
    await Promise.all(tablets);
    await supervisor;
    app.child.kill("SIGTERM");
    await app.dead;

    const ackIds = `{${[...acknowledged.values()].join(",")}}`;
    const [counts] = await queryRows<{ lost: number; moves: number; doubled: number; requests: number }>(
      t.db,
      sql`select (select count(*)::int from unnest(${ackIds}::uuid[]) as ack(id) where not exists (select 1 from movements m where m.id = ack.id)) as lost,
                 (select count(*)::int from movements where site_id = ${plant.siteId}::uuid and kind = 'consume') as moves,
                 (select count(*)::int from (select request_id from movements where site_id = ${plant.siteId}::uuid and kind = 'consume' group by request_id having count(*) > 1) d) as doubled,
                 (select count(*)::int from request_log where site_id = ${plant.siteId}::uuid and command = 'station.consumeComponent') as requests`,
    );
    console.info(
      `fault-app-kill: ${units} installs, ${restarts.length} SIGKILLs of the app (with ${restarts.map((r) => r.killedWithInFlight).join(" / ")} installs in flight; ` +
        `first acknowledged install ${restarts.map((r) => r.firstAckAfterMs ?? "-").join(" / ")} ms after each kill, new process included), ` +
        `${unanswered} unanswered and sent again, ${counts!.lost} acknowledged lost, ${counts!.doubled} with two effects, ${unexpected.length} unexpected, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    expect(unexpected).toEqual([]);
    expect(restarts).toHaveLength(KILL_AFTER_ACKS.length);
    expect(unanswered).toBeGreaterThan(0);
    expect(acknowledged.size).toBe(units);
    expect(counts).toEqual({ lost: 0, moves: units, doubled: 0, requests: units });
    expect(await onHandAt(t.db, plant.siteId, plant.loc.point_of_use, { partRevisionId: oil.revisionId, lotId: lot.id })).toBe(String(100 - units));
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  }, 120_000);
});
