import "server-only";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import postgres from "postgres";

/**
 * Drizzle without its relational query API (db.query.*): every transaction would build a query builder per table for
 * it (it showed in the station benchmark), and the app writes its queries with the SQL-like builder and sql templates.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** Services take either: they open a transaction (a savepoint inside a caller's transaction). */
export type DbOrTx = Db | Tx;

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
/**
 * The login role the application works as: not a superuser, owns nothing; it cannot UPDATE/DELETE/TRUNCATE ledger,
 * audit, signature or request-log rows, can change a hold only by releasing it, and cannot write the hash chain.
 */
export const APP_ROLE = "traceline_app";

export type Database = {
  db: Db;
  kind: "postgres" | "embedded";
  /** Apply pending migrations as the owner (advisory-locked so two processes never migrate at once). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * LISTEN on a channel: `onNotify` gets each notification's payload (delivered when the notifying transaction commits);
   * `onListening` runs each time the listen is (re)established, when notifications may have been missed. Returns the
   * unlisten function.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListening: () => void): Promise<() => Promise<void>>;
  describe: string;
};

export function embeddedDataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.TRACELINE_DATA_DIR ?? path.join(process.cwd(), ".data", "pglite"));
}

function lockPath(dir: string) {
  return `${dir}.lock`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite corrupts a data folder opened by two processes. Whoever opens it takes a lock file with its pid;
 * anyone else refuses with a message that says what to do.
 */
export function acquireEmbeddedLock(dir: string): () => void {
  const file = lockPath(dir);
  if (existsSync(file)) {
    const holder = Number.parseInt(readFileSync(file, "utf8").split("\n")[0] ?? "", 10);
    if (Number.isInteger(holder) && holder !== process.pid && pidAlive(holder)) {
      throw new Error(
        `The embedded database at ${dir} is in use by process ${holder} (probably the running Traceline app). ` +
          `Stop that process first, or point this tool at a PostgreSQL server with DATABASE_URL. ` +
          `Opening the folder from two processes would corrupt it.`,
      );
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${process.pid}\n${new Date().toISOString()}\n`);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const holder = Number.parseInt(readFileSync(file, "utf8").split("\n")[0] ?? "", 10);
      if (holder === process.pid) rmSync(file);
    } catch {
      /* already gone */
    }
  };
  process.once("exit", release);
  return release;
}

/**
 * Open the database. On PostgreSQL the application logs in as its own role (`traceline_app`: LOGIN, not a superuser,
 * owns nothing; created by the migrations), so a statement run by the app cannot SET ROLE to anything more powerful:
 * - DATABASE_URL names traceline_app: the app uses it as it is; migrations need the owner's URL in DATABASE_OWNER_URL
 *   (npm run db:migrate, or the app's start).
 * - DATABASE_URL names another user (the tables' owner: a development machine, the tests, the quick setup): migrations
 *   run as that user, and the app logs in as traceline_app on the same server and database, with TRACELINE_APP_PASSWORD
 *   when the server asks for a password.
 * `role: null` keeps the URL's own user (check:ledger, tests that act as the owner). PGlite has no logins: there the
 * app switches to the role with SET ROLE (an embedded database is reachable only from this process).
 */
export async function openDatabase(opts: { url?: string; ownerUrl?: string; role?: string | null; max?: number } = {}): Promise<Database> {
  const url = opts.url ?? process.env.DATABASE_URL;
  const role = opts.role === undefined ? (process.env.TRACELINE_DB_ROLE ?? APP_ROLE) : opts.role;
  if (role && !/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`TRACELINE_DB_ROLE must be a plain role name, got "${role}"`);
  if (url) return openPostgres(appLogin(url, role || null), opts.ownerUrl ?? process.env.DATABASE_OWNER_URL ?? url, opts.max ?? 10);
  return openEmbedded(role || null);
}

/** The URL the app logs in with: the given one when it already names the role (or no role is asked for), else the same server and database as the role. */
export function appLogin(url: string, role: string | null): string {
  if (!role) return url;
  const u = new URL(url);
  if (decodeURIComponent(u.username) === role) return url;
  u.username = role;
  u.password = process.env.TRACELINE_APP_PASSWORD ?? "";
  return u.toString();
}

/** How many migrations the app ships (db/migrations/meta/_journal.json). */
function migrationCount(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  return journal.entries.length;
}

function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || "(default user)";
}

function openPostgres(url: string, ownerUrl: string, max: number): Database {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // After a connection closes with an error, postgres-js waits before reconnecting it, by default up to 20 s, growing
    // with every error-close since the last successful connect (shared by the pool): a burst of dropped connections
    // (a failover, backends terminated) left the whole pool waiting many seconds. Here at most 2 s, with jitter.
    backoff: reconnectDelaySeconds,
    // JIT compilation costs 100+ ms on the recursive and multi-join reads of an OLTP app and never pays back here.
    connection: { options: "-c jit=off" },
  });
  const db = drizzlePostgres(preparedStatements(client)) as unknown as Db;
  return {
    db,
    kind: "postgres",
    describe: url.replace(/\/\/[^@]*@/, `//${userOf(url)}@`),
    async migrate() {
      if (userOf(ownerUrl) === APP_ROLE) {
        // The app alone cannot migrate (it owns nothing): it starts when the owner has applied every migration.
        const applied = await client`select count(*)::int as n from drizzle.__drizzle_migrations`.then((r) => Number(r[0]!.n)).catch(() => -1);
        if (applied >= migrationCount()) return;
        throw new Error(
          `The database is not migrated${applied >= 0 ? ` (${applied} of ${migrationCount()} migrations applied)` : ""}, and migrations run as the tables' owner, ` +
            `not as ${APP_ROLE}: run npm run db:migrate with DATABASE_URL (or DATABASE_OWNER_URL) set to the owner's connection, ` +
            `or give the app DATABASE_OWNER_URL (README, "PostgreSQL: roles and DATABASE_URL").`,
        );
      }
      const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
      try {
        await owner`select pg_advisory_lock(724105)`;
        await migratePostgres(drizzlePostgres(owner), { migrationsFolder: MIGRATIONS_FOLDER });
        await owner`select pg_advisory_unlock(724105)`;
      } finally {
        await owner.end();
      }
    },
    async close() {
      // statements still running get 5 s, then their connections are closed: a shutdown never waits for good
      await client.end({ timeout: 5 });
    },
    async listen(channel, onNotify, onListening) {
      // postgres-js keeps one dedicated connection for its listeners, reconnects it and calls onlisten again
      const { unlisten } = await client.listen(channel, onNotify, onListening);
      return unlisten;
    },
  };
}

/** Seconds before a connection that closed with an error is reconnected: 50 ms doubling per error, at most 2 s, with jitter. */
export function reconnectDelaySeconds(errorsSinceLastConnect: number): number {
  return Math.min(0.05 * 2 ** Math.max(0, errorsSinceLastConnect - 1), 2) * (0.5 + Math.random() / 2);
}

/**
 * How the app talks to PostgreSQL through postgres-js, tuned for a station's scan (npm run bench:station):
 * - Drizzle runs every query as an unnamed statement, and postgres-js then asks the server to describe an unnamed
 *   statement's parameters before binding it: two round trips and a fresh parse and plan per query. They run as named
 *   prepared statements instead (postgres-js keeps them per connection, keyed by text and parameter types, and recycles
 *   connections every 30-60 minutes): one round trip, parsed once, planned by the server's plan cache.
 * - postgres-js waits for BEGIN's answer before the transaction's first statement is sent. Here a transaction reserves a
 *   connection and sends BEGIN with its first statement (one write, one round trip); COMMIT, or ROLLBACK when the work
 *   throws. Nested transactions are savepoints, as before.
 */
function preparedStatements<T extends postgres.Sql>(sql: T, lostConnection: () => Error | null = () => null): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
          const lost = lostConnection();
          return lost ? failedStatement(lost) : target.unsafe(query, args, { ...options, prepare: true });
        };
      }
      if (prop === "begin") return (...args: unknown[]) => transaction(target, args);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/**
 * A statement that is not sent because its transaction's connection is gone: it fails at once, and offers the pending
 * query's methods drizzle calls (values, raw, execute) so that callers see an ordinary failed statement.
 */
