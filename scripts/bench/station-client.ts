// The simulated station tablets of `npm run bench:station`, in their own process (as tablets are): N lanes, each one
// station scanning into its units in turn through the app's tRPC endpoint over HTTP, one request after another, with the
// session cookie. A lean load generator (node:http with keep-alive, tRPC's wire format: POST /api/trpc/<procedure>
// with the superjson-serialised input), so that the simulated tablets take as little as possible of the CPU the app and
// the database share on the bench machine. Reads its work from BENCH_STATION_CLIENT (JSON), prints one JSON line with
// every latency; exits 1 on any answer other than 200.
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import superjson from "superjson";

type Work = { url: string; cookie: string; requests: number; warmup: number; lanes: { stationId: string; unitIds: string[]; lotId: string }[] };

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: URL, cookie: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, path: `${url.pathname}/station.consumeComponent`, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString("utf8").slice(0, 500)}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function main() {
  const work = JSON.parse(process.env.BENCH_STATION_CLIENT ?? "{}") as Work;
  const url = new URL(work.url);
  // each station works through its units in turn
  const turn = new Map<Work["lanes"][number], number>();
  const unitOf = (lane: Work["lanes"][number]) => {
    const k = turn.get(lane) ?? 0;
    turn.set(lane, k + 1);
    return lane.unitIds[k % lane.unitIds.length]!;
  };
  const scan = (lane: Work["lanes"][number]) =>
    post(url, work.cookie, JSON.stringify(superjson.serialize({ requestId: randomUUID(), stationId: lane.stationId, unitId: unitOf(lane), operationSeq: 10, item: { lotId: lane.lotId }, quantity: "1" })));
  // untimed warm-up, the stations in parallel as in the run; then tell the app process the run starts
  await Promise.all(work.lanes.map(async (lane) => { for (let i = 0; i < work.warmup; i++) await scan(lane); }));
  process.stdout.write("WARM\n");
  const latencies: number[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    work.lanes.map(async (lane) => {
      for (let i = 0; i < work.requests; i++) {
        const s = performance.now();
        await scan(lane);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, latencies, clientCpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  agent.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
