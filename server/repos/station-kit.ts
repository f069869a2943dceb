import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { kits, stations } from "@/db/schema";

/* A kit as the station finds it from its label: the Data Matrix of a kit label holds the kit number. Site-scoped. */

/** The kit of this site with this number, or null. */
export async function findKitIdByNumber(db: DbOrTx, siteId: string, kitNumber: string): Promise<{ id: string; number: string } | null> {
  const [row] = await db
    .select({ id: kits.id, number: kits.number })
    .from(kits)
    .where(and(eq(kits.siteId, siteId), eq(kits.number, kitNumber)))
    .limit(1);
  return row ?? null;
}

/** A station's code and name (the kit's destination), or null when not of this site. */
export async function stationName(db: DbOrTx, siteId: string, stationId: string): Promise<{ code: string; name: string } | null> {
  const [row] = await db
    .select({ code: stations.code, name: stations.name })
    .from(stations)
    .where(and(eq(stations.siteId, siteId), eq(stations.id, stationId)))
    .limit(1);
  return row ?? null;
}
