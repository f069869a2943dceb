import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/db/client";
import { releaseLeases } from "@/server/repos/erp-outbox";
import { DEFAULT_RETRY_POLICY } from "@/server/domain/erp/outbound";
import { resolveAuthSecret } from "@/server/auth/auth-secret";
import { deliverDueConfirmations, type DeliveryOptions, type RoundReport } from "./deliver-confirmations";

/*
 * The outbox delivery worker: rounds of deliverDueConfirmations, back to back while there is work, every `pollMs` when
 * there is none, with a growing pause while the database itself is unreachable. It runs as its own process
 * (`npm run worker`, scripts/worker.ts) beside a PostgreSQL deployment, and inside the app process on the embedded
 * database (instrumentation.ts): never inside a user's request. Several workers may run at once: claims are taken one
 * at a time and leased, so no confirmation is sent by two workers concurrently.
 */

export type WorkerOptions = {
  name?: string;
  pollMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
  delivery?: Partial<DeliveryOptions>;
  /** Called after every round that did something (tests and progress output). */
  onRound?: (report: RoundReport) => void;
};

export type WorkerHandle = {
  readonly owner: string;
  readonly totals: { rounds: number; delivered: number; failed: number; dead: number; errors: number };
  /** Finish the current round, give back this worker's leases, stop. */
  stop(): Promise<void>;
};

function envInt(name: string, fallback: number): number {
  const v = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export function deliveryOptionsFromEnv(owner: string, overrides: Partial<DeliveryOptions> = {}): DeliveryOptions {
  return {
    owner,
    leaseMs: envInt("TRACELINE_OUTBOX_LEASE_MS", 60_000),
    keys: envInt("TRACELINE_OUTBOX_KEYS_PER_ROUND", 200),
    perKey: envInt("TRACELINE_OUTBOX_PER_KEY", 50),
    timeoutMs: envInt("TRACELINE_OUTBOX_TIMEOUT_MS", 15_000),
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: envInt("TRACELINE_OUTBOX_MAX_ATTEMPTS", DEFAULT_RETRY_POLICY.maxAttempts) },
    installationSecret: overrides.installationSecret ?? resolveAuthSecret(),
    random: Math.random,
    ...overrides,
  };
}

export function startOutboundWorker(db: Db, o: WorkerOptions = {}): WorkerHandle {
  const owner = o.name ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = o.now ?? (() => new Date());
  const log = o.log ?? ((line: string) => console.log(line));
  const pollMs = o.pollMs ?? envInt("TRACELINE_OUTBOX_POLL_MS", 250);
  const options = deliveryOptionsFromEnv(owner, o.delivery);
  const totals = { rounds: 0, delivered: 0, failed: 0, dead: 0, errors: 0 };
  let running = true;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      timer.unref?.();
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  const loop = (async () => {
    let failures = 0;
    while (running) {
      try {
        const report = await deliverDueConfirmations(db, now, options);
        failures = 0;
        if (report.claimed > 0) {
          totals.rounds++;
          totals.delivered += report.delivered;
          totals.failed += report.failed;
          totals.dead += report.dead;
          o.onRound?.(report);
          if (report.dead > 0) log(`outbox: ${report.dead} confirmation(s) became dead letters (see the ERP monitor)`);
          continue;
        }
        await pause(pollMs);
      } catch (e) {
        totals.errors++;
        failures++;
        const wait = Math.min(5_000, pollMs * 2 ** Math.min(failures, 5));
        log(`outbox: delivery round failed (${(e as Error).message}); next try in ${wait} ms`);
        await pause(wait);
      }
    }
  })();
  return {
    owner,
    totals,
    async stop() {
      running = false;
      wake?.();
      await loop;
      await releaseLeases(db, owner).catch(() => 0);
    },
  };
}
