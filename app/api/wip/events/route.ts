import { getDatabase } from "@/db/app-database";
import { canOpen } from "@/server/api/areas";
import { apiRoute, refusalResponse } from "@/server/api/route-answers";
import { getActor } from "@/server/auth/session";
import { wipBoardFeed } from "@/server/services/wip/board-feed";

export const dynamic = "force-dynamic";

/** How long one stream stays open: the browser's EventSource reconnects at once, and the session is checked again. */
const STREAM_MS = 5 * 60_000;
const PING_MS = 10_000;

/**
 * GET: the WIP board's live feed for the active site, as server-sent events. `hello` when connected, `change` when the
 * site's board data changed (data: { version, serverTime }), `ping` every 10 s so a wall screen knows the server is
 * there. Supervisors of the site only (401 / 403 answered as JSON with code, message and reference).
 */
export const GET = apiRoute("wip events", async (request, rc) => {
  const actor = await getActor();
  if (!actor) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Sign in to follow the WIP board." });
  if (!canOpen(actor.roles, "wip")) {
    return refusalResponse(rc, { status: 403, code: "FORBIDDEN", message: `The WIP board is for supervisors at ${actor.siteName}.` });
  }
  const feed = await wipBoardFeed(getDatabase);
  const siteId = actor.siteId;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (event: string, data: Record<string, unknown>) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify({ ...data, serverTime: new Date().toISOString() })}\n\n`));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = feed.subscribe(siteId, (version) => send("change", { version }));
      const ping = setInterval(() => send("ping", { version: feed.version(siteId) }), PING_MS);
      const end = setTimeout(() => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      }, STREAM_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(ping);
        clearTimeout(end);
      };
      request.signal.addEventListener("abort", () => cleanup());
      controller.enqueue(encoder.encode(`retry: 1000\n\n`));
      send("hello", { version: feed.version(siteId), site: actor.siteCode });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
});