function failedStatement(error: Error) {
  const failed = Promise.reject(error);
  failed.catch(() => {});
  return Object.assign(failed, { values: () => failed, raw: () => failed, execute: () => failed }) as unknown as postgres.PendingQuery<postgres.Row[]>;
}

/**
 * The database connection was lost (network drop, backend terminated, server restart) while a transaction was open:
 * the transaction did not commit (or, when it was lost during COMMIT, its outcome is unknown to this process). Retrying
 * the same command with the same request id is safe: it takes effect once.
 */
export class DatabaseConnectionLost extends Error {
  readonly code = "DATABASE_CONNECTION_LOST";
  constructor(readonly cause?: unknown) {
    super("The connection to the database was lost during the transaction; it did not complete. Retry.");
    this.name = "DatabaseConnectionLost";
  }
}

/** postgres-js error codes and SQLSTATEs that mean the connection is gone (not a refusal by the server). */
const CONNECTION_GONE = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "57P01", "57P02", "57P03"]);

export function isConnectionLost(e: unknown): boolean {
  if (e instanceof DatabaseConnectionLost) return true;
  const err = ((e as { cause?: unknown })?.cause ?? e) as { code?: unknown } | null;
  const code = (e as { code?: unknown } | null)?.code ?? err?.code;
  return typeof code === "string" && CONNECTION_GONE.has(code);
}

/** The part of postgres-js's connection object a transaction needs when the connection dies under it. */
type PgConnection = { onclose?: ((e: unknown) => void) | null; terminate(): void };

/** How long a ROLLBACK may take before the connection is considered dead and closed. */
const ROLLBACK_TIMEOUT_MS = 5_000;

