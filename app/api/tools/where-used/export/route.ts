import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { exportRefusal, exportRoute, fileResponse, isId, one, refuse } from "@/app/api/genealogy/export-http";
import { touchedInstallsCsv } from "@/server/services/tools/where-used";

export const dynamic = "force-dynamic";

/** GET ?tool=<code>&since=calibration | ?operator=<user id>&from=YYYY-MM-DD&to=YYYY-MM-DD: every install touched, as CSV. */
export const GET = exportRoute("where-used by tool or operator export", async (request, rc) => {
  const actor = await getActor();
  const refused = exportRefusal(rc, actor);
  if (refused || !actor) return refused ?? refuse(rc, 401, "UNAUTHENTICATED", "Sign in to export.");
  const sp = new URL(request.url).searchParams;
  const tool = one(sp, "tool").slice(0, 64);
  const operator = one(sp, "operator");
  const db = await getDb();
  if (tool) return fileResponse(await touchedInstallsCsv(db, actor, { toolCode: tool, sinceLastCalibration: one(sp, "since") === "calibration" }));
  if (isId(operator)) return fileResponse(await touchedInstallsCsv(db, actor, { userId: operator, fromDay: one(sp, "from"), toDay: one(sp, "to") }));
  return refuse(rc, 400, "VALIDATION_FAILED", "Name a tool (tool=<code>) or an operator with a date range (operator=<id>&from=&to=).");
});
