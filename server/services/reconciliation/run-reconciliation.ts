import "server-only";
import type { Db } from "@/db/client";
import { runSiteLedgerChecks } from "@/server/repos/ledger-checks";
import {
  clearAcknowledgedInFlight,
  compareIntoTemp,
  explainExceptions,
  latestSnapshot,
  mergeDifferences,
  recordLedgerFindings,
  runFigures,
  type MergeCounts,
  type RunFigures,
} from "@/server/repos/reconciliation";
import { backendPid, cancelBackend, cancelRequested, finishRun, reportProgress, setRunSnapshot, type RunRow } from "@/server/repos/recon-runs";
import type { RunPhase } from "@/server/domain/reconciliation/categories";

/*
 * Execute one claimed reconciliation run (server/services/reconciliation/recon-worker.ts claims them). Everything the
 * run finds is written in ONE transaction: compare the site's floor with the latest ERP stock snapshot (set-based, into
 * a temporary table), merge the differences into exceptions, explain them with their movements and confirmations, run
 * the ledger checks of `npm run check:ledger` for the site (a violation is a critical exception; incremental: what was
 * written or changed since the site's last verified mark, server/repos/ledger-checks.ts runSiteLedgerChecks), compute
 * the figures.
 * Progress is written beside the transaction (visible at once on PostgreSQL); a cancel request is checked between the
 * steps and, on PostgreSQL, interrupts the statement running (pg_cancel_backend): the transaction rolls back, so a
 * cancelled run leaves nothing behind but its own row.
 */

export type RunOptions = { owner: string; now: () => Date; leaseMs?: number; log?: (line: string) => void; cancelPollMs?: number };

export type RunOutcome =
  | { status: "completed"; figures: RunFigures & { merge: MergeCounts; ledgerChecks: "full" | "incremental"; ledgerChecksFailed: number; clearedInFlight: number; snapshotKey: string | null; timings: Record<string, number> } }
  | { status: "cancelled" }
  | { status: "failed"; error: string };

class RunCancelled extends Error {}

const QUERY_CANCELED = "57014";

function sqlState(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function executeRun(db: Db, run: RunRow, o: RunOptions): Promise<RunOutcome> {
  const leaseMs = o.leaseMs ?? 120_000;
  const ids = { siteId: run.siteId, runId: run.id };
  let lastProgress = Promise.resolve();
  // Beside the transaction, never awaited inside it (on the embedded database it waits for the transaction to end).
  // `phase` is a code with its values (components/erp/run-phase.tsx words it in the reader's language)
  const progress = (phase: RunPhase, pct: number, phaseValues: Record<string, unknown> = {}) => {
    lastProgress = lastProgress
      .then(() => reportProgress(db, { ...ids, owner: o.owner, phase, phaseValues, progress: pct, now: o.now(), leaseMs }))
      .then(() => undefined)
      .catch((e: Error) => o.log?.(`reconciliation: progress not written (${e.message})`));
  };
  let watcher: ReturnType<typeof setInterval> | null = null;
  let cancelledByWatcher = false;
  try {
    // Outside the transaction: the run's own row is never locked by it, so progress writes never wait.
    const snapshot = await latestSnapshot(db, run.siteId);
    if (snapshot) await setRunSnapshot(db, { ...ids, snapshotId: snapshot.id, key: snapshot.key, takenAt: snapshot.takenAt });
    const outcome = await db.transaction(async (tx) => {
      const checkCancel = async () => {
        if (await cancelRequested(tx, run.siteId, run.id)) throw new RunCancelled();
      };
      const pid = await backendPid(tx);
      if (pid !== null && o.cancelPollMs !== 0) {
        watcher = setInterval(() => {
          void cancelRequested(db, run.siteId, run.id)
            .then(async (cancel) => {
              if (cancel && !cancelledByWatcher) {
                cancelledByWatcher = true;
                await cancelBackend(db, pid);
              }
            })
            .catch(() => undefined);
        }, o.cancelPollMs ?? 500);
        (watcher as { unref?: () => void }).unref?.();
      }
      const now = o.now();
      const timings: Record<string, number> = {};
      let mark = performance.now();
      const took = (step: string) => {
        const t = performance.now();
        timings[step] = Math.round(t - mark);
        mark = t;
      };
      const cleared = await clearAcknowledgedInFlight(tx, { siteId: run.siteId, now });
      let merge: MergeCounts = { found: 0, opened: 0, stillOpen: 0, noLongerDiffers: 0, knownClosed: 0 };
      let differences = 0;
      if (snapshot) {
        progress("comparing", 10, { snapshot: snapshot.key, lines: snapshot.lines });
        await checkCancel();
        took("startMs");
        differences = await compareIntoTemp(tx, { siteId: run.siteId, snapshotId: snapshot.id, takenAt: snapshot.takenAt, since: snapshot.previousTakenAt });
        took("compareMs");
        progress("updating", 55, { differences });
        await checkCancel();
        merge = await mergeDifferences(tx, { ...ids, now, snapshotKey: snapshot.key });
        took("mergeMs");
        progress("explaining", 70);
        await checkCancel();
        await explainExceptions(tx, { ...ids, takenAt: snapshot.takenAt, since: snapshot.previousTakenAt });
        took("explainMs");
      } else {
        progress("noSnapshot", 50);
      }
      progress("checkingLedger", 85);
      await checkCancel();
      mark = performance.now();
      const { results, mode: ledgerChecks } = await runSiteLedgerChecks(tx, { siteId: run.siteId, runId: run.id, now });
      const ledger = await recordLedgerFindings(tx, { ...ids, now, results });
      took("ledgerChecksMs");
      const figures = await runFigures(tx, { ...ids, now, snapshotLines: snapshot?.lines ?? 0, differences });
      took("figuresMs");
      await checkCancel();
      return { ...figures, merge, ledgerChecks, ledgerChecksFailed: ledger.failed, clearedInFlight: cleared, snapshotKey: snapshot?.key ?? null, timings };
    });
    if (watcher) clearInterval(watcher);
    await lastProgress;
    const phase: RunPhase = outcome.snapshotKey ? "done" : "doneNoSnapshot";
    const phaseValues = { differences: outcome.differences, opened: outcome.merge.opened, failed: outcome.ledgerChecksFailed };
    await finishRun(db, { ...ids, owner: o.owner, status: "completed", now: o.now(), figures: outcome, phase, phaseValues });
    return { status: "completed", figures: outcome };
  } catch (e) {
    if (watcher) clearInterval(watcher);
    await lastProgress;
    if (e instanceof RunCancelled || sqlState(e) === QUERY_CANCELED || cancelledByWatcher) {
      await finishRun(db, { ...ids, owner: o.owner, status: "cancelled", now: o.now(), phase: "cancelled" satisfies RunPhase });
      return { status: "cancelled" };
    }
    const cause = (e as { cause?: unknown }).cause;
    const error = cause instanceof Error ? cause.message : (e as Error).message;
    o.log?.(`reconciliation run ${run.number} failed: ${error}`);
    await finishRun(db, { ...ids, owner: o.owner, status: "failed", now: o.now(), error, phase: "failed" satisfies RunPhase });
    return { status: "failed", error };
  }
}
