import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createStationPlant } from "@/db/testing/station-fixtures";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { openDatabase, type Database, type Db } from "@/db/client";
import * as s from "@/db/schema";
import { BoardFeed } from "./board-feed";

/*
 * The board's change feed on both databases: a committed change at a site reaches that site's subscribers once (within
 * the coalescing window), a rolled-back one never does, another site's changes do not; on the embedded PGlite too.
 */

const t = useTestDatabase("empty");
const opened: Database[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

function recorder() {
  const versions: number[] = [];
  return { versions, listener: (v: number) => versions.push(v) };
}
const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));

async function holdOn(db: Db, plant: Awaited<ReturnType<typeof createStationPlant>>, reason: string) {
  const part = await createTestPart(db, "lot");
  const lot = await createTestLot(db, plant.siteId, part.revisionId);
  return db.insert(s.holds).values({ siteId: plant.siteId, targetType: "lot", targetId: lot.id, reason, placedBy: plant.qualityId, placedAt: new Date() }).returning();
}

describe("WIP board feed", () => {
  it("on PostgreSQL: a committed change tells its site's boards once; a rollback and another site's change do not", async () => {
    const a = await createStationPlant(t.db);
    const b = await createStationPlant(t.db);
    const feedDb = await openDatabase({ url: t.url, max: 1 });
    opened.push(feedDb);
    const feed = new BoardFeed(async () => feedDb);
    await feed.start();
    const atA = recorder();
    const atB = recorder();
    feed.subscribe(a.siteId, atA.listener);
    feed.subscribe(b.siteId, atB.listener);
    await settle(); // the listen's own "everything changed" after connecting
    atA.versions.length = 0;
    atB.versions.length = 0;

    // a transaction of several changes at A: one event
    await t.db.transaction(async (tx) => {
      await holdOn(tx as unknown as Db, a, "Quarantine");
      await holdOn(tx as unknown as Db, a, "Cert missing");
    });
    await settle();
    expect(atA.versions).toHaveLength(1);
    expect(atB.versions).toEqual([]);

    // rolled back: nothing
    await inRollback(t.db, async (tx) => {
      await holdOn(tx as unknown as Db, a, "Never committed");
    });
    await settle();
    expect(atA.versions).toHaveLength(1);

    // B's change: B only
    await holdOn(t.db, b, "At B");
    await settle();
    expect(atA.versions).toHaveLength(1);
    expect(atB.versions).toHaveLength(1);
    expect(feed.version(a.siteId)).toBe(atA.versions[0]);
  });

  it("on the embedded database (PGlite): a committed change reaches the site's boards", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tl-feed-"));
    const before = process.env.TRACELINE_DATA_DIR;
    process.env.TRACELINE_DATA_DIR = path.join(dir, "pglite");
    try {
      const lite = await openDatabase({ url: "", role: null });
      try {
        await lite.migrate();
        const plant = await createStationPlant(lite.db);
        const feed = new BoardFeed(async () => lite);
        await feed.start();
        const rec = recorder();
        feed.subscribe(plant.siteId, rec.listener);
        await settle();
        rec.versions.length = 0;
        await holdOn(lite.db, plant, "Embedded");
        await settle();
        expect(rec.versions).toHaveLength(1);
      } finally {
        await lite.close();
      }
    } finally {
      if (before === undefined) delete process.env.TRACELINE_DATA_DIR;
      else process.env.TRACELINE_DATA_DIR = before;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
