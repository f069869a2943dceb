import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestSite } from "@/db/testing/factories";
import { seedDemoOrganisation } from "@/db/seed/demo-plant";
import { seedOwnershipDefaults } from "@/db/seed/ownership-defaults";
import { DEMO_ERP_SOURCE, demoErpMessages, expectedDemoOutcome } from "@/db/seed/demo-erp-messages";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { receiveErpMessages, receiveMalformedBody, type Connection } from "@/server/services/erp/receive-messages";
import { judgeSimulation, planSimulation, type Answer, type SimulationPlan, type SimulationReport } from "./simulator";
import type { Envelope } from "./messages";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");
const ALL_FAULTS = { duplicates: true, newerVersions: true, shuffle: true, splitBoms: 3, malformed: true } as const;

/** What POST /api/erp/v1/messages does with each planned request, in-process. */
async function deliver(db: Tx, connection: Connection, plan: SimulationPlan): Promise<Answer[][]> {
  const answers: Answer[][] = [];
  for (const request of plan.requests) {
    if (request.kind === "messages") {
      answers.push(await receiveErpMessages(db as unknown as Db, connection, request.messages.map((m) => m.body), now));
      continue;
    }
    let reason = "";
    try {
      JSON.parse(request.body);
    } catch (e) {
      reason = `Malformed JSON: ${(e as Error).message}`;
    }
    expect(reason, "the planned bad body must not parse").not.toBe("");
    answers.push([await receiveMalformedBody(db as unknown as Db, connection, request.body, reason, now)]);
  }
  return answers;
}

const explain = (report: SimulationReport) =>
  report.mismatches.map((v) => `${v.message.messageId}: expected ${v.expected}, got ${v.answer?.status ?? "nothing"} ${JSON.stringify(v.answer?.error ?? "")}`);

async function one<T extends Record<string, unknown>>(db: Tx, query: ReturnType<typeof sql>): Promise<T | undefined> {
  return (await queryRows<T>(db, query))[0];
}

async function demoPlantConnection(tx: Tx): Promise<Connection> {
  await seedOwnershipDefaults(tx);
  const org = await seedDemoOrganisation(tx);
  return { id: randomUUID(), source: DEMO_ERP_SOURCE, plantSites: { "1000": org.siteIds.get("WCH")!, "2000": org.siteIds.get("TLS")! } };
}

