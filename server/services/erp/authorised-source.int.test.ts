import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import * as s from "@/db/schema";
import { receiveErpMessages } from "./receive-messages";

/*
 * The authorised-source flag over the inbound interface honours the ownership registry: while Traceline owns
 * `supplier.authorised_source` / `manufacturer.authorised_source` (the default) ERP's flag is ignored with a warning and
 * quality's value stays; once ERP owns it, the message sets it.
 */

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

describe("authorisedSource from ERP", () => {
  it("is ignored with a warning while Traceline owns it, and applied once ERP does (suppliers and AML manufacturers)", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const code = `V-${randomUUID().slice(0, 6)}`;
      const cage = `C${randomUUID().slice(0, 4)}`.toUpperCase();
      const pn = `P-${randomUUID().slice(0, 6)}`;
      await tx.insert(s.suppliers).values({ code, name: "Broker", authorisedSource: false });
      const [sup1] = await receiveErpMessages(tx, connection, [message(plant, "supplier", code, 1, { code, name: "Broker Ltd", authorisedSource: true })], now);
      expect(sup1).toMatchObject({ status: "applied" });
      expect(JSON.stringify(sup1)).toMatch(/supplier\.authorised_source is owned by Traceline: ignored/);
      const [kept] = await tx.select().from(s.suppliers).where(eq(s.suppliers.code, code));
      expect(kept).toMatchObject({ name: "Broker Ltd", authorisedSource: false });

      await receiveErpMessages(tx, connection, [message(plant, "part", pn, 1, { partNumber: pn, description: "Capacitor", uom: "EA", tracking: "lot", revisions: [{ revision: "A" }] })], now);
      const aml = (v: number, authorisedSource: boolean) =>
        message(plant, "approved_manufacturers", pn, v, { partNumber: pn, manufacturers: [{ code: cage, name: "Maker", status: "approved", authorisedSource }] });
      const [aml1] = await receiveErpMessages(tx, connection, [aml(1, false)], now);
      expect(aml1).toMatchObject({ status: "applied" });
      expect(JSON.stringify(aml1)).toMatch(/manufacturer\.authorised_source is owned by Traceline: ignored/);
      expect((await tx.select().from(s.manufacturers).where(eq(s.manufacturers.code, cage)))[0]!.authorisedSource).toBe(true);

      await tx.execute(sql`update ownership_registry set owner = 'erp', direction = 'erp_to_traceline' where attribute = 'authorised_source'`);
      await receiveErpMessages(tx, connection, [message(plant, "supplier", code, 2, { code, name: "Broker Ltd", authorisedSource: true })], now);
      expect((await tx.select().from(s.suppliers).where(eq(s.suppliers.code, code)))[0]!.authorisedSource).toBe(true);
      await receiveErpMessages(tx, connection, [aml(2, false)], now);
      expect((await tx.select().from(s.manufacturers).where(eq(s.manufacturers.code, cage)))[0]!.authorisedSource).toBe(false);
      // a message without the flag leaves it as it is
      await receiveErpMessages(tx, connection, [message(plant, "supplier", code, 3, { code, name: "Broker Ltd" })], now);
      expect((await tx.select().from(s.suppliers).where(eq(s.suppliers.code, code)))[0]!.authorisedSource).toBe(true);
    });
  });
});
