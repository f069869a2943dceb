import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { apiRoute, refusalResponse } from "@/server/api/route-answers";
import { readNcrAttachment } from "@/server/services/quality/ncr";

export const dynamic = "force-dynamic";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET: one NCR attachment of the active site, as stored (its checked type; never run as a page: nosniff, attachment). */
export const GET = apiRoute("NCR attachment download", async (_request, rc, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await getActor();
  if (!actor) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Sign in to see attachments." }, "text");
  const { id } = await ctx.params;
  const file = GUID.test(id) ? await readNcrAttachment(await getDb(), actor, id) : null;
  if (!file) return refusalResponse(rc, { status: 404, code: "NOT_FOUND", message: "That attachment does not exist at this site." }, "text");
  return new Response(new Uint8Array(file.data), {
    status: 200,
    headers: {
      "content-type": file.contentType,
      "content-disposition": `${file.contentType.startsWith("image/") ? "inline" : "attachment"}; filename="${file.fileName.replace(/[^\w.\- ]/g, "_")}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
});
