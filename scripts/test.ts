// `npm test`: every check CI runs, in order, each announced with its number and time; the first failure stops the run
// with a line naming the step. It also provides what the checks need on a fresh machine (scripts/test-env/): a
// PostgreSQL (a private one for the run when none answers at TEST_PG_URL), a Chromium for Playwright, and a free port
// and a database of their own for the browser tests, so two runs on one machine do not collide. What it started is
// stopped and deleted at the end, also on failure and on Ctrl-C.
//
//   tsx scripts/test.ts [step ...] [test runner arguments]
//   steps: lint typecheck vitest vitest-clock faults chromium build e2e (default: all, in this order; e2e brings chromium)
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { APT_INSTALL_CHROMIUM, canInstallChromium, findChromium, howToGetChromium, onPath } from "./test-env/chromium";
import { freePort } from "./test-env/free-port";
import { providePostgres, type TestPostgres } from "./test-env/postgres";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TZ = "America/Chicago";

type Outcome = { status: "passed" } | { status: "skipped"; why: string } | { status: "failed"; why: string };
type Step = { key: string; title: string; run: () => Promise<Outcome> };

class SetupError extends Error {}

const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}` };
let current: ChildProcess | undefined;
let interrupted: NodeJS.Signals | undefined;
let pg: TestPostgres | undefined;
let chromium: string | undefined;
let e2eDatabase: string | undefined;
let releaseCheckout: (() => Promise<void>) | undefined;

const log = (line: string) => console.log(`[test] ${line}`);

function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** Runs a command with the terminal, in the project folder; the outcome names the exit code or signal. */
function exec(command: string, args: string[], extra: Record<string, string> = {}): Promise<Outcome> {
  log(`$ ${Object.entries(extra).map(([k, v]) => `${k}=${v} `).join("")}${command} ${args.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...env, ...extra } });
    current = child;
    child.on("error", (e) => {
      current = undefined;
      resolve({ status: "failed", why: `could not run ${command}: ${e.message}` });
    });
    child.on("exit", (code, signal) => {
      current = undefined;
      resolve(code === 0 ? { status: "passed" } : { status: "failed", why: signal ? `killed by ${signal}` : `exit code ${code}` });
    });
  });
}

/** Runs a preparation inside a step; logs what it provided, with its time. */
async function setup<T>(what: string, fn: () => Promise<T>, describe: (result: T) => string): Promise<T> {
  const t = Date.now();
  try {
    const result = await fn();
    log(`  ${what}: ${describe(result)} (${duration(Date.now() - t)})`);
    return result;
  } catch (e) {
    throw new SetupError(`${what}: ${(e as Error).message}`);
  }
}

async function needPostgres(): Promise<void> {
  if (pg) return;
  pg = await setup("PostgreSQL", () => providePostgres((line) => log(`  PostgreSQL: ${line}`)), (p) => p.summary);
  env.TEST_PG_URL = pg.url;
}

async function needChromium(): Promise<void> {
  if (chromium) return;
  chromium = await setup("Chromium", async () => {
    const found = findChromium();
    if (found) return found;
    if (!canInstallChromium()) throw new Error(howToGetChromium());
    log(`  Chromium: none found; installing Debian's package (${APT_INSTALL_CHROMIUM.join(" && ")})`);
    const aptEnv = { DEBIAN_FRONTEND: "noninteractive" };
    let outcome = await exec("apt-get", ["update", "-qq"], aptEnv);
    if (outcome.status === "passed") outcome = await exec("apt-get", ["install", "-y", "-qq", "chromium"], aptEnv);
    const installed = findChromium();
    if (!installed) throw new Error(`apt-get install chromium did not provide one (${outcome.status === "failed" ? outcome.why : "no binary found"}).\n${howToGetChromium()}`);
    return installed;
  }, (file) => file);
  env.CHROMIUM_PATH = chromium;
}

/**
 * `next build` rewrites .next, which `next start` serves during the browser tests: browser-test runs in one checkout take
 * turns (runs in different checkouts share nothing but the machine).
 */
