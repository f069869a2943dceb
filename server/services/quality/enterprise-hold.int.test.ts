import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { testTime } from "@/db/testing/clock";
import { createTestLot, createTestPart, createTestUser } from "@/db/testing/factories";
import { createStationOrder, createStationPlant, operatorActor, type StationPlant } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows } from "@/db/client";
import { hashSecret } from "@/server/auth/passwords";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { postMovement } from "@/server/repos/ledger";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { consumeComponent } from "@/server/services/station/consume-component";
import { shipTransfer } from "@/server/services/transfers/ship-transfer";
import { receiveTransfer } from "@/server/services/transfers/receive-transfer";
import { placeEnterpriseHold } from "./place-enterprise-hold";
import { setUserRoles } from "@/server/services/admin/manage-users";

/*
 * An enterprise-wide hold on a lot takes effect at every site of the placer's enterprise scope: the site that has the
 * lot now, and the site it reaches later by transfer (held on arrival). The station refuses it at both.
 */

const t = useTestDatabase("empty");
const PASSWORD = "correct horse battery staple";
const rid = () => randomUUID();

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

function actorAt(userId: string, sites: { plant: StationPlant; roles: Role[] }[]): Actor {
  const memberships = sites.map(({ plant, roles }) => ({ id: plant.siteId, code: plant.code, name: `Test site ${plant.code}`, timeZone: "America/Chicago", roles }));
  const a = memberships[0]!;
  return { userId, displayName: "Quality Engineer", locale: "en", siteId: a.id, siteCode: a.code, siteName: a.name, timeZone: a.timeZone, roles: a.roles, sites: memberships };
}

