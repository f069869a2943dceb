// Next.js start-up hook: open the database once, apply migrations and (in demo mode) load the demo plant before the
// first request, inside the app process (the embedded database must never be opened by a second process); start the
// ERP confirmation worker where the app runs it; then warn when the demo plant's published credentials are reachable
// from other machines.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Settings read per request are checked once here, so a typo stops the start with its message, not each request.
  const [{ parseTrustedProxies }, { requiredPinLengthFrom }, { idleLimitsFrom }] = await Promise.all([
    import("./server/auth/client-key"),
    import("./server/domain/auth/pin-policy"),
    import("./server/domain/auth/session-lifetime"),
  ]);
  parseTrustedProxies(process.env.TRACELINE_TRUSTED_PROXIES);
  requiredPinLengthFrom(process.env);
  idleLimitsFrom(process.env);
  const { getDatabase } = await import("./db/app-database");
  const started = Date.now();
  const database = await getDatabase();
  console.log(`Traceline database ready: ${database.describe} (${Date.now() - started} ms)`);
  // ERP confirmations are delivered outside users' requests: by this process on the embedded database (or when
  // TRACELINE_WORKER=inline), otherwise by `npm run worker`.
  const { startAppWorker } = await import("./server/services/erp/app-worker");
  const worker = startAppWorker(database);
  if (worker) console.log(`ERP confirmation worker running in the app process (${worker.owner})`);
  const { activeDemoCredentials, demoExposureWarning } = await import("./server/auth/demo-exposure");
  const warning = demoExposureWarning(process.env.TRACELINE_BIND_HOST ?? null, await activeDemoCredentials(database.db));
  if (warning) console.warn(`\n${warning}\n`);
}

/**
 * A page or route that failed while rendering on the server: its log line carries the digest that the error page shows
 * as the reference (app/error.tsx; for a failure of the API a page called, that digest is the call's correlation id).
 */
export async function onRequestError(error: unknown, request: { path: string; method: string }) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const digest = (error as { digest?: unknown } | null)?.digest;
  const { correlationIdFrom, logFailure } = await import("./server/services/shared/failure-log");
  logFailure(`page ${request.method} ${request.path}`, correlationIdFrom(digest), error);
}
