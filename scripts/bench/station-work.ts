// The station's work for the benchmarks (bench:station, bench:outbox, bench:sites): per station a released order whose
// operation 10 takes a lot-tracked part (its own lot and one lot shared by all, staged at its point of use), the
// operators' tablets signed in with badge and PIN, the tablets' child process (station-client.ts) scanning GS1 lot labels
// through tRPC station.consumeComponent, and the raw lane: the app's own write statements for an install, without the
// read and the checks.
import { spawn } from "node:child_process";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { DEMO_PIN } from "../../db/seed/demo-users";
import { createTestLot, createTestPart } from "../../db/testing/factories";
import { createStationOrder } from "../../db/testing/station-fixtures";
import type { Plant } from "../../db/testing/genealogy-fixtures";
import { readScan } from "../../server/domain/kitting/kit-rules";
import { goodsMovement } from "../../server/domain/station/station-rules";
import { postMovement } from "../../server/repos/ledger";
import { installSteps } from "../../server/repos/station-consume";
import { lockUnitOperationAndRequest, stableMessageId } from "../../server/repos/station-work";
import { payloadHash } from "../../server/services/shared/idempotent";
import type { ClientWork, Tablet } from "./station-client";
import { lotLabel } from "./labels";
import { Browser, cpuMeter, percentile, type App, type DatabaseCpu } from "./harness";

export type StationWork = {
  stationId: string;
  stationCode: string;
  pointOfUseId: string;
  consumedId: string;
  erpPlant: string;
  operator: { id: string; name: string; badge: string };
  units: { unitId: string; serial: string; serialItemId: string; workOrderNumber: string }[];
  ownLot: { id: string; number: string };
};
export type Workload = { siteId: string; part: { revisionId: string; partNumber: string }; sharedLot: { id: string; number: string }; stations: StationWork[] };

/**
 * The bench's orders at a site: per station one released order of unitsPerStation units whose operation 10 (routed to
 * the station's work center) takes a lot-tracked part, one per scan; per station its own lot, and one lot shared by all,
 * each staged at every point of use with enough for every scan of the run.
 */
export async function setUpWork(
  db: Db,
  siteId: string,
  stations: { id: string; code: string; workCenterId: string; operator: StationWork["operator"] }[],
  perStation: number,
  unitsPerStation: number,
): Promise<Workload> {
  const [locs] = await queryRows<{ erp: string; consumed: string; plant: string }>(
    db,
    sql`select (select id from storage_locations where site_id = ${siteId} and kind = 'erp_supply' order by code limit 1) as erp,
               (select id from storage_locations where site_id = ${siteId} and kind = 'consumed' order by code limit 1) as consumed,
               (select erp_plant from sites where id = ${siteId}) as plant`,
  );
  const tag = Date.now().toString(36).toUpperCase();
  const part = await createTestPart(db, "lot", { partNumber: `BENCH-SEAL-${tag}`, description: "Bench sealant, two-part" });
  const stage = async (lotId: string, pointOfUse: string, qty: number) =>
    db.transaction((tx) =>
      postMovement(tx, {
        siteId,
        kind: "receive_from_erp",
        occurredAt: new Date(),
        legs: [
          { partRevisionId: part.revisionId, lotId, serialItemId: null, locationId: locs!.erp, quantity: `-${qty}` },
          { partRevisionId: part.revisionId, lotId, serialItemId: null, locationId: pointOfUse, quantity: String(qty) },
        ],
      }),
    );
  const shared = await createTestLot(db, siteId, part.revisionId, { lotNumber: `BS${tag}` });
  const out: StationWork[] = [];
  for (const [i, st] of stations.entries()) {
    const [pou] = await queryRows<{ id: string }>(db, sql`select id from storage_locations where site_id = ${siteId} and station_id = ${st.id} and kind = 'point_of_use' order by code limit 1`);
    const order = await createStationOrder(db, { siteId, workCenterId: st.workCenterId } as Plant, {
      number: `WO-BENCH-${tag}-${i + 1}`,
      serials: Array.from({ length: unitsPerStation }, (_, k) => `BENCH-${tag}-${i + 1}-${String(k + 1).padStart(3, "0")}`),
      ops: [{ seq: 10, workCenterId: st.workCenterId }],
      bom: [{ find: 10, partRevisionId: part.revisionId, qty: "100000", op: 10 }],
    });
    const own = await createTestLot(db, siteId, part.revisionId, { lotNumber: `BL${tag}${i + 1}` });
    await stage(own.id, pou!.id, perStation);
    await stage(shared.id, pou!.id, perStation);
    out.push({
      stationId: st.id,
      stationCode: st.code,
      pointOfUseId: pou!.id,
      consumedId: locs!.consumed,
      erpPlant: locs!.plant,
      operator: st.operator,
      units: order.units.map((u) => ({ unitId: u.unitId, serial: u.serial, serialItemId: u.serialItemId, workOrderNumber: `WO-BENCH-${tag}-${i + 1}` })),
      ownLot: { id: own.id, number: own.lotNumber },
    });
  }
  const work = { siteId, part: { revisionId: part.revisionId, partNumber: part.partNumber }, sharedLot: { id: shared.id, number: shared.lotNumber }, stations: out };
  // the labels must read as the app reads them
  const read = readScan(lotLabel(shared.lotNumber, part.partNumber), new Date());
  if (read.lot !== shared.lotNumber || read.partNumber !== part.partNumber) throw new Error(`the bench label does not parse as intended: ${JSON.stringify(read)}`);
  return work;
}

