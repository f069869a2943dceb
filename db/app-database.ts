import "server-only";
import { openDatabase, type Database, type Db } from "./client";

/** Demo mode: on with TRACELINE_DEMO=1, or by default on the embedded database (the quick start). */
export function isDemoMode(): boolean {
  const flag = process.env.TRACELINE_DEMO;
  if (flag === "1" || flag === "true") return true;
  if (flag === "0" || flag === "false") return false;
  return !process.env.DATABASE_URL;
}

const holder = globalThis as unknown as { __tracelineDatabase?: Promise<Database> };

/**
 * The app's one database handle (one per process: PGlite must never be opened twice). The first call migrates,
 * and in demo mode loads the demo plant into an empty database.
 */
export function getDatabase(): Promise<Database> {
  holder.__tracelineDatabase ??= (async () => {
    const database = await openDatabase();
    await database.migrate();
    // Every database starts with the ownership registry's defaults (rows changed under change control are kept).
    const { seedOwnershipDefaults } = await import("./seed/ownership-defaults");
    await seedOwnershipDefaults(database.db);
    if (isDemoMode()) {
      const { seedDemoPlant } = await import("./seed/demo-plant");
      await seedDemoPlant(database.db, { now: new Date() });
    }
    return database;
  })().catch((e: unknown) => {
    holder.__tracelineDatabase = undefined;
    throw e;
  });
  return holder.__tracelineDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}
