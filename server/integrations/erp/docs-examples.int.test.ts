import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import * as s from "@/db/schema";
import { queryRows, type Db } from "@/db/client";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { seedOwnershipDefaults } from "@/db/seed/ownership-defaults";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { receiveErpMessages, type Connection } from "@/server/services/erp/receive-messages";
import { MESSAGE_TYPES, type Envelope } from "./messages";

/*
 * The JSON examples of docs/erp-interface.md are part of the contract: every ```json block preceded by
 * `<!-- example:<type> -->` (or `<!-- example:<type> expect=held,applied -->`) is sent, in the order of the page,
 * through the interface, and must be answered as marked (`applied` unless said otherwise).
 */
const DOC = path.join(process.cwd(), "docs", "erp-interface.md");
const MARKED = /<!--\s*example:([a-z_]+)(?:\s+expect=([a-z,]+))?\s*-->\s*\n```json\n([\s\S]*?)\n```/g;

type Example = { marker: string; expect: string[] | null; messages: Envelope[]; line: number };

function examples(): Example[] {
  const text = readFileSync(DOC, "utf8");
  const out: Example[] = [];
  for (const m of text.matchAll(MARKED)) {
    const line = text.slice(0, m.index).split("\n").length;
    let json: unknown;
    try {
      json = JSON.parse(m[3]!);
    } catch (e) {
      throw new Error(`docs/erp-interface.md line ${line}: the example is not valid JSON (${(e as Error).message})`);
    }
    out.push({ marker: m[1]!, expect: m[2] ? m[2].split(",") : null, messages: (Array.isArray(json) ? json : [json]) as Envelope[], line });
  }
  return out;
}

const t = useTestDatabase("empty");
const now = new Date("2026-11-13T12:00:00Z");

describe("docs/erp-interface.md examples", () => {
  const all = examples();

  it("has a marked example of every message type, each marked with its own type", () => {
    const types = new Set(all.flatMap((e) => e.messages.map((m) => m.type)));
    expect([...types].sort()).toEqual([...MESSAGE_TYPES].sort());
    for (const e of all) {
      if (e.marker === "batch") continue;
      expect(e.messages.map((m) => m.type), `line ${e.line}`).toEqual(e.messages.map(() => e.marker));
    }
    // Every json block of the JSON half is either a marked example or an answer (no unchecked request examples).
    const text = readFileSync(DOC, "utf8");
    const jsonHalf = text.slice(0, text.indexOf("\n## B2MML"));
    const blocks = [...jsonHalf.matchAll(/```json\n/g)].length;
    const answers = [...jsonHalf.matchAll(/```json\n\{ "results"/g)].length;
    expect(all.length + answers).toBe(blocks);
  });

  it("are answered as documented when sent in order to a plant 1000 site", async () => {
    await inRollback(t.db, async (tx) => {
      await seedOwnershipDefaults(tx);
      const [site] = await tx.insert(s.sites).values({ code: "DOC", name: "Docs plant", timeZone: "America/Chicago", erpPlant: "1000" }).returning();
      const [area] = await tx.insert(s.areas).values({ siteId: site!.id, code: "FAL", name: "Final assembly" }).returning();
      await tx.insert(s.workCenters).values({ siteId: site!.id, areaId: area!.id, code: "WC-FA", name: "Actuator final assembly" });
      await tx.insert(s.storageLocations).values([
        { siteId: site!.id, code: "ST-FRZ", name: "Sealant freezer", kind: "stores", isPhysical: true },
        { siteId: site!.id, code: "V-ERP", name: "ERP supply", kind: "erp_supply", isPhysical: false },
      ]);
      const connection: Connection = { id: randomUUID(), source: "SAP-PRD", plantSites: { "1000": site!.id } };

      for (const example of all) {
        const answers = await receiveErpMessages(tx as unknown as Db, connection, example.messages, now);
        const want = example.expect ?? example.messages.map(() => "applied");
        expect(answers.map((a) => a.status), `example at docs/erp-interface.md line ${example.line}: ${JSON.stringify(answers)}`).toEqual(want);
        if (example.marker === "part") {
          // The documented answer: applied, with the Traceline-owned out-time ignored and said so.
          expect(answers[0]!.warnings).toEqual(["part.out_time_minutes is owned by Traceline: ignored"]);
        }
      }

      // What the examples built: the order closed with three units, the lot issued once and accepted, a snapshot kept.
      const [order] = await queryRows<{ status: string; quantity: number; units: number }>(
        tx,
        sql`select w.status::text, w.quantity, (select count(*)::int from units u where u.work_order_id = w.id) as units from work_orders w where w.number = 'WO-100240'`,
      );
      expect(order).toEqual({ status: "closed", quantity: 3, units: 3 });
      const [lot] = await queryRows<{ inspection_status: string; exactly_issued: boolean }>(
        tx,
        sql`select l.inspection_status::text, (b.on_hand = 1500) as exactly_issued from lots l join stock_balances b on b.lot_id = l.id and b.is_physical where l.lot_number = 'AC24-0519'`,
      );
      expect(lot).toEqual({ inspection_status: "accepted", exactly_issued: true });
      expect(await queryRows(tx, sql`select snapshot_key from erp_stock_snapshots`)).toEqual([{ snapshot_key: "STOCK-1000-2026-11-13" }]);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
