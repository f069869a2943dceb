import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { useTestDatabase, inRollback } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { auditRowsFor } from "@/db/testing/audit-fixtures";
import { insertInboxMessages, insertOutboxMessages } from "@/db/testing/overview-fixtures";
import { DEMO } from "@/db/seed/demo-plant";
import type { Db, Tx } from "@/db/client";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { authenticateConnection } from "@/server/services/erp/connections";
import { receiveErpMessages, type Connection } from "@/server/services/erp/receive-messages";
import type { Envelope } from "@/server/integrations/erp/messages";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { adminRouter } from "./admin";
import { erpRouter } from "./erp";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
const createErp = createCallerFactory(erpRouter);
const createAdmin = createCallerFactory(adminRouter);

const ctxFor = (actor: Actor | null, db: Db, now = TEST_NOW): Context => ({ db, actor, clientKey: "test", now: () => now });
const erpAs = (actor: Actor | null, db: Db | Tx = t.db) => createErp(ctxFor(actor, db as Db));
const adminAs = (actor: Actor | null, db: Db | Tx = t.db) => createAdmin(ctxFor(actor, db as Db));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

/** Wichita is ERP plant 1000 (Central time), Toulouse plant 2000. */
const WCH_PLANT = "1000";
/** 09:00 on 10 March 2026 in Wichita, and two days later. */
const T0 = new Date("2026-03-10T14:00:00Z");
const T1 = new Date("2026-03-12T14:00:00Z");

const token = () => `T${randomUUID().replaceAll("-", "").slice(0, 8).toUpperCase()}`;

/** A connection for plant 1000 -> WCH, created the way an administrator does it, and authenticated with its key. */
async function wichitaConnection(db: Tx, admin: Actor, source: string): Promise<Connection> {
  const { apiKey } = await adminAs(admin, db).createConnection({ name: `Test ${source}`, source, plants: [{ plant: WCH_PLANT, siteCode: "WCH" }] });
  const connection = await authenticateConnection(db, `Bearer ${apiKey}`);
  if (!connection) throw new Error("the new key does not authenticate");
  return connection;
}

function envelope(source: string, messageId: string, type: Envelope["type"], key: string, payload: unknown, version = 1): Envelope {
  return { source, messageId, type, key, version, plant: WCH_PLANT, occurredAt: "2026-03-10T08:00:00Z", payload };
}

const partPayload = (partNumber: string) => ({ partNumber, description: "Bracket, test", uom: "EA", tracking: "lot", revisions: [{ revision: "A" }] });
const bomPayload = (parent: string, component: string) => ({
  partNumber: parent,
  revision: "A",
  lines: [{ findNumber: 10, partNumber: component, revision: "A", quantity: "2", operationSeq: 10, serialFrom: "U-0001", serialTo: "U-0099", effectiveFrom: "2026-01-01" }],
});

