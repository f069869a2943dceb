import { sql } from "drizzle-orm";
import type { Db } from "../client";

/**
 * Whether the pool still has all its connections: `size` transactions must hold a connection each at the same time
 * within `ms`. A connection a fault leaked (reserved for good, or lost to the pool) leaves the last one waiting.
 */
export async function poolHoldsAll(db: Db, size: number, ms = 5_000): Promise<boolean> {
  let arrived = 0;
  let release: () => void = () => {};
  const together = new Promise<void>((resolve) => (release = resolve));
  const transactions = Array.from({ length: size }, () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      if (++arrived === size) release();
      await together;
    }),
  );
  const held = await Promise.race([together.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, ms, false).unref())]);
  release();
  await Promise.allSettled(transactions);
  return held;
}