async function holdCheckout(): Promise<void> {
  if (releaseCheckout) return;
  const file = path.join(ROOT, "node_modules", ".cache", "traceline-e2e.lock");
  await mkdir(path.dirname(file), { recursive: true });
  let told = false;
  for (;;) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      releaseCheckout = () => rm(file, { force: true });
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e;
    }
    const holder = Number((await readFile(file, "utf8").catch(() => "")).trim());
    let alive = false;
    try {
      alive = holder > 0 && process.kill(holder, 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      await rm(file, { force: true });
      continue;
    }
    if (!told) log(`  another browser-test run in this checkout (pid ${holder}) uses .next; waiting for it to finish`);
    told = true;
    if (interrupted) throw new SetupError("interrupted while waiting for the checkout");
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

async function dropE2eDatabase(): Promise<void> {
  if (!pg || !e2eDatabase) return;
  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  try {
    const left = await sql`select 1 from pg_database where datname = ${e2eDatabase}`;
    if (left.length > 0) {
      await sql.unsafe(`drop database if exists "${e2eDatabase}" with (force)`);
      log(`dropped the browser tests' database ${e2eDatabase}`);
    }
  } catch (e) {
    log(`could not drop the browser tests' database ${e2eDatabase}: ${(e as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * The fault suite (issue 15): killed backends, app and embedded database, PostgreSQL stopped immediately. Each file
 * starts processes or a server of its own and loads the machine, so they run in a step of their own, one file at a
 * time, and not again under faketime (nothing in them depends on the date). Naming one of them after `vitest` runs it.
 */
const FAULT_SUITE = "server/services/station/fault-";

const STEPS: Step[] = [
  { key: "lint", title: "lint (ESLint)", run: () => exec("npm", ["run", "-s", "lint"]) },
  { key: "typecheck", title: "type check (tsc)", run: () => exec("npm", ["run", "-s", "typecheck"]) },
  {
    key: "vitest",
    title: "Vitest (unit and integration tests on PostgreSQL)",
    run: async () => {
      await needPostgres();
      return exec("vitest", ["run", ...(runnerArgs.length > 0 ? runnerArgs : ["--exclude", `${FAULT_SUITE}*`])], { TZ });
    },
  },
  {
    key: "vitest-clock",
    title: "Vitest with the clock one year ahead",
    run: async () => {
      const faketime = onPath("faketime");
      if (!faketime) {
        const sudo = process.getuid?.() === 0 ? "" : "sudo ";
        return { status: "skipped", why: `faketime not found (Debian/Ubuntu: ${sudo}apt-get install -y faketime; .ci/run installs it)` };
      }
      await needPostgres();
      // libfaketime moves the wall clock of Vitest and its workers (not PostgreSQL's); timers keep the real monotonic clock.
      return exec(faketime, ["-f", "+365d", "vitest", "run", ...(runnerArgs.length > 0 ? runnerArgs : ["--exclude", `${FAULT_SUITE}*`])], { TZ, FAKETIME_DONT_FAKE_MONOTONIC: "1" });
    },
  },
  {
    key: "faults",
    title: "fault suite (Vitest, one file at a time)",
    run: async () => {
      await needPostgres();
      // the fault tests clone only the empty template: the demo plant is not loaded for them
      return exec("vitest", ["run", "--maxWorkers=1", ...(runnerArgs.length > 0 ? runnerArgs : [FAULT_SUITE])], runnerArgs.length > 0 ? { TZ } : { TZ, TL_SKIP_DEMO_TEMPLATE: "1" });
    },
  },
  {
    // Before the build: no build when the browser tests cannot run. Part of every run that includes e2e.
    key: "chromium",
    title: "Chromium for Playwright",
    run: async () => {
      await needChromium();
      return { status: "passed" };
    },
  },
  {
    key: "build",
    title: "next build",
    run: async () => {
      if (!releaseCheckout) await setup("this checkout's .next", holdCheckout, () => "reserved for this run");
      return exec("next", ["build"]);
    },
  },
  {
    key: "e2e",
    title: "Playwright (browser tests)",
    run: async () => {
      await needChromium();
      await needPostgres();
      if (!releaseCheckout) await setup("this checkout's .next", holdCheckout, () => "reserved for this run");
      const port = process.env.E2E_PORT || String(await freePort());
      e2eDatabase = process.env.E2E_DATABASE || `tl_e2e_${randomBytes(4).toString("hex")}`;
      log(`  browser tests: server on 127.0.0.1:${port}, database ${e2eDatabase} (dropped at the end)`);
      return exec("playwright", ["test", ...runnerArgs], { TZ, E2E_PORT: port, E2E_DATABASE: e2eDatabase });
    },
  },
];

// Leading arguments that name steps select them; the rest go to the one test runner selected (vitest or playwright),
// e.g. `npm run test:unit -- db/client.int.test.ts` or `npm run test:e2e -- e2e/sign-in.spec.ts`.
const args = process.argv.slice(2);
const firstExtra = args.findIndex((a) => !STEPS.some((s) => s.key === a));
const stepArgs = firstExtra === -1 ? args : args.slice(0, firstExtra);
const runnerArgs = firstExtra === -1 ? [] : args.slice(firstExtra);
const selected = new Set(stepArgs.length > 0 ? stepArgs : STEPS.map((s) => s.key));
if (selected.has("e2e")) selected.add("chromium");
const plan = STEPS.filter((s) => selected.has(s.key));
const runners = plan.filter((s) => ["vitest", "vitest-clock", "faults", "e2e"].includes(s.key));
if (runnerArgs.length > 0 && runners.length !== 1) {
  console.error(`"${runnerArgs.join(" ")}": not a step (${STEPS.map((s) => s.key).join(" ")}); arguments for a test runner need exactly one of vitest, vitest-clock, faults, e2e`);
  process.exit(2);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    log(`${signal}: stopping, then cleaning up`);
    // Ctrl-C reaches the running step through the terminal; other signals are passed on.
    if (signal !== "SIGINT") current?.kill(signal);
  });
}

async function cleanUp(): Promise<void> {
  await dropE2eDatabase();
  if (pg) {
    await pg.stop().catch((e: Error) => log(`could not stop PostgreSQL: ${e.message}`));
    if (pg.summary.startsWith("private")) log("stopped the private PostgreSQL and deleted its folder");
  }
  await releaseCheckout?.();
}

const started = Date.now();
const passed: string[] = [];
const skipped: string[] = [];
let verdict = "";
let exitCode = 0;
try {
  for (const [i, step] of plan.entries()) {
    const label = `${i + 1}/${plan.length} ${step.title}`;
    log(`▶ ${label}`);
    const t = Date.now();
    let outcome: Outcome;
    try {
      outcome = await step.run();
    } catch (e) {
      if (!(e instanceof SetupError)) throw e;
      outcome = { status: "failed", why: e.message };
    }
    const took = duration(Date.now() - t);
    if (interrupted) {
      verdict = `✖ interrupted (${interrupted}) during step ${label}`;
      exitCode = interrupted === "SIGINT" ? 130 : 143;
      break;
    }
    if (outcome.status === "failed") {
      verdict = `✖ FAILED at step ${label} after ${took}: ${outcome.why}`;
      exitCode = 1;
      break;
    }
    if (outcome.status === "skipped") {
      log(`– skipped ${step.title}: ${outcome.why}`);
      skipped.push(step.title);
    } else {
      log(`✔ ${step.title} (${took})`);
      passed.push(step.title);
    }
  }
} catch (e) {
  verdict = `✖ the test run itself failed: ${(e as Error).stack ?? String(e)}`;
  exitCode = 1;
} finally {
  await cleanUp();
}
if (exitCode === 0) {
  log(`✔ done in ${duration(Date.now() - started)}: ${passed.length} passed${skipped.length ? `, ${skipped.length} skipped (${skipped.join(", ")})` : ""}`);
} else {
  if (passed.length > 0) log(`passed before it: ${passed.join(", ")}`);
  console.error(`[test] ${verdict}`);
}
process.exit(exitCode);
