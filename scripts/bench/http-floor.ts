import { createServer, type IncomingMessage } from "node:http";
import { Agent, request } from "node:http";
import { randomUUID } from "node:crypto";
import superjson from "superjson";
import { z } from "zod";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { initTRPC } from "@trpc/server";
const t = initTRPC.context<object>().create({ transformer: superjson });
const consumeItem = z.union([z.object({ scan: z.string().min(1).max(2000) }), z.object({ lotId: z.guid() }), z.object({ serialItemId: z.guid() }), z.object({ partRevisionId: z.guid() })]);
const router = t.router({ station: t.router({ consumeComponent: t.procedure.input(z.object({ requestId: z.guid(), stationId: z.guid(), unitId: z.guid(), operationSeq: z.number(), item: consumeItem, quantity: z.string().optional() })).mutation(({ input }) => ({ ok: true, edgeId: input.requestId, quantity: "1", lineLeft: "5", partNumber: "P-1" })) }) });
async function readBody(req: IncomingMessage) { const c: Buffer[] = []; for await (const x of req) c.push(x as Buffer); return Buffer.concat(c).toString("utf8"); }
const mode = process.argv[2] ?? "trpc";
const server = createServer(async (req, res) => {
  const body = await readBody(req);
  if (mode === "bare") { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify({ result: { data: { json: { ok: true } } }, n: body.length })); return; }
  const rq = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body });
  const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: rq, router, createContext: () => ({}) });
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, "127.0.0.1", async () => {
  const port = (server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true });
  const post = (body: string) => new Promise<void>((resolve, reject) => { const r = request({ agent, host: "127.0.0.1", port, path: "/api/trpc/station.consumeComponent", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => { res.resume(); res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode))))); }); r.end(body); });
  const one = () => post(JSON.stringify(superjson.serialize({ requestId: randomUUID(), stationId: randomUUID(), unitId: randomUUID(), operationSeq: 10, item: { lotId: randomUUID() }, quantity: "1" })));
  for (let i = 0; i < 500; i++) await one();
  const c0 = process.cpuUsage(); const t0 = performance.now(); const N = 3000;
  await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < N / 8; i++) await one(); }));
  const c = process.cpuUsage(c0);
  console.log(mode, `${(N / ((performance.now() - t0) / 1000)).toFixed(0)}/s`, `cpu (client+server) ${((c.user + c.system) / 1000 / N).toFixed(3)} ms/req`);
  server.close(); agent.destroy();
});
