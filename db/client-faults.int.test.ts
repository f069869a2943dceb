import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "./client";
import { useTestDatabase } from "./testing/test-database";
import { withAdmin } from "./testing/pg-admin";

// A connection that dies in the middle of a transaction (network drop, backend killed, failover) must end that
// request with an error promptly and give the pool its slot back: otherwise every such drop leaks one connection and a
// handful of them freeze the whole app (issue: 12 of 12 requests hung after ten drops).
const t = useTestDatabase("empty");

async function terminate(pid: number) {
  await withAdmin((admin) => admin`select pg_terminate_backend(${pid})`);
}

describe("a connection lost mid-transaction", () => {
  it("rejects the transaction within seconds and the pool (of one connection) serves the next request", async () => {
    const d = await openDatabase({ url: t.url, max: 1 });
    try {
      for (let round = 0; round < 3; round++) {
        const started = Date.now();
        const failed = await d.db
          .transaction(async (tx) => {
            const [me] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
            await terminate(me!.pid);
            await queryRows(tx, sql`select 1`);
            return "committed";
          })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(failed).toBeInstanceOf(Error);
        expect(Date.now() - started).toBeLessThan(5_000);
        // the single connection came back and reconnects
        const [row] = await queryRows<{ ok: number }>(d.db, sql`select 1 as ok`);
        expect(row!.ok).toBe(1);
      }
    } finally {
      await d.close();
    }
  });

  it("a connection killed while COMMIT is in flight rejects (the outcome is unknown to the caller) and frees the pool", async () => {
    const d = await openDatabase({ url: t.url, max: 1 });
    try {
      await d.db.execute(sql`create table if not exists fault_probe (id int primary key)`).catch(() => {});
      const failed = await d.db
        .transaction(async (tx) => {
          const [me] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
          // the kill lands while the transaction is idle, before COMMIT is sent
          setTimeout(() => void terminate(me!.pid), 0);
          await new Promise((r) => setTimeout(r, 300));
          return "done";
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(failed).toBeInstanceOf(Error);
      const [row] = await queryRows<{ ok: number }>(d.db, sql`select 1 as ok`);
      expect(row!.ok).toBe(1);
    } finally {
      await d.close();
    }
  });
});
