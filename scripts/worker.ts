// npm run worker — the ERP confirmation delivery worker (and the reconciliation worker beside it), as its own process beside a PostgreSQL deployment
// (DATABASE_URL). It delivers the outbox to every connection that receives confirmations by push, prints progress every
// 10 s, and stops cleanly on Ctrl-C / SIGTERM (the current round finishes, its leases are given back). Any number may
// run at once. On the embedded database the app runs the worker itself (a second process may not open that folder).
import { openDatabase } from "../db/client";
import { startOutboundWorker } from "../server/services/erp/outbound-worker";
import { startReconWorker } from "../server/services/reconciliation/recon-worker";
import { outboundBacklog } from "../server/repos/erp-outbox";
import { startHousekeeping } from "../server/services/platform/housekeeping";

async function main() {
  if (!process.env.DATABASE_URL) {
    console.error("npm run worker needs DATABASE_URL (a PostgreSQL server). With the embedded database, the app delivers confirmations itself.");
    process.exit(2);
  }
  const database = await openDatabase({ max: 4 });
  console.log(`ERP confirmation worker on ${database.describe}`);
  const worker = startOutboundWorker(database.db, { log: (line) => console.log(line) });
  console.log(`worker ${worker.owner} started`);
  const housekeeping = startHousekeeping(database.db, { log: (line) => console.log(line) });
  // reconciliation runs (each site's daily time, and those asked for on the screen), with their progress in the log
  const recon = startReconWorker(database.db, { log: (line) => console.log(line) });
  let last = { delivered: 0, at: Date.now() };
  const progress = setInterval(() => {
    void outboundBacklog(database.db)
      .then((b) => {
        const now = Date.now();
        const rate = ((worker.totals.delivered - last.delivered) * 1000) / Math.max(1, now - last.at);
        last = { delivered: worker.totals.delivered, at: now };
        const lag = b.oldestUndeliveredAt ? `${Math.round((now - b.oldestUndeliveredAt.getTime()) / 1000)} s` : "none";
        console.log(`delivered ${worker.totals.delivered} (${rate.toFixed(0)}/s), waiting ${b.undelivered}, dead letters ${b.dead}, lag ${lag}, round errors ${worker.totals.errors}`);
      })
      .catch((e: Error) => console.log(`progress: ${e.message}`));
  }, 10_000);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    housekeeping.stop();
    console.log(`${signal}: finishing the current round`);
    await Promise.all([worker.stop(), recon.stop()]);
    await database.close();
    console.log(`stopped after delivering ${worker.totals.delivered} confirmation(s)`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
