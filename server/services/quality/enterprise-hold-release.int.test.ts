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
import { releaseEnterpriseHold } from "./release-enterprise-hold";
import { enterpriseHoldState } from "./enterprise-hold-state";
import { getHoldDetail } from "./hold-views";

/*
 * An enterprise hold is released at every site at once: one signature (meaning "release") signs each site's release,
 * under each site's two-person rule; refused releases change nothing; the hold's page shows each site's state.
 */

const t = useTestDatabase("empty");
const PASSWORD = "correct horse battery staple";
const rid = () => randomUUID();
const ctx = (minutes: number) => ({ now: testTime(minutes), clientKey: "test" });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

function actorAt(userId: string, sites: { plant: StationPlant; roles: Role[] }[], name = "Quality Engineer"): Actor {
  const memberships = sites.map(({ plant, roles }) => ({ id: plant.siteId, code: plant.code, name: `Test site ${plant.code}`, timeZone: "America/Chicago", roles }));
  const a = memberships[0]!;
  return { userId, displayName: name, locale: "en", siteId: a.id, siteCode: a.code, siteName: a.name, timeZone: a.timeZone, roles: a.roles, sites: memberships };
}

async function enterpriseQe(wch: StationPlant, tls: StationPlant, name: string, atTls = true): Promise<Actor> {
  const qe = await createTestUser(t.db, wch.siteId, "quality_engineer");
  await t.db.update(s.users).set({ passwordHash: await hashSecret(PASSWORD), displayName: name }).where(eq(s.users.id, qe.id));
  await t.db.insert(s.userSiteRoles).values([
    { userId: qe.id, siteId: wch.siteId, role: "enterprise" },
    ...(atTls
      ? [
          { userId: qe.id, siteId: tls.siteId, role: "quality_engineer" as const },
          { userId: qe.id, siteId: tls.siteId, role: "enterprise" as const },
        ]
      : []),
  ]);
  return actorAt(qe.id, [{ plant: wch, roles: ["quality_engineer", "enterprise"] }, ...(atTls ? [{ plant: tls, roles: ["quality_engineer", "enterprise"] as Role[] }] : [])], name);
}

