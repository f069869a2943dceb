import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, rowCounts } from "@/db/testing/station-fixtures";
import { queryRows, type Tx } from "@/db/client";
import type { SignedInSession } from "@/server/auth/actor";
import { signOutSession } from "@/server/auth/sessions";
import { signInWithBadge } from "@/server/auth/sign-in";
import { createSite, createUser, unique } from "@/server/auth/testing/users";
import { findSession } from "@/server/repos/user-sessions";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { consumeComponent } from "./consume-component";

/*
 * The scan as the API makes it (server/api: sessionSiteProcedure): with the request's signed-in session, whose actor
 * (the user, their roles, whether the session is live) is read inside the install's transaction, with its first locks.
 */

const t = useTestDatabase("empty");
const NOW = new Date("2026-11-20T15:00:00Z");
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const PIN = "2468";

async function setup(tx: Tx, role: "operator" | "kitting_clerk" = "operator") {
  const plant = await createStationPlant(tx);
  const sealant = await createTestPart(tx, "lot", { description: "Sealant", uom: "KG" });
  const order = await createStationOrder(tx, plant, { number: `WO-${randomUUID().slice(0, 6)}`, serials: ["U-001", "U-002"], bom: [{ find: 20, partRevisionId: sealant.revisionId, qty: "1", op: 10 }] });
  const lot = await createTestLot(tx, plant.siteId, sealant.revisionId);
  await issueToPointOfUse(tx, plant, { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null }, "5", NOW);
  const badgeId = unique("B");
  const user = await createUser(tx, { displayName: "Sam Session", badgeId, pin: PIN, roles: [{ siteId: plant.siteId, role }] });
  const signedIn = await signInWithBadge(tx, { badgeId, pin: PIN }, { clientKey: unique("c"), now: NOW });
  const session = (now: Date, activeSiteId: string | null = plant.siteId): SignedInSession => ({ claims: { userId: user.id, sessionId: signedIn.sessionId, sessionVersion: 1, activeSiteId }, now });
  const install = (s: SignedInSession, unit = 0, quantity = "1") =>
    consumeComponent(tx, s, { requestId: randomUUID(), stationId: plant.stationId, unitId: order.units[unit]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity }, NOW);
  const lastSeen = async () => (await findSession(tx, signedIn.sessionId))!.lastSeenAt.getTime();
  return { plant, sealant, lot, user, signedIn, session, install, lastSeen };
}

describe("consumeComponent with the request's signed-in session (the actor read in the install's transaction)", () => {
  it("installs as the session's user; records the activity when due, after a refusal too; a signed-out session is refused and nothing is written", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const out = await f.install(f.session(at(30)));
      expect(out).toMatchObject({ quantity: "1", lotNumber: expect.any(String) });
      const [edge] = await queryRows<{ operator: string }>(tx, sql`select operator_user_id::text as operator from genealogy_edges where id = ${out.edgeId}::uuid`);
      expect(edge!.operator).toBe(f.user.id);
      // within a minute of the last activity, the session is not written
      expect(await f.lastSeen()).toBe(NOW.getTime());
      await f.install(f.session(at(61)), 1);
      expect(await f.lastSeen()).toBe(at(61).getTime());
      // a refusal (more than the line takes) is still activity
      const before = await rowCounts(tx);
      await expect(f.install(f.session(at(125)), 1, "1")).rejects.toMatchObject({ code: "OVER_INSTALL" });
      expect(await rowCounts(tx)).toEqual(before);
      expect(await f.lastSeen()).toBe(at(125).getTime());
      // signed out: the next scan is refused, nothing written, and the ended session is not touched
      expect(await signOutSession(tx, f.signedIn.sessionId, at(130))).toBe(true);
      const signedOut = await rowCounts(tx);
      await expect(f.install(f.session(at(200)))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
      expect(await rowCounts(tx)).toEqual(signedOut);
      expect(await f.lastSeen()).toBe(at(125).getTime());
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, { partRevisionId: f.sealant.revisionId, lotId: f.lot.id })).toBe("3");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses a user whose role at the site does not install, and nothing is written", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx, "kitting_clerk");
      const before = await rowCounts(tx);
      await expect(f.install(f.session(at(10)))).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await rowCounts(tx)).toEqual(before);
    });
  });

  it("a session whose active site is no longer one of the user's installs at the user's site (as the actor read resolves it)", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const elsewhere = await createSite(tx);
      const out = await f.install(f.session(at(10), elsewhere.id));
      expect(out.quantity).toBe("1");
      const [row] = await queryRows<{ site: string }>(tx, sql`select site_id::text as site from genealogy_edges where id = ${out.edgeId}::uuid`);
      expect(row!.site).toBe(f.plant.siteId);
      // no active site in the session: the same
      expect((await f.install(f.session(at(20), null), 1)).quantity).toBe("1");
    });
  });
});
