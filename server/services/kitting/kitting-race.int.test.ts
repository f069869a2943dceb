import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { queryRows } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createKit } from "./create-kit";
import { pickToKit } from "./pick-to-kit";
import { recordShortPick } from "./record-short-pick";
import { issueKit } from "./issue-kit";
import { getKit } from "./get-kit";
import { failureCode } from "@/db/testing/race";
import { TEST_NOW } from "@/db/testing/clock";

// Real commits, concurrent connections: this file has its own database (a clone of the demo plant).
const t = useTestDatabase("demo", { max: 20 });
let ids: DemoIds;
let jamal: Actor;
const CLERKS = 8;
const kitIds: string[] = [];

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  jamal = await actorFor(t.db, "B1002");
  for (let i = 0; i < CLERKS; i++) {
    const kit = await createKit(
      t.db,
      jamal,
      { requestId: randomUUID(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "work_order" }, stationId: ids.station("WCH", i % 2 === 0 ? "FA-01" : "FA-02") },
      TEST_NOW,
    );
    kitIds.push(kit.kitId);
  }
});

async function balance(lot: string, location: string) {
  const [row] = await queryRows<{ on_hand: string; reserved: string }>(
    t.db,
    sql`select on_hand::text, reserved::text from stock_balances where lot_id = ${ids.lot("WCH", lot)} and location_id = ${ids.location("WCH", location)}`,
  );
  return { onHand: Number(row!.on_hand), reserved: Number(row!.reserved) };
}

describe("kitting under concurrency (real commits)", () => {
  it("eight clerks picking from the same lots never over-allocate", async () => {
    // Lot KP24-0901 has 20 brackets free in ST-A01; each kit needs 8 (2 per unit x 4 units): 64 wanted, 20 there.
    const refusals: string[] = [];
    await Promise.all(
      kitIds.map(async (kitId) => {
        for (let n = 0; n < 10; n++) {
          try {
            await pickToKit(t.db, jamal, { requestId: randomUUID(), kitId, scan: "KP24-0901", quantity: "1" }, TEST_NOW);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            refusals.push(e.code);
          }
        }
        // and a little of the sealant lot, so the kits overlap on a second balance
        await pickToKit(t.db, jamal, { requestId: randomUUID(), kitId, scan: "AC24-0519", quantity: "12.5" }, TEST_NOW);
      }),
    );
    expect(refusals.length).toBeGreaterThanOrEqual(CLERKS * 10 - 20);
    expect(refusals.filter((c) => c !== "INSUFFICIENT_STOCK" && c !== "OVER_PICK")).toEqual([]);
    const brackets = await balance("KP24-0901", "ST-A01");
    expect(brackets).toEqual({ onHand: 20, reserved: 20 });
    const [picked] = await queryRows<{ q: string }>(t.db, sql`select sum(quantity)::text as q from kit_picks where lot_id = ${ids.lot("WCH", "KP24-0901")}`);
    expect(Number(picked!.q)).toBe(20);
    expect((await balance("AC24-0519", "ST-FRZ")).reserved).toBe(100);
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("eight concurrent kit issues over overlapping lots finish without deadlock and keep the checks green", async () => {
    // settle every line: what is not picked is recorded short
    for (const kitId of kitIds) {
      const view = await getKit(t.db, jamal, kitId, TEST_NOW);
      for (const line of view.lines) {
        if (line.outstanding !== "0") {
          await recordShortPick(t.db, jamal, { requestId: randomUUID(), kitId, kitLineId: line.id, quantity: line.outstanding, reason: "Not in stores: race test" }, TEST_NOW);
        }
      }
    }
    const results = await Promise.allSettled(kitIds.map((kitId) => issueKit(t.db, jamal, { requestId: randomUUID(), kitId }, TEST_NOW)));
    const failures = results.filter((r) => r.status === "rejected").map((r) => failureCode((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    expect(await balance("KP24-0901", "ST-A01")).toEqual({ onHand: 0, reserved: 0 });
    expect(await balance("AC24-0519", "ST-FRZ")).toEqual({ onHand: 1150, reserved: 0 });
    const fa01 = await balance("AC24-0519", "POU-FA-01");
    const fa02 = await balance("AC24-0519", "POU-FA-02");
    expect(fa01.onHand + fa02.onHand).toBe(237.5 + 100);
    const [issued] = await queryRows<{ n: string }>(t.db, sql`select count(*)::text as n from kits where status = 'issued'`);
    expect(issued!.n).toBe(String(CLERKS));
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });
});
