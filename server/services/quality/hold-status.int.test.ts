import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO_PASSWORD } from "@/db/seed/demo-plant";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { TEST_NOW } from "@/db/testing/clock";
import { placeHold } from "./place-hold";
import { releaseHold } from "./release-hold";

/*
 * Hold status to ERP (ownership registry row hold.status): placing and releasing a hold writes a "hold_status"
 * confirmation in the same transaction while the registry says traceline_to_erp, none once it says otherwise; the
 * registry is read at the time of the command.
 */

const t = useTestDatabase("demo");
let priya: Actor;

beforeAll(async () => {
  priya = await actorFor(t.db, "priya.raman");
});

const rid = () => randomUUID();
const ctx = (now = TEST_NOW) => ({ now, clientKey: `test-${randomUUID()}` });
const sign = (meaning: "hold" | "release" = "hold", secret = DEMO_PASSWORD) => ({ method: "password" as const, secret, meaning });

type OutboxRow = { type: string; message_id: string; ordering_key: string; payload: Record<string, unknown> };

/** The hold confirmations written since the test began (the demo plant's own hold has one already). */
let since = 0;
async function holdConfirmations(db: DbOrTx): Promise<OutboxRow[]> {
  return queryRows<OutboxRow>(db, sql`select type, message_id::text, ordering_key, payload from erp_outbox where type = 'hold_status' and id > ${since} order by id`);
}

async function mark(db: DbOrTx) {
  const [row] = await queryRows<{ id: string }>(db, sql`select coalesce(max(id), 0)::text as id from erp_outbox`);
  since = Number(row!.id);
}

async function setRegistry(db: DbOrTx, direction: "traceline_to_erp" | "none") {
  await db.execute(sql`update ownership_registry set direction = ${direction} where entity = 'hold' and attribute = 'status'`);
}

