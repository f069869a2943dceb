import "server-only";
import { getDb } from "@/db/app-database";
import { resolveSessionActor } from "./actor";
import { readClaims } from "./claims";

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/**
 * next-auth's GET /api/auth/session answers from the cookie alone. Checked here against the database like every other
 * request (resolveSessionActor): a signed-out, idle or disabled session answers `null` and its cookie is cleared, so a
 * replayed cookie does not even look signed in.
 */
export async function checkedSessionAnswer(req: Request, res: Response, now: Date): Promise<Response> {
  if (!res.ok || !new URL(req.url).pathname.endsWith("/session")) return res;
  const body = (await res.clone().json().catch(() => null)) as { claims?: unknown } | null;
  const claims = readClaims(body?.claims);
  if (!body || !claims) return res;
  if (await resolveSessionActor(await getDb(), claims, now)) return res;
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  const secure = new URL(req.url).protocol === "https:";
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const name = part.split("=")[0]?.trim();
    if (name && SESSION_COOKIE.test(name)) headers.append("set-cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure || name.startsWith("__Secure-") ? "; Secure" : ""}`);
  }
  return new Response("null", { status: 200, headers });
}
