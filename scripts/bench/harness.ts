// The benchmarks' shared harness: the app as users get it (`next build` once, `next start` as a child process on a free
// port, signed in for real through next-auth's credentials providers, tRPC over HTTP in the browser's wire format),
// scratch data (a generated plant or an embedded database folder), CPU of the app process and of the database's
// backends read from /proc, interleaved lanes over repeated rounds, and clean-up of everything it started, also on
// failure or Ctrl-C. Used by scripts/bench/{station,kitting,erp,trace}.ts.
import { spawn, spawnSync, execFileSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import superjson from "superjson";
import { ADMIN_URL, createDatabase, dropDatabase, urlFor } from "../../db/testing/pg-admin";

// ---- clean-up ---------------------------------------------------------------------------------------------------------

const cleanups: { label: string; run: () => Promise<void> | void }[] = [];

/** Register something to undo at the end (run in reverse order, also on failure and on SIGINT/SIGTERM). */
export function onCleanup(label: string, run: () => Promise<void> | void): void {
  cleanups.push({ label, run });
}

let cleaning: Promise<void> | null = null;
export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const c = cleanups.pop()!;
      try {
        await c.run();
      } catch (e) {
        console.error(`clean-up "${c.label}" failed:`, e instanceof Error ? e.message : e);
      }
    }
  })();
  return cleaning;
}

/** Run a benchmark's main: clean up whatever happens; exit 1 on failure, 130 on Ctrl-C. */
export function runBenchmark(main: () => Promise<void>): void {
  const stop = (signal: string) => {
    console.error(`\n${signal}: stopping the app and dropping scratch data...`);
    void cleanUp().then(() => process.exit(130));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  main()
    .then(cleanUp)
    .catch(async (e: unknown) => {
      console.error(e);
      await cleanUp();
      process.exit(1);
    });
}

// ---- figures ----------------------------------------------------------------------------------------------------------

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** "median (min-max)" of one figure over the rounds. */
export function spread(xs: number[], digits = 1, unit = ""): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a");
  if (xs.length === 0) return "n/a";
  return `${f(median(xs))}${unit} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
}

export const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
export const fmt = (n: number) => n.toLocaleString("en-US");

/** The command that reproduces this run, as printed with the figures. */
export function commandLine(script: string): string {
  const args = process.argv.slice(2);
  return `npm run ${script}${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`;
}

/** Machine load at the time of the run: the figures are only comparable on a quiet machine. */
export function machineNote(when: "start" | "end" = "start"): string {
  const [l1, l5] = os.loadavg();
  const busy = when === "start" && l1! >= 1.5 ? " — MEASURED UNDER LOAD from other work on this machine" : "";
  return `${os.cpus().length} cores, load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)} (1 / 5 min) at the ${when} (the benchmark's own processes count in it)${busy}`;
}

/**
 * Interleaved lanes over repeated rounds: each round runs every lane once, the order rotated per round (with two lanes
 * it alternates), so no lane always runs first (cold) or last (warm). Returns each lane's results, one per round.
 */
export async function interleave<L extends { name: string }, R>(
  lanes: L[],
  rounds: number,
  run: (lane: L, round: number) => Promise<R>,
  describe: (r: R) => string,
  orderOf: (round: number) => L[] = (round) => [...lanes.slice(round % lanes.length), ...lanes.slice(0, round % lanes.length)],
): Promise<Map<L, R[]>> {
  const results = new Map<L, R[]>(lanes.map((l) => [l, []]));
  for (let round = 0; round < rounds; round++) {
    const order = orderOf(round);
    for (const lane of order) {
      const t0 = performance.now();
      const r = await run(lane, round);
      results.get(lane)!.push(r);
      console.log(`  round ${round + 1}/${rounds} ${lane.name}: ${describe(r)} [${((performance.now() - t0) / 1000).toFixed(1)} s]`);
    }
  }
  return results;
}

// ---- CPU from /proc ---------------------------------------------------------------------------------------------------

let ticks = 0;
function clockTicks(): number {
  if (ticks === 0) {
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** utime + stime of one process in ms and its parent pid, or null when it is gone. */
function procStat(pid: number): { cpuMs: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd (state) on
    return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks() };
  } catch {
    return null;
  }
}

