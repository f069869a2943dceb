import "server-only";
import type { Database } from "@/db/client";
import { startReconWorker, type ReconWorkerHandle } from "@/server/services/reconciliation/recon-worker";
import { startOutboundWorker, type WorkerHandle } from "./outbound-worker";
import { startHousekeeping, type HousekeepingHandle } from "@/server/services/platform/housekeeping";

/**
 * Whether the app process delivers ERP confirmations itself: always on the embedded database (the quick start needs
 * nothing else, and no other process may open that folder), on PostgreSQL only with TRACELINE_WORKER=inline (the
 * usual deployment runs `npm run worker` beside the app). TRACELINE_WORKER=off turns it off everywhere.
 */
export function appRunsWorker(kind: Database["kind"], setting = process.env.TRACELINE_WORKER): boolean {
  if (setting === "off") return false;
  return kind === "embedded" || setting === "inline";
}

const holder = globalThis as unknown as {
  __tracelineWorker?: WorkerHandle;
  __tracelineHousekeeping?: HousekeepingHandle;
  __tracelineReconWorker?: ReconWorkerHandle;
};

/** The confirmation worker and, beside it, the reconciliation worker (daily and on-demand runs). */
export function startAppWorker(database: Database): WorkerHandle | null {
  if (!appRunsWorker(database.kind)) return null;
  holder.__tracelineWorker ??= startOutboundWorker(database.db, { log: (line) => console.log(`[worker] ${line}`) });
  holder.__tracelineHousekeeping ??= startHousekeeping(database.db, { log: (line) => console.log(`[worker] ${line}`) });
  holder.__tracelineReconWorker ??= startReconWorker(database.db, { log: (line) => console.log(`[worker] ${line}`) });
  return holder.__tracelineWorker;
}
