import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSite, type TestSite } from "@/db/testing/factories";
import { TEST_NOW } from "@/db/testing/clock";
import { queryRows } from "@/db/client";
import { failureCode, seededRandom, sleep } from "@/db/testing/race";
import type { Leg } from "@/server/domain/stock/movement";
import { postMovement } from "./ledger";
import { failedChecks, runLedgerChecks } from "./ledger-checks";

// Invariant 6 under real commits: postings over overlapping balance keys, some existing and some used for the first time,
// started at staggered moments by several writers at once, never deadlock. The balance rows of a key used for the first
// time are created concurrently by whoever gets there first: that is where a lock taken out of the global order hides.
const t = useTestDatabase("empty", { max: 24 });

describe("ledger postings under staggered concurrency (invariant 6)", () => {
  const ROUNDS = Number(process.env.LEDGER_RACE_ROUNDS ?? 40);
  const WRITERS = 6;
  const LOTS = 4;
  const seed = Number(process.env.LEDGER_RACE_SEED ?? Date.now() % 100000);

  it(`${WRITERS} writers x ${ROUNDS} rounds over keys created on the fly: no deadlock, every posting applied, checks green`, async () => {
    console.log(`ledger race: seed ${seed} (LEDGER_RACE_SEED=${seed} to replay), ${ROUNDS} rounds x ${WRITERS} writers`);
    const random = seededRandom(seed);
    const site: TestSite = await createTestSite(t.db);
    // three physical destinations, so writers create different subsets of new keys in different orders
    const [pou, kitting, quarantine] = [site.loc.point_of_use, site.loc.kitting, site.loc.quarantine];
    const part = await createTestPart(t.db, "lot");
    const failures: string[] = [];
    let posted = 0;

    for (let round = 0; round < ROUNDS; round++) {
      // fresh lots each round: every destination key is used for the first time by these writers
      const lots: string[] = [];
      for (let i = 0; i < LOTS; i++) {
        const lot = await createTestLot(t.db, site.siteId, part.revisionId);
        await t.db.transaction((tx) =>
          postMovement(tx, {
            siteId: site.siteId,
            kind: "receive_from_erp",
            occurredAt: TEST_NOW,
            legs: [
              { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: site.loc.erp_supply, quantity: "-1000" },
              { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: site.loc.stores, quantity: "1000" },
            ],
          }),
        );
        lots.push(lot.id);
      }
      const writers = Array.from({ length: WRITERS }, () => {
        const delay = Math.floor(random() * 40);
        const legs: Leg[] = [];
        for (const lotId of lots) {
          if (random() < 0.35) continue;
          const to = [pou, kitting, quarantine][Math.floor(random() * 3)]!;
          legs.push({ partRevisionId: part.revisionId, lotId, serialItemId: null, locationId: site.loc.stores, quantity: "-1" });
          legs.push({ partRevisionId: part.revisionId, lotId, serialItemId: null, locationId: to, quantity: "1" });
        }
        if (legs.length === 0) legs.push(
          { partRevisionId: part.revisionId, lotId: lots[0]!, serialItemId: null, locationId: site.loc.stores, quantity: "-1" },
          { partRevisionId: part.revisionId, lotId: lots[0]!, serialItemId: null, locationId: pou, quantity: "1" },
        );
        // a transaction that holds its locks a little: the window in which the others arrive
        const hold = Math.floor(random() * 5);
        return { delay, legs, hold };
      });
      const results = await Promise.allSettled(
        writers.map(async (w) => {
          await sleep(w.delay);
          await t.db.transaction(async (tx) => {
            await postMovement(tx, { siteId: site.siteId, kind: "stage", occurredAt: TEST_NOW, legs: w.legs });
            if (w.hold) await tx.execute(sql`select pg_sleep(${w.hold / 1000})`);
          });
        }),
      );
      for (const r of results) {
        if (r.status === "rejected") failures.push(`round ${round}: ${failureCode(r.reason)}`);
        else posted++;
      }
    }
    expect(failures).toEqual([]);
    expect(posted).toBe(ROUNDS * WRITERS);
    const [moves] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from movements where site_id = ${site.siteId} and kind = 'stage'`);
    expect(moves!.n).toBe(ROUNDS * WRITERS);
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });
});