export async function signInTablets(app: App, work: Workload, count: number, shared: boolean): Promise<Tablet[]> {
  const tablets: Tablet[] = [];
  for (const st of work.stations.slice(0, count)) {
    const browser = new Browser(app.url);
    await browser.signIn("badge", { badgeId: st.operator.badge, pin: DEMO_PIN });
    const lot = shared ? work.sharedLot.number : st.ownLot.number;
    tablets.push({ cookie: browser.cookieHeader(), stationId: st.stationId, unitIds: st.units.map((u) => u.unitId), label: lotLabel(lot, work.part.partNumber) });
  }
  return tablets;
}

export type LaneResult = { n: number; seconds: number; throughput: number; p50: number; p99: number; appCpu: number; dbCpu: number; clientCpu: number };

/** The tablets' process for one lane-round; the app's and the database's CPU are counted from its warm-up's end. */
export async function runTablets(app: App, db: DatabaseCpu | null, tablets: Tablet[], requests: number, warmup: number): Promise<LaneResult> {
  const work: ClientWork = { url: app.url, requests, warmup, tablets };
  const child = spawn(process.execPath, [...process.execArgv, path.join("scripts", "bench", "station-client.ts")], {
    env: { ...process.env, BENCH_STATION_CLIENT: JSON.stringify(work) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let meter: Promise<() => Promise<{ appMs: number; dbMs: number }>> | null = null;
  let stopped: Promise<{ appMs: number; dbMs: number }> | null = null;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString("utf8");
    if (!meter && out.includes("WARM\n")) meter = cpuMeter(app, db);
    if (meter && !stopped && /\n\{.*\}\n$/s.test(out)) stopped = meter.then((stop) => stop());
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`the station tablets failed (exit ${code}); the app's log: ${app.log}`);
  const cpu = await (stopped ?? Promise.resolve({ appMs: NaN, dbMs: NaN }));
  const { seconds, latencies, clientCpuMs } = JSON.parse(out.trim().split("\n").pop()!) as { seconds: number; latencies: number[]; clientCpuMs: number };
  const n = latencies.length;
  return { n, seconds, throughput: n / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), appCpu: cpu.appMs / n, dbCpu: cpu.dbMs / n, clientCpu: clientCpuMs / n };
}

/** One install's writes exactly as the app sends them, without the read and the checks (values prepared beforehand). */
export async function rawInstall(db: Db, work: Workload, st: StationWork, unit: StationWork["units"][number], lot: { id: string; number: string }) {
  const siteId = work.siteId;
  const requestId = randomUUID();
  const now = new Date();
  const movementId = randomUUID();
  const edgeId = randomUUID();
  const facts = { partNumber: work.part.partNumber, revision: "A", lotNumber: lot.number, serialNumber: null, uom: "EA" };
  const command = { requestId, stationId: st.stationId, unitId: unit.unitId, operationSeq: 10, item: { scan: lotLabel(lot.number, work.part.partNumber) }, quantity: "1", parameters: {} };
  const outcome = { edgeId, movementId, unitId: unit.unitId, unitSerial: unit.serial, operationSeq: 10, findNumber: 10, ...facts, quantity: "1", lineLeft: "99999" };
  const payload = goodsMovement("261", facts, { plant: st.erpPlant, order: unit.workOrderNumber, quantity: "1", postingDate: now.toISOString().slice(0, 10), reference: movementId, operation: 10 });
  const newValue = { unit: unit.serial, operation: 10, findNumber: 10, ...facts, quantity: "1", station: st.stationCode, parameters: {}, movementId };
  await db.transaction(async (tx) => {
    await lockUnitOperationAndRequest(tx, siteId, unit.unitId, 10, st.operator.id, requestId, { partRevisionId: null, lotId: lot.id, serialItemId: null });
    await postMovement(
      tx,
      {
        id: movementId,
        siteId,
        kind: "consume",
        requestId,
        actorUserId: st.operator.id,
        occurredAt: now,
        reference: { workOrder: unit.workOrderNumber, unit: unit.serial, operation: "10", station: st.stationCode },
        legs: [
          { partRevisionId: work.part.revisionId, lotId: lot.id, serialItemId: null, locationId: st.pointOfUseId, quantity: "-1" },
          { partRevisionId: work.part.revisionId, lotId: lot.id, serialItemId: null, locationId: st.consumedId, quantity: "1" },
        ],
      },
      {
        andThen: installSteps({
          siteId,
          edge: {
            id: edgeId,
            parentSerialItemId: unit.serialItemId,
            parentUnitId: unit.unitId,
            childPartRevisionId: work.part.revisionId,
            childSerialItemId: null,
            childLotId: lot.id,
            quantity: "1",
            findNumber: 10,
            operationSeq: 10,
            operatorUserId: st.operator.id,
            stationId: st.stationId,
            installedAt: now,
            parameters: {},
            toolIds: [],
          },
          // as the app after the priming: the operation is under way at this station, the unit and order in progress
          startOperation: null,
          startUnit: false,
          startWorkOrder: null,
          audit: { actorName: st.operator.name, action: "station.consumeComponent", newValue },
          confirmation: { messageId: stableMessageId(siteId, st.operator.id, requestId, "consumption"), type: "consumption", payload },
          request: { requestId, actorUserId: st.operator.id, command: "station.consumeComponent", payloadHash: payloadHash("station.consumeComponent", command), outcome },
        }),
      },
    );
  });
}

/** The raw lane: one worker per station on its own connection (a pool of one per station), closed loop, in this process. */
export async function runRaw(db: Db, dbCpu: DatabaseCpu, work: Workload, shared: boolean, warmup: number, requests: number): Promise<LaneResult> {
  const turn = new Map<StationWork, number>();
  const one = (st: StationWork) => {
    const k = turn.get(st) ?? 0;
    turn.set(st, k + 1);
    return rawInstall(db, work, st, st.units[k % st.units.length]!, shared ? work.sharedLot : st.ownLot);
  };
  await Promise.all(work.stations.map(async (st) => { for (let i = 0; i < warmup; i++) await one(st); }));
  const stop = await cpuMeter(null, dbCpu);
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    work.stations.map(async (st) => {
      for (let i = 0; i < requests; i++) {
        const s = performance.now();
        await one(st);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = await stop();
  const n = latencies.length;
  return { n, seconds, throughput: n / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), appCpu: NaN, dbCpu: cpu.dbMs / n, clientCpu: cpu.benchMs / n };
}
