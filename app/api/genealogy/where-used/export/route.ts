import { getDb } from "@/db/app-database";
import type { WhereUsedTarget } from "@/server/repos/genealogy-where-used";
import { getActor } from "@/server/auth/session";
import { exportWhereUsedCsv, exportWhereUsedPdf } from "@/server/services/genealogy/export-where-used";
import { errorResponse, exportRefusal, fileResponse, isId, one, text } from "@/app/api/genealogy/export-http";

export const dynamic = "force-dynamic";

const KINDS = ["lot", "serial", "part_revision", "part", "manufacturer"] as const;

function targetFrom(sp: URLSearchParams): WhereUsedTarget | null {
  const kind = one(sp, "kind");
  if (kind === "supplier_lot") {
    const supplierLot = one(sp, "supplierLot").slice(0, 100);
    return supplierLot ? { kind, supplierLot } : null;
  }
  const id = one(sp, "id");
  const k = KINDS.find((x) => x === kind);
  return k && isId(id) ? { kind: k, id } : null;
}

/** GET ?kind=&id=|supplierLot=&current=1&top=1&format=csv|pdf: the whole where-used answer (all pages) as a file. */
export async function GET(request: Request): Promise<Response> {
  const actor = await getActor();
  const refused = exportRefusal(actor);
  if (refused || !actor) return refused ?? text(401, "Sign in to export genealogy.");
  const sp = new URL(request.url).searchParams;
  const target = targetFrom(sp);
  if (!target) return text(404, `That material was not found at ${actor.siteName}.`);
  const format = one(sp, "format") || "csv";
  if (format !== "csv" && format !== "pdf") return text(400, "The export format is csv or pdf.");
  try {
    const db = await getDb();
    const input = { target, currentOnly: one(sp, "current") === "1", topLevelOnly: one(sp, "top") === "1" };
    return fileResponse(format === "pdf" ? await exportWhereUsedPdf(db, actor, input, new Date()) : await exportWhereUsedCsv(db, actor, input, new Date()));
  } catch (e) {
    return errorResponse(e);
  }
}
