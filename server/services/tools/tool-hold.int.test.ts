import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO_PASSWORD, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { openDatabase, queryRows, type Database, type DbOrTx, type Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { consumeComponent } from "@/server/services/station/consume-component";
import { readWipBoard, type WipBoard } from "@/server/services/wip/read-board";
import { BoardFeed } from "@/server/services/wip/board-feed";
import { holdTool, releaseToolHold, toolHoldSignature } from "./tool-hold";
import { TEST_NOW } from "@/db/testing/clock";

/*
 * A torque wrench found out of calibration, on the demo plant: quality holds it with a signed action; the station then
 * refuses it; the WIP board marks the units in work it made installs on (since its last good calibration when asked,
 * else every one), and the board's feed is told; the release is signed and the marks go.
 */

const t = useTestDatabase("demo");
let ids: DemoIds;
let priya: Actor;
let maria: Actor;
let jamal: Actor;
const now = TEST_NOW;
const day = 86_400_000;
const rid = () => randomUUID();
const ctx = () => ({ now, clientKey: `test-${randomUUID()}` });
const sign = (meaning = "hold") => ({ method: "password" as const, secret: DEMO_PASSWORD, meaning });
const opened: Database[] = [];

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  priya = await actorFor(t.db, "priya.raman");
  maria = await actorFor(t.db, "B1001");
  jamal = await actorFor(t.db, "B1002");
});
afterAll(async () => {
  for (const d of opened) await d.close();
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** A torque wrench calibrated 30 days ago, due in 60. */
async function wrench(db: DbOrTx, code: string) {
  await db.execute(sql`insert into tools (site_id, code, tool_class, description, calibrated_at, calibration_due_at)
    values (${priya.siteId}, ${code}, 'TORQUE-WRENCH', 'Torque wrench 5-25 N·m', ${new Date(now.getTime() - 30 * day).toISOString()}::timestamptz, ${new Date(now.getTime() + 60 * day).toISOString()}::timestamptz)`);
}

/** Two brackets of KP24-0901 into a unit at FA-01, operation 10, with the wrench scanned. */
const install = (db: DbOrTx, unit: string, code: string, at: Date) =>
  consumeComponent(db, maria, { requestId: rid(), stationId: ids.station("WCH", "FA-01"), unitId: ids.unit("WCH", unit), operationSeq: 10, item: { lotId: ids.lot("WCH", "KP24-0901") }, quantity: "1", toolCodes: [code] }, at);

const toolMarks = (b: WipBoard, serial: string) =>
  b.lines
    .flatMap((l) => l.cells.flatMap((c) => c.tiles))
    .find((x) => x.serial === serial)!
    .blockers.filter((x) => x.kind === "tool_hold");

describe("a tool on hold", () => {
  it("is held signed, refused at the station, marks the units it touched on the WIP board (since its last calibration when asked), and is released signed", async () => {
    await inRollback(t.db, async (tx: Tx) => {
      await wrench(tx, "TW-0420");
      // one install before its last calibration (ACT-1005, 40 days ago), one after (ACT-1004, now)
      await install(tx, "ACT-1005", "TW-0420", new Date(now.getTime() - 40 * day));
      await install(tx, "ACT-1004", "TW-0420", now);
      const site = { siteId: priya.siteId, timeZone: priya.timeZone };
      const before = await readWipBoard(tx, site, {}, now);
      expect(toolMarks(before, "ACT-1004")).toEqual([]);

      // only quality holds a tool, and the signature is re-authenticated
      expect((await refusal(holdTool(tx, jamal, { requestId: rid(), code: "TW-0420", reason: "Found 8% low", sinceLastCalibration: true, signature: sign() }, ctx()))).code).toBe("FORBIDDEN");
      expect((await refusal(holdTool(tx, priya, { requestId: rid(), code: "TW-0420", reason: "Found 8% low", sinceLastCalibration: true, signature: { ...sign(), secret: "wrong" } }, ctx()))).code).toBe("SIGNATURE_REFUSED");
      const [unheld] = await queryRows<{ hold_reason: string | null }>(tx, sql`select hold_reason from tools where code = 'TW-0420'`);
      expect(unheld!.hold_reason).toBeNull();

      const held = await holdTool(tx, priya, { requestId: rid(), code: "tw-0420", reason: "Found 8% low at the periodic check", sinceLastCalibration: true, signature: sign() }, ctx());
      expect(held.affectsSince).toEqual(new Date(now.getTime() - 30 * day));
      const sig = await toolHoldSignature(tx, priya, "TW-0420");
      expect(sig).toMatchObject({ printedName: "Priya Raman", meaning: "hold", status: "valid" });

      // the station refuses the held tool, naming the hold
      const e = await refusal(install(tx, "ACT-1004", "TW-0420", now));
      expect(e.code).toBe("TOOL_NOT_USABLE");
      expect(e.message).toMatch(/Tool TW-0420 is on hold: Found 8% low at the periodic check/);

      // the board marks the unit touched since the last calibration, not the one touched before it
      const since = await readWipBoard(tx, site, {}, now);
      expect(toolMarks(since, "ACT-1004")).toEqual([{ kind: "tool_hold", toolCode: "TW-0420", reason: "Found 8% low at the periodic check", installs: 1 }]);
      expect(toolMarks(since, "ACT-1005")).toEqual([]);
      expect(since.totals.blockedBy.tool_hold).toBe(1);

      // the hold's signature binds: altering the hold shows it invalid
      await tx.execute(sql`update tools set hold_reason = 'Fine after all' where code = 'TW-0420'`);
      expect((await toolHoldSignature(tx, priya, "TW-0420"))!.status).toBe("invalid");
      await tx.execute(sql`update tools set hold_reason = 'Found 8% low at the periodic check' where code = 'TW-0420'`);

      // released (signed), held again for every install it ever made: both units marked
      await releaseToolHold(tx, priya, { requestId: rid(), code: "TW-0420", reason: "Re-verified: within tolerance", signature: sign("release") }, ctx());
      expect(toolMarks(await readWipBoard(tx, site, {}, now), "ACT-1004")).toEqual([]);
      const again = await holdTool(tx, priya, { requestId: rid(), code: "TW-0420", reason: "Dropped on the floor", sinceLastCalibration: false, signature: sign() }, ctx());
      expect(again.affectsSince).toBeNull();
      const all = await readWipBoard(tx, site, {}, now);
      expect(toolMarks(all, "ACT-1004").map((b) => b.kind === "tool_hold" && b.reason)).toEqual(["Dropped on the floor"]);
      expect(toolMarks(all, "ACT-1005")).toHaveLength(1);
      const audit = await queryRows<{ action: string }>(tx, sql`select action from audit_log where entity = 'tool' and entity_id = 'TW-0420' order by id`);
      expect(audit.map((a) => a.action)).toEqual(["tool_held", "tool_hold_released", "tool_held"]);
      // already held: refused before any signature is asked
      expect((await refusal(holdTool(tx, priya, { requestId: rid(), code: "TW-0420", reason: "Again", sinceLastCalibration: false, signature: sign() }, ctx()))).message).toMatch(/already on hold/);
    });
  });

  it("tells the site's open WIP boards when a tool is held (the tools row's NOTIFY)", async () => {
    const feedDb = await openDatabase({ url: t.url, max: 1 });
    opened.push(feedDb);
    const feed = new BoardFeed(async () => feedDb);
    await feed.start();
    const events: number[] = [];
    feed.subscribe(priya.siteId, (v) => events.push(v));
    await new Promise((r) => setTimeout(r, 600));
    events.length = 0;
    await wrench(t.db, "TW-0421");
    await new Promise((r) => setTimeout(r, 600));
    events.length = 0;
    await holdTool(t.db, priya, { requestId: rid(), code: "TW-0421", reason: "Out of calibration", sinceLastCalibration: true, signature: sign() }, ctx());
    await new Promise((r) => setTimeout(r, 800));
    expect(events).toHaveLength(1);
  });
});