const activeHolds = async (enterpriseHoldId: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from holds where enterprise_hold_id = ${enterpriseHoldId}::uuid and released_at is null`))[0]!.n;

describe("enterprise hold release", () => {
  it("releases the hold at both sites with one signature, under the two-person rule, and the stations take the lot again", async () => {
    const db = t.db;
    const wch = await createStationPlant(db, `W${randomUUID().slice(0, 5).toUpperCase()}`);
    const tls = await createStationPlant(db, `T${randomUUID().slice(0, 5).toUpperCase()}`);
    const bearing = await createTestPart(db, "lot", { description: "Bearing" });
    const wchOrder = await createStationOrder(db, wch, { number: `WO-W-${randomUUID().slice(0, 4)}`, serials: ["ACT-3001"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: bearing.revisionId, qty: "1", op: 10 }] });
    const tlsOrder = await createStationOrder(db, tls, { number: `WO-T-${randomUUID().slice(0, 4)}`, serials: ["SV-3001"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: bearing.revisionId, qty: "1", op: 10 }] });
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
    const shipped = await shipTransfer(db, wchClerk, { requestId: rid(), toSiteId: tls.siteId, itemNumber: lot.lotNumber, quantity: "4" }, testTime(-500));
    await receiveTransfer(db, tlsClerk, { requestId: rid(), scan: shipped.number }, testTime(-490));
    const [tlsLot] = await queryRows<{ id: string }>(db, sql`select id from lots where site_id = ${tls.siteId}::uuid and lot_number = ${lot.lotNumber}`);
    await db.transaction((tx) =>
      postMovement(tx, {
        siteId: tls.siteId,
        kind: "transfer",
        occurredAt: testTime(-480),
        legs: [
          { partRevisionId: bearing.revisionId, lotId: tlsLot!.id, serialItemId: null, locationId: tls.loc.stores, quantity: "-3" },
          { partRevisionId: bearing.revisionId, lotId: tlsLot!.id, serialItemId: null, locationId: tls.loc.point_of_use, quantity: "3" },
        ],
      }),
    );

    const placer = await enterpriseQe(wch, tls, "Elena Placer");
    const other = await enterpriseQe(wch, tls, "Omar Other");
    const wchOnly = await enterpriseQe(wch, tls, "Walter Wichita-only", false);
    const placed = await placeEnterpriseHold(
      db,
      placer,
      { requestId: rid(), target: { kind: "lot", lotNumber: lot.lotNumber }, reason: "Supplier notice SN-5120: cage cracks", signature: { method: "password", secret: PASSWORD, meaning: "hold" } },
      ctx(-450),
    );
    expect(placed.sites.every((x) => x.holdId !== null)).toBe(true);
    expect(await activeHolds(placed.enterpriseHoldId)).toBe(2);
    await db.update(s.sites).set({ holdReleaseTwoPerson: true }).where(eq(s.sites.id, tls.siteId));

    const release = (actor: Actor, over: Partial<Parameters<typeof releaseEnterpriseHold>[2]> = {}, at = -300) =>
      releaseEnterpriseHold(
        db,
        actor,
        { requestId: rid(), enterpriseHoldId: placed.enterpriseHoldId, reason: "Supplier 8D accepted, lots re-inspected", signature: { method: "password", secret: PASSWORD, meaning: "release" }, ...over },
        ctx(at),
      );
    // the placer: TLS has the two-person rule; nothing is released anywhere
    const twoPerson = await refusal(release(placer));
    expect(twoPerson.code).toBe("TWO_PERSON_RULE");
    expect(twoPerson.details).toMatchObject({ sites: [tls.code] });
    // an enterprise quality engineer of WCH only: TLS is outside their scope, and counted, not named (no role there)
    const scope = await refusal(release(wchOnly));
    expect(scope.code).toBe("FORBIDDEN");
    expect(scope.details).toMatchObject({ sites: [], otherSites: 1 });
    expect(scope.message).toBe("It is still held at 1 other site, where you are not a quality engineer with the enterprise role: nothing was released.");
    expect(scope.message).not.toContain(tls.code);
    // a quality engineer without the enterprise role; a wrong password; the wrong meaning
    expect((await refusal(release(actorAt(wch.qualityId, [{ plant: wch, roles: ["quality_engineer"] }])))).code).toBe("FORBIDDEN");
    expect((await refusal(release(other, { signature: { method: "password", secret: "wrong", meaning: "release" } }))).code).toBe("SIGNATURE_REFUSED");
    expect((await refusal(release(other, { signature: { method: "password", secret: PASSWORD, meaning: "hold" } }))).code).toBe("VALIDATION_FAILED");
    expect((await refusal(release(other, { reason: "  " }))).code).toBe("VALIDATION_FAILED");
    expect(await activeHolds(placed.enterpriseHoldId)).toBe(2);

    // the hold's page at TLS, before: held at both, the placer may not release it (two-person rule at TLS), the other may
    const before = await enterpriseHoldState(db, { ...other, siteId: tls.siteId, siteCode: tls.code, siteName: `Test site ${tls.code}` }, placed.enterpriseHoldId);
    expect(before!.sites.map((x) => [x.siteCode, x.state]).sort()).toEqual([
      [tls.code, "held"],
      [wch.code, "held"],
    ].sort());
    expect(before!.releaseBlock).toBeNull();
    expect((await enterpriseHoldState(db, placer, placed.enterpriseHoldId))!.releaseBlock).toEqual({ kind: "two_person", sites: [tls.code] });
    // a quality engineer of one site sees that site only, the other counted
    const local = await enterpriseHoldState(db, actorAt(wch.qualityId, [{ plant: wch, roles: ["quality_engineer"] }]), placed.enterpriseHoldId);
    expect(local!.sites.map((x) => x.siteCode)).toEqual([wch.code]);
    expect(local!.otherSites).toBe(1);
    expect(local!.releaseBlock).toEqual({ kind: "not_enterprise", sites: [] });

    // another enterprise quality engineer releases it at both sites at once, with one signature
    const cmd = { requestId: rid(), enterpriseHoldId: placed.enterpriseHoldId, reason: "Supplier 8D accepted, lots re-inspected", signature: { method: "password" as const, secret: PASSWORD, meaning: "release" } };
    const released = await releaseEnterpriseHold(db, other, cmd, ctx(-250));
    expect(released.sites.map((x) => [x.siteCode, x.releasedNow]).sort()).toEqual([
      [tls.code, true],
      [wch.code, true],
    ].sort());
    expect(await activeHolds(placed.enterpriseHoldId)).toBe(0);
    const sigs = await queryRows<{ site_id: string; meaning: string; signer_user_id: string; record_id: string }>(
      db,
      sql`select g.site_id, g.meaning, g.signer_user_id, g.record_id from holds h join signatures g on g.site_id = h.site_id and g.id = h.released_signature_id
          where h.enterprise_hold_id = ${placed.enterpriseHoldId}::uuid order by g.site_id`,
    );
    expect(sigs).toHaveLength(2);
    for (const g of sigs) expect(g).toMatchObject({ meaning: "release", signer_user_id: other.userId });
    const audits = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'release_hold' and request_id = ${cmd.requestId}`);
    expect(audits[0]!.n).toBe(2);
    // each site's hold page reads it as released, its release signature valid
    const wchHold = placed.sites.find((x) => x.siteCode === wch.code)!.holdId!;
    const detail = await getHoldDetail(db, other, wchHold, { offset: 0, limit: 10 });
    expect(detail.hold.active).toBe(false);
    expect(detail.hold.tampered).toBe(false);
    expect(detail.hold.signatures.map((g) => g.meaning)).toEqual(["hold", "release"]);
    expect(detail.enterprise?.sites.every((x) => x.state === "released")).toBe(true);
    expect(detail.enterprise?.releaseBlock).toEqual({ kind: "released", sites: [] });

    // the retry answers the same; a new release finds nothing held
    expect(await releaseEnterpriseHold(db, other, cmd, ctx(-249))).toEqual(released);
    expect((await refusal(release(other, {}, -200))).code).toBe("HOLD_NOT_ACTIVE");

    // both stations take the lot again; a new arrival at TLS is not held
    await consumeComponent(db, operatorActor(wch), { requestId: rid(), stationId: wch.stationId, unitId: wchOrder.units[0]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" }, testTime(-150));
    await consumeComponent(db, operatorActor(tls), { requestId: rid(), stationId: tls.stationId, unitId: tlsOrder.units[0]!.unitId, operationSeq: 10, item: { lotId: tlsLot!.id }, quantity: "1" }, testTime(-150));
    const again = await shipTransfer(db, wchClerk, { requestId: rid(), toSiteId: tls.siteId, itemNumber: lot.lotNumber, quantity: "1", fromLocationId: wch.loc.stores }, testTime(-100));
    expect((await receiveTransfer(db, tlsClerk, { requestId: rid(), scan: again.number }, testTime(-90))).heldOnArrival).toEqual([]);
    expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
  });
});
