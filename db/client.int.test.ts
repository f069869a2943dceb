import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { acquireEmbeddedLock, openDatabase, queryRows } from "./client";
import { seedDemoPlant } from "./seed/demo-plant";
import { failedChecks, runLedgerChecks } from "../server/repos/ledger-checks";

/** The quick start's embedded database: the same migrations, the demo plant, the app role, and the one-process lock. */
describe("embedded PostgreSQL (PGlite)", () => {
  it("migrates with the same migrations, loads the demo plant, works as the app role, and survives a restart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "traceline-pglite-"));
    const previous = process.env.TRACELINE_DATA_DIR;
    const previousUrl = process.env.DATABASE_URL;
    process.env.TRACELINE_DATA_DIR = path.join(dir, "pglite");
    delete process.env.DATABASE_URL;
    try {
      const first = await openDatabase();
      expect(first.kind).toBe("embedded");
      await first.migrate();
      expect((await seedDemoPlant(first.db, { now: new Date() })).created).toBe(true);
      const [who] = await queryRows<{ current_user: string }>(first.db, sql`select current_user`);
      expect(who!.current_user).toBe("traceline_app");
      await expect(first.db.execute(sql`delete from audit_log`)).rejects.toThrow();
      expect(failedChecks(await runLedgerChecks(first.db))).toEqual([]);
      await first.close();

      const again = await openDatabase();
      await again.migrate();
      expect((await seedDemoPlant(again.db, { now: new Date() })).created).toBe(false);
      const [sites] = await queryRows<{ n: number }>(again.db, sql`select count(*)::int as n from sites`);
      expect(sites!.n).toBe(2);
      await again.close();
    } finally {
      if (previous === undefined) delete process.env.TRACELINE_DATA_DIR;
      else process.env.TRACELINE_DATA_DIR = previous;
      if (previousUrl !== undefined) process.env.DATABASE_URL = previousUrl;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses a second process while one holds the folder, and frees it on release", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "traceline-lock-"));
    const folder = path.join(dir, "pglite");
    try {
      // another live process holds the lock (the test runner's parent stands in for the running app)
      const livePid = process.ppid;
      expect(livePid).not.toBe(process.pid);
      writeFileSync(`${folder}.lock`, `${livePid}\n${new Date().toISOString()}\n`);
      expect(() => acquireEmbeddedLock(folder)).toThrow(/in use by process \d+.*Stop that process first, or point this tool at a PostgreSQL server/);
      // a stale lock (dead pid) is taken over
      writeFileSync(`${folder}.lock`, `999999999\nold\n`);
      const release = acquireEmbeddedLock(folder);
      release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
