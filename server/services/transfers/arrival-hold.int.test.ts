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
import { releaseHold } from "@/server/services/quality/release-hold";
import { getHoldDetail } from "@/server/services/quality/hold-views";
import { shipTransfer } from "./ship-transfer";
import { receiveTransfer } from "./receive-transfer";

/*
 * A site that re-inspects what arrives from another site (sites.transfer_reinspect) holds it at receipt: the receiver
 * signs the on-arrival hold (PIN or password, meaning "hold"); a quality engineer releases it like any hold (signed,
 * two-person rule). Without the signature nothing is received.
 */

const t = useTestDatabase("empty");
const PIN = "4711";
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

function actorAt(userId: string, plant: StationPlant, roles: Role[], name: string): Actor {
  const site = { id: plant.siteId, code: plant.code, name: `Test site ${plant.code}`, timeZone: "America/Chicago", roles };
  return { userId, displayName: name, locale: "en", siteId: site.id, siteCode: site.code, siteName: site.name, timeZone: site.timeZone, roles, sites: [site] };
}

describe("on-arrival hold at transfer receipt", () => {
  it("holds a lot received at a re-inspecting site under the receiver's signature, and a quality engineer releases it signed", async () => {
    const db = t.db;
    const wch = await createStationPlant(db, `W${randomUUID().slice(0, 5).toUpperCase()}`);
    const tls = await createStationPlant(db, `T${randomUUID().slice(0, 5).toUpperCase()}`);
    await db.update(s.sites).set({ transferReinspect: true, holdReleaseTwoPerson: true }).where(eq(s.sites.id, tls.siteId));
    const seal = await createTestPart(db, "lot", { description: "Sealant" });
    const tlsOrder = await createStationOrder(db, tls, { number: `WO-T-${randomUUID().slice(0, 4)}`, serials: ["SV-4001"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: seal.revisionId, qty: "1", op: 10 }] });
    const lot = await createTestLot(db, wch.siteId, seal.revisionId, { lotNumber: `SEAL-${randomUUID().slice(0, 6)}` });
    const item = { partRevisionId: seal.revisionId, lotId: lot.id, serialItemId: null };
    await db.transaction((tx) =>
      postMovement(tx, { siteId: wch.siteId, kind: "receive_from_erp", occurredAt: testTime(-600), legs: [{ ...item, locationId: wch.loc.erp_supply, quantity: "-5" }, { ...item, locationId: wch.loc.stores, quantity: "5" }] }),
    );
    const wchClerk = actorAt((await createTestUser(db, wch.siteId, "kitting_clerk")).id, wch, ["kitting_clerk"], "WCH clerk");
    const clerkUser = await createTestUser(db, tls.siteId, "kitting_clerk");
    await db.update(s.users).set({ pinHash: await hashSecret(PIN), displayName: "Camille Receiver" }).where(eq(s.users.id, clerkUser.id));
    const tlsClerk = actorAt(clerkUser.id, tls, ["kitting_clerk"], "Camille Receiver");
    const shipped = await shipTransfer(db, wchClerk, { requestId: rid(), toSiteId: tls.siteId, itemNumber: lot.lotNumber, quantity: "3" }, testTime(-500));
    const inTransit = async () => (await queryRows<{ status: string }>(db, sql`select status from site_transfers where number = ${shipped.number}`))[0]!.status;

    // no signature, a wrong PIN, the wrong meaning: nothing is received
    const unsigned = await refusal(receiveTransfer(db, tlsClerk, { requestId: rid(), scan: shipped.number }, testTime(-400)));
    expect(unsigned.code).toBe("VALIDATION_FAILED");
    expect(unsigned.details).toMatchObject({ field: "signature", reinspect: true });
    expect((await refusal(receiveTransfer(db, tlsClerk, { requestId: rid(), scan: shipped.number, signature: { method: "pin", secret: "0000", meaning: "hold" } }, testTime(-399)))).code).toBe(
      "SIGNATURE_REFUSED",
    );
    expect((await refusal(receiveTransfer(db, tlsClerk, { requestId: rid(), scan: shipped.number, signature: { method: "pin", secret: PIN, meaning: "release" } }, testTime(-398)))).code).toBe(
      "VALIDATION_FAILED",
    );
    expect(await inTransit()).toBe("in_transit");

    // signed: received, inspection pending, and held under the receiver's signature
    const cmd = { requestId: rid(), scan: shipped.number, signature: { method: "pin" as const, secret: PIN, meaning: "hold" } };
    const received = await receiveTransfer(db, tlsClerk, cmd, testTime(-390));
    expect(received.inspectionStatus).toBe("pending");
    expect(received.arrivalHoldId).not.toBeNull();
    expect(await inTransit()).toBe("received");
    expect(await receiveTransfer(db, tlsClerk, cmd, testTime(-389))).toEqual(received); // the retry: the same outcome, no second hold
    const holds = await queryRows<{ id: string; reason: string; placed_by: string; meaning: string; signer: string; method: string }>(
      db,
      sql`select h.id, h.reason, h.placed_by, g.meaning, g.signer_user_id as signer, g.auth_method as method from holds h join signatures g on g.site_id = h.site_id and g.id = h.placed_signature_id
          where h.site_id = ${tls.siteId}::uuid`,
    );
    expect(holds).toEqual([{ id: received.arrivalHoldId, reason: expect.stringContaining(shipped.number), placed_by: clerkUser.id, meaning: "hold", signer: clerkUser.id, method: "pin" }]);
    expect(holds[0]!.reason).toContain(wch.code);

    // the station at TLS refuses the lot: it is on hold
    const [tlsLot] = await queryRows<{ id: string }>(db, sql`select id from lots where site_id = ${tls.siteId}::uuid and lot_number = ${lot.lotNumber}`);
    const at = { partRevisionId: seal.revisionId, lotId: tlsLot!.id, serialItemId: null };
    await db.transaction((tx) =>
      postMovement(tx, { siteId: tls.siteId, kind: "transfer", occurredAt: testTime(-380), legs: [{ ...at, locationId: tls.loc.stores, quantity: "-1" }, { ...at, locationId: tls.loc.point_of_use, quantity: "1" }] }),
    );
    const refused = await refusal(
      consumeComponent(db, operatorActor(tls), { requestId: rid(), stationId: tls.stationId, unitId: tlsOrder.units[0]!.unitId, operationSeq: 10, item: { lotId: tlsLot!.id }, quantity: "1" }, testTime(-370)),
    );
    expect(refused.code).toBe("LOT_ON_HOLD");

    // a quality engineer of TLS releases it like any hold: signed, the release bound to the record
    const qeUser = await createTestUser(db, tls.siteId, "quality_engineer");
    await db.update(s.users).set({ passwordHash: await hashSecret(PASSWORD) }).where(eq(s.users.id, qeUser.id));
    const qe = actorAt(qeUser.id, tls, ["quality_engineer"], "TLS quality");
    const out = await releaseHold(
      db,
      qe,
      { requestId: rid(), holdId: received.arrivalHoldId!, reason: "Receiving inspection passed", signature: { method: "password", secret: PASSWORD, meaning: "release" } },
      { now: testTime(-300), clientKey: "test" },
    );
    const detail = await getHoldDetail(db, qe, out.holdId, { offset: 0, limit: 10 });
    expect(detail.hold.active).toBe(false);
    expect(detail.hold.tampered).toBe(false);
    expect(detail.hold.signatures.map((g) => [g.meaning, g.printedName])).toEqual([
      ["hold", "Camille Receiver"],
      ["release", expect.any(String)],
    ]);
    expect(detail.enterprise).toBeNull();
    expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
  });

  it("receives without a hold or a signature where the site carries the sender's inspection", async () => {
    const db = t.db;
    const wch = await createStationPlant(db, `W${randomUUID().slice(0, 5).toUpperCase()}`);
    const tls = await createStationPlant(db, `T${randomUUID().slice(0, 5).toUpperCase()}`);
    const seal = await createTestPart(db, "lot", { description: "Sealant" });
    const lot = await createTestLot(db, wch.siteId, seal.revisionId, { lotNumber: `SEAL-${randomUUID().slice(0, 6)}` });
    const item = { partRevisionId: seal.revisionId, lotId: lot.id, serialItemId: null };
    await db.transaction((tx) =>
      postMovement(tx, { siteId: wch.siteId, kind: "receive_from_erp", occurredAt: testTime(-600), legs: [{ ...item, locationId: wch.loc.erp_supply, quantity: "-2" }, { ...item, locationId: wch.loc.stores, quantity: "2" }] }),
    );
    const wchClerk = actorAt((await createTestUser(db, wch.siteId, "kitting_clerk")).id, wch, ["kitting_clerk"], "WCH clerk");
    const tlsClerk = actorAt((await createTestUser(db, tls.siteId, "kitting_clerk")).id, tls, ["kitting_clerk"], "TLS clerk");
    const shipped = await shipTransfer(db, wchClerk, { requestId: rid(), toSiteId: tls.siteId, itemNumber: lot.lotNumber, quantity: "2" }, testTime(-500));
    const received = await receiveTransfer(db, tlsClerk, { requestId: rid(), scan: shipped.number }, testTime(-400));
    expect(received.arrivalHoldId).toBeNull();
    expect(received.inspectionStatus).toBe("accepted");
    expect((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from holds where site_id = ${tls.siteId}::uuid`))[0]!.n).toBe(0);
  });
});
