import { getActor } from "@/server/auth/session";
import { getDb } from "@/db/app-database";
import { AREA_ROLES } from "@/server/api/areas";
import { exceptionFilterInput } from "@/server/api/routers/reconciliation";
import { exportRoute, fileResponse, one, refuse } from "@/app/api/genealogy/export-http";
import { exportExceptionsCsv, exportExceptionsPdf } from "@/server/services/reconciliation/export-exceptions";

export const dynamic = "force-dynamic";

/** GET ?status=&category=&ownerSystem=&ownerRole=&olderThanDays=&part=&format=csv|pdf: the reconciliation exceptions as a file. */
export const GET = exportRoute("reconciliation export", async (request, rc) => {
  const actor = await getActor();
  if (!actor) return refuse(rc, 401, "UNAUTHENTICATED", "Sign in to export reconciliation exceptions.");
  if (!actor.roles.some((r) => AREA_ROLES.erp.includes(r))) return refuse(rc, 403, "FORBIDDEN", `Exports of reconciliation are for supervisors and administrators at ${actor.siteName}.`);
  const sp = new URL(request.url).searchParams;
  const format = one(sp, "format") || "csv";
  if (format !== "csv" && format !== "pdf") return refuse(rc, 400, "VALIDATION_FAILED", "The export format is csv or pdf.");
  const days = one(sp, "olderThanDays");
  const parsed = exceptionFilterInput.safeParse({
    status: one(sp, "status") || undefined,
    category: one(sp, "category") || undefined,
    ownerSystem: one(sp, "ownerSystem") || undefined,
    ownerRole: one(sp, "ownerRole") || undefined,
    olderThanDays: /^\d{1,4}$/.test(days) ? Number(days) : days ? -1 : undefined,
    part: one(sp, "part") || undefined,
  });
  if (!parsed.success) return refuse(rc, 400, "VALIDATION_FAILED", "A filter of the export is not valid: export again from the exceptions page.");
  const { page: _page, pageSize: _size, ...filters } = parsed.data;
  void _page;
  void _size;
  const db = await getDb();
  const now = new Date();
  return fileResponse(format === "pdf" ? await exportExceptionsPdf(db, actor, filters, now) : await exportExceptionsCsv(db, actor, filters, now));
});
