import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { apiRoute, refusalResponse } from "@/server/api/route-answers";
import { MAX_ATTACHMENT_BYTES } from "@/server/domain/quality/nonconformance";
import { addNcrAttachment } from "@/server/services/quality/ncr";

export const dynamic = "force-dynamic";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** POST multipart/form-data with one `file`: a photo or PDF added to the NCR (checked by content, at most 5 MB). */
export const POST = apiRoute("NCR attachment", async (request, rc, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await getActor();
  if (!actor) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Sign in to add photos." });
  const { id } = await ctx.params;
  if (!GUID.test(id)) return refusalResponse(rc, { status: 404, code: "NOT_FOUND", message: "That nonconformance report does not exist at this site." });
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_ATTACHMENT_BYTES + 64 * 1024) return refusalResponse(rc, { status: 413, code: "VALIDATION_FAILED", message: "The file is too large (at most 5 MB per file)." });
  const form = await request.formData().catch(() => null);
  const file = form?.get("file");
  if (!file || typeof file === "string") return refusalResponse(rc, { status: 400, code: "VALIDATION_FAILED", message: "Choose a photo or PDF to add." });
  const data = new Uint8Array(await file.arrayBuffer());
  const out = await addNcrAttachment(await getDb(), actor, { ncrId: id, fileName: file.name, data }, new Date());
  return Response.json(out, { status: 201, headers: { "cache-control": "no-store" } });
});
