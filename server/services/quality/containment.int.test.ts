import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO, DEMO_PASSWORD, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { activeHoldReach, activeHoldsInUnit, holdMarkersOf } from "@/server/repos/containment";
import { traceWhereUsed } from "@/server/repos/genealogy-where-used";
import { completeOperation } from "@/server/services/station/complete-operation";
import { shipUnit } from "@/server/services/production/ship-unit";
import { placeHold } from "./place-hold";
import { releaseHold } from "./release-hold";
import { holdUnits } from "./hold-units";
import { TEST_NOW } from "@/db/testing/clock";

/*
 * Containment of held material on the demo plant: ACT-1002 (in work, op 30) contains held lot KP24-0877; ACT-1001
 * (completed) contains SV-3001 > TM-5001 > coil lot MM24-1187.
 */
const t = useTestDatabase("demo");
let ids: DemoIds;
let priya: Actor;
let maria: Actor;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  priya = await actorFor(t.db, "priya.raman");
  maria = await actorFor(t.db, "B1001");
});

const rid = () => randomUUID();
const ctx = () => ({ now: TEST_NOW, clientKey: `test-${randomUUID()}` });
const sign = (secret = DEMO_PASSWORD, meaning = "hold") => ({ method: "password" as const, secret, meaning });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

async function footprint(db: DbOrTx) {
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select (select count(*) from holds)::text as holds, (select count(*) from signatures)::text as signatures,
               (select count(*) from movements)::text as movements, (select count(*) from unit_operations where status = 'completed')::text as ops_done,
               (select count(*) from erp_outbox)::text as outbox, (select count(*) from request_log)::text as requests,
               (select count(*) from audit_log where entity in ('hold', 'unit_operation'))::text as audit`,
  );
  return row!;
}

/** The station ACT-1002's operation 30 is routed to. */
async function stationOfOp(db: DbOrTx, unitSerial: string, seq: number): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select st.id from units u join work_order_operations o on o.site_id = u.site_id and o.work_order_id = u.work_order_id and o.seq = ${seq}
        join stations st on st.site_id = o.site_id and st.work_center_id = o.work_center_id
        where u.serial = ${unitSerial} order by st.code limit 1`,
  );
  return row!.id;
}

