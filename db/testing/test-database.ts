import { afterAll, beforeAll, inject } from "vitest";
import { randomUUID } from "node:crypto";
import { openDatabase, type Database, type Db, type Tx } from "../client";
import { createDatabase, dropDatabase, urlFor } from "./pg-admin";

export type TestDatabase = {
  /** Connection as the application role (traceline_app), like the app. */
  readonly db: Db;
  /** Connection as the owner, for tests that must prove what the app role cannot do. */
  readonly ownerDb: Db;
  readonly url: string;
  readonly name: string;
};

/**
 * A private database for this test file, cloned from a migrated template ("empty" or "demo" plant).
 * Call at the top level of a test file; the database is dropped after the file.
 */
export function useTestDatabase(template: "empty" | "demo" = "empty", opts: { max?: number } = {}): TestDatabase {
  const name = `tl_t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  let app: Database | null = null;
  let owner: Database | null = null;
  const handle = {
    get db() {
      if (!app) throw new Error("useTestDatabase: database not ready (use it inside tests or hooks)");
      return app.db;
    },
    get ownerDb() {
      if (!owner) throw new Error("useTestDatabase: database not ready");
      return owner.db;
    },
    url: urlFor(name),
    name,
  };
  beforeAll(async () => {
    const templates = inject("templates");
    await createDatabase(name, templates[template]);
    app = await openDatabase({ url: handle.url, max: opts.max ?? 10 });
    owner = await openDatabase({ url: handle.url, role: null, max: 2 });
  });
  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await dropDatabase(name);
  });
  return handle;
}

class Rollback extends Error {}

/** Run fn in a transaction that is always rolled back: the test leaves nothing behind. */
export async function inRollback<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db.transaction(async (tx) => {
      result = await fn(tx);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return result as T;
}