/** CPU (ms) of a process and all its descendants now (`next start` may fork workers). */
export function processTreeCpuMs(root: number): number {
  const children = new Map<number, number[]>();
  const stats = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (!s) continue;
    stats.set(Number(name), s.cpuMs);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), Number(name)]);
  }
  let total = 0;
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    total += stats.get(pid) ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The PostgreSQL server's backends of one database, by pid (this machine's server: their /proc entries are readable). */
export class DatabaseCpu {
  private readonly admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  constructor(private readonly database: string) {
    onCleanup(`admin connection (${database})`, () => this.admin.end());
  }
  async snapshot(): Promise<Map<number, number>> {
    const rows = await this.admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${this.database}`;
    return new Map(rows.map((r) => [r.pid, procStat(r.pid)?.cpuMs ?? NaN]));
  }
  /**
   * CPU (ms) the database's backends spent since `before` (backends that started since count whole); NaN when their
   * /proc entries cannot be read (a server on another host or in a container).
   */
  async since(before: Map<number, number>): Promise<number> {
    const after = await this.snapshot();
    let total = 0;
    let read = 0;
    for (const [pid, ms] of after) {
      if (Number.isNaN(ms)) continue;
      read++;
      total += ms - (Number.isNaN(before.get(pid) ?? 0) ? 0 : (before.get(pid) ?? 0));
    }
    return read > 0 ? total : NaN;
  }
}

/** CPU of the app (process tree) and of the database's backends over one measured stretch. */
export async function cpuMeter(app: { pid: number } | null, db: DatabaseCpu | null) {
  const app0 = app ? processTreeCpuMs(app.pid) : 0;
  const db0 = db ? await db.snapshot() : null;
  const self0 = process.cpuUsage();
  return async () => {
    const self = process.cpuUsage(self0);
    return { appMs: app ? processTreeCpuMs(app.pid) - app0 : NaN, dbMs: db && db0 ? await db.since(db0) : NaN, benchMs: (self.user + self.system) / 1000 };
  };
}

// ---- data -------------------------------------------------------------------------------------------------------------

/** tsx with the server conditions, as the npm scripts run it (for child scripts). */
const TSX = [path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server"];

/**
 * A database with a generated plant: `--db NAME` reuses an existing one (kept afterwards), otherwise a scratch database
 * is created, filled by `npm run gen` (scripts/gen.ts) in a child process, vacuumed, analysed and checkpointed, and
 * dropped at the end.
 */
export async function plantDatabase(opts: { prefix: string; reuse?: string; genArgs: string[] }): Promise<{ name: string; url: string; fresh: boolean }> {
  if (opts.reuse) {
    console.log(`reusing database ${opts.reuse} (not dropped at the end)`);
    return { name: opts.reuse, url: urlFor(opts.reuse), fresh: false };
  }
  const name = await scratchDatabase(opts.prefix);
  console.log(`generating a plant into ${name}: npm run gen -- ${opts.genArgs.join(" ")}`);
  const t0 = performance.now();
  const gen = spawnSync(process.execPath, [...TSX, "scripts/gen.ts", ...opts.genArgs], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DATABASE_URL: urlFor(name) } });
  if (gen.status !== 0) throw new Error(`generating the plant failed (exit ${gen.status})`);
  const settle = postgres(urlFor(name), { max: 1, onnotice: () => {} });
  try {
    await settle`vacuum analyze`;
    await settle`checkpoint`;
  } finally {
    await settle.end();
  }
  console.log(`  generated, vacuumed and checkpointed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { name, url: urlFor(name), fresh: true };
}

/** An empty scratch database, dropped at the end. */
export async function scratchDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  await createDatabase(name);
  onCleanup(`drop database ${name}`, async () => {
    await dropDatabase(name);
    console.log(`dropped scratch database ${name}`);
  });
  return name;
}

// ---- the app: build and start -----------------------------------------------------------------------------------------

const NEXT_BIN = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
/** What a production build is made from: when any of it is newer than .next/BUILD_ID, the build is stale. */
const BUILD_INPUTS = ["app", "components", "server", "db", "public", "proxy.ts", "instrumentation.ts", "next.config.mjs", "package-lock.json", "tsconfig.json", "postcss.config.mjs"];

function newestSource(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return /\.(test|int\.test|spec)\.tsx?$/.test(p) ? 0 : st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(p)) if (e !== "node_modules" && e !== "testing") newest = Math.max(newest, newestSource(path.join(p, e)));
  return newest;
}

/** `next build` once: when .next has no production build, or a source file is newer than it. Says which. */
export function ensureBuild(): void {
  const buildId = path.join(process.cwd(), ".next", "BUILD_ID");
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...BUILD_INPUTS.map((p) => newestSource(path.join(process.cwd(), p))));
  if (built > 0 && built >= newest) {
    console.log(`next build: .next is up to date (built ${new Date(built).toISOString()})`);
    return;
  }
  console.log(built === 0 ? "next build: no production build in .next, building (about 30-60 s)..." : "next build: sources changed since the last build, rebuilding (about 30-60 s)...");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: ["ignore", "pipe", "pipe"], env: childEnv({ NODE_ENV: "production" }), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS; // the bench runs under tsx; the app must not
  delete env.DATABASE_URL;
  delete env.TRACELINE_DATA_DIR;
  delete env.TRACELINE_DEMO;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export type App = { url: string; pid: number; label: string; log: string };

