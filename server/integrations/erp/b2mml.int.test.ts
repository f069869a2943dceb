import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import * as s from "@/db/schema";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { receiveErpMessages } from "@/server/services/erp/receive-messages";
import { receiveB2mmlDocument } from "@/server/services/erp/receive-b2mml";
import { b2mmlFixture, b2mmlSchemaErrorsOf } from "./b2mml-schema.test-helper";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

/** The fixture documents used here; each is asserted valid against the B2MML V0700 schemas before it is sent. */
const DOCS = {
  definitions: b2mmlFixture("material-definitions.xml"),
  information: b2mmlFixture("material-information.xml"),
  informationOlder: b2mmlFixture("material-information.xml").replace("<Version>4</Version>", "<Version>2</Version>"),
  lotIssue: b2mmlFixture("material-lot-issue.xml"),
  lotSerials: b2mmlFixture("material-lot-serials.xml"),
  routing: b2mmlFixture("operations-definition.xml"),
  release: b2mmlFixture("operations-schedule-release.xml"),
  change: b2mmlFixture("operations-schedule-change.xml"),
  close: b2mmlFixture("operations-schedule-close.xml"),
};
type DocName = keyof typeof DOCS;
let schemaErrors: Record<string, string[]> = {};
beforeAll(async () => {
  expect(DOCS.informationOlder).not.toBe(DOCS.information);
  schemaErrors = await b2mmlSchemaErrorsOf(DOCS);
});

function doc(name: DocName): string {
  expect(schemaErrors[name], `${name} must be valid B2MML V0700`).toEqual([]);
  return DOCS[name];
}

/** A test site mapped, for this connection, to the plant P100 that the fixture documents name. */
async function plantP100(tx: Tx) {
  const fx = await erpFixture(tx);
  return { ...fx, connection: { ...fx.connection, plantSites: { ...fx.connection.plantSites, P100: fx.site.siteId } } };
}

async function receive(tx: Tx, connection: Awaited<ReturnType<typeof plantP100>>["connection"], name: DocName, plant?: string) {
  const receipt = await receiveB2mmlDocument(tx, connection, doc(name), plant ? { plant } : {}, now);
  if (receipt.kind !== "received") throw new Error(`${name}: ${receipt.kind}: ${JSON.stringify(receipt)}`);
  // where each version came from is asserted by the route tests (app/api/erp/v1/inbound-defects.int.test.ts)
  return { ...receipt, versions: receipt.results.map((r) => ({ version: r.version, versionFrom: r.versionFrom })), results: receipt.results.map(({ version: _v, versionFrom: _f, ...r }) => r) };
}

/** The approved manufacturers the lot fixtures name (no B2MML noun carries an AML: it comes as JSON). */
async function approveManufacturers(tx: Tx, connection: Awaited<ReturnType<typeof plantP100>>["connection"]) {
  const aml = (pn: string, code: string) => message("P100", "approved_manufacturers", pn, 1, { partNumber: pn, manufacturers: [{ code, name: `Maker ${code}`, status: "approved" }] });
  const results = await receiveErpMessages(tx, connection, [aml("SEAL-310", "81349"), aml("BOLT-12", "56878"), aml("VALVE-9", "0FA12")], now);
  expect(results.map((r) => r.status)).toEqual(["applied", "applied", "applied"]);
}

async function inboxRow(db: DbOrTx, messageId: string) {
  const [row] = await db.select().from(s.erpInbox).where(eq(s.erpInbox.messageId, messageId));
  return row;
}

async function onHand(db: DbOrTx, siteId: string, locationId: string, partNumber: string) {
  const rows = await queryRows<{ qty: string }>(
    db,
    sql`select coalesce(sum(b.on_hand), 0)::text as qty from stock_balances b join part_revisions r on r.id = b.part_revision_id
        join parts p on p.id = r.part_id where b.site_id = ${siteId} and b.location_id = ${locationId} and p.part_number = ${partNumber}`,
  );
  return rows[0]!.qty;
}