describe("simulated ERP (fault injection)", () => {
  it("on the demo organisation: the demo set applies as designed and every injected fault is answered as expected, run after run", async () => {
    await inRollback(t.db, async (tx) => {
      const connection = await demoPlantConnection(tx);
      const base = demoErpMessages({ now });
      const plan = planSimulation(base, { runId: "R1", versionBase: 1000, batchSize: 40, ...ALL_FAULTS });
      expect(plan.faults).toEqual(["duplicates", "newer-versions", "shuffle", "split-boms", "malformed"]);
      const answers = await deliver(tx, connection, plan);
      const report = judgeSimulation(plan, answers);
      expect(explain(report)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.checked).toEqual({ duplicates: 19, shuffle: 6, "split-boms": 9, malformed: 6 });

      // The demo set itself: everything applied, the first segment of the actuator BOM held until the second arrived.
      const baseVerdicts = report.verdicts.filter((v) => v.message.fault === null);
      expect(baseVerdicts).toHaveLength(base.length);
      for (const v of baseVerdicts) expect(v.answer?.status, v.message.messageId).toBe(expectedDemoOutcome(v.message.body as Envelope).status);

      // Effects: the older part versions changed nothing, the re-split BOM is whole, nothing of a rejected message exists.
      expect(await one(tx, sql`select description, erp_version::int as v from parts where part_number = 'FCA-7740-100'`)).toEqual({
        description: "Actuator assembly, aileron, electro-hydraulic",
        v: 1002,
      });
      expect(
        await one(tx, sql`select b.erp_version::int as v, count(l.*)::int as lines from boms b join part_revisions r on r.id = b.parent_revision_id
                          join parts p on p.id = r.part_id join bom_lines l on l.bom_id = b.id where p.part_number = 'FCA-7740-100' group by b.erp_version`),
      ).toEqual({ v: 1003, lines: 9 });
      expect(await one(tx, sql`select count(*)::int as n from parts where part_number like 'SIM-%' or part_number like 'NO-SUCH-PART-%'`)).toEqual({ n: 0 });
      expect(await one(tx, sql`select count(*)::int as n from suppliers where code like 'VSIM-%'`)).toEqual({ n: 0 });
      expect(await one(tx, sql`select count(*)::int as n from erp_inbox where status = 'held'`)).toEqual({ n: 0 });
      const rejected = report.rejections.map((v) => v.answer!.error!.fields?.map((f) => f.field).join(","));
      expect(rejected).toEqual(["body", "version,occurredAt", "type", "plant", "payload.description", "payload.lines.0.partNumber"]);
      const issued = await one<{ n: number }>(tx, sql`select count(*)::int as n from movements where kind = 'receive_from_erp'`);
      expect(issued!.n).toBe(base.filter((e) => e.type === "material_issue").length);

      // A second run: the demo set is all duplicates (no stock issued twice); the new run's faults behave the same.
      const plan2 = planSimulation(base, { runId: "R2", versionBase: 2000, batchSize: 40, ...ALL_FAULTS });
      const report2 = judgeSimulation(plan2, await deliver(tx, connection, plan2));
      expect(explain(report2)).toEqual([]);
      expect(report2.verdicts.filter((v) => v.message.fault === null).every((v) => v.answer?.status === "duplicate")).toBe(true);
      expect((await one<{ n: number }>(tx, sql`select count(*)::int as n from movements where kind = 'receive_from_erp'`))!.n).toBe(issued!.n);

      // The judge is not a rubber stamp: replaying run 2's injected messages answers duplicate, not applied/held.
      const replay = judgeSimulation(plan2, await deliver(tx, connection, plan2));
      expect(replay.ok).toBe(false);
      expect(replay.mismatches.map((v) => v.message.fault)).toEqual(expect.arrayContaining(["shuffle", "split-boms"]));
      expect(replay.mismatches.some((v) => v.message.fault === "duplicates" || v.message.fault === "malformed")).toBe(false);

      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("on a database without the demo organisation: faults are judged the same; what needs the plant's set-up is refused with its field", async () => {
    await inRollback(t.db, async (tx) => {
      await seedOwnershipDefaults(tx);
      const wch = await createTestSite(tx);
      const tls = await createTestSite(tx);
      const connection: Connection = { id: randomUUID(), source: DEMO_ERP_SOURCE, plantSites: { "1000": wch.siteId, "2000": tls.siteId } };
      const base = demoErpMessages({ now });
      // In order this time: newer versions without shuffling, BOM segments in sequence.
      const plan = planSimulation(base, { runId: "BARE", versionBase: 5000, batchSize: 25, duplicates: true, newerVersions: true, splitBoms: 2, malformed: true });
      const report = judgeSimulation(plan, await deliver(tx, connection, plan));
      expect(explain(report)).toEqual([]);
      expect(report.checked).toEqual({ duplicates: 19, "newer-versions": 6, "split-boms": 6, malformed: 6 });
      expect(await one(tx, sql`select description, erp_version::int as v from parts where part_number = 'FCA-7740-100'`)).toEqual({
        description: "Actuator assembly, aileron, electro-hydraulic",
        v: 5002,
      });

      // Master data applies anywhere; routings, issues, orders and stock snapshots need the plant's work centers and
      // locations (a snapshot line naming a location the plant does not have cannot be reconciled: refused).
      const baseAnswers = report.verdicts.filter((v) => v.message.fault === null);
      const statusOf = (type: string) => [...new Set(baseAnswers.filter((v) => (v.message.body as Envelope).type === type).map((v) => v.answer?.status))];
      for (const type of ["supplier", "part", "approved_manufacturers"]) expect(statusOf(type), type).toEqual(["applied"]);
      expect(statusOf("stock_snapshot")).toEqual(["rejected"]);
      const snapshot = baseAnswers.find((v) => (v.message.body as Envelope).type === "stock_snapshot")!;
      expect(snapshot.answer!.error!.fields![0]!.field).toMatch(/^payload\.lines\.\d+\.location$/);
      expect(statusOf("routing")).toEqual(["rejected"]);
      const routing = baseAnswers.find((v) => (v.message.body as Envelope).type === "routing")!;
      expect(routing.answer!.error!.fields![0]!.field).toMatch(/^payload\.operations\.\d+\.workCenter$/);
      const issue = baseAnswers.find((v) => (v.message.body as Envelope).type === "material_issue")!;
      expect(issue.answer!.error!.fields![0]).toMatchObject({ field: "payload.location" });
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses a plan it cannot send", () => {
    expect(() => planSimulation([], { runId: "has space", versionBase: 1, batchSize: 10 })).toThrow(/run id/);
    expect(() => planSimulation([], { runId: "R", versionBase: 1, batchSize: 1001 })).toThrow(/batch size/);
    expect(() => planSimulation([], { runId: "R", versionBase: 0, batchSize: 10 })).toThrow(/version base/);
  });
});
