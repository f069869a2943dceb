import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import Decimal from "decimal.js";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { TEST_NOW } from "@/db/testing/clock";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { queryRows, type Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { createKit } from "@/server/services/kitting/create-kit";
import { getKit } from "@/server/services/kitting/get-kit";
import { issueKit } from "@/server/services/kitting/issue-kit";
import { pickToKit } from "@/server/services/kitting/pick-to-kit";
import { recordShortPick } from "@/server/services/kitting/record-short-pick";
import { consumeComponent } from "./consume-component";
import { kitAtStation } from "./kit-at-station";

/*
 * A kit label scanned at the station: the scan installs nothing and answers KIT_LABEL_SCANNED with the kit; the kit
 * read for the unit and operation lists each line with what the unit still needs and each lot or serial the kit
 * brought, with what one tap installs; the install from it goes through consumeComponent.
 */
const t = useTestDatabase("demo");
const now = TEST_NOW;
let ids: DemoIds;
let jamal: Actor;
let maria: Actor;
const rid = () => randomUUID();

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  jamal = await actorFor(t.db, "B1002");
  maria = await actorFor(t.db, "B1001");
});

async function counts(tx: Tx) {
  const [row] = await queryRows<Record<string, string>>(
    tx,
    sql`select (select count(*) from movements)::text as movements, (select count(*) from genealogy_edges)::text as edges,
               (select count(*) from request_log)::text as requests, (select count(*) from audit_log)::text as audit, (select count(*) from erp_outbox)::text as outbox`,
  );
  return row!;
}

/** Op 10 of WO-100234 kitted from the FEFO suggestions and issued to FA-01. */
async function issuedOp10Kit(tx: Tx) {
  const wo = ids.workOrder("WCH", "WO-100234");
  const fa01 = ids.station("WCH", "FA-01");
  const kit = await createKit(tx, jamal, { requestId: rid(), workOrderId: wo, scope: { kind: "operation", operationSeq: 10 }, stationId: fa01 }, now);
  for (;;) {
    const view = await getKit(tx, jamal, kit.kitId, now);
    const line = view.lines.find((l) => l.outstanding !== "0" && l.suggested.length > 0);
    if (!line) break;
    const s = line.suggested[0]!;
    const quantity = s.serialNumber ? null : Decimal.min(line.outstanding, s.available).toFixed();
    await pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: s.serialNumber ?? s.lotNumber ?? line.partNumber, quantity, locationId: s.locationId }, now);
  }
  const view = await getKit(tx, jamal, kit.kitId, now);
  for (const l of view.lines.filter((x) => x.outstanding !== "0")) {
    await recordShortPick(tx, jamal, { requestId: rid(), kitId: kit.kitId, kitLineId: l.id, quantity: l.outstanding, reason: "none in stores for the test" }, now);
  }
  await issueKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, stationId: fa01 }, now);
  return { kit, fa01, unit: ids.unit("WCH", "ACT-1007") };
}

describe("a kit label at the station", () => {
  it("answers KIT_LABEL_SCANNED with the kit and writes nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const { kit, fa01, unit } = await issuedOp10Kit(tx);
      const before = await counts(tx);
      let error: unknown;
      try {
        await consumeComponent(tx, maria, { requestId: rid(), stationId: fa01, unitId: unit, operationSeq: 10, item: { scan: kit.kitNumber } }, now);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "KIT_LABEL_SCANNED", details: { kitId: kit.kitId, kitNumber: kit.kitNumber } });
      expect((error as DomainError).message).toContain(`label of kit ${kit.kitNumber}`);
      expect(await counts(tx)).toEqual(before);
    });
  });

  it("shows the kit's lines for the unit at the operation, and one tap installs an item through the station's checks", async () => {
    await inRollback(t.db, async (tx) => {
      const { kit, fa01, unit } = await issuedOp10Kit(tx);
      const view = await kitAtStation(tx, maria, { stationId: fa01, unitId: unit, seq: 10, kitId: kit.kitId }, now);
      expect(view.loadable).toBe(true);
      expect(view.notice).toBeNull();
      expect(view.kit.number).toBe(kit.kitNumber);
      const scanned = view.lines.filter((l) => l.atThisOperation && l.items.length > 0);
      expect(scanned.length).toBeGreaterThan(0);
      const line = scanned.find((l) => l.items.some((i) => i.installQuantity))!;
      const item = line.items.find((i) => i.installQuantity)!;
      expect(item.status.usable).toBe(true);
      // what one tap installs: 1 for a serial, else what the unit still needs (at most what is here)
      expect(item.installQuantity).toBe(item.serialItemId ? "1" : Decimal.min(line.leftForUnit!, item.here).toFixed());

      const out = await consumeComponent(
        tx,
        maria,
        { requestId: rid(), stationId: fa01, unitId: unit, operationSeq: 10, item: item.serialItemId ? { serialItemId: item.serialItemId } : { lotId: item.lotId! }, quantity: item.serialItemId ? null : item.installQuantity },
        now,
      );
      expect(out.unitId).toBe(unit);
      const after = await kitAtStation(tx, maria, { stationId: fa01, unitId: unit, seq: 10, kitId: kit.kitId }, now);
      const again = after.lines.find((l) => l.kitLineId === line.kitLineId)!;
      expect(new Decimal(again.leftForUnit!).toFixed()).toBe(new Decimal(line.leftForUnit!).minus(item.installQuantity!).toFixed());
    });
  });

  it("says where a kit is when it was issued to another station, and offers nothing to install there", async () => {
    await inRollback(t.db, async (tx) => {
      const { kit, unit } = await issuedOp10Kit(tx);
      const view = await kitAtStation(tx, maria, { stationId: ids.station("WCH", "FA-02"), unitId: unit, seq: 10, kitId: kit.kitId }, now);
      expect(view.loadable).toBe(false);
      expect(view.notice).toMatch(/was issued to Final assembly station 1 \(FA-01\), not to Final assembly station 2 \(FA-02\)/);
      expect(view.lines.flatMap((l) => l.items).every((i) => i.installQuantity === null)).toBe(true);
    });
  });

  it("a kit of another site is not found", async () => {
    await inRollback(t.db, async (tx) => {
      const { kit, fa01, unit } = await issuedOp10Kit(tx);
      const toulouse = await actorFor(t.db, "B2002");
      await expect(kitAtStation(tx, toulouse, { stationId: fa01, unitId: unit, seq: 10, kitId: kit.kitId }, now)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
});
