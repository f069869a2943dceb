import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { claimRun, findRun, requestCancel } from "@/server/repos/recon-runs";
import { executeRun } from "./run-reconciliation";
import { reconWorkerPass } from "./recon-worker";
import { cancelReconciliation, requestReconciliation, setReconciliationTime } from "./request-run";

/*
 * The worker queues each site's daily run once its site-local time has come (once per day), executes queued runs, and
 * a run can be cancelled: queued (at once) or running (its transaction rolls back, nothing of it is kept).
 */

const t = useTestDatabase("demo");

describe("the reconciliation worker", () => {
  it("queues each site's daily run at its site-local time, once per day, and runs it", async () => {
    const db = t.db;
    // At 00:30 UTC it is 18:30 on the 25th in Chicago (WCH: past 02:00, due for the 25th) and 01:30 in Toulouse (TLS:
    // not yet); at 01:05 UTC Toulouse's 02:00 has passed (due for the 26th) and WCH's run of the 25th exists.
    const first = await reconWorkerPass(db, { owner: "w1", now: () => new Date("2026-11-26T00:30:00Z") });
    expect(first).toMatchObject({ scheduled: 1, runs: 1 });
    const second = await reconWorkerPass(db, { owner: "w2", now: () => new Date("2026-11-26T01:05:00Z") });
    expect(second).toMatchObject({ scheduled: 1, runs: 1 });
    const third = await reconWorkerPass(db, { owner: "w1", now: () => new Date("2026-11-26T05:00:00Z") });
    expect(third).toMatchObject({ scheduled: 0, runs: 0 });
    const runs = await queryRows<{ code: string; trigger: string; scheduled_day: string; status: string; progress: number }>(
      db,
      sql`select s.code, r.trigger, r.scheduled_day, r.status::text, r.progress from recon_runs r join sites s on s.id = r.site_id order by s.code`,
    );
    expect(runs).toEqual([
      { code: "TLS", trigger: "scheduled", scheduled_day: "2026-11-26", status: "completed", progress: 100 },
      { code: "WCH", trigger: "scheduled", scheduled_day: "2026-11-25", status: "completed", progress: 100 },
    ]);
  });

  it("the daily time is set per site by an administrator, as HH:MM", async () => {
    await inRollback(t.db, async (tx) => {
      const admin = await actorFor(tx, "alex.morgan", "WCH");
      const dan = await actorFor(tx, "dan.whitaker", "WCH");
      await expect(setReconciliationTime(tx, dan, "03:00", new Date())).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(setReconciliationTime(tx, admin, "25:00", new Date())).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      expect(await setReconciliationTime(tx, admin, "03:30", new Date())).toEqual({ dailyAt: "03:30" });
      const [row] = await queryRows<{ at: string }>(tx, sql`select recon_daily_at as at from sites where code = 'WCH'`);
      expect(row!.at).toBe("03:30");
    });
  });

  it("a queued run is cancelled at once; a running one stops and keeps nothing", async () => {
    const db = t.db;
    const dan = await actorFor(db, "dan.whitaker", "WCH");
    const now = new Date("2026-11-26T10:00:00Z");
    const queued = await requestReconciliation(db, dan, now);
    expect(queued.created).toBe(true);
    expect((await requestReconciliation(db, dan, now)).created).toBe(false);
    const cancelledAtOnce = await cancelReconciliation(db, dan, queued.run.id, now);
    expect(cancelledAtOnce).toMatchObject({ status: "cancelled", phase: "cancelledBeforeStart" });

    const again = await requestReconciliation(db, dan, now);
    const running = await claimRun(db, { owner: "w3", now, leaseMs: 60_000, siteId: dan.siteId });
    expect(running!.id).toBe(again.run.id);
    // planted: a difference this run would record
    await db.execute(sql`insert into erp_stock_snapshots (site_id, snapshot_key, taken_at, lines)
      select id, 'STOCK-CANCEL', ${now.toISOString()}::timestamptz, '[{"partNumber":"PR-1422-B2","revision":"-","lotNumber":"NOPE-1","quantity":"1"}]'::jsonb from sites where code = 'WCH'`);
    await requestCancel(db, { siteId: dan.siteId, runId: running!.id, userId: dan.userId, now });
    const out = await executeRun(db, running!, { owner: "w3", now: () => now, cancelPollMs: 0 });
    expect(out.status).toBe("cancelled");
    expect(await findRun(db, dan.siteId, running!.id)).toMatchObject({ status: "cancelled", phase: "cancelled" });
    const [n] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from recon_exceptions where lot_number = 'NOPE-1'`);
    expect(n!.n).toBe(0);
  });
});
