// npm run seed — migrate, then load the demo plant (idempotent) into DATABASE_URL or the embedded database
// (the embedded one is refused while the app holds it: PGlite corrupts a folder opened by two processes).
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../db/client";
import { DEMO_USERS, seedDemoPlant } from "../db/seed/demo-plant";
import { failedChecks, runLedgerChecks } from "../server/repos/ledger-checks";

const COUNTED = [
  "sites",
  "storage_locations",
  "users",
  "parts",
  "part_revisions",
  "lots",
  "serial_items",
  "work_orders",
  "units",
  "movements",
  "movement_legs",
  "genealogy_edges",
  "holds",
  "ownership_registry",
] as const;

async function main() {
  const started = Date.now();
  const database = await openDatabase({ max: 1 });
  try {
    console.log(`Seeding ${database.describe}`);
    await database.migrate();
    console.log("Migrations applied.");
    const { created } = await seedDemoPlant(database.db, { now: new Date() });
    if (!created) {
      console.log("The demo plant (sites WCH and TLS) is already there: nothing written.");
    } else {
      const counts: string[] = [];
      for (const table of COUNTED) {
        const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
        counts.push(`${table} ${row!.n}`);
      }
      console.log(`Demo plant loaded: ${counts.join(", ")}.`);
      console.log("Demo users (office: user name + password; floor: badge + PIN):");
      for (const u of DEMO_USERS) {
        const login = [u.username ? `${u.username} / ${u.password}` : null, u.badgeId ? `badge ${u.badgeId} / PIN ${u.pin}` : null].filter(Boolean).join("; ");
        const sites = [`${u.siteCode} ${u.roles.join("+")}`, ...(u.alsoAt ?? []).map((m) => `${m.siteCode} ${m.roles.join("+")}`)].join(", ");
        console.log(`  ${u.displayName.padEnd(16)} ${sites.padEnd(32)} ${login}`);
      }
    }
    const failed = failedChecks(await runLedgerChecks(database.db));
    if (failed.length > 0) {
      for (const f of failed) console.error(`Ledger check failed: ${f.name} (${f.violations} rows), e.g. ${JSON.stringify(f.examples[0])}`);
      process.exitCode = 1;
    } else {
      console.log("Ledger checks: all passed.");
    }
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await database.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