async function transaction(pool: postgres.Sql, args: unknown[]): Promise<unknown> {
  const work = args.pop() as (tx: postgres.Sql) => unknown;
  const mode = typeof args[0] === "string" ? args[0].replace(/[^a-z ]/gi, "") : "";
  const conn = await pool.reserve();
  // A reserved connection that closes is not noticed by postgres-js: statements sent afterwards never settle (or, once
  // the pool has reconnected that connection object for someone else, get that someone's answers), and releasing it
  // would put it back among the open ones. So the transaction watches its connection: when it closes, the work is
  // abandoned at once with DatabaseConnectionLost, its later statements fail without being sent, and the connection is
  // not released: the pool already holds it as closed and reconnects it when needed. A connection that answers a fatal
  // error, or does not answer a ROLLBACK in time, is closed here and treated the same way.
  let connection: PgConnection | null = null;
  let lost: DatabaseConnectionLost | null = null;
  let signalLost: (e: DatabaseConnectionLost) => void = () => {};
  const whenLost = new Promise<never>((_, reject) => (signalLost = reject));
  whenLost.catch(() => {});
  const markLost = (cause: unknown, close: boolean) => {
    if (lost) return;
    lost = new DatabaseConnectionLost(cause);
    if (close) connection?.terminate();
    signalLost(lost);
  };
  const untilLost = <T>(p: Promise<T>) => Promise.race([p, whenLost]);
  /** A statement of the transaction's own (savepoints, commit, rollback), not sent once the connection is lost. */
  const send = (text: string) => (lost ? failedStatement(lost) : conn.unsafe(text));
  let savepoints = 0;
  // Once the connection is lost, the work's next statements fail without touching it: postgres-js would otherwise send
  // them on whatever the pool has since reconnected that connection object for, and mix up answers.
  const tx = preparedStatements(conn, () => lost) as unknown as postgres.Sql & { savepoint: (fn: (tx: postgres.Sql) => unknown) => Promise<unknown> };
  // a savepoint runs its work in a nested scope; its failure rolls back to the savepoint and is rethrown
  Object.defineProperty(tx, "savepoint", {
    value: async (fn: (inner: postgres.Sql) => unknown) => {
      const name = `tl_sp_${savepoints++}`;
      await send(`savepoint ${name}`);
      try {
        const result = await fn(tx);
        await send(`release savepoint ${name}`);
        return result;
      } catch (e) {
        if (!lost && !isConnectionLost(e)) await send(`rollback to savepoint ${name}`);
        throw e;
      }
    },
  });
  const onclose = (cause: unknown) => markLost(cause, false);
  const onexecute = (c: PgConnection) => {
    connection = c;
    c.onclose = onclose;
    return true; // postgres-js: the connection may take the next statement at once (pipelining)
  };
  const begin = conn.unsafe(`begin ${mode}`, [], { onexecute } as postgres.UnsafeQueryOptions);
  void begin.execute().catch(() => {}); // answered with the first statement's round trip; awaited below
  try {
    const result = await untilLost(Promise.resolve(work(tx)));
    await untilLost(begin);
    await untilLost(send("commit"));
    return result;
  } catch (e) {
    if (!lost && isConnectionLost(e)) markLost(e, true);
    if (!lost) {
      await begin.catch(() => {});
      const rolledBack = await Promise.race([
        send("rollback").then(
          () => true,
          (r: unknown) => !isConnectionLost(r),
        ),
        new Promise<boolean>((resolve) => setTimeout(resolve, ROLLBACK_TIMEOUT_MS, false).unref()),
      ]);
      if (!rolledBack) markLost(e, true);
    }
    throw lost ?? e;
  } finally {
    if (connection && (connection as PgConnection).onclose === onclose) (connection as PgConnection).onclose = null;
    if (!lost) conn.release();
  }
}

async function openEmbedded(role: string | null): Promise<Database> {
  const dir = embeddedDataDir();
  const release = acquireEmbeddedLock(dir);
  mkdirSync(dir, { recursive: true });
  // Loaded lazily so that a PostgreSQL deployment never loads the WASM build.
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = new PGlite(dir);
  await pg.waitReady;
  const switchRole = async () => {
    if (!role) return;
    const found = await pg.query("select 1 from pg_roles where rolname = $1", [role]);
    if (found.rows.length > 0) await pg.exec(`set role ${role}`);
  };
  await switchRole();
  const db = drizzlePglite(pg) as unknown as Db;
  return {
    db,
    kind: "embedded",
    describe: `embedded PostgreSQL (PGlite) at ${dir}`,
    async migrate() {
      await pg.exec("reset role");
      await migratePglite(drizzlePglite(pg), { migrationsFolder: MIGRATIONS_FOLDER });
      await switchRole();
    },
    async close() {
      await pg.close();
      release();
    },
    async listen(channel, onNotify, onListening) {
      // one process, one session: a transaction's notifications reach this session's listeners at its commit
      const unlisten = await pg.listen(channel, onNotify);
      onListening();
      return unlisten;
    },
  };
}

/** Rows of a raw query, whichever driver ran it (postgres-js returns an array, PGlite an object with rows). */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
