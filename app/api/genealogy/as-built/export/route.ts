import { fromWallTime } from "@/components/genealogy/wall-time";
import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { exportAsBuiltCsv, exportAsBuiltPdf } from "@/server/services/genealogy/export-as-built";
import { errorResponse, exportRefusal, fileResponse, isId, one, text } from "@/app/api/genealogy/export-http";

export const dynamic = "force-dynamic";

/** GET ?item=<serial item id>&at=<YYYY-MM-DDTHH:mm site wall time, optional>&format=csv|pdf: the as-built as a file. */
export async function GET(request: Request): Promise<Response> {
  const actor = await getActor();
  const refused = exportRefusal(actor);
  if (refused || !actor) return refused ?? text(401, "Sign in to export genealogy.");
  const sp = new URL(request.url).searchParams;
  const item = one(sp, "item");
  if (!isId(item)) return text(404, `That serial does not exist at ${actor.siteName}.`);
  const format = one(sp, "format") || "csv";
  if (format !== "csv" && format !== "pdf") return text(400, "The export format is csv or pdf.");
  const atText = one(sp, "at");
  const at = atText ? fromWallTime(atText, actor.timeZone) : null;
  if (atText && !at) return text(400, `"${atText.slice(0, 40)}" is not a date and time (YYYY-MM-DDTHH:mm).`);
  try {
    const db = await getDb();
    const input = { serialItemId: item, at };
    return fileResponse(format === "pdf" ? await exportAsBuiltPdf(db, actor, input, new Date()) : await exportAsBuiltCsv(db, actor, input, new Date()));
  } catch (e) {
    return errorResponse(e);
  }
}
