import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/db/client";
import { scheduledDayDue } from "@/server/domain/reconciliation/categories";
import { clearAcknowledgedInFlight } from "@/server/repos/reconciliation";
import { claimRun, hasScheduledRun, insertRun, scheduledSites } from "@/server/repos/recon-runs";
import { executeRun, type RunOutcome } from "./run-reconciliation";

/*
 * The reconciliation worker: every `pollMs` it queues the daily run of each site whose site-local time has come (one per
 * site and day: a unique key, so several workers never queue two), clears in-flight exceptions whose confirmations ERP
 * has acknowledged, and executes queued runs one at a time (claimed under a lease: a run whose worker died is taken over
 * when its lease ends). It runs beside the confirmation worker: in `npm run worker`, and inside the app process on the
 * embedded database (server/services/erp/app-worker.ts).
 */

export type ReconWorkerOptions = { name?: string; pollMs?: number; now?: () => Date; log?: (line: string) => void; onRun?: (o: RunOutcome) => void };

export type ReconWorkerHandle = { readonly owner: string; readonly totals: { runs: number; scheduled: number; cleared: number; errors: number }; stop(): Promise<void> };

/** One pass: queue due daily runs, clear acknowledged in-flight exceptions, execute what is queued. */
export async function reconWorkerPass(db: Db, o: { owner: string; now: () => Date; log?: (line: string) => void; onRun?: (o: RunOutcome) => void }, totals = { runs: 0, scheduled: 0, cleared: 0, errors: 0 }) {
  const now = o.now();
  for (const site of await scheduledSites(db)) {
    const day = scheduledDayDue(now, site.timeZone, site.dailyAt);
    if (!day || (await hasScheduledRun(db, site.siteId, day))) continue;
    const queued = await insertRun(db, { siteId: site.siteId, trigger: "scheduled", requestedBy: null, now, scheduledDay: day });
    if (queued?.created) {
      totals.scheduled++;
      o.log?.(`reconciliation: daily run ${queued.run.number} queued for ${day}`);
    }
  }
  totals.cleared += await clearAcknowledgedInFlight(db, { siteId: null, now });
  for (;;) {
    const run = await claimRun(db, { owner: o.owner, now: o.now(), leaseMs: 120_000 });
    if (!run) break;
    const outcome = await executeRun(db, run, { owner: o.owner, now: o.now, log: o.log });
    totals.runs++;
    o.log?.(`reconciliation: run ${run.number} ${outcome.status}`);
    o.onRun?.(outcome);
  }
  return totals;
}

export function startReconWorker(db: Db, o: ReconWorkerOptions = {}): ReconWorkerHandle {
  const owner = o.name ?? `recon:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = o.now ?? (() => new Date());
  const pollMs = o.pollMs ?? Number(process.env.TRACELINE_RECON_POLL_MS ?? 2_000);
  const totals = { runs: 0, scheduled: 0, cleared: 0, errors: 0 };
  let running = true;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      try {
        await reconWorkerPass(db, { owner, now, log: o.log, onRun: o.onRun }, totals);
      } catch (e) {
        totals.errors++;
        o.log?.(`reconciliation: pass failed (${(e as Error).message})`);
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        (timer as { unref?: () => void }).unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    owner,
    totals,
    async stop() {
      running = false;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