describe("enterprise holds", () => {
  it("a hold on a lot placed enterprise-wide refuses it at the station of both sites, the second one from its arrival by transfer", async () => {
    const db = t.db;
    const wch = await createStationPlant(db, `W${randomUUID().slice(0, 5).toUpperCase()}`);
    const tls = await createStationPlant(db, `T${randomUUID().slice(0, 5).toUpperCase()}`);
    const bearing = await createTestPart(db, "lot", { description: "Bearing" });
    const wchOrder = await createStationOrder(db, wch, { number: `WO-W-${randomUUID().slice(0, 4)}`, serials: ["ACT-2001"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: bearing.revisionId, qty: "1", op: 10 }] });
    const tlsOrder = await createStationOrder(db, tls, { number: `WO-T-${randomUUID().slice(0, 4)}`, serials: ["SV-2001"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: bearing.revisionId, qty: "1", op: 10 }] });
    const lot = await createTestLot(db, wch.siteId, bearing.revisionId, { lotNumber: `BRG-${randomUUID().slice(0, 6)}` });
    const item = { partRevisionId: bearing.revisionId, lotId: lot.id, serialItemId: null };
    await db.transaction((tx) =>
      postMovement(tx, {
        siteId: wch.siteId,
        kind: "receive_from_erp",
        occurredAt: testTime(-600),
        legs: [
          { ...item, locationId: wch.loc.erp_supply, quantity: "-10" },
          { ...item, locationId: wch.loc.stores, quantity: "7" },
          { ...item, locationId: wch.loc.point_of_use, quantity: "3" },
        ],
      }),
    );
    const wchClerk = actorAt((await createTestUser(db, wch.siteId, "kitting_clerk")).id, [{ plant: wch, roles: ["kitting_clerk"] }]);
    const tlsClerk = actorAt((await createTestUser(db, tls.siteId, "kitting_clerk")).id, [{ plant: tls, roles: ["kitting_clerk"] }]);
    // four go to TLS and are on the road when quality holds the lot
    const shipped = await shipTransfer(db, wchClerk, { requestId: rid(), toSiteId: tls.siteId, itemNumber: lot.lotNumber, quantity: "4" }, testTime(-500));

    const qe = await createTestUser(db, wch.siteId, "quality_engineer");
    await db.update(s.users).set({ passwordHash: await hashSecret(PASSWORD) }).where(eq(s.users.id, qe.id));
    await db.insert(s.userSiteRoles).values([
      { userId: qe.id, siteId: wch.siteId, role: "enterprise" },
      { userId: qe.id, siteId: tls.siteId, role: "quality_engineer" },
      { userId: qe.id, siteId: tls.siteId, role: "enterprise" },
    ]);
    const enterprise = actorAt(qe.id, [
      { plant: wch, roles: ["quality_engineer", "enterprise"] },
      { plant: tls, roles: ["quality_engineer", "enterprise"] },
    ]);
    const cmd = { requestId: rid(), target: { kind: "lot" as const, lotNumber: lot.lotNumber }, reason: "Supplier notice SN-4410: cage cracks", signature: { method: "password" as const, secret: PASSWORD, meaning: "hold" } };
    // a quality engineer of one site without the enterprise role cannot
    const local = actorAt(wch.qualityId, [{ plant: wch, roles: ["quality_engineer"] }]);
    expect((await refusal(placeEnterpriseHold(db, local, { ...cmd, requestId: rid() }, { now: testTime(-450), clientKey: "test" }))).code).toBe("FORBIDDEN");

    const placed = await placeEnterpriseHold(db, enterprise, cmd, { now: testTime(-450), clientKey: "test" });
    expect(placed.sites.map((x) => [x.siteCode, x.holdId !== null])).toEqual(
      [
        [wch.code, true],
        [tls.code, false],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // the WCH hold is signed at WCH, bound to its content
    const wchHold = placed.sites.find((x) => x.siteCode === wch.code)!.holdId!;
    const [sig] = await queryRows<{ record_id: string; meaning: string; signer_user_id: string }>(
      db,
      sql`select g.record_id, g.meaning, g.signer_user_id from holds h join signatures g on g.site_id = h.site_id and g.id = h.placed_signature_id
          where h.site_id = ${wch.siteId}::uuid and h.id = ${wchHold}::uuid`,
    );
    expect(sig).toEqual({ record_id: wchHold, meaning: "hold", signer_user_id: qe.id });
    // the retry of the same request places nothing more
    expect(await placeEnterpriseHold(db, enterprise, cmd, { now: testTime(-449), clientKey: "test" })).toEqual(placed);
    const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from holds where enterprise_hold_id = ${placed.enterpriseHoldId}::uuid`);
    expect(count!.n).toBe(1);

    // TLS receives the four: the lot is held there from its arrival
    const received = await receiveTransfer(db, tlsClerk, { requestId: rid(), scan: shipped.number }, testTime(-400));
    expect(received.heldOnArrival).toEqual(["Supplier notice SN-4410: cage cracks"]);
    const [tlsLot] = await queryRows<{ id: string }>(db, sql`select id from lots where site_id = ${tls.siteId}::uuid and lot_number = ${lot.lotNumber}`);
    await db.transaction((tx) =>
      postMovement(tx, {
        siteId: tls.siteId,
        kind: "transfer",
        occurredAt: testTime(-390),
        legs: [
          { partRevisionId: bearing.revisionId, lotId: tlsLot!.id, serialItemId: null, locationId: tls.loc.stores, quantity: "-4" },
          { partRevisionId: bearing.revisionId, lotId: tlsLot!.id, serialItemId: null, locationId: tls.loc.point_of_use, quantity: "4" },
        ],
      }),
    );

    // the station refuses the lot at both sites, naming the hold's reason
    const atWch = await refusal(
      consumeComponent(db, operatorActor(wch), { requestId: rid(), stationId: wch.stationId, unitId: wchOrder.units[0]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" }, testTime(-300)),
    );
    const atTls = await refusal(
      consumeComponent(db, operatorActor(tls), { requestId: rid(), stationId: tls.stationId, unitId: tlsOrder.units[0]!.unitId, operationSeq: 10, item: { lotId: tlsLot!.id }, quantity: "1" }, testTime(-300)),
    );
    for (const e of [atWch, atTls]) {
      expect(e.code).toBe("LOT_ON_HOLD");
      expect(e.message).toContain("cage cracks");
    }
    // and the held lot does not leave for a third place
    expect((await refusal(shipTransfer(db, wchClerk, { requestId: rid(), toSiteId: tls.siteId, itemNumber: lot.lotNumber, quantity: "1" }, testTime(-200)))).code).toBe("MATERIAL_ON_HOLD");
    expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
  });

  it("an administrator grants the enterprise role with the quality engineer or supervisor role only", async () => {
    const site = await createStationPlant(t.db);
    const admin = actorAt(site.qualityId, [{ plant: site, roles: ["admin"] }]);
    const operator = await createTestUser(t.db, site.siteId, "operator");
    const refused = await refusal(setUserRoles(t.db, admin, { userId: operator.id, roles: ["operator", "enterprise"], reason: "Recall team" }, testTime(0)));
    expect(refused.code).toBe("VALIDATION_FAILED");
    expect(await queryRows(t.db, sql`select role::text from user_site_roles where user_id = ${operator.id}::uuid order by role`)).toEqual([{ role: "operator" }]);
    const granted = await setUserRoles(t.db, admin, { userId: operator.id, roles: ["quality_engineer", "enterprise"], reason: "Named for the recall team" }, testTime(1));
    expect(granted.roles).toEqual(["quality_engineer", "enterprise"]);
  });
});
