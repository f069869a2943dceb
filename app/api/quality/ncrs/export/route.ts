import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { exportRoute, fileResponse, one, refuse } from "@/app/api/genealogy/export-http";
import { NCR_SOURCES, NCR_STATUSES, type NcrSource, type NcrStatus } from "@/server/domain/quality/nonconformance";
import { ncrsCsv } from "@/server/services/quality/ncr-views";

export const dynamic = "force-dynamic";

/** GET ?status=&source=&q=: the NCRs the list's filters select, as CSV (quality engineers and supervisors). */
export const GET = exportRoute("NCR export", async (request, rc) => {
  const actor = await getActor();
  if (!actor) return refuse(rc, 401, "UNAUTHENTICATED", "Sign in to export.");
  const sp = new URL(request.url).searchParams;
  const status = one(sp, "status");
  const source = one(sp, "source");
  const filters = {
    status: (NCR_STATUSES as readonly string[]).includes(status) ? (status as NcrStatus) : null,
    source: (NCR_SOURCES as readonly string[]).includes(source) ? (source as NcrSource) : null,
    q: one(sp, "q").slice(0, 100) || null,
  };
  return fileResponse(await ncrsCsv(await getDb(), actor, filters, new Date()));
});
