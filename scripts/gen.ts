// npm run gen -- --sites N --units M [--stations S] [--transfers PCT] [--parts P] [--lots L] [--depth D] [--fanout F] [--lines B] [--products Q] [--seed S]
//                [--no-fast] [--check]
// Fills DATABASE_URL (or the embedded database, refused while the app holds it) with a generated plant of any size for
// benchmarks, set-based, in one transaction. New site codes continue after existing G-codes, so it also runs on a
// database that holds the demo plant or an earlier run. See db/seed/generator.ts for the shape of the data.
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { generatePlant, normalizeOptions, type GenerateOptions } from "../db/seed/generator";
import { failedChecks, runLedgerChecks } from "../server/repos/ledger-checks";

const USAGE = `Usage: npm run gen -- --sites N --units M [options]
  --sites N      sites to create (codes G001, G002, ...)
  --units M      units to build, all assembly levels together
  --stations S   stations per site, spread over the assembly levels (default 2 per level)
  --transfers T  percent of unit trees whose first level-2 sub-assembly is built at the next site and arrives by
                 site transfer (default 50 with 2 sites or more): where-used crosses sites
  --parts P      purchased part numbers (default 2000)
  --lots L       lots in total (default 3 per site and lot-tracked component)
  --depth D      assembly levels, top level included (default 4)
  --fanout F     serialized sub-assemblies per assembly (default 2)
  --lines B      purchased BOM lines per assembly (default 52: about 52 genealogy edges per unit)
  --products Q   product families (default 8)
  --seed S       seed of the deterministic choices (default 1)
  --no-fast      keep foreign keys and indexes in place while loading (slower; needed when not the table owner)
  --check        run the ledger invariant checks afterwards
The tables being loaded are locked until the run commits: don't run it against a database people are working in.`;

function numberArg(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^\d+$/.test(v)) throw new Error(`--${name} needs a whole number, got "${String(v)}"\n\n${USAGE}`);
  return Number(v);
}

const fmt = (n: number) => n.toLocaleString("en-US");

async function main() {
  const { values } = parseArgs({
    options: {
      sites: { type: "string" },
      units: { type: "string" },
      parts: { type: "string" },
      lots: { type: "string" },
      depth: { type: "string" },
      fanout: { type: "string" },
      lines: { type: "string" },
      products: { type: "string" },
      stations: { type: "string" },
      transfers: { type: "string" },
      seed: { type: "string" },
      "no-fast": { type: "boolean" },
      check: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const sites = numberArg(values, "sites");
  const units = numberArg(values, "units");
  if (sites === undefined || units === undefined) throw new Error(`--sites and --units are required.\n\n${USAGE}`);
  const options: GenerateOptions = {
    sites,
    units,
    parts: numberArg(values, "parts"),
    lots: numberArg(values, "lots"),
    depth: numberArg(values, "depth"),
    fanout: numberArg(values, "fanout"),
    lines: numberArg(values, "lines"),
    products: numberArg(values, "products"),
    stations: numberArg(values, "stations"),
    transfers: numberArg(values, "transfers"),
    seed: numberArg(values, "seed"),
    ...(values["no-fast"] ? { fastLoad: false } : {}),
  };
  const shape = normalizeOptions(options); // refuses bad sizes before touching the database

  // As the connection's own user (the migration owner), not the app role: fast load re-creates constraints.
  const database = await openDatabase({ role: null, max: 1 });
  try {
    const started = Date.now();
    console.log(`Generating into ${database.describe}`);
    console.log(
      `  ${shape.sites} sites x ${shape.stationsPerLevel * shape.depth} stations, ${fmt(shape.trees * shape.treeSize)} units (${fmt(shape.trees)} trees of ${shape.treeSize}, ${shape.depth} levels, fanout ${shape.fanout}), ` +
        `${fmt(shape.parts)} parts, ${shape.lines} purchased lines per assembly, ${shape.transfers}% of trees with a sub-assembly from another site, seed ${shape.seed}`,
    );
    await database.migrate();
    console.log("Migrations applied.");
    const summary = await generatePlant(database.db, options, (p) => {
      console.log(`[${(p.totalMs / 1000).toFixed(1).padStart(7)} s] ${p.step}: ${fmt(p.rows)} rows in ${(p.ms / 1000).toFixed(2)} s`);
    });
    console.log("Committed. Updating planner statistics...");
    await database.db.execute(sql.raw("analyze lots, serial_items, units, unit_operations, movements, movement_legs, stock_balances, genealogy_edges"));
    console.log(`\nSites ${summary.siteCodes.join(", ")} (part numbers ${summary.partPrefix}-...), fast load ${summary.fastLoad ? "on" : "off"}:`);
    let total = 0;
    for (const [table, n] of Object.entries(summary.tables)) {
      total += n;
      console.log(`  ${table.padEnd(22)} ${fmt(n).padStart(12)}`);
    }
    console.log(`  ${"total".padEnd(22)} ${fmt(total).padStart(12)}`);
    console.log(`Enterprise quality engineer (every generated site): ${summary.enterpriseUsername}, the demo password.`);
    console.log(`Generated in ${summary.seconds.toFixed(1)} s (${((Date.now() - started) / 1000).toFixed(1)} s with migrations and statistics).`);

    if (values.check) {
      const t0 = Date.now();
      const results = await runLedgerChecks(database.db);
      for (const r of results) console.log(`${r.violations === 0 ? "ok  " : "FAIL"}  ${r.name}`);
      const failed = failedChecks(results);
      console.log(`Ledger checks: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      if (failed.length > 0) process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}

main().catch((e: unknown) => {
  const cause = (e as { cause?: unknown })?.cause;
  console.error(e instanceof Error ? e.message : e);
  if (cause instanceof Error) console.error(`Cause: ${cause.message}`);
  process.exit(2);
});
