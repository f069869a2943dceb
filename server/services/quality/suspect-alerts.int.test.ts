import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO_PASSWORD, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { traceWhereUsed } from "@/server/repos/genealogy-where-used";
import { createKit } from "@/server/services/kitting/create-kit";
import { pickToKit } from "@/server/services/kitting/pick-to-kit";
import { transferBetweenStations } from "@/server/services/kitting/transfer-between-stations";
import { consumeComponent } from "@/server/services/station/consume-component";
import { setSourceAuthorisation } from "@/server/services/ownership/set-source-authorisation";
import { createSuspectAlert, getSuspectAlert, importSuspectAlerts, listSuspectAlerts } from "./suspect-alerts";
import { TEST_NOW } from "@/db/testing/clock";

/*
 * Counterfeit prevention against the demo plant: a source marked not authorised is refused at kitting, on a stock move
 * and at the station, naming the source; suspect-part alerts (CSV or screen) place signed holds on exactly the matching
 * lots and serials and list the units they are installed in; a bad line imports nothing; the signatures bind.
 */

const t = useTestDatabase("demo");
let ids: DemoIds;
let priya: Actor;
let jamal: Actor;
let maria: Actor;
const now = TEST_NOW;
const rid = () => randomUUID();
const ctx = () => ({ now, clientKey: `test-${randomUUID()}` });
const sign = (meaning = "hold") => ({ method: "password" as const, secret: DEMO_PASSWORD, meaning });

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  priya = await actorFor(t.db, "priya.raman");
  jamal = await actorFor(t.db, "B1002");
  maria = await actorFor(t.db, "B1001");
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** What a refused command could have written. */
async function footprint(db: DbOrTx) {
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select (select count(*) from movements)::text as movements, (select count(*) from holds)::text as holds,
               (select count(*) from signatures)::text as signatures, (select count(*) from suspect_alerts)::text as alerts,
               (select count(*) from suspect_alert_holds)::text as alert_holds, (select count(*) from request_log)::text as requests,
               (select count(*) from genealogy_edges)::text as edges, (select count(*) from sign_in_attempts)::text as attempts`,
  );
  return row!;
}

async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message: RegExp): Promise<DomainError> {
  const before = await footprint(tx);
  const e = await refusal(run());
  expect(e.code, e.message).toBe(code);
  expect(e.message).toMatch(message);
  expect(await footprint(tx)).toEqual(before);
  return e;
}

/** A lot of BKT-4410-07 rev A made at `manufacturedAt`, by manufacturer `mfr` (default the demo's 5RT90). */
async function lotMadeAt(tx: Tx, lotNumber: string, manufacturedAt: string | null, mfr = "5RT90") {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`insert into lots (site_id, part_revision_id, lot_number, manufacturer_id, manufactured_at, inspection_status)
        values (${priya.siteId}, ${ids.revision("BKT-4410-07", "A")}, ${lotNumber}, (select id from manufacturers where code = ${mfr}), ${manufacturedAt}::timestamptz, 'accepted')
        returning id`,
  );
  return row!.id;
}

async function heldTargets(db: DbOrTx, alertId: string) {
  return queryRows<{ target_type: string; target_id: string; reason: string; placed_signature_id: string | null }>(
    db,
    sql`select h.target_type::text, h.target_id, h.reason, h.placed_signature_id from suspect_alert_holds ah join holds h on h.site_id = ah.site_id and h.id = ah.hold_id
        where ah.alert_id = ${alertId} order by h.target_id`,
  );
}

describe("authorised sources", () => {
  it("refuses material of a manufacturer marked not authorised at kitting, on a transfer and at the station, naming the source; authorised again, it is used", async () => {
    await inRollback(t.db, async (tx) => {
      const [m] = await queryRows<{ code: string; name: string }>(tx, sql`select code, name from manufacturers where code = '5RT90'`);
      const marked = await setSourceAuthorisation(tx, priya, { kind: "manufacturer", code: "5RT90", authorised: false, reason: "GIDEP notice: counterfeit brackets traced to this source" }, now);
      expect(marked).toMatchObject({ code: "5RT90", authorised: false });
      const source = new RegExp(`not usable: not from an authorised source \\(manufacturer ${m!.name} \\(5RT90\\) is not an authorised source\\)`);

      const kit = await createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "work_order" }, stationId: ids.station("WCH", "FA-02") }, now);
      await expectRefused(tx, "SOURCE_NOT_AUTHORISED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "KP24-0901", quantity: "1" }, now), source);

      const item = { partRevisionId: ids.revision("BKT-4410-07", "A"), lotId: ids.lot("WCH", "KP24-0901"), serialItemId: null };
      const moved = await expectRefused(
        tx,
        "SOURCE_NOT_AUTHORISED",
        () => transferBetweenStations(tx, jamal, { requestId: rid(), fromStationId: ids.station("WCH", "FA-01"), toStationId: ids.station("WCH", "FA-02"), item, quantity: "1", reason: "FA-02 short of brackets" }, now),
        source,
      );
      expect(moved.message).toMatch(/cannot go to another station/);

      const consume = () =>
        consumeComponent(
          tx,
          maria,
          { requestId: rid(), stationId: ids.station("WCH", "FA-01"), unitId: ids.unit("WCH", "ACT-1004"), operationSeq: 10, item: { lotId: ids.lot("WCH", "KP24-0901") }, quantity: "2" },
          now,
        );
      await expectRefused(tx, "SOURCE_NOT_AUTHORISED", consume, source);
      // the same through a scan of the lot label
      await expectRefused(
        tx,
        "SOURCE_NOT_AUTHORISED",
        () => consumeComponent(tx, maria, { requestId: rid(), stationId: ids.station("WCH", "FA-01"), unitId: ids.unit("WCH", "ACT-1004"), operationSeq: 10, item: { scan: "KP24-0901" }, quantity: "2" }, now),
        source,
      );

      const [audit] = await queryRows<{ reason: string; old_value: unknown; new_value: unknown }>(tx, sql`select reason, old_value, new_value from audit_log where action = 'source_authorisation_set' and entity_id = '5RT90'`);
      expect(audit).toMatchObject({ reason: "GIDEP notice: counterfeit brackets traced to this source", old_value: { authorisedSource: true }, new_value: { authorisedSource: false } });

      await setSourceAuthorisation(tx, priya, { kind: "manufacturer", code: "5RT90", authorised: true, reason: "Source re-qualified after audit" }, now);
      expect((await consume()).edgeId).toBeTruthy();
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses a supplier's material the same way, and refuses the flag from the screen once ERP owns it", async () => {
    await inRollback(t.db, async (tx) => {
      await setSourceAuthorisation(tx, priya, { kind: "supplier", code: "V10318", authorised: false, reason: "Not a franchised distributor" }, now);
      const kit = await createKit(tx, jamal, { requestId: rid(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "work_order" }, stationId: ids.station("WCH", "FA-02") }, now);
      await expectRefused(tx, "SOURCE_NOT_AUTHORISED", () => pickToKit(tx, jamal, { requestId: rid(), kitId: kit.kitId, scan: "KP24-0901", quantity: "1" }, now), /supplier .*\(V10318\) is not an authorised source/);

      await tx.execute(sql`update ownership_registry set owner = 'erp', direction = 'erp_to_traceline' where entity = 'supplier' and attribute = 'authorised_source'`);
      const e = await refusal(setSourceAuthorisation(tx, priya, { kind: "supplier", code: "V10318", authorised: true, reason: "Try from the screen" }, now));
      expect(e).toMatchObject({ code: "OWNED_BY_OTHER_SYSTEM", message: expect.stringMatching(/supplier.authorised_source is owned by ERP/) });
      // an operator-level user may not set it at all
      expect((await refusal(setSourceAuthorisation(tx, jamal, { kind: "manufacturer", code: "5RT90", authorised: false, reason: "Not my call" }, now))).code).toBe("FORBIDDEN");
    });
  });
});

describe("suspect-part alerts", () => {
  it("imports a CSV: signed holds on exactly the matching lots (date codes inclusive, in the site's time zone), the units they are installed in, and the station refuses them", async () => {
    await inRollback(t.db, async (tx) => {
      // week 15 of 2023 is Mon 10 Apr .. Sun 16 Apr; week 18 is Mon 1 May .. Sun 7 May (site time: America/Chicago, UTC-5 then)
      await tx.execute(sql`update lots set manufactured_at = '2023-05-08T04:30:00Z' where id = ${ids.lot("WCH", "KP24-0877")}`); // Sun 7 May 23:30 local: last day, in
      await tx.execute(sql`update lots set manufactured_at = '2023-05-08T05:30:00Z' where id = ${ids.lot("WCH", "KP24-0901")}`); // Mon 8 May 00:30 local: week 19, out
      const firstDay = await lotMadeAt(tx, "DC-IN-FIRST", "2023-04-10T05:10:00Z"); // Mon 10 Apr 00:10 local: first day, in
      await lotMadeAt(tx, "DC-OUT-BEFORE", "2023-04-10T04:50:00Z"); // Sun 9 Apr 23:50 local: week 14, out
      await lotMadeAt(tx, "DC-NO-DATE", null); // no date of manufacture: a range cannot match it
      const [other] = await queryRows<{ code: string }>(tx, sql`select code from manufacturers where code <> '5RT90' order by code limit 1`);
      await lotMadeAt(tx, "DC-OTHER-MFR", "2023-04-20T12:00:00Z", other!.code); // in range, another manufacturer: out

      const csv = [
        "reference,manufacturer,part_number,lot,date_code_from,date_code_to,description",
        'GIDEP-CE-23-017,5RT90,BKT-4410-07,,2315,2318,"Remarked brackets, counterfeit heat-treat certs"',
        "GIDEP-CE-23-018,5rt90,BKT-4410-07,H7-22088,,,Supplier lot reported as suspect",
      ].join("\r\n");
      const out = await importSuspectAlerts(tx, priya, { requestId: rid(), csv, signature: sign() }, ctx());
      expect(out.alerts.map((a) => ({ reference: a.reference, line: a.line, holds: a.holds }))).toEqual([
        { reference: "GIDEP-CE-23-017", line: 2, holds: 2 },
        { reference: "GIDEP-CE-23-018", line: 3, holds: 1 },
      ]);
      expect(out.holds).toBe(3);

      const byDate = await heldTargets(tx, out.alerts[0]!.alertId);
      expect(byDate.map((h) => h.target_id).sort()).toEqual([ids.lot("WCH", "KP24-0877"), firstDay].sort());
      expect(byDate.every((h) => h.target_type === "lot" && h.placed_signature_id !== null)).toBe(true);
      expect(byDate[0]!.reason).toMatch(/^Suspect part alert GIDEP-CE-23-017 \(BKT-4410-07 from manufacturer 5RT90, date codes 2315 to 2318\): Remarked brackets/);
      const byLot = await heldTargets(tx, out.alerts[1]!.alertId);
      expect(byLot.map((h) => h.target_id)).toEqual([ids.lot("WCH", "KP24-0901")]);

      // each hold and each alert signed by Priya with the meaning "hold", all valid
      const detail = await getSuspectAlert(tx, priya, out.alerts[0]!.alertId, { offset: 0, limit: 50 });
      expect(detail.alert).toMatchObject({ reference: "GIDEP-CE-23-017", dateCodeFrom: "2315", dateCodeTo: "2318", source: "imported", sourceLine: 2, tampered: false });
      expect(detail.alert.signatures.map((s) => [s.printedName, s.meaning, s.status])).toEqual([["Priya Raman", "hold", "valid"]]);
      expect(detail.holds).toHaveLength(2);
      expect(detail.holds.every((h) => h.active && !h.tampered && h.signatures.length === 1 && h.signatures[0]!.status === "valid")).toBe(true);

      // where they are installed: exactly the units that contain the held lots now (where-used agrees)
      const expected = new Set<string>();
      for (const lot of [ids.lot("WCH", "KP24-0877"), firstDay]) {
        const w = await traceWhereUsed(tx, priya.siteId, { kind: "lot", id: lot }, { currentOnly: true, limit: 500 });
        for (const r of w.rows) expected.add(r.unitSerialNumber);
      }
      expect(expected.has("ACT-1002")).toBe(true);
      expect(detail.units.total).toBe(expected.size);
      expect(new Set(detail.units.rows.map((u) => u.unitSerialNumber))).toEqual(expected);
      const act1002 = detail.units.rows.find((u) => u.unitSerialNumber === "ACT-1002")!;
      expect(act1002.holdIds).toEqual([detail.holds.find((h) => h.targetId === ids.lot("WCH", "KP24-0877"))!.id]);
      const listed = (await listSuspectAlerts(tx, priya)).find((a) => a.id === out.alerts[0]!.alertId)!;
      expect(listed).toMatchObject({ holds: 2, activeHolds: 2, unitsNow: expected.size });

      // from the commit on the station refuses the held lot, with the alert in the reason
      await expectRefused(
        tx,
        "LOT_ON_HOLD",
        () => consumeComponent(tx, maria, { requestId: rid(), stationId: ids.station("WCH", "FA-01"), unitId: ids.unit("WCH", "ACT-1004"), operationSeq: 10, item: { lotId: ids.lot("WCH", "KP24-0901") }, quantity: "2" }, now),
        /Suspect part alert GIDEP-CE-23-018/,
      );
      // the same alert again: refused naming the line, nothing written
      await expectRefused(tx, "VALIDATION_FAILED", () => importSuspectAlerts(tx, priya, { requestId: rid(), csv, signature: sign() }, ctx()), /Line 2: alert GIDEP-CE-23-017 with these criteria already exists/);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("imports nothing from a file with a bad line, naming each line and column, before asking for the signature", async () => {
    await inRollback(t.db, async (tx) => {
      const csv = [
        "reference,manufacturer,part_number,lot,date_code_from,date_code_to,description",
        "GIDEP-OK-1,5RT90,BKT-4410-07,,2301,2305,Fine line",
        "GIDEP-BAD-2,5RT90,BKT-4410-07,,2310,2360,Week 60 does not exist",
        "GIDEP-BAD-3,,BKT-4410-07,KP24-0901,,,No manufacturer",
        "GIDEP-BAD-4,5RT90,BKT-4410-07,KP24-0901,2301,2302,Lot and range",
      ].join("\n");
      const e = await expectRefused(tx, "VALIDATION_FAILED", () => importSuspectAlerts(tx, priya, { requestId: rid(), csv, signature: sign() }, ctx()), /The file was not imported: 3 problems.*Line 3/);
      expect(e.details.problems).toEqual([
        { line: 3, column: "date_code_to", message: "Date code 2360: 2023 has no week 60 (weeks 01 to 52)." },
        { line: 4, column: "manufacturer", message: "Name the manufacturer (its code or CAGE)." },
        { line: 5, column: "lot", message: "Give a lot or a date-code range, not both (one alert per lot or range)." },
      ]);
      // a wrong password writes no alert and no hold either
      const before = await footprint(tx);
      const wrong = await refusal(importSuspectAlerts(tx, priya, { requestId: rid(), csv: csv.split("\n").slice(0, 2).join("\n"), signature: { ...sign(), secret: "not-the-password" } }, ctx()));
      expect(wrong.code).toBe("SIGNATURE_REFUSED");
      const after = await footprint(tx);
      expect({ ...after, attempts: before.attempts }).toEqual(before);
      // a screen entry with a bad field names the field
      const field = await refusal(createSuspectAlert(tx, priya, { requestId: rid(), alert: { reference: "Q-1", manufacturerCode: "5RT90", partNumber: "BKT-4410-07", dateCodeFrom: "2320", dateCodeTo: "2310", description: "Backwards" }, signature: sign() }, ctx()));
      expect(field).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "dateCodeTo" } });
    });
  });

  it("shows INVALID once a hold or the alert is altered behind the application's back", async () => {
    // committed, so the owner connection can alter the rows (as a database administrator could)
    const out = await createSuspectAlert(
      t.db,
      priya,
      { requestId: rid(), alert: { reference: "QN-2026-044", manufacturerCode: "5RT90", partNumber: "BKT-4410-07", lotNumber: "KP24-0877", description: "Customer return: suspect remarking" }, signature: sign() },
      ctx(),
    );
    const alertId = out.alerts[0]!.alertId;
    const good = await getSuspectAlert(t.db, priya, alertId, { offset: 0, limit: 10 });
    expect(good.holds).toHaveLength(1);
    expect(good.holds[0]!.signatures[0]!.status).toBe("valid");
    expect(good.alert.signatures[0]!.status).toBe("valid");

    await t.ownerDb.transaction(async (tx) => {
      await tx.execute(sql`alter table holds disable trigger holds_release_only`);
      await tx.execute(sql`update holds set reason = 'Nothing suspect' where id = ${good.holds[0]!.id}`);
      await tx.execute(sql`alter table holds enable trigger holds_release_only`);
    });
    const heldChanged = await getSuspectAlert(t.db, priya, alertId, { offset: 0, limit: 10 });
    expect(heldChanged.holds[0]!.tampered).toBe(true);
    expect(heldChanged.holds[0]!.signatures[0]!.status).toBe("invalid");
    expect(heldChanged.alert.tampered).toBe(false);

    await t.ownerDb.execute(sql`update suspect_alerts set lot_number = 'KP24-0901' where id = ${alertId}`);
    const alertChanged = await getSuspectAlert(t.db, priya, alertId, { offset: 0, limit: 10 });
    expect(alertChanged.alert.tampered).toBe(true);
    expect(alertChanged.alert.signatures[0]!.status).toBe("invalid");
    // the app's own role cannot remove the links between an alert and its holds
    await expect(t.db.execute(sql`delete from suspect_alert_holds where alert_id = ${alertId}`)).rejects.toThrow();
  });
});