describe("containment of held material", () => {
  it("refuses to complete an operation of a unit containing held material, naming the hold, and writes nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const unitId = ids.unit("WCH", DEMO.heldLot.affectsUnit);
      const stationId = await stationOfOp(tx, DEMO.heldLot.affectsUnit, 30);
      const before = await footprint(tx);
      const e = await refusal(completeOperation(tx, maria, { requestId: rid(), stationId, unitId, operationSeq: 30 }, TEST_NOW));
      expect(e.code).toBe("UNIT_CONTAINS_HELD_MATERIAL");
      expect(e.message).toMatch(new RegExp(`^Unit ${DEMO.heldLot.affectsUnit} contains held material: ${DEMO.heldLot.partNumber} rev \\S+, lot ${DEMO.heldLot.lotNumber} \\(hold: .*SEN-24-118`));
      expect(e.message).toMatch(/cannot be completed until quality releases the hold/);
      expect(e.details.holds).toHaveLength(1);
      expect(await footprint(tx)).toEqual(before);
    });
  });

  it("lets the completion go on once the hold is released (the refusal is the hold's, nothing else)", async () => {
    await inRollback(t.db, async (tx) => {
      const unitId = ids.unit("WCH", DEMO.heldLot.affectsUnit);
      const [hold] = await queryRows<{ id: string }>(tx, sql`select id from holds where target_id = ${ids.lot("WCH", DEMO.heldLot.lotNumber)} and released_at is null`);
      await releaseHold(tx, priya, { requestId: rid(), holdId: hold!.id, reason: "Sentencing complete: use as is", signature: sign(DEMO_PASSWORD, "release") }, ctx());
      expect(await activeHoldsInUnit(tx, ids.site("WCH"), ids.serial("WCH", DEMO.heldLot.affectsUnit))).toEqual([]);
      const stationId = await stationOfOp(tx, DEMO.heldLot.affectsUnit, 30);
      const e = await refusal(completeOperation(tx, maria, { requestId: rid(), stationId, unitId, operationSeq: 30 }, TEST_NOW)).catch(() => null);
      // without the hold, op 30 is judged on its own merits (its components), never on containment
      if (e) expect(e.code).not.toBe("UNIT_CONTAINS_HELD_MATERIAL");
    });
  });

  it("reaches every unit containing the material at any depth, in work, finished and shipped, for the home page's counts", async () => {
    await inRollback(t.db, async (tx) => {
      const site = ids.site("WCH");
      const reach = await activeHoldReach(tx, site);
      const [demoHold] = await queryRows<{ id: string }>(tx, sql`select id from holds where target_id = ${ids.lot("WCH", DEMO.heldLot.lotNumber)} and released_at is null`);
      expect(reach.get(demoHold!.id)).toEqual({ inWork: 1, finished: 0, shipped: 0 });

      // the coil lot three levels down in ACT-1001 (completed, in stores)
      const placed = await placeHold(tx, priya, { requestId: rid(), target: { kind: "lot", lotNumber: DEMO.genealogy.lot }, reason: "Coil wire insulation defect", signature: sign() }, ctx());
      // the same units as where-used (an independent walk) finds containing it now, by status
      const traced = await traceWhereUsed(tx, site, { kind: "lot", id: ids.lot("WCH", DEMO.genealogy.lot) }, { currentOnly: true, limit: 500 });
      const byStatus = (st: string[]) => traced.rows.filter((r) => r.status !== null && st.includes(r.status)).length;
      const expected = { inWork: byStatus(["planned", "in_progress"]), finished: byStatus(["completed"]), shipped: byStatus(["shipped"]) };
      expect(expected.finished).toBeGreaterThanOrEqual(3); // ACT-1001, SV-3001, TM-5001 at least
      const after = await activeHoldReach(tx, site);
      expect(after.get(placed.holdId)).toEqual(expected);
      const inTop = await activeHoldsInUnit(tx, site, ids.serial("WCH", DEMO.genealogy.top));
      expect(inTop).toEqual([expect.objectContaining({ holdId: placed.holdId, reason: "Coil wire insulation defect", itemLabel: expect.stringContaining(`lot ${DEMO.genealogy.lot}`) })]);

      // the same unit, shipped, still counts (as shipped)
      await tx.execute(sql`update units set status = 'shipped', shipped_at = ${TEST_NOW.toISOString()}::timestamptz, shipped_to = 'Customer' where serial = ${DEMO.genealogy.top}`);
      expect((await activeHoldReach(tx, site)).get(placed.holdId)).toEqual({ ...expected, finished: expected.finished - 1, shipped: expected.shipped + 1 });

      // markers: the held lot is flagged with the reason, a clean serial is not
      const markers = await holdMarkersOf(tx, site, { lotIds: [ids.lot("WCH", DEMO.genealogy.lot)], serialItemIds: [ids.serial("WCH", DEMO.genealogy.subAssembly)] });
      expect(markers.get(`lot:${ids.lot("WCH", DEMO.genealogy.lot)}`)).toEqual([expect.objectContaining({ holdId: placed.holdId, reason: "Coil wire insulation defect" })]);
      expect(markers.has(`serial:${ids.serial("WCH", DEMO.genealogy.subAssembly)}`)).toBe(false);
    });
  });

  it("refuses to ship a finished unit with held material three levels down, naming it, and ships it once released", async () => {
    await inRollback(t.db, async (tx) => {
      const jamal = await actorFor(tx, "B1002");
      const placed = await placeHold(tx, priya, { requestId: rid(), target: { kind: "lot", lotNumber: DEMO.genealogy.lot }, reason: "Coil insulation", signature: sign() }, ctx());
      const cmd = { requestId: rid(), unitId: ids.unit("WCH", DEMO.genealogy.top), shipTo: "Customer", deliveryNote: "DN-1" };
      const before = await footprint(tx);
      const e = await refusal(shipUnit(tx, jamal, cmd, TEST_NOW));
      expect(e.code).toBe("UNIT_CONTAINS_HELD_MATERIAL");
      expect(e.message).toMatch(new RegExp(`^Unit ${DEMO.genealogy.top} contains held material: .*lot ${DEMO.genealogy.lot} \\(hold: Coil insulation\\)\\. It must not ship`));
      expect(await footprint(tx)).toEqual(before);
      await releaseHold(tx, priya, { requestId: rid(), holdId: placed.holdId, reason: "Retested", signature: sign(DEMO_PASSWORD, "release") }, ctx());
      expect((await shipUnit(tx, jamal, { ...cmd, requestId: rid() }, TEST_NOW)).serial).toBe(DEMO.genealogy.top);
    });
  });

  it("holds the selected units from where-used, signed once: one signed, audited hold per unit; a replay changes nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const site = ids.site("WCH");
      const a = ids.serial("WCH", "ACT-1001");
      const b = ids.serial("WCH", "ACT-1002");
      const before = await footprint(tx);
      const cmd = { requestId: rid(), serialItemIds: [a, b], reason: "Recall of coil lot: contain units", signature: sign() };
      const out = await holdUnits(tx, priya, cmd, ctx());
      expect(out.holds.map((h) => h.targetLabel).sort()).toEqual([expect.stringMatching(/, serial ACT-1001$/), expect.stringMatching(/, serial ACT-1002$/)]);
      expect(out.alreadyHeld).toEqual([]);
      const after = await footprint(tx);
      expect(Number(after.holds) - Number(before.holds)).toBe(2);
      expect(Number(after.signatures) - Number(before.signatures)).toBe(2);
      const sigs = await queryRows<{ record_id: string; meaning: string; printed_name: string }>(
        tx,
        sql`select record_id, meaning, printed_name from signatures where id in (${sql.join(out.holds.map((h) => sql`${h.signatureId}`), sql`, `)})`,
      );
      expect(sigs.map((s) => s.record_id).sort()).toEqual(out.holds.map((h) => h.holdId).sort());
      expect(new Set(sigs.map((s) => `${s.meaning}/${s.printed_name}`))).toEqual(new Set(["hold/Priya Raman"]));
      expect((await activeHoldsInUnit(tx, site, a)).map((h) => h.reason)).toContain("Recall of coil lot: contain units");

      // the same request again: the same answer, nothing new
      const again = await holdUnits(tx, priya, cmd, ctx());
      expect(again).toEqual(out);
      expect(await footprint(tx)).toEqual(after);

      // holding them again in a new request: both already held, nothing written but the request
      const third = await holdUnits(tx, priya, { ...cmd, requestId: rid() }, ctx());
      expect(third.holds).toEqual([]);
      expect(third.alreadyHeld).toHaveLength(2);
    });
  });

  it.each([
    ["a wrong password", { signature: sign("not-the-password") }, "SIGNATURE_REFUSED"],
    ["no reason", { reason: "  " }, "VALIDATION_FAILED"],
    ["the wrong meaning", { signature: sign(DEMO_PASSWORD, "review") }, "VALIDATION_FAILED"],
    ["a serial of no unit here", { serialItemIds: [randomUUID()] }, "NOT_FOUND"],
  ])("refuses a bulk hold with %s and writes no hold", async (_what, change, code) => {
    await inRollback(t.db, async (tx) => {
      const before = await footprint(tx);
      const cmd = { requestId: rid(), serialItemIds: [ids.serial("WCH", "ACT-1001")], reason: "Contain", signature: sign(), ...change };
      const e = await refusal(holdUnits(tx, priya, cmd, ctx()));
      expect(e.code).toBe(code);
      const after = await footprint(tx);
      expect({ holds: after.holds, signatures: after.signatures, requests: after.requests }).toEqual({ holds: before.holds, signatures: before.signatures, requests: before.requests });
    });
  });

  it("refuses a bulk hold by someone who is not a quality engineer", async () => {
    await inRollback(t.db, async (tx) => {
      const e = await refusal(holdUnits(tx, maria, { requestId: rid(), serialItemIds: [ids.serial("WCH", "ACT-1001")], reason: "x", signature: sign() }, ctx()));
      expect(e.code).toBe("FORBIDDEN");
    });
  });
});