/**
 * `next start` as a child process on a free port: on PostgreSQL (`databaseUrl`, demo plant off) or on the embedded
 * database in `dataDir` (demo mode, as the quick start). Waits until it answers; stopped at the end.
 */
export async function startApp(opts: { label: string; databaseUrl?: string; dataDir?: string }): Promise<App> {
  const port = await freePort();
  const log = path.join(os.tmpdir(), `tl-bench-${opts.label.replace(/\W+/g, "-")}-${process.pid}.log`);
  const out = createWriteStream(log);
  const env = childEnv({
    NODE_ENV: "production",
    AUTH_SECRET: `bench-only-secret-${process.pid}-0123456789abcdefghijklmnop`,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl, TRACELINE_DEMO: "0" } : { TRACELINE_DATA_DIR: opts.dataDir }),
  });
  // BENCH_APP_NODE_ARGS: extra Node flags for the app only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  onCleanup(`stop ${opts.label} (pid ${child.pid})`, async () => {
    if (exited !== undefined) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
    console.log(`stopped ${opts.label}`);
  });
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  for (;;) {
    if (exited !== undefined) throw new Error(`${opts.label} exited (code ${exited}) before answering; its log: ${log}\n${tail(log)}`);
    if (performance.now() - t0 > 180_000) throw new Error(`${opts.label} did not answer within 180 s; its log: ${log}\n${tail(log)}`);
    try {
      const res = await fetch(`${url}/api/auth/csrf`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`${opts.label}: next start on ${url}, pid ${child.pid}, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (log ${log})`);
  return { url, pid: child.pid!, label: opts.label, log };
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "";
  }
}

// ---- a signed-in browser ----------------------------------------------------------------------------------------------

export class TrpcError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${path}: HTTP ${status}: ${body.slice(0, 400)}`);
  }
}

/**
 * What a browser holds: cookies, sign-in through next-auth's credentials providers (what next-auth/react's
 * `signIn(provider, { redirect: false })` sends: the CSRF token, then a form POST to /api/auth/callback/<provider>),
 * and tRPC calls in httpBatchLink's wire format (superjson; GET for queries, POST for mutations, `?batch=1`).
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\b/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(eq + 1));
    }
  }

  async fetch(pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, { ...init, headers, redirect: "manual" });
    this.keep(res);
    return res;
  }

  async signIn(provider: "badge" | "password", credentials: Record<string, string>): Promise<void> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await this.fetch(`/api/auth/callback/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
      body: new URLSearchParams({ ...credentials, csrfToken, callbackUrl: `${this.baseUrl}/` }).toString(),
    });
    const { url } = (await res.json()) as { url: string };
    const error = new URL(url, this.baseUrl).searchParams.get("error");
    if (error || ![...this.cookies.keys()].some((k) => k.includes("session-token"))) {
      throw new Error(`sign-in (${provider} ${credentials.badgeId ?? credentials.username}) refused: ${error ?? "no session cookie"} (${url})`);
    }
  }

  /** A tRPC query as httpBatchLink sends it; the answer's time to the last byte and its size are measured. */
  async query<T>(procedure: string, input?: unknown): Promise<{ data: T; ms: number; bytes: number }> {
    const batch = encodeURIComponent(JSON.stringify({ 0: superjson.serialize(input) }));
    return this.trpc<T>(procedure, `/api/trpc/${procedure}?batch=1&input=${batch}`, { method: "GET" });
  }

  async mutate<T>(procedure: string, input: unknown): Promise<{ data: T; ms: number; bytes: number }> {
    return this.trpc<T>(procedure, `/api/trpc/${procedure}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ 0: superjson.serialize(input) }),
    });
  }

  private async trpc<T>(procedure: string, url: string, init: RequestInit): Promise<{ data: T; ms: number; bytes: number }> {
    const t0 = performance.now();
    const res = await this.fetch(url, init);
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new TrpcError(procedure, res.status, body);
    const [answer] = JSON.parse(body) as [{ result?: { data: Parameters<typeof superjson.deserialize>[0] }; error?: unknown }];
    if (!answer?.result) throw new TrpcError(procedure, res.status, body);
    return { data: superjson.deserialize<T>(answer.result.data), ms, bytes: Buffer.byteLength(body) };
  }

  /** A page as the browser first loads it (server-rendered HTML), time to the last byte. */
  async page(pathAndQuery: string): Promise<{ ms: number; bytes: number; status: number }> {
    const t0 = performance.now();
    const res = await this.fetch(pathAndQuery, { headers: { accept: "text/html" } });
    const body = await res.arrayBuffer();
    return { ms: performance.now() - t0, bytes: body.byteLength, status: res.status };
  }
}