describe("B2MML documents through receiveErpMessages", () => {
  it("a MaterialDefinition document creates the parts, their revisions and the assembly's BOM", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection } = await plantP100(tx);
      const { results, errors } = await receive(tx, connection, "definitions");
      expect(errors).toEqual([]);
      expect(results).toEqual([
        { messageId: "MATMAS-0000481516#1.part", status: "applied" },
        { messageId: "MATMAS-0000481516#2.part", status: "applied" },
        { messageId: "MATMAS-0000481516#3.part", status: "applied" },
        { messageId: "MATMAS-0000481516#4.part", status: "applied" },
        { messageId: "MATMAS-0000481516#4.bom", status: "applied" },
      ]);
      const parts = await tx.select().from(s.parts).where(inArray(s.parts.partNumber, ["SEAL-310", "BOLT-12", "VALVE-9", "ACT-200"]));
      expect(Object.fromEntries(parts.map((p) => [p.partNumber, { tracking: p.tracking, uom: p.uom, shelfLifeDays: p.shelfLifeDays, erpVersion: p.erpVersion }]))).toEqual({
        "SEAL-310": { tracking: "lot", uom: "EA", shelfLifeDays: 365, erpVersion: 3 },
        // no <Version>: versioned by the BOD's CreationDateTime (ms since 1970)
        "BOLT-12": { tracking: "untracked", uom: "EA", shelfLifeDays: null, erpVersion: Date.parse("2026-11-20T08:00:00-06:00") },
        "VALVE-9": { tracking: "serial", uom: "EA", shelfLifeDays: null, erpVersion: Date.parse("2026-11-20T08:00:00-06:00") },
        "ACT-200": { tracking: "serial", uom: "EA", shelfLifeDays: null, erpVersion: 1 },
      });
      const revisions = await queryRows<{ revision: string; status: string }>(
        tx,
        sql`select r.revision, r.status from part_revisions r join parts p on p.id = r.part_id where p.part_number = 'ACT-200' order by r.revision`,
      );
      expect(revisions).toEqual([
        { revision: "A", status: "obsolete" },
        { revision: "B", status: "released" },
      ]);
      const lines = await queryRows<{ find_number: number; component: string; quantity: string; operation_seq: number; backflush: boolean; effective_from: string | null }>(
        tx,
        sql`select l.find_number, cp.part_number as component, l.quantity::text as quantity, l.operation_seq, l.backflush, l.effective_from::text as effective_from
            from bom_lines l join boms b on b.id = l.bom_id join part_revisions pr on pr.id = b.parent_revision_id join parts p on p.id = pr.part_id
            join part_revisions cr on cr.id = l.component_revision_id join parts cp on cp.id = cr.part_id
            where p.part_number = 'ACT-200' and pr.revision = 'B' order by l.find_number`,
      );
      expect(lines).toEqual([
        { find_number: 10, component: "SEAL-310", quantity: "2.000000", operation_seq: 10, backflush: false, effective_from: null },
        { find_number: 20, component: "BOLT-12", quantity: "4.000000", operation_seq: 10, backflush: true, effective_from: null },
        { find_number: 30, component: "VALVE-9", quantity: "1.000000", operation_seq: 20, backflush: false, effective_from: "2026-12-01" },
      ]);
    });
  });

  it("a redelivered document is answered duplicate; a newer version applies, an older one is overtaken", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection } = await plantP100(tx);
      await receive(tx, connection, "definitions");
      const again = await receive(tx, connection, "definitions");
      expect(again.results.map((r) => r.status)).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "duplicate"]);

      // A bare MaterialInformation (content-hash ids): version 4 of SEAL-310 applies; its MaterialClass is refused.
      const newer = await receive(tx, connection, "information");
      expect(newer.results).toEqual([{ messageId: expect.stringMatching(/^b2mml-[0-9a-f]{64}$/), status: "applied" }]);
      expect(newer.errors).toEqual([{ field: "/MaterialInformation/MaterialClass", reason: expect.stringContaining("Traceline does not mirror material classes") }]);
      expect((await receive(tx, connection, "information")).results.map((r) => r.status)).toEqual(["duplicate"]);
      // The unmappable element is kept for inspection as one rejected entry naming the element (once per document).
      const kept = () => tx.select().from(s.erpInbox).where(and(eq(s.erpInbox.type, "unknown"), eq(s.erpInbox.status, "rejected")));
      expect(await kept()).toHaveLength(1);
      expect(JSON.stringify((await kept())[0]!.error)).toContain("/MaterialInformation/MaterialClass");

      const older = await receive(tx, connection, "informationOlder");
      expect(older.results.map((r) => r.status)).toEqual(["overtaken"]);
      expect(await kept()).toHaveLength(2);
      const [seal] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, "SEAL-310"));
      expect(seal).toMatchObject({ description: "O-ring seal, fluorosilicone, AMS 7273 (supersedes AMS-R-25988)", shelfLifeDays: 730, minRemainingShelfLifeDays: 90, erpVersion: 4 });
    });
  });

  it("a MaterialLot document issues stock to the floor: a lot, bulk, and serials (once, however often it comes)", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, site } = await plantP100(tx);
      await receive(tx, connection, "definitions");
      await approveManufacturers(tx, connection);

      const issue = await receive(tx, connection, "lotIssue");
      expect(issue.errors).toEqual([]);
      expect(issue.results).toEqual([
        { messageId: "GI-4900012345#1.material_issue", status: "applied" },
        { messageId: "GI-4900012345#2.material_issue", status: "applied" },
      ]);
      const serials = await receive(tx, connection, "lotSerials", "P100");
      expect(serials.results.map((r) => r.status)).toEqual(["applied", "applied"]);

      // Redelivery of both documents changes nothing.
      expect((await receive(tx, connection, "lotIssue")).results.map((r) => r.status)).toEqual(["duplicate", "duplicate"]);
      expect((await receive(tx, connection, "lotSerials", "P100")).results.map((r) => r.status)).toEqual(["duplicate", "duplicate"]);

      expect(await onHand(tx, site.siteId, site.loc.stores, "SEAL-310")).toBe("40.000000");
      expect(await onHand(tx, site.siteId, site.loc.stores, "BOLT-12")).toBe("250.000000");
      expect(await onHand(tx, site.siteId, site.loc.quarantine, "VALVE-9")).toBe("2.000000");
      const [lot] = await tx.select().from(s.lots).where(and(eq(s.lots.siteId, site.siteId), eq(s.lots.lotNumber, "L-4471")));
      expect(lot).toMatchObject({ inspectionStatus: "accepted", certificateRef: "COC-2026-7781", supplierLot: "PK-22-0915", expiresAt: new Date("2027-07-01T04:59:59Z") });
      const items = await tx.select().from(s.serialItems).where(eq(s.serialItems.siteId, site.siteId));
      expect(items.map((i) => [i.serialNumber, i.inspectionStatus, i.certificateRef]).sort()).toEqual([
        ["VS-0001", "pending", "COC-V-0001"],
        ["VS-0002", "pending", "COC-V-0002"],
      ]);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("a MaterialLot whose Quantity is in another unit than the part's is refused on payload.uom; the document's other lot applies", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, site } = await plantP100(tx);
      await receive(tx, connection, "definitions");
      await approveManufacturers(tx, connection);
      const inKilograms = doc("lotIssue").replace("<QuantityString>40</QuantityString>\n        <DataType>decimal</DataType>\n        <UnitOfMeasure>EA</UnitOfMeasure>", "<QuantityString>40</QuantityString>\n        <DataType>decimal</DataType>\n        <UnitOfMeasure>KG</UnitOfMeasure>");
      expect(inKilograms).not.toBe(doc("lotIssue"));
      const receipt = await receiveB2mmlDocument(tx, connection, inKilograms, {}, now);
      if (receipt.kind !== "received") throw new Error(receipt.kind);
      expect(receipt.results.map((r) => r.status)).toEqual(["rejected", "applied"]);
      expect(receipt.results[0]!.error).toMatchObject({ fields: [{ field: "payload.uom", reason: expect.stringContaining("is in KG") }] });
      expect(await onHand(tx, site.siteId, site.loc.stores, "SEAL-310")).toBe("0");
      expect(await onHand(tx, site.siteId, site.loc.stores, "BOLT-12")).toBe("250.000000");
    });
  });

  it("an OperationsDefinition creates the routing, and OperationsSchedule documents release, change and close the order in sequence", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, site } = await plantP100(tx);
      await receive(tx, connection, "definitions");
      const routing = await receive(tx, connection, "routing");
      expect(routing.results).toEqual([{ messageId: "ROUTING-R-ACT-200-0002#1.routing", status: "applied" }]);
      const ops = await queryRows<{ seq: number; code: string; work_center: string; parameters: unknown }>(
        tx,
        sql`select o.seq, o.code, w.code as work_center, o.parameters from routing_operations o join routings r on r.id = o.routing_id
            join work_centers w on w.id = o.work_center_id where r.site_id = ${site.siteId} and r.code = 'R-ACT-200' order by o.seq`,
      );
      expect(ops).toEqual([
        { seq: 10, code: "ASSY", work_center: "WC1", parameters: [{ name: "END_CAP_TORQUE", unit: "N.m", min: "23.5", max: "26.5" }] },
        { seq: 20, code: "TEST", work_center: "WC1", parameters: [] },
      ]);

      const released = await receive(tx, connection, "release");
      expect(released.results).toEqual([{ messageId: "LOIPRO-1000457#1.production_order", status: "applied" }]);
      const [wo] = await tx.select().from(s.workOrders).where(and(eq(s.workOrders.siteId, site.siteId), eq(s.workOrders.number, "WO-5001")));
      expect(wo).toMatchObject({ quantity: 2, dueDate: "2026-12-10", status: "released", erpVersion: 1 });

      // The close (version 3) arrives before the change (version 2): it waits, then both apply in order.
      const close = await receive(tx, connection, "close");
      expect(close.results).toEqual([{ messageId: "LOIPRO-1000459#1.production_order", status: "held", error: expect.objectContaining({ code: "WAITING_FOR_EARLIER_VERSION" }) }]);
      const change = await receive(tx, connection, "change");
      expect(change.results.map((r) => r.status)).toEqual(["applied"]);
      const [after] = await tx.select().from(s.workOrders).where(eq(s.workOrders.id, wo!.id));
      expect(after).toMatchObject({ quantity: 3, status: "closed", erpVersion: 3 });
      const units = await tx.select({ serial: s.units.serial }).from(s.units).where(eq(s.units.workOrderId, wo!.id));
      expect(units.map((u) => u.serial).sort()).toEqual(["SN-1001", "SN-1002", "SN-1003"]);
      expect((await receive(tx, connection, "release")).results.map((r) => r.status)).toEqual(["duplicate"]);
    });
  });

  it("refuses a malformed document precisely, keeps it for inspection, and writes nothing else", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection } = await plantP100(tx);
      const malformed = b2mmlFixture("malformed-unclosed.xml");
      const receipt = await receiveB2mmlDocument(tx, connection, malformed, {}, now);
      expect(receipt).toMatchObject({
        kind: "malformed",
        line: 12,
        column: 3,
        error: "Malformed XML at line 12, column 3: Expected closing tag 'MaterialLot' (opened in line 10, col 5) instead of closing tag 'DataArea'.",
        results: [{ messageId: expect.stringMatching(/^malformed-/), status: "rejected", error: expect.objectContaining({ code: "MESSAGE_INVALID", message: expect.stringContaining("line 12, column 3") }) }],
      });
      const row = await inboxRow(tx, receipt.kind === "malformed" ? receipt.results[0]!.messageId : "");
      expect(row).toMatchObject({ status: "rejected", payload: { raw: malformed } });
      const all = await tx.select({ id: s.erpInbox.id }).from(s.erpInbox);
      expect(all).toHaveLength(1);
      expect(await tx.select({ id: s.lots.id }).from(s.lots)).toEqual([]);
      // Sent again: the same single entry, the same answer.
      const again = await receiveB2mmlDocument(tx, connection, malformed, {}, now);
      expect(again).toEqual(receipt);
      expect(await tx.select({ id: s.erpInbox.id }).from(s.erpInbox)).toHaveLength(1);
    });
  });

  it("a document for a plant this connection does not serve is rejected per message, with the plant named", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection } = await plantP100(tx);
      await receive(tx, connection, "definitions");
      const { results, errors } = await receive(tx, connection, "lotSerials", "P999");
      expect(errors).toEqual([]);
      expect(results).toEqual([
        expect.objectContaining({ status: "rejected", error: expect.objectContaining({ message: "Plant P999 is not mapped to a site for this connection.", fields: [{ field: "plant", reason: "unknown plant" }] }) }),
        expect.objectContaining({ status: "rejected" }),
      ]);
      expect(await tx.select({ id: s.serialItems.id }).from(s.serialItems)).toEqual([]);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
