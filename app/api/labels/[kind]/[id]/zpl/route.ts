import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { LABEL_ROLES } from "@/server/api/areas";
import { answerIn, exportRoute, isId, readerOf, refuseIn } from "@/app/api/genealogy/export-http";
import { DomainError } from "@/server/domain/shared/errors";
import { lotLabel, serialLabel } from "@/server/services/labels/item-label";

export const dynamic = "force-dynamic";

/**
 * GET /api/labels/lot/<lot id>/zpl, /api/labels/serial/<serial item id>/zpl: the label's ZPL as a text download, with
 * the item's expiry, out-time and thaw state at this moment. Another site's item: not found.
 */
export const GET = exportRoute("label ZPL", async (request, rc) => {
  const actor = await getActor();
  // refusals in the asker's language (the actor's, else the browser's), with their code and reference
  const reader = readerOf(actor, request);
  if (!actor) return refuseIn(rc, reader, new DomainError("UNAUTHENTICATED", "Sign in to print labels.", {}, { key: "labelSignIn" }));
  const site = actor.siteName;
  if (!actor.roles.some((r) => LABEL_ROLES.includes(r))) {
    return refuseIn(rc, reader, new DomainError("FORBIDDEN", `Labels are not open to your role at ${site}.`, {}, { key: "labelForbidden", values: { site } }));
  }
  // /api/labels/<kind>/<id>/zpl
  const [kind = "", id = ""] = new URL(request.url).pathname.split("/").slice(3, 5);
  if ((kind !== "lot" && kind !== "serial") || !isId(id)) return refuseIn(rc, reader, new DomainError("NOT_FOUND", `No such label at ${site}.`, {}, { key: "labelNotFound", values: { site } }));
  return answerIn(rc, reader, async () => {
    const db = await getDb();
    const label = kind === "lot" ? await lotLabel(db, actor, id, new Date()) : await serialLabel(db, actor, id, new Date());
    return new Response(label.zpl, {
      status: 200,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="${kind}-${label.item.number.replace(/[^A-Za-z0-9._-]/g, "_")}.zpl"`,
        "cache-control": "no-store",
      },
    });
  });
});