describe("interface monitor", () => {
  it("filters by status, type, text and day, pages with an exact total, and counts by status", async () => {
    const alex = await actorFor(t.db, "alex.morgan"); // Wichita admin
    await inRollback(t.db, async (tx) => {
      const api = erpAs(alex, tx);
      const tok = token();
      const before = Object.fromEntries((await api.counts()).inbox.map((c) => [c.status, c.count]));
      const conn = await wichitaConnection(tx, alex, `SAP-${tok}`);
      const parts = Array.from({ length: 7 }, (_, i) => envelope(conn.source, `${tok}-m-${i + 1}`, "part", `${tok}-P${i + 1}`, partPayload(`${tok}-P${i + 1}`)));
      expect((await receiveErpMessages(tx as unknown as Db, conn, parts, T0)).map((r) => r.status)).toEqual(Array(7).fill("applied"));
      const boms = [1, 2].map((i) => envelope(conn.source, `${tok}-b-${i}`, "bom", `${tok}-P${i}/A`, bomPayload(`${tok}-P${i}`, `${tok}-MISSING`)));
      expect((await receiveErpMessages(tx as unknown as Db, conn, boms, T1)).map((r) => r.status)).toEqual(["rejected", "rejected"]);

      const all = await api.inbox({ search: tok.toLowerCase() });
      expect(all.total).toBe(9);
      expect(all.rows.slice(0, 2).map((r) => r.type)).toEqual(["bom", "bom"]); // newest first

      const pages = await Promise.all([1, 2, 3].map((page) => api.inbox({ search: tok, page, pageSize: 4 })));
      expect(pages.map((p) => p.rows.length)).toEqual([4, 4, 1]);
      expect(pages.every((p) => p.total === 9 && p.pageCount === 3)).toBe(true);
      expect(new Set(pages.flatMap((p) => p.rows.map((r) => r.id))).size).toBe(9);
      expect((await api.inbox({ search: tok, page: 4, pageSize: 4 })).rows).toEqual([]);

      const rejected = await api.inbox({ search: tok, status: "rejected" });
      expect(rejected.total).toBe(2);
      expect(rejected.rows[0]!.error).toMatchObject({
        code: "MESSAGE_INVALID",
        fields: [{ field: "payload.lines.0.partNumber", reason: expect.stringContaining(`unknown part ${tok}-MISSING`) }],
      });
      expect((await api.inbox({ search: tok, type: "part" })).total).toBe(7);
      expect((await api.inbox({ search: tok, type: "bom", status: "applied" })).total).toBe(0);
      // by message id, and literally (an underscore is not a wildcard)
      expect((await api.inbox({ search: `${tok}-m-3` })).rows.map((r) => r.objectKey)).toEqual([`${tok}-P3`]);
      expect((await api.inbox({ search: `${tok}_m` })).total).toBe(0);
      // days are Wichita's calendar days
      expect((await api.inbox({ search: tok, from: "2026-03-10", to: "2026-03-10" })).total).toBe(7);
      expect((await api.inbox({ search: tok, from: "2026-03-11" })).total).toBe(2);
      expect((await api.inbox({ search: tok, to: "2026-03-11" })).total).toBe(7);
      expect((await api.inbox({ search: tok, from: "2026-03-13" })).total).toBe(0);

      const after = Object.fromEntries((await api.counts()).inbox.map((c) => [c.status, c.count]));
      expect((after.applied ?? 0) - (before.applied ?? 0)).toBe(7);
      expect((after.rejected ?? 0) - (before.rejected ?? 0)).toBe(2);
      expect(await api.inboxTypes()).toEqual(expect.arrayContaining(["bom", "part"]));
    });
  });

  it("refuses malformed filters with a clear message", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const e = await erpAs(alex)
      .inbox({ from: "10/03/2026" })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TRPCError);
    expect((e as TRPCError).code).toBe("BAD_REQUEST");
    expect((e as TRPCError).message).toContain("YYYY-MM-DD");
  });

  it("shows a message with its envelope, error and whole history, and replays a rejected BOM once its part has arrived", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    await inRollback(t.db, async (tx) => {
      const api = erpAs(alex, tx);
      const tok = token();
      const conn = await wichitaConnection(tx, alex, `SAP-${tok}`);
      const [parentOutcome, bomOutcome] = await receiveErpMessages(
        tx as unknown as Db,
        conn,
        [
          envelope(conn.source, `${tok}-parent`, "part", `${tok}-ASSY`, partPayload(`${tok}-ASSY`)),
          envelope(conn.source, `${tok}-bom`, "bom", `${tok}-ASSY/A`, bomPayload(`${tok}-ASSY`, `${tok}-LATE`)),
        ],
        T0,
      );
      expect(parentOutcome!.status).toBe("applied");
      expect(bomOutcome!.status).toBe("rejected");
      const { rows } = await api.inbox({ search: `${tok}-bom` });
      const id = rows[0]!.id;

      const detail = await api.message({ id });
      expect(detail).toMatchObject({
        source: conn.source,
        messageId: `${tok}-bom`,
        type: "bom",
        objectKey: `${tok}-ASSY/A`,
        version: 1,
        plant: WCH_PLANT,
        enterprise: true,
        status: "rejected",
        connectionName: `Test SAP-${tok}`,
        error: { code: "MESSAGE_INVALID", fields: [{ field: "payload.lines.0.partNumber" }] },
      });
      expect(detail.raw).toMatchObject({ messageId: `${tok}-bom`, payload: { partNumber: `${tok}-ASSY` } });
      expect(detail.history.map((h) => h.status)).toEqual(["received", "rejected"]);
      expect(detail.history[1]!.error?.message).toContain(`unknown part ${tok}-LATE`);

      // the missing part arrives; the administrator replays the BOM
      await receiveErpMessages(tx as unknown as Db, conn, [envelope(conn.source, `${tok}-late`, "part", `${tok}-LATE`, partPayload(`${tok}-LATE`))], T1);
      const replay = await api.replay({ id });
      expect(replay).toMatchObject({ previousStatus: "rejected", status: "applied", outcome: { status: "applied" } });

      const after = await api.message({ id });
      expect(after.status).toBe("applied");
      expect(after.error).toBeNull();
      expect(after.history.map((h) => [h.status, h.actorName])).toEqual([
        ["received", null],
        ["rejected", null],
        ["received", "Alex Morgan"],
        ["applied", "Alex Morgan"],
      ]);
      expect(after.history[2]!.note).toMatch(/replayed/);
      const audit = await auditRowsFor(tx, "erp_message_replayed", String(id));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorName: "Alex Morgan", oldValue: { status: "rejected" }, newValue: { status: "applied" } });

      // the BOM is now in the mirror, with its effectivity
      const assy = (await api.masterData.parts({ search: `${tok}-ASSY` })).rows[0]!;
      const { bom } = await api.masterData.part({ partId: assy.id });
      expect(bom!.lines.map((l) => [l.line.partNumber, l.line.quantity, l.line.serialFrom, l.line.serialTo, l.line.effectiveFrom])).toEqual([
        [`${tok}-LATE`, "2.000000", "U-0001", "U-0099", "2026-01-01"],
      ]);

      // a second replay (another click, another administrator) changes nothing and says why
      const again = await api.replay({ id }).catch((e: unknown) => e);
      expect((again as TRPCError).code).toBe("CONFLICT");
      expect((again as TRPCError).message).toMatch(/already applied/);
      expect(await auditRowsFor(tx, "erp_message_replayed", String(id))).toHaveLength(1);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("a replay that fails again is recorded as rejected again, with the new reason, by whom", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    await inRollback(t.db, async (tx) => {
      const tok = token();
      const conn = await wichitaConnection(tx, alex, `SAP-${tok}`);
      await receiveErpMessages(tx as unknown as Db, conn, [envelope(conn.source, `${tok}-bom`, "bom", `${tok}-X/A`, bomPayload(`${tok}-X`, `${tok}-Y`))], T0);
      const api = erpAs(alex, tx);
      const id = (await api.inbox({ search: `${tok}-bom` })).rows[0]!.id;
      const replay = await api.replay({ id });
      expect(replay).toMatchObject({ status: "rejected", outcome: { status: "rejected", error: { message: expect.stringContaining(`Unknown part ${tok}-X`) } } });
      const detail = await api.message({ id });
      expect(detail.attempts).toBe(1);
      expect(detail.history.map((h) => [h.status, h.actorName])).toEqual([
        ["received", null],
        ["rejected", null],
        ["received", "Alex Morgan"],
        ["rejected", "Alex Morgan"],
      ]);
    });
  });

  it("lets a supervisor read but not replay, and hides another site's site-scoped messages (not found)", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const dan = await actorFor(t.db, "dan.whitaker"); // Wichita supervisor
    const claire = await actorFor(t.db, "claire.petit"); // Toulouse admin
    await inRollback(t.db, async (tx) => {
      const tok = token();
      const conn = await wichitaConnection(tx, alex, `SAP-${tok}`);
      const outcomes = await receiveErpMessages(
        tx as unknown as Db,
        conn,
        [
          envelope(conn.source, `${tok}-wo`, "production_order", `${tok}-WO`, { action: "release", number: `${tok}-WO` }),
          envelope(conn.source, `${tok}-part`, "part", `${tok}-P`, partPayload(`${tok}-P`)),
        ],
        T0,
      );
      expect(outcomes.map((o) => o.status)).toEqual(["rejected", "applied"]);
      const wch = await erpAs(alex, tx).inbox({ search: tok });
      const order = wch.rows.find((r) => r.type === "production_order")!;
      const part = wch.rows.find((r) => r.type === "part")!;
      expect(order.enterprise).toBe(false);
      expect(part.enterprise).toBe(true);

      expect((await erpAs(dan, tx).message({ id: order.id })).status).toBe("rejected");
      expect(await codeOf(erpAs(dan, tx).replay({ id: order.id }))).toBe("FORBIDDEN");

      const tls = erpAs(claire, tx);
      expect(await codeOf(tls.message({ id: order.id }))).toBe("NOT_FOUND");
      expect(await codeOf(tls.replay({ id: order.id }))).toBe("NOT_FOUND");
      expect((await tls.inbox({ search: tok })).rows.map((r) => r.id)).toEqual([part.id]);
      expect((await tls.message({ id: part.id })).objectKey).toBe(`${tok}-P`);
      expect(await codeOf(tls.message({ id: 2_000_000_000 }))).toBe("NOT_FOUND");
      // nothing was replayed by the refused attempts
      expect((await erpAs(alex, tx).message({ id: order.id })).history).toHaveLength(2);
    });
  });

  it("keeps the outbound list, counts and history per site", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const claire = await actorFor(t.db, "claire.petit");
    await inRollback(t.db, async (tx) => {
      const ids = await loadSites(tx);
      const before = await erpAs(alex, tx).confirmations();
      const beforeTls = await erpAs(claire, tx).outboundSummary();
      await insertOutboxMessages(tx, [
        { siteId: ids.WCH, status: "pending" },
        { siteId: ids.WCH, status: "delivered" },
        { siteId: ids.TLS, status: "failed", lastError: "timeout" },
      ]);
      const after = await erpAs(alex, tx).confirmations();
      expect(after.total - before.total).toBe(2);
      const failedOf = (s: { counts: { status: string; count: number }[] }) => s.counts.find((c) => c.status === "failed")?.count ?? 0;
      const tls = await erpAs(claire, tx).outboundSummary();
      expect(failedOf(tls) - failedOf(beforeTls)).toBe(1);
      expect(tls.oldestUndeliveredAt).not.toBeNull();
      // filtered by status; one confirmation with its history; another site's is not found
      const failed = await erpAs(claire, tx).confirmations({ status: "failed", page: 1, pageSize: 50 });
      expect(failed.rows.every((r) => r.status === "failed")).toBe(true);
      const one = await erpAs(claire, tx).confirmation({ id: failed.rows[0]!.id });
      expect(one).toMatchObject({ status: "failed", lastError: "timeout" });
      expect(await codeOf(erpAs(alex, tx).confirmation({ id: failed.rows[0]!.id }))).toBe("NOT_FOUND");
      // a message stored without a site (malformed) is shown to every site
      await insertInboxMessages(tx, [{ messageId: `NOSITE-${token()}`, siteId: null, plant: "", status: "rejected", error: "free text" }]);
      const noSite = await erpAs(claire, tx).inbox({ search: "NOSITE-" });
      expect(noSite.rows[0]).toMatchObject({ enterprise: true, error: { code: null, message: "free text", fields: [] } });
    });
  });

  it("is for administrators and supervisors; floor roles are refused", async () => {
    const dan = await actorFor(t.db, "dan.whitaker");
    expect(await codeOf(erpAs(dan).counts())).toBe("OK");
    expect(await codeOf(erpAs(dan).masterData.parts())).toBe("OK");
    for (const login of ["B1001", "B1002", "priya.raman"]) {
      const actor = await actorFor(t.db, login);
      expect(await codeOf(erpAs(actor).inbox()), login).toBe("FORBIDDEN");
      expect(await codeOf(erpAs(actor).masterData.parts()), login).toBe("FORBIDDEN");
    }
    expect(await codeOf(erpAs(null).inbox())).toBe("UNAUTHORIZED");
  });
});

