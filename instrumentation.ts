// Next.js start-up hook: open the database once, apply migrations and (in demo mode) load the demo plant before the
// first request, inside the app process (the embedded database must never be opened by a second process); start the
// ERP confirmation worker where the app runs it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDatabase } = await import("./db/app-database");
  const started = Date.now();
  const database = await getDatabase();
  console.log(`Traceline database ready: ${database.describe} (${Date.now() - started} ms)`);
  // ERP confirmations are delivered outside users' requests: by this process on the embedded database (or when
  // TRACELINE_WORKER=inline), otherwise by `npm run worker`.
  const { startAppWorker } = await import("./server/services/erp/app-worker");
  const worker = startAppWorker(database);
  if (worker) console.log(`ERP confirmation worker running in the app process (${worker.owner})`);
}
