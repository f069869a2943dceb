// The simulated station tablets of `npm run bench:station`, in their own process (as tablets are): N lanes, each one
// station scanning into its own unit through the app's tRPC endpoint over HTTP, one request after another, with the
// session cookie. Reads its work from BENCH_STATION_CLIENT (JSON), prints one JSON line with every latency.
import { randomUUID } from "node:crypto";
import superjson from "superjson";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { BenchRouter } from "./station";

type Work = { url: string; cookie: string; requests: number; warmup: number; lanes: { stationId: string; unitId: string; lotId: string }[] };

async function main() {
  const work = JSON.parse(process.env.BENCH_STATION_CLIENT ?? "{}") as Work;
  const client = createTRPCClient<BenchRouter>({ links: [httpLink({ url: work.url, transformer: superjson, headers: { cookie: work.cookie } })] });
  const scan = (lane: Work["lanes"][number]) =>
    client.station.consumeComponent.mutate({ requestId: randomUUID(), stationId: lane.stationId, unitId: lane.unitId, operationSeq: 10, item: { lotId: lane.lotId }, quantity: "1" });
  for (let i = 0; i < work.warmup; i++) for (const lane of work.lanes) await scan(lane);
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    work.lanes.map(async (lane) => {
      for (let i = 0; i < work.requests; i++) {
        const s = performance.now();
        await scan(lane);
        latencies.push(performance.now() - s);
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, latencies })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