async function loadSites(db: Tx): Promise<{ WCH: string; TLS: string }> {
  const alex = await actorFor(db, "alex.morgan");
  const claire = await actorFor(db, "claire.petit");
  return { WCH: alex.siteId, TLS: claire.siteId };
}

describe("master-data browser", () => {
  it("searches and pages parts with their revisions", async () => {
    const dan = await actorFor(t.db, "dan.whitaker");
    const api = erpAs(dan).masterData;
    const first = await api.parts({ pageSize: 5 });
    expect(first.rows).toHaveLength(5);
    expect(first.total).toBeGreaterThanOrEqual(14);
    const second = await api.parts({ pageSize: 5, page: 2 });
    expect(second.rows.map((r) => r.id).some((id) => first.rows.some((r) => r.id === id))).toBe(false);
    const harness = await api.parts({ search: "lvdt" });
    expect(harness.total).toBe(1);
    expect(harness.rows[0]).toMatchObject({ partNumber: DEMO.effectivity.partNumber, tracking: "serial" });
    expect(harness.rows[0]!.revisions.map((r) => r.revision)).toEqual(["A", "B"]);
  });

  it("shows a part's multi-level BOM with effectivity, where its revision is used, its AML and the site's routing", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const api = erpAs(alex).masterData;
    const actuator = (await api.parts({ search: "FCA-7740-100" })).rows[0]!;
    const view = await api.part({ partId: actuator.id });
    expect(view.revision?.revision).toBe("C");
    const lines = view.bom!.lines;
    expect(lines.map((l) => l.line.findNumber)).toEqual([10, 20, 30, 40, 50, 60, 70, 70, 80]);
    const harness = lines.filter((l) => l.line.partNumber === DEMO.effectivity.partNumber);
    expect(harness.map((l) => [l.line.revision, l.line.serialFrom, l.line.serialTo])).toEqual([
      ["A", DEMO.effectivity.revA.from, DEMO.effectivity.revA.to],
      ["B", DEMO.effectivity.revB.from, DEMO.effectivity.revB.to],
    ]);
    const servo = lines.find((l) => l.line.partNumber === "SVA-2210-05")!;
    const torqueMotor = servo.children.find((c) => c.line.partNumber === "TMA-1180-03")!;
    expect(torqueMotor.depth).toBe(2);
    expect(torqueMotor.children.map((c) => c.line.partNumber)).toEqual(["CL-1180-20", "MAG-1180-31", "NAS1352-02-6P"]);
    expect(torqueMotor.children.find((c) => c.line.partNumber === "NAS1352-02-6P")!.line.backflush).toBe(true);
    expect(view.bom!.truncated).toBe(false);

    const revB = (await api.parts({ search: DEMO.effectivity.partNumber })).rows[0]!.revisions.find((r) => r.revision === "B")!;
    const harnessView = await api.part({ partId: (await api.parts({ search: DEMO.effectivity.partNumber })).rows[0]!.id, revisionId: revB.id });
    expect(harnessView.usedIn.map((u) => [u.parentPartNumber, u.parentRevision, u.findNumber, u.serialFrom])).toEqual([
      ["FCA-7740-100", "C", 70, DEMO.effectivity.revB.from],
    ]);

    const oring = (await api.parts({ search: DEMO.unapprovedManufacturer.partNumber })).rows[0]!;
    const aml = (await api.part({ partId: oring.id })).part.aml;
    expect(aml.find((a) => a.manufacturerCode === DEMO.unapprovedManufacturer.code)?.status).toBe("disqualified");

    const tma = (await api.parts({ search: "TMA-1180-03" })).rows[0]!;
    const routings = (await api.part({ partId: tma.id })).routings;
    expect(routings.map((r) => r.code)).toEqual(["RT-1180-03-A"]);
    const routing = await api.routing({ routingId: routings[0]!.id });
    expect(routing.operationList.map((o) => [o.seq, o.code, o.workCenterCode])).toEqual([
      [10, "ASM", "WC-TM"],
      [20, "NUL", "WC-TM"],
    ]);
    expect(routing.operationList[1]!.parameters).toEqual(expect.arrayContaining([{ name: "Null current", unit: "mA", min: "-0.5", max: "0.5" }]));

    expect(await codeOf(api.part({ partId: randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(api.part({ partId: actuator.id, revisionId: randomUUID() }))).toBe("NOT_FOUND");
    // routings are per site: Toulouse does not see Wichita's
    const claire = await actorFor(t.db, "claire.petit");
    expect(await codeOf(erpAs(claire).masterData.routing({ routingId: routings[0]!.id }))).toBe("NOT_FOUND");
    expect((await erpAs(claire).masterData.part({ partId: tma.id })).routings).toEqual([]);
  });

  it("lists the site's work orders with their units and status, never another site's", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const api = erpAs(alex).masterData;
    const { rows, total } = await api.workOrders({ search: "WO-1002" });
    expect(rows.map((w) => w.number).sort()).toEqual(["WO-100231", "WO-100232", "WO-100233", "WO-100234"]);
    expect(total).toBe(4);
    expect((await api.workOrders({ status: "completed" })).rows.map((w) => w.number)).toContain(DEMO.workOrders.completed.number);
    const inProgress = rows.find((w) => w.number === DEMO.workOrders.inProgress.number)!;
    const detail = await api.workOrder({ workOrderId: inProgress.id });
    expect(detail.unitList).toHaveLength(detail.quantity);
    expect(detail.unitList.map((u) => u.serial)).toContain(DEMO.heldLot.affectsUnit);
    expect(detail.operations.map((o) => o.seq)).toEqual([10, 20, 30, 40]);

    const claire = await actorFor(t.db, "claire.petit");
    expect(await codeOf(erpAs(claire).masterData.workOrder({ workOrderId: inProgress.id }))).toBe("NOT_FOUND");
    expect((await erpAs(claire).masterData.workOrders({ search: "WO-1002" })).total).toBe(0);
  });
});
