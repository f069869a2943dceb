import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { exportRoute, fileResponse, one, refuse } from "@/app/api/genealogy/export-http";
import { deviationsCsv } from "@/server/services/quality/deviations";

export const dynamic = "force-dynamic";

const STATES = ["valid", "expired", "used_up", "revoked"] as const;

/** GET ?state=&q=: the deviations the list's filters select, as CSV (quality engineers and supervisors). */
export const GET = exportRoute("deviation export", async (request, rc) => {
  const actor = await getActor();
  if (!actor) return refuse(rc, 401, "UNAUTHENTICATED", "Sign in to export.");
  const sp = new URL(request.url).searchParams;
  const state = one(sp, "state");
  const filters = { state: (STATES as readonly string[]).includes(state) ? (state as (typeof STATES)[number]) : null, q: one(sp, "q").slice(0, 100) || null };
  return fileResponse(await deviationsCsv(await getDb(), actor, filters, new Date()));
});
