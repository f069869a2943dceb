import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { signOutSession } from "@/server/auth/sessions";
import { signInWithBadge } from "@/server/auth/sign-in";
import { createUser, unique } from "@/server/auth/testing/users";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";

const t = useTestDatabase("empty");
const createCaller = createCallerFactory(appRouter);
const NOW = new Date("2026-11-20T15:00:00Z");
const caller = (db: unknown, actor: Actor) => createCaller({ db: db as Db, actor, clientKey: "test", now: () => NOW });

async function trpcError(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("station router", () => {
  it("shows the operation, installs through the procedures, maps refusals, and keeps other roles out", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const pin = await createTestPart(tx, "serial");
      const glue = await createTestPart(tx, "lot", { uom: "G" });
      const order = await createStationOrder(tx, plant, {
        number: "WO-RT",
        serials: ["R1"],
        ops: [{ seq: 10, parameters: [{ name: "torque", unit: "N·m", min: "1", max: "2" }] }],
        bom: [
          { find: 1, partRevisionId: pin.revisionId, qty: "1", op: 10 },
          { find: 2, partRevisionId: glue.revisionId, qty: "3", op: 10, backflush: true },
        ],
      });
      const item = await createTestSerial(tx, plant.siteId, pin.revisionId, { serialNumber: "PIN-1" });
      await issueToPointOfUse(tx, plant, { partRevisionId: pin.revisionId, lotId: null, serialItemId: item.id }, "1", NOW);
      const lot = await createTestLot(tx, plant.siteId, glue.revisionId, { expiresAt: new Date("2026-11-01T00:00:00Z") });
      await issueToPointOfUse(tx, plant, { partRevisionId: glue.revisionId, lotId: lot.id, serialItemId: null }, "10", NOW);
      const api = caller(tx, operatorActor(plant));
      const unitId = order.units[0]!.unitId;
      const view = await api.station.operation({ stationId: plant.stationId, unitId, seq: 10 });
      expect(view.lines.map((l) => [l.findNumber, l.left, l.backflush])).toEqual([
        [1, "1", false],
        [2, "3", true],
      ]);
      expect(view.staged.map((s) => s.serialNumber ?? s.lotNumber)).toEqual(expect.arrayContaining(["PIN-1", lot.lotNumber]));

      const base = { stationId: plant.stationId, unitId, operationSeq: 10 };
      const out = await api.station.consumeComponent({ ...base, requestId: randomUUID(), item: { scan: "PIN-1" }, parameters: { torque: "1.5" } });
      expect(out.serialNumber).toBe("PIN-1");
      const after = await api.station.operation({ stationId: plant.stationId, unitId, seq: 10 });
      expect(after.installed.map((i) => i.serialNumber)).toEqual(["PIN-1"]);
      expect(after.operation.recorded).toEqual({ torque: "1.5" });

      // the only glue lot is expired: a backflush cannot draw it
      const short = await trpcError(api.station.completeOperation({ ...base, requestId: randomUUID() }));
      expect(short.code).toBe("CONFLICT");
      expect(short.cause).toBeInstanceOf(DomainError);
      expect((short.cause as DomainError).code).toBe("BACKFLUSH_SHORT");
      const expired = await trpcError(api.station.consumeComponent({ ...base, requestId: randomUUID(), item: { lotId: lot.id }, quantity: "1" }));
      expect(expired.code).toBe("UNPROCESSABLE_CONTENT");
      expect((expired.cause as DomainError).code).toBe("LOT_EXPIRED");
      const badShape = await trpcError(api.station.consumeComponent({ ...base, requestId: "not-a-uuid", item: { scan: "PIN-1" } }));
      expect(badShape.code).toBe("BAD_REQUEST");
      const clerk = caller(tx, operatorActor(plant, ["kitting_clerk"]));
      expect((await trpcError(clerk.station.consumeComponent({ ...base, requestId: randomUUID(), item: { scan: "PIN-1" } }))).code).toBe("FORBIDDEN");
      expect((await trpcError(clerk.station.operation({ stationId: plant.stationId, unitId, seq: 10 }))).code).toBe("FORBIDDEN");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("over HTTP the context carries the signed-in session: the actor is read when a procedure needs it, the scan reads it in its own transaction", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const glue = await createTestPart(tx, "lot", { uom: "G" });
      const order = await createStationOrder(tx, plant, { number: "WO-SESS", serials: ["S1"], bom: [{ find: 1, partRevisionId: glue.revisionId, qty: "3", op: 10 }] });
      const lot = await createTestLot(tx, plant.siteId, glue.revisionId);
      await issueToPointOfUse(tx, plant, { partRevisionId: glue.revisionId, lotId: lot.id, serialItemId: null }, "10", NOW);
      const badgeId = unique("B");
      const user = await createUser(tx, { displayName: "Tablet Operator", badgeId, pin: "2468", roles: [{ siteId: plant.siteId, role: "operator" }] });
      const signedIn = await signInWithBadge(tx, { badgeId, pin: "2468" }, { clientKey: unique("c"), now: NOW });
      const session = { claims: { userId: user.id, sessionId: signedIn.sessionId, sessionVersion: 1, activeSiteId: plant.siteId }, now: NOW };
      const api = createCaller({ db: tx as unknown as Db, actor: null, session, clientKey: "test", now: () => NOW });
      const unitId = order.units[0]!.unitId;
      const view = await api.station.operation({ stationId: plant.stationId, unitId, seq: 10 });
      expect(view.lines.map((l) => l.left)).toEqual(["3"]);
      const out = await api.station.consumeComponent({ stationId: plant.stationId, unitId, operationSeq: 10, requestId: randomUUID(), item: { scan: lot.lotNumber }, quantity: "2" });
      expect(out).toMatchObject({ lotNumber: lot.lotNumber, quantity: "2", lineLeft: "1" });
      // signed out: both kinds of procedure answer UNAUTHORIZED (the scan from inside its transaction), nothing written
      await signOutSession(tx, signedIn.sessionId, NOW);
      // (the next request: its own session object; the actor is read once per request)
      const after = createCaller({ db: tx as unknown as Db, actor: null, session: { ...session }, clientKey: "test", now: () => NOW });
      expect((await trpcError(after.station.operation({ stationId: plant.stationId, unitId, seq: 10 }))).code).toBe("UNAUTHORIZED");
      const refused = await trpcError(after.station.consumeComponent({ stationId: plant.stationId, unitId, operationSeq: 10, requestId: randomUUID(), item: { lotId: lot.id }, quantity: "1" }));
      expect(refused.code).toBe("UNAUTHORIZED");
      const none = createCaller({ db: tx as unknown as Db, actor: null, session: null, clientKey: "test", now: () => NOW });
      expect((await trpcError(none.station.consumeComponent({ stationId: plant.stationId, unitId, operationSeq: 10, requestId: randomUUID(), item: { lotId: lot.id }, quantity: "1" }))).code).toBe("UNAUTHORIZED");
      const [edges] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from genealogy_edges where child_lot_id = ${lot.id}::uuid`);
      expect(edges!.n).toBe(1);
    });
  });
});
