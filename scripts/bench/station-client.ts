// The simulated station tablets of `npm run bench:station`, in their own process (as tablets are), so that their CPU
// does not share the app's event loop. Each tablet is one station with its operator's session cookie: closed loop, it
// scans a label (the string a scanner types: a GS1 element string with its AIM prefix and GS separators), sends it as the
// operation console does (tRPC station.consumeComponent in httpBatchLink's wire format: POST
// /api/trpc/station.consumeComponent?batch=1 with the superjson-serialised input), waits for the answer, and scans the
// next, working through its units in turn. A lean load generator (node:http keep-alive), to take as little as possible
// of the CPU the app and the database share. Reads its work from BENCH_STATION_CLIENT (JSON); prints "WARM" when the
// untimed warm-up is done, then one JSON line with every latency; exits 1 on any answer other than a recorded install.
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import superjson from "superjson";

export type Tablet = { cookie: string; stationId: string; unitIds: string[]; label: string };
export type ClientWork = { url: string; requests: number; warmup: number; tablets: Tablet[] };

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: URL, cookie: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: "/api/trpc/station.consumeComponent?batch=1",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), cookie },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          // a batch answer: [{"result":{"data":{"json":{...,"edgeId":...}}}}]
          if (res.statusCode === 200 && text.includes('"edgeId"')) resolve();
          else reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 600)}`));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function main() {
  const work = JSON.parse(process.env.BENCH_STATION_CLIENT ?? "{}") as ClientWork;
  const url = new URL(work.url);
  const turn = new Map<Tablet, number>();
  const unitOf = (t: Tablet) => {
    const k = turn.get(t) ?? 0;
    turn.set(t, k + 1);
    return t.unitIds[k % t.unitIds.length]!;
  };
  // what the console sends for a scan: a new request id per action, the scan as typed, quantity, no parameters
  const scan = (t: Tablet) =>
    post(
      url,
      t.cookie,
      JSON.stringify({ 0: superjson.serialize({ requestId: randomUUID(), stationId: t.stationId, unitId: unitOf(t), operationSeq: 10, item: { scan: t.label }, quantity: "1", parameters: {} }) }),
    );
  await Promise.all(work.tablets.map(async (t) => { for (let i = 0; i < work.warmup; i++) await scan(t); }));
  process.stdout.write("WARM\n");
  const latencies: number[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    work.tablets.map(async (t) => {
      for (let i = 0; i < work.requests; i++) {
        const s = performance.now();
        await scan(t);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, latencies, clientCpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  agent.destroy();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
