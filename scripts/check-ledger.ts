// npm run check:ledger — prove the stock invariants (docs/domain.md 1-5, and 10's structure) and the per-site hash chain
// of the audit log and the ledger on any database: DATABASE_URL, or the embedded one (refused while the app holds it).
// Prints each site's chain head (length and last hash): keep them elsewhere, and a rewrite of the whole chain by the
// database's owner shows as a head that no longer matches.
import { openDatabase } from "../db/client";
import { chainHeads, failedChecks, runLedgerChecks } from "../server/repos/ledger-checks";

async function main() {
  const database = await openDatabase({ role: null, max: 1 });
  try {
    console.log(`Checking ledger invariants on ${database.describe}`);
    const started = Date.now();
    const results = await runLedgerChecks(database.db);
    for (const r of results) {
      console.log(`${r.violations === 0 ? "ok  " : "FAIL"}  ${r.name}  (invariant ${r.invariant})`);
      for (const ex of r.examples.slice(0, 5)) console.log(`        ${JSON.stringify(ex)}`);
    }
    for (const h of await chainHeads(database.db)) console.log(`chain head  ${h.site_key}  ${h.seq} entries  ${h.last_hash}`);
    const failed = failedChecks(results);
    console.log(`${results.length - failed.length} passed, ${failed.length} failed (${Date.now() - started} ms)`);
    process.exitCode = failed.length === 0 ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