describe("hold status to ERP", () => {
  it("the demo registry sends hold status: placing and releasing a lot hold each write one confirmation, ordered with the lot", async () => {
    await inRollback(t.db, async (tx) => {
      await mark(tx);
      const [row] = await queryRows<{ direction: string }>(tx, sql`select direction::text from ownership_registry where entity = 'hold' and attribute = 'status'`);
      expect(row?.direction).toBe("traceline_to_erp");
      const placed = await placeHold(tx, priya, { requestId: rid(), target: { kind: "lot", lotNumber: "KP24-0901" }, reason: "Wrong heat treatment", signature: sign() }, ctx());
      const [first] = await holdConfirmations(tx);
      expect(first!.payload).toEqual({
        action: "placed",
        holdId: placed.holdId,
        target: { type: "lot", key: "KP24-0901" },
        plant: "1000",
        material: "BKT-4410-07",
        revision: expect.any(String),
        batch: "KP24-0901",
        serial: null,
        reason: "Wrong heat treatment",
        postingDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(first!.ordering_key).toBe("item:BKT-4410-07|KP24-0901|");

      await releaseHold(tx, priya, { requestId: rid(), holdId: placed.holdId, reason: "Certificate corrected", signature: sign("release") }, ctx(new Date(TEST_NOW.getTime() + 60_000)));
      const rows = await holdConfirmations(tx);
      expect(rows.map((r) => [r.payload.action, r.payload.reason, r.ordering_key])).toEqual([
        ["placed", "Wrong heat treatment", "item:BKT-4410-07|KP24-0901|"],
        ["released", "Certificate corrected", "item:BKT-4410-07|KP24-0901|"],
      ]);
      expect(rows[1]!.payload).toMatchObject({ holdId: placed.holdId, holdReason: "Wrong heat treatment", batch: "KP24-0901" });
      expect(new Set(rows.map((r) => r.message_id)).size).toBe(2);
    });
  });

  it("a hold on a part revision, a manufacturer or a supplier: one confirmation naming the target type and key, no batch", async () => {
    await inRollback(t.db, async (tx) => {
      await mark(tx);
      const [lot] = await queryRows<{ mfr: string; sup: string; part_number: string; revision: string }>(
        tx,
        sql`select m.code as mfr, su.code as sup, p.part_number, pr.revision from lots l
            join manufacturers m on m.id = l.manufacturer_id join suppliers su on su.id = l.supplier_id
            join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
            join sites s on s.id = l.site_id where s.code = 'WCH' and l.lot_number = 'SE24-3420'`,
      );
      await placeHold(tx, priya, { requestId: rid(), target: { kind: "part_revision", partNumber: lot!.part_number, revision: lot!.revision }, reason: "Drawing change pending", signature: sign() }, ctx());
      await placeHold(tx, priya, { requestId: rid(), target: { kind: "manufacturer", code: lot!.mfr }, reason: "Audit finding", signature: sign() }, ctx());
      await placeHold(tx, priya, { requestId: rid(), target: { kind: "supplier", code: lot!.sup }, reason: "Counterfeit alert", signature: sign() }, ctx());
      const rows = await holdConfirmations(tx);
      expect(rows.map((r) => ({ target: r.payload.target, material: r.payload.material, revision: r.payload.revision, batch: r.payload.batch, serial: r.payload.serial, key: r.ordering_key }))).toEqual([
        { target: { type: "part_revision", key: lot!.part_number }, material: lot!.part_number, revision: lot!.revision, batch: null, serial: null, key: `item:${lot!.part_number}||` },
        { target: { type: "manufacturer", key: lot!.mfr }, material: null, revision: null, batch: null, serial: null, key: `manufacturer:${lot!.mfr}` },
        { target: { type: "supplier", key: lot!.sup }, material: null, revision: null, batch: null, serial: null, key: `supplier:${lot!.sup}` },
      ]);
    });
  });

  it("writes none while the registry says otherwise, and reads the registry at the time of each command", async () => {
    await inRollback(t.db, async (tx) => {
      await mark(tx);
      await setRegistry(tx, "none");
      const placed = await placeHold(tx, priya, { requestId: rid(), target: { kind: "lot", lotNumber: "MM24-1187" }, reason: "Magnet strength below spec", signature: sign() }, ctx());
      expect(await holdConfirmations(tx)).toEqual([]);
      // the registry changes (change control approved): the release is confirmed
      await setRegistry(tx, "traceline_to_erp");
      await releaseHold(tx, priya, { requestId: rid(), holdId: placed.holdId, reason: "Retested in spec", signature: sign("release") }, ctx());
      expect((await holdConfirmations(tx)).map((r) => r.payload.action)).toEqual(["released"]);
    });
  });

  it("a replayed request writes no second confirmation; a refused one writes none", async () => {
    await inRollback(t.db, async (tx) => {
      await mark(tx);
      const cmd = { requestId: rid(), target: { kind: "lot" as const, lotNumber: "MM24-1187" }, reason: "Magnet strength below spec", signature: sign() };
      const first = await placeHold(tx, priya, cmd, ctx());
      expect(await placeHold(tx, priya, cmd, ctx())).toEqual(first);
      expect(await holdConfirmations(tx)).toHaveLength(1);
      const release = { requestId: rid(), holdId: first.holdId, reason: "Retested in spec", signature: sign("release") };
      await releaseHold(tx, priya, release, ctx());
      await releaseHold(tx, priya, release, ctx());
      expect((await holdConfirmations(tx)).map((r) => r.payload.action)).toEqual(["placed", "released"]);

      let refused: unknown = null;
      try {
        await placeHold(tx, priya, { requestId: rid(), target: { kind: "lot", lotNumber: "MM24-1187" }, reason: "Again", signature: sign("hold", "wrong password") }, ctx());
      } catch (e) {
        refused = e;
      }
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).code).toBe("SIGNATURE_REFUSED");
      expect(await holdConfirmations(tx)).toHaveLength(2);
    });
  });
});
