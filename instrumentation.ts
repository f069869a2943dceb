// Next.js start-up hook: open the database once, apply migrations and (in demo mode) load the demo plant before the
// first request, inside the app process (the embedded database must never be opened by a second process).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDatabase } = await import("./db/app-database");
  const started = Date.now();
  const database = await getDatabase();
  console.log(`Traceline database ready: ${database.describe} (${Date.now() - started} ms)`);
}
