import { randomUUID } from "node:crypto";
import type { DbOrTx } from "../client";
import * as s from "../schema";

type LocationKind = (typeof s.locationKind.enumValues)[number];
const PHYSICAL = new Set<string>(s.PHYSICAL_LOCATION_KINDS);

const short = () => randomUUID().slice(0, 8).toUpperCase();

export type TestSite = {
  siteId: string;
  code: string;
  stationId: string;
  workCenterId: string;
  loc: Record<LocationKind, string>;
};

/** A site with one area, work center and station, and one storage location of every kind. */
export async function createTestSite(db: DbOrTx, code = `T${short()}`): Promise<TestSite> {
  const [site] = await db.insert(s.sites).values({ code, name: `Test site ${code}`, timeZone: "America/Chicago", erpPlant: code }).returning();
  const siteId = site!.id;
  const [area] = await db.insert(s.areas).values({ siteId, code: "A1", name: "Assembly" }).returning();
  const [wc] = await db.insert(s.workCenters).values({ siteId, areaId: area!.id, code: "WC1", name: "Bench 1" }).returning();
  const [station] = await db.insert(s.stations).values({ siteId, workCenterId: wc!.id, code: "ST1", name: "Station 1" }).returning();
  const loc = {} as Record<LocationKind, string>;
  for (const kind of s.locationKind.enumValues) {
    const [row] = await db
      .insert(s.storageLocations)
      .values({
        siteId,
        code: kind.toUpperCase(),
        name: kind,
        kind,
        isPhysical: PHYSICAL.has(kind),
        stationId: kind === "point_of_use" ? station!.id : null,
      })
      .returning();
    loc[kind] = row!.id;
  }
  return { siteId, code, stationId: station!.id, workCenterId: wc!.id, loc };
}

export async function createTestPart(db: DbOrTx, tracking: "serial" | "lot" | "untracked", extra: Partial<typeof s.parts.$inferInsert> = {}) {
  const [part] = await db
    .insert(s.parts)
    .values({ partNumber: `P-${short()}`, description: "Test part", uom: tracking === "untracked" ? "EA" : "EA", tracking, ...extra })
    .returning();
  const [rev] = await db.insert(s.partRevisions).values({ partId: part!.id, revision: "A" }).returning();
  return { partId: part!.id, revisionId: rev!.id, partNumber: part!.partNumber };
}

export async function createTestLot(db: DbOrTx, siteId: string, partRevisionId: string, extra: Partial<typeof s.lots.$inferInsert> = {}) {
  const [lot] = await db
    .insert(s.lots)
    .values({ siteId, partRevisionId, lotNumber: `L-${short()}`, inspectionStatus: "accepted", ...extra })
    .returning();
  return lot!;
}

export async function createTestSerial(db: DbOrTx, siteId: string, partRevisionId: string, extra: Partial<typeof s.serialItems.$inferInsert> = {}) {
  const [item] = await db
    .insert(s.serialItems)
    .values({ siteId, partRevisionId, serialNumber: `SN-${short()}`, inspectionStatus: "accepted", ...extra })
    .returning();
  return item!;
}

export async function createTestUser(db: DbOrTx, siteId: string, role: (typeof s.role.enumValues)[number]) {
  const [user] = await db
    .insert(s.users)
    .values({ username: `u-${short()}`, displayName: "Test User", passwordHash: "$argon2id$unused" })
    .returning();
  await db.insert(s.userSiteRoles).values({ userId: user!.id, siteId, role });
  return user!;
}
