import "server-only";
import Decimal from "decimal.js";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx, type Tx } from "../client";
import * as s from "../schema";
import type { ParameterSpec } from "../schema/master";
import { postMovement, type PostMovement } from "@/server/repos/ledger";
import { writeAudit } from "@/server/repos/audit";
import { hashSecret } from "@/server/auth/passwords";
import { hashApiKey } from "@/server/services/erp/connections";
import { receiveErpMessages } from "@/server/services/erp/receive-messages";
import type { Role } from "@/server/auth/types";
import { resolveActor } from "@/server/auth/actor";
import { placeHold } from "@/server/services/quality/place-hold";
import { randomUUID } from "node:crypto";
import { DEMO_PASSWORD, DEMO_PIN, DEMO_USERS } from "./demo-users";
import * as data from "./demo-plant-data";
import {
  DEMO_ERP_API_KEY,
  DEMO_ERP_CONNECTION_NAME,
  DEMO_ERP_SOURCE,
  demoErpMessages,
  expectedDemoOutcome,
} from "./demo-erp-messages";
import { seedOwnershipDefaults } from "./ownership-defaults";

export { DEMO_USERS, DEMO_PASSWORD, DEMO_PIN, type DemoUser } from "./demo-users";

/** Known facts of the demo plant, for tests, e2e specs and the README. */
export const DEMO = {
  siteCodes: ["WCH", "TLS"] as const,
  password: DEMO_PASSWORD,
  pin: DEMO_PIN,
  expiredLot: { siteCode: "WCH", partNumber: "PR-1422-B2", lotNumber: "AC24-0331", stagedAt: "POU-FA-01" },
  heldLot: { siteCode: "WCH", partNumber: "BKT-4410-07", lotNumber: "KP24-0877", affectsUnit: "ACT-1002" },
  pendingInspectionLot: { siteCode: "WCH", partNumber: "M83248/1-214", lotNumber: "SE24-3502" },
  unapprovedManufacturer: { code: "9WQ17", partNumber: "M83248/1-214" },
  unapprovedLot: { siteCode: "WCH", partNumber: "M83248/1-214", lotNumber: "DS24-7712", stagedAt: "POU-FA-01" },
  /** ACT-1001 (completed, in stores) contains SV-3001, which contains TM-5001, which contains coil lot MM24-1187. */
  genealogy: { siteCode: "WCH", top: "ACT-1001", subAssembly: "SV-3001", subSubAssembly: "TM-5001", lot: "MM24-1187" },
  /** The harness line changes revision by unit serial: A for ACT-1001..ACT-1004, B from ACT-1005. */
  effectivity: { partNumber: "HAR-5521-01", revA: { from: "ACT-1001", to: "ACT-1004" }, revB: { from: "ACT-1005", to: "ACT-9999" } },
  workOrders: {
    notStarted: { siteCode: "WCH", number: "WO-100234" },
    inProgress: { siteCode: "WCH", number: "WO-100233" },
    completed: { siteCode: "WCH", number: "WO-100231" },
    toulouse: { siteCode: "TLS", number: "WO-200101" },
  },
  twoSiteUser: "elena.novak",
  /** The simulated ERP's connection: its master data, orders and material issues arrive through the ERP interface. */
  erp: { connectionName: DEMO_ERP_CONNECTION_NAME, source: DEMO_ERP_SOURCE, apiKey: DEMO_ERP_API_KEY, plants: { "1000": "WCH", "2000": "TLS" } },
} as const;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const SEED_LOCK = 724_106;

/**
 * Load the demo plant (docs/domain.md's world, two sites, real-looking aerospace data) in one transaction. Idempotent: when
 * either demo site exists it writes nothing and returns { created: false }. Every stock change goes through
 * postMovement, so the ledger checks hold afterwards.
 *
 * What ERP owns (parts, revisions, suppliers, AML, BOMs, routings, production orders, material issued to the floor,
 * stock snapshots) arrives as the demo ERP messages (demo-erp-messages.ts), received through the ERP interface itself
 * on the "SAP demo" connection; only what Traceline owns (organisation, users, staging, consumption, genealogy,
 * completions, holds, out-time limits) is written here directly.
 */
export async function seedDemoPlant(db: Db, opts: { now: Date }): Promise<{ created: boolean }> {
  if (await demoSitesExist(db)) return { created: false };
  // argon2 is slow on purpose: hash each distinct secret once, outside the transaction.
  const [passwordHash, pinHash] = await Promise.all([hashSecret(DEMO_PASSWORD), hashSecret(DEMO_PIN)]);
  return db.transaction(async (tx) => {
    // Two processes starting at once (app + seed script on a server database): the second waits, then sees the sites.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    if (await demoSitesExist(tx)) return { created: false };
    await new DemoPlantLoader(tx, opts.now, { passwordHash, pinHash }).load();
    return { created: true };
  });
}

async function demoSitesExist(db: DbOrTx): Promise<boolean> {
  const rows = await db.select({ id: s.sites.id }).from(s.sites).where(inArray(s.sites.code, [...DEMO.siteCodes]));
  return rows.length > 0;
}

/** Ids of the demo organisation (Traceline's own data: sites, areas, work centers, stations, locations), by code. */
export type DemoOrganisation = {
  siteIds: Map<string, string>;
  /** "site:code" */
  locations: Map<string, string>;
  /** "site:code" */
  stations: Map<string, { id: string; workCenterCode: string }>;
  /** "site:code" */
  workCenters: Map<string, string>;
};

/**
 * The demo plant's organisation alone: sites WCH (ERP plant 1000) and TLS (2000) with their areas, work centers,
 * stations and storage locations. Used by seedDemoPlant, and by tests that need a plant the demo ERP messages fit.
 */
export async function seedDemoOrganisation(tx: DbOrTx): Promise<DemoOrganisation> {
  const org: DemoOrganisation = { siteIds: new Map(), locations: new Map(), stations: new Map(), workCenters: new Map() };
  for (const site of data.SITES) {
    const [row] = await tx
      .insert(s.sites)
      .values({ code: site.code, name: site.name, timeZone: site.timeZone, defaultLocale: site.defaultLocale, erpPlant: site.erpPlant })
      .returning({ id: s.sites.id });
    const siteId = row!.id;
    org.siteIds.set(site.code, siteId);
    const locations: { code: string; name: string; kind: data.LocationKind; stationId: string | null; storageClass?: data.StorageClass }[] = data.COMMON_LOCATIONS.map((l) => ({
      ...l,
      stationId: null,
    }));
    for (const area of site.areas) {
      const [a] = await tx.insert(s.areas).values({ siteId, code: area.code, name: area.name }).returning({ id: s.areas.id });
      for (const wc of area.workCenters) {
        const [w] = await tx
          .insert(s.workCenters)
          .values({ siteId, areaId: a!.id, code: wc.code, name: wc.name })
          .returning({ id: s.workCenters.id });
        org.workCenters.set(`${site.code}:${wc.code}`, w!.id);
        for (const st of wc.stations) {
          const [row] = await tx
            .insert(s.stations)
            .values({ siteId, workCenterId: w!.id, code: st.code, name: st.name })
            .returning({ id: s.stations.id });
          org.stations.set(`${site.code}:${st.code}`, { id: row!.id, workCenterCode: wc.code });
          locations.push({ code: data.pouCode(st.code), name: `Point of use, ${st.name}`, kind: "point_of_use", stationId: row!.id });
        }
      }
    }
    const inserted = await tx
      .insert(s.storageLocations)
      .values(locations.map((l) => ({ siteId, ...l, isPhysical: (s.PHYSICAL_LOCATION_KINDS as readonly string[]).includes(l.kind) })))
      .returning({ id: s.storageLocations.id, code: s.storageLocations.code });
    for (const l of inserted) org.locations.set(`${site.code}:${l.code}`, l.id);
  }
  return org;
}

type Rev = { id: string; partId: string; partNumber: string; tracking: data.Tracking };
type WoLine = { find: number; revId: string; tracking: data.Tracking; qty: string; op: number; backflush: boolean; serialFrom: string | null; serialTo: string | null };
type WoOp = { id: string; seq: number; workCenterCode: string; parameters: ParameterSpec[] };
type WorkOrder = { id: string; number: string; revId: string; lines: WoLine[]; ops: Map<number, WoOp>; unitSerials: string[] };
type Unit = { id: string; serialItemId: string; serial: string; workOrder: WorkOrder; status: "planned" | "in_progress" | "completed" };
type Item = { revId: string; lotId: string | null; serialItemId: string | null };

class DemoPlantLoader {
  private readonly siteIds = new Map<string, string>();
  private readonly locations = new Map<string, string>(); // site:code
  private readonly stations = new Map<string, { id: string; workCenterCode: string }>(); // site:code
  private readonly users = new Map<string, string>(); // site:role -> first user with that role there
  private readonly revs = new Map<string, Rev>(); // pn@rev
  private readonly lots = new Map<string, Item>(); // site:lot number
  private readonly serials = new Map<string, Item>(); // site:serial number
  private readonly workOrders = new Map<string, WorkOrder>(); // site:number
  private readonly units = new Map<string, Unit>(); // site:serial
  private readonly unitOps = new Map<string, string>(); // unitId:seq -> unit operation id
  private readonly counts = { movements: 0, genealogyEdges: 0 };
  private variant = 0;

  constructor(
    private readonly tx: Tx,
    private readonly now: Date,
    private readonly secrets: { passwordHash: string; pinHash: string },
  ) {}

  async load() {
    // The registry first: the ERP messages below write only what it gives to ERP.
    const registryRows = await seedOwnershipDefaults(this.tx, { now: this.now });
    const org = await seedDemoOrganisation(this.tx);
    for (const [k, v] of org.siteIds) this.siteIds.set(k, v);
    for (const [k, v] of org.locations) this.locations.set(k, v);
    for (const [k, v] of org.stations) this.stations.set(k, v);
    await this.people();
    const erpMessages = await this.receiveFromErp();
    await this.tracelineOwnedMasterData();
    await this.loadErpObjects();
    for (const site of data.SITES) await this.runFloor(site.code);
    await this.placeHolds();
    await this.finishWorkOrders();
    await writeAudit(this.tx, {
      siteId: null,
      actorUserId: null,
      actorName: "Demo plant seed",
      action: "seed demo plant",
      entity: "demo_plant",
      entityId: DEMO.siteCodes.join("+"),
      newValue: { sites: DEMO.siteCodes, erpMessages, ...this.counts, ownershipRegistryRows: registryRows },
      reason: "Demo installation: sample plant loaded into an empty database",
      occurredAt: this.now,
    });
  }

  // ---- people --------------------------------------------------------------------------------------------------

  private async people() {
    for (const u of DEMO_USERS) {
      const [row] = await this.tx
        .insert(s.users)
        .values({
          username: u.username ?? null,
          displayName: u.displayName,
          passwordHash: u.password ? this.secrets.passwordHash : null,
          badgeId: u.badgeId ?? null,
          pinHash: u.pin ? this.secrets.pinHash : null,
          createdAt: this.at(-30 * DAY_MS),
        })
        .returning({ id: s.users.id });
      const memberships = [{ siteCode: u.siteCode, roles: u.roles }, ...(u.alsoAt ?? [])];
      for (const m of memberships) {
        await this.tx.insert(s.userSiteRoles).values(m.roles.map((role) => ({ userId: row!.id, siteId: this.siteId(m.siteCode), role })));
        for (const role of m.roles) if (!this.users.has(`${m.siteCode}:${role}`)) this.users.set(`${m.siteCode}:${role}`, row!.id);
      }
    }
  }

  // ---- everything ERP owns, through the ERP interface --------------------------------------------------------------

  /**
   * The demo connection ("SAP demo", source SAP-DEMO, plants 1000 -> WCH and 2000 -> TLS, the documented demo key
   * stored hashed, confirmations pulled), then the demo ERP message set received in-process exactly as POST /api/erp/v1/messages would
   * receive it, each group at the time ERP sent it. Every answer must be the designed one, or the seed fails.
   */
  private async receiveFromErp(): Promise<number> {
    const plantSites = Object.fromEntries(data.SITES.map((site) => [site.erpPlant, this.siteId(site.code)]));
    const [row] = await this.tx
      .insert(s.erpConnections)
      .values({
        name: DEMO_ERP_CONNECTION_NAME,
        source: DEMO_ERP_SOURCE,
        keyHash: hashApiKey(DEMO_ERP_API_KEY),
        keyHint: DEMO_ERP_API_KEY.slice(-4),
        plantSites,
        // the demo ERP pulls confirmations (GET /api/erp/v1/confirmations, e.g. `npm run erp:sim -- --receive pull`):
        // a quick start with no ERP running shows them waiting to be pulled, not failing
        outboundMode: "pull",
        createdAt: this.at(-61 * DAY_MS),
      })
      .returning({ id: s.erpConnections.id });
    const connection = { id: row!.id, source: DEMO_ERP_SOURCE, plantSites };
    await writeAudit(this.tx, {
      siteId: null,
      actorUserId: null,
      actorName: "Demo plant seed",
      action: "erp_connection_created",
      entity: "erp_connection",
      entityId: row!.id,
      newValue: { name: DEMO_ERP_CONNECTION_NAME, source: DEMO_ERP_SOURCE, plants: Object.fromEntries(data.SITES.map((site) => [site.erpPlant, site.code])) },
      reason: "Demo installation: the simulated ERP's connection, with the published demo key",
      occurredAt: this.at(-61 * DAY_MS),
    });

    const messages = demoErpMessages({ now: this.now });
    const problems: string[] = [];
    for (let i = 0; i < messages.length; ) {
      // Messages ERP sent at the same moment travel as one batch (masters: enough for the set-based path).
      const at = messages[i]!.occurredAt;
      let j = i;
      while (j < messages.length && messages[j]!.occurredAt === at) j++;
      const batch = messages.slice(i, j);
      const outcomes = await receiveErpMessages(this.tx as unknown as Db, connection, batch, new Date(at));
      batch.forEach((env, k) => {
        const got = outcomes[k];
        const want = expectedDemoOutcome(env);
        const warnings = got?.warnings ?? [];
        if (got?.status === want.status && JSON.stringify(warnings) === JSON.stringify(want.warnings)) return;
        const error = got?.error ? ` ${got.error.code}: ${got.error.message}${(got.error.fields ?? []).map((f) => ` [${f.field}: ${f.reason}]`).join("")}` : "";
        problems.push(`${env.messageId} (${env.type} ${env.key}): expected ${want.status}, got ${got?.status ?? "no answer"}${error}${warnings.length ? ` warnings ${JSON.stringify(warnings)}` : ""}`);
      });
      i = j;
    }
    if (problems.length > 0) throw new Error(`Demo plant: the ERP interface did not accept the demo messages as designed:\n  ${problems.join("\n  ")}`);
    return messages.length;
  }

  /** Attributes of ERP objects that the ownership registry gives to Traceline (manufacturing engineering sets them). */
  private async tracelineOwnedMasterData() {
    for (const p of data.PARTS) {
      if (p.outTimeMinutes === undefined) continue;
      await this.tx.update(s.parts).set({ outTimeMinutes: p.outTimeMinutes }).where(eq(s.parts.partNumber, p.partNumber));
    }
  }

  /** Read back what the interface created (revisions, lots, serials, orders with their frozen BOM and operations, units). */
  private async loadErpObjects() {
    const revRows = await this.tx
      .select({ id: s.partRevisions.id, partId: s.parts.id, partNumber: s.parts.partNumber, revision: s.partRevisions.revision, tracking: s.parts.tracking })
      .from(s.partRevisions)
      .innerJoin(s.parts, eq(s.parts.id, s.partRevisions.partId))
      .where(inArray(s.parts.partNumber, data.PARTS.map((p) => p.partNumber)));
    for (const r of revRows) this.revs.set(`${r.partNumber}@${r.revision}`, { id: r.id, partId: r.partId, partNumber: r.partNumber, tracking: r.tracking });

    for (const site of data.SITES) {
      const siteId = this.siteId(site.code);
      for (const l of await this.tx.select({ id: s.lots.id, revId: s.lots.partRevisionId, lotNumber: s.lots.lotNumber }).from(s.lots).where(eq(s.lots.siteId, siteId))) {
        this.lots.set(`${site.code}:${l.lotNumber}`, { revId: l.revId, lotId: l.id, serialItemId: null });
      }
      const serialRows = await this.tx
        .select({ id: s.serialItems.id, revId: s.serialItems.partRevisionId, serialNumber: s.serialItems.serialNumber })
        .from(s.serialItems)
        .where(eq(s.serialItems.siteId, siteId));
      for (const r of serialRows) this.serials.set(`${site.code}:${r.serialNumber}`, { revId: r.revId, lotId: null, serialItemId: r.id });

      for (const spec of data.WORK_ORDERS[site.code] ?? []) {
        const [wo] = await this.tx
          .select({ id: s.workOrders.id, revId: s.workOrders.partRevisionId })
          .from(s.workOrders)
          .where(and(eq(s.workOrders.siteId, siteId), eq(s.workOrders.number, spec.number)));
        if (!wo) throw new Error(`Demo plant: work order ${spec.number} was not released at ${site.code}`);
        const lines: WoLine[] = (
          await this.tx
            .select({
              find: s.workOrderBomLines.findNumber,
              revId: s.workOrderBomLines.componentRevisionId,
              tracking: s.parts.tracking,
              qty: s.workOrderBomLines.quantityPerUnit,
              op: s.workOrderBomLines.operationSeq,
              backflush: s.workOrderBomLines.backflush,
              serialFrom: s.workOrderBomLines.serialFrom,
              serialTo: s.workOrderBomLines.serialTo,
            })
            .from(s.workOrderBomLines)
            .innerJoin(s.partRevisions, eq(s.partRevisions.id, s.workOrderBomLines.componentRevisionId))
            .innerJoin(s.parts, eq(s.parts.id, s.partRevisions.partId))
            .where(and(eq(s.workOrderBomLines.siteId, siteId), eq(s.workOrderBomLines.workOrderId, wo.id)))
            .orderBy(s.workOrderBomLines.findNumber, s.workOrderBomLines.serialFrom)
        ).map((l) => ({ ...l, qty: new Decimal(l.qty).toFixed() }));
        const opRows = await this.tx
          .select({ id: s.workOrderOperations.id, seq: s.workOrderOperations.seq, workCenterCode: s.workCenters.code, parameters: s.workOrderOperations.parameters })
          .from(s.workOrderOperations)
          .innerJoin(s.workCenters, and(eq(s.workCenters.siteId, s.workOrderOperations.siteId), eq(s.workCenters.id, s.workOrderOperations.workCenterId)))
          .where(and(eq(s.workOrderOperations.siteId, siteId), eq(s.workOrderOperations.workOrderId, wo.id)));
        const ops = new Map<number, WoOp>(opRows.map((o) => [o.seq, o]));
        const unitRows = await this.tx
          .select({ id: s.units.id, serial: s.units.serial, serialItemId: s.units.serialItemId })
          .from(s.units)
          .where(and(eq(s.units.siteId, siteId), eq(s.units.workOrderId, wo.id)))
          .orderBy(s.units.serial);
        const serials = unitRows.map((u) => u.serial);
        if (JSON.stringify(serials) !== JSON.stringify([...spec.serials].sort())) {
          throw new Error(`Demo plant: work order ${spec.number} has units ${serials.join(", ")}, expected ${spec.serials.join(", ")}`);
        }
        const order: WorkOrder = { id: wo.id, number: spec.number, revId: wo.revId, lines, ops, unitSerials: spec.serials };
        this.workOrders.set(`${site.code}:${spec.number}`, order);
        for (const u of unitRows) this.units.set(`${site.code}:${u.serial}`, { id: u.id, serialItemId: u.serialItemId, serial: u.serial, workOrder: order, status: "planned" });
      }
      const unitOpRows = await this.tx
        .select({ id: s.unitOperations.id, unitId: s.unitOperations.unitId, seq: s.unitOperations.seq })
        .from(s.unitOperations)
        .where(eq(s.unitOperations.siteId, siteId));
      for (const r of unitOpRows) this.unitOps.set(`${r.unitId}:${r.seq}`, r.id);
    }
  }

  // ---- the shop floor ------------------------------------------------------------------------------------------

  private async runFloor(site: string) {
    let clock = this.at(-6 * DAY_MS);
    const tick = (minutes = 20) => (clock = new Date(clock.getTime() + minutes * MINUTE_MS));
    for (const step of data.FLOOR[site] ?? []) {
      if ("stage" in step) {
        await this.stage(site, step.stage, step.items, tick());
        continue;
      }
      const wo = this.workOrder(site, step.workOrder);
      for (const serial of step.units) {
        const unit = this.unit(site, serial);
        if (unit.workOrder !== wo) throw new Error(`Demo data: unit ${serial} is not on ${wo.number}`);
        for (const seq of step.ops) await this.performOperation(site, unit, seq, step.station, tick(45));
        if (step.start !== undefined) await this.startOperation(site, unit, step.start, step.station, tick(5));
        if (step.complete) await this.completeUnit(site, unit, step.complete, tick(10));
        else await this.tx.update(s.units).set({ status: "in_progress" }).where(and(eq(s.units.siteId, this.siteId(site)), eq(s.units.id, unit.id)));
        unit.status = step.complete ? "completed" : "in_progress";
      }
    }
  }

  private async stage(site: string, stationCode: string, items: data.StageItem[], at: Date) {
    const siteId = this.siteId(site);
    const pou = this.location(site, data.pouCode(stationCode));
    const legs: PostMovement["legs"] = [];
    for (const entry of items) {
      const [item, qty] =
        "lot" in entry
          ? [this.lot(site, entry.lot), entry.qty]
          : "serial" in entry
            ? [this.serial(site, entry.serial), "1"]
            : [{ revId: this.rev(entry.part).id, lotId: null, serialItemId: null }, entry.qty];
      const [source] = await this.tx
        .select({ locationId: s.stockBalances.locationId })
        .from(s.stockBalances)
        .innerJoin(s.storageLocations, and(eq(s.storageLocations.siteId, s.stockBalances.siteId), eq(s.storageLocations.id, s.stockBalances.locationId)))
        .where(
          and(
            eq(s.stockBalances.siteId, siteId),
            eq(s.storageLocations.kind, "stores"),
            eq(s.stockBalances.partRevisionId, item.revId),
            item.lotId ? eq(s.stockBalances.lotId, item.lotId) : isNull(s.stockBalances.lotId),
            item.serialItemId ? eq(s.stockBalances.serialItemId, item.serialItemId) : isNull(s.stockBalances.serialItemId),
            sql`${s.stockBalances.onHand} >= ${qty}::numeric`,
          ),
        )
        .orderBy(s.storageLocations.code)
        .limit(1);
      if (!source) throw new Error(`Demo data: nothing in stores at ${site} to stage ${JSON.stringify(entry)}`);
      legs.push({ ...this.itemKey(item), locationId: source.locationId, quantity: neg(qty) }, { ...this.itemKey(item), locationId: pou, quantity: qty });
    }
    await this.post({
      siteId,
      kind: "stage",
      actorUserId: this.user(site, "kitting_clerk"),
      occurredAt: at,
      reason: `Staged to ${stationCode}`,
      reference: { station: stationCode },
      legs,
    });
  }

  private stationFor(site: string, op: WoOp, preferred: string | undefined): { code: string; id: string } {
    if (preferred) {
      const st = this.stations.get(`${site}:${preferred}`);
      if (!st) throw new Error(`Demo data: unknown station ${preferred}`);
      if (st.workCenterCode === op.workCenterCode) return { code: preferred, id: st.id };
    }
    const spec = data.SITES.find((x) => x.code === site)!
      .areas.flatMap((a) => a.workCenters)
      .find((w) => w.code === op.workCenterCode);
    const code = spec?.stations[0]?.code;
    if (!code) throw new Error(`Demo data: no station in ${op.workCenterCode} at ${site}`);
    return { code, id: this.stations.get(`${site}:${code}`)!.id };
  }

  /** One operation on one unit: every BOM line of that operation consumed from the station's point of use. */
  private async performOperation(site: string, unit: Unit, seq: number, preferredStation: string | undefined, at: Date) {
    const siteId = this.siteId(site);
    const wo = unit.workOrder;
    const op = wo.ops.get(seq);
    if (!op) throw new Error(`Demo data: ${wo.number} has no operation ${seq}`);
    const station = this.stationFor(site, op, preferredStation);
    const pou = this.location(site, data.pouCode(station.code));
    const operator = this.user(site, "operator");
    const parameters = recordedParameters(op.parameters, this.variant++);
    let n = 0;
    for (const line of wo.lines.filter((l) => l.op === seq && effectiveFor(l, unit.serial))) {
      // A serial line of quantity 2 installs two pieces: pick each after the previous one left the point of use.
      const pieces = line.tracking === "serial" ? Number.parseInt(line.qty, 10) : 1;
      for (let i = 0; i < pieces; i++) {
        const qty = line.tracking === "serial" ? "1" : line.qty;
        const item =
          line.tracking === "serial"
            ? await this.pickSerial(siteId, pou, line.revId, at)
            : line.tracking === "lot"
              ? await this.pickLot(siteId, pou, line.revId, qty, at)
              : { revId: line.revId, lotId: null, serialItemId: null };
        const installedAt = new Date(at.getTime() - 20 * MINUTE_MS + n++ * MINUTE_MS);
        const movementId = await this.post({
          siteId,
          kind: line.backflush ? "backflush" : "consume",
          actorUserId: operator,
          occurredAt: installedAt,
          reference: { workOrder: wo.number, unit: unit.serial, operation: String(seq), findNumber: String(line.find) },
          legs: [
            { ...this.itemKey(item), locationId: pou, quantity: neg(qty) },
            { ...this.itemKey(item), locationId: this.location(site, "V-CONSUMED"), quantity: qty },
          ],
        });
        await this.tx.insert(s.genealogyEdges).values({
          siteId,
          parentSerialItemId: unit.serialItemId,
          parentUnitId: unit.id,
          childPartRevisionId: item.revId,
          childSerialItemId: item.serialItemId,
          childLotId: item.lotId,
          quantity: qty,
          findNumber: line.find,
          operationSeq: seq,
          operatorUserId: operator,
          stationId: station.id,
          installedAt,
          parameters,
          movementId,
        });
        this.counts.genealogyEdges += 1;
      }
    }
    await this.tx
      .update(s.unitOperations)
      .set({
        status: "completed",
        stationId: station.id,
        startedAt: new Date(at.getTime() - 30 * MINUTE_MS),
        completedAt: at,
        completedBy: operator,
        parameters,
      })
      .where(and(eq(s.unitOperations.siteId, siteId), eq(s.unitOperations.id, this.unitOp(unit, seq))));
  }

  private async startOperation(site: string, unit: Unit, seq: number, preferredStation: string | undefined, at: Date) {
    const op = unit.workOrder.ops.get(seq);
    if (!op) throw new Error(`Demo data: ${unit.workOrder.number} has no operation ${seq}`);
    await this.tx
      .update(s.unitOperations)
      .set({ status: "in_progress", stationId: this.stationFor(site, op, preferredStation).id, startedAt: at })
      .where(and(eq(s.unitOperations.siteId, this.siteId(site)), eq(s.unitOperations.id, this.unitOp(unit, seq))));
  }

  /** The finished unit leaves production: its serial goes on hand at `to`, and final inspection accepts it. */
  private async completeUnit(site: string, unit: Unit, to: string, at: Date) {
    const siteId = this.siteId(site);
    const item = { revId: unit.workOrder.revId, lotId: null, serialItemId: unit.serialItemId };
    await this.post({
      siteId,
      kind: "complete",
      actorUserId: this.user(site, "operator"),
      occurredAt: at,
      reference: { workOrder: unit.workOrder.number, unit: unit.serial },
      legs: [
        { ...this.itemKey(item), locationId: this.location(site, "V-PRODUCTION"), quantity: "-1" },
        { ...this.itemKey(item), locationId: this.location(site, to), quantity: "1" },
      ],
    });
    await this.tx.update(s.units).set({ status: "completed", completedAt: at }).where(and(eq(s.units.siteId, siteId), eq(s.units.id, unit.id)));
    await this.tx
      .update(s.serialItems)
      .set({ inspectionStatus: "accepted" })
      .where(and(eq(s.serialItems.siteId, siteId), eq(s.serialItems.id, unit.serialItemId)));
  }

  /** A serial at the point of use that a station would accept: inspected, not expired, approved maker, not held. */
  private async pickSerial(siteId: string, locationId: string, revId: string, at: Date): Promise<Item> {
    const [row] = await queryRows<{ id: string }>(
      this.tx,
      sql`select b.serial_item_id as id
          from stock_balances b
          join serial_items si on si.site_id = b.site_id and si.id = b.serial_item_id
          join part_revisions r on r.id = b.part_revision_id
          left join approved_manufacturers am on am.part_id = r.part_id and am.manufacturer_id = si.manufacturer_id
          where b.site_id = ${siteId} and b.location_id = ${locationId} and b.part_revision_id = ${revId} and b.on_hand = 1
            and si.inspection_status = 'accepted' and (si.expires_at is null or si.expires_at > ${at.toISOString()}::timestamptz)
            and (si.manufacturer_id is null or am.status = 'approved')
            and not exists (select 1 from holds h where h.site_id = si.site_id and h.target_type = 'serial'
                            and h.target_id = si.id and h.released_at is null)
          order by si.serial_number limit 1`,
    );
    if (!row) throw new Error(`Demo data: no usable serial of revision ${revId} staged at location ${locationId}`);
    return { revId, lotId: null, serialItemId: row.id };
  }

  /** A lot at the point of use with enough on hand that a station would accept (first to expire first). */
  private async pickLot(siteId: string, locationId: string, revId: string, qty: string, at: Date): Promise<Item> {
    const [row] = await queryRows<{ id: string }>(
      this.tx,
      sql`select b.lot_id as id
          from stock_balances b
          join lots l on l.site_id = b.site_id and l.id = b.lot_id
          join part_revisions r on r.id = b.part_revision_id
          left join approved_manufacturers am on am.part_id = r.part_id and am.manufacturer_id = l.manufacturer_id
          where b.site_id = ${siteId} and b.location_id = ${locationId} and b.part_revision_id = ${revId}
            and b.on_hand >= ${qty}::numeric
            and l.inspection_status = 'accepted' and (l.expires_at is null or l.expires_at > ${at.toISOString()}::timestamptz)
            and (l.manufacturer_id is null or am.status = 'approved')
            and not exists (select 1 from holds h where h.site_id = l.site_id and h.target_type = 'lot'
                            and h.target_id = l.id and h.released_at is null)
          order by l.expires_at nulls last, l.lot_number limit 1`,
    );
    if (!row) throw new Error(`Demo data: no usable lot of revision ${revId} with ${qty} staged at location ${locationId}`);
    return { revId, lotId: row.id, serialItemId: null };
  }

  // ---- quality and wrap-up -------------------------------------------------------------------------------------

  /** Holds go through the real service: signed by the site's quality engineer (demo password), audited. */
  private async placeHolds() {
    for (const h of data.HOLDS) {
      const actor = await resolveActor(this.tx, { userId: this.user(h.site, "quality_engineer"), sessionVersion: 1, activeSiteId: this.siteId(h.site) });
      if (!actor) throw new Error(`Demo data: no quality engineer at ${h.site}`);
      await placeHold(
        this.tx,
        actor,
        {
          requestId: randomUUID(),
          target: { kind: "lot", lotNumber: h.lot },
          reason: h.reason,
          signature: { method: "password", secret: DEMO_PASSWORD, meaning: "hold" },
        },
        { now: this.at(h.placedInDays * DAY_MS), clientKey: "demo-seed" },
      );
    }
  }

  private async finishWorkOrders() {
    for (const [key, wo] of this.workOrders) {
      const site = key.split(":")[0]!;
      const statuses = wo.unitSerials.map((serial) => this.unit(site, serial).status);
      const status = statuses.every((x) => x === "completed") ? "completed" : statuses.some((x) => x !== "planned") ? "in_progress" : "released";
      if (status !== "released") {
        await this.tx.update(s.workOrders).set({ status }).where(and(eq(s.workOrders.siteId, this.siteId(site)), eq(s.workOrders.id, wo.id)));
      }
    }
  }

  // ---- small helpers -------------------------------------------------------------------------------------------

  private async post(m: PostMovement): Promise<string> {
    const { movementId } = await postMovement(this.tx, m);
    this.counts.movements += 1;
    return movementId;
  }

  private at(offsetMs: number): Date {
    return new Date(this.now.getTime() + offsetMs);
  }
  private itemKey(item: Item) {
    return { partRevisionId: item.revId, lotId: item.lotId, serialItemId: item.serialItemId };
  }
  private siteId(code: string) {
    return must(this.siteIds.get(code), `site ${code}`);
  }
  private location(site: string, code: string) {
    return must(this.locations.get(`${site}:${code}`), `location ${code} at ${site}`);
  }
  private user(site: string, role: Role) {
    return must(this.users.get(`${site}:${role}`), `${role} at ${site}`);
  }
  private rev(ref: string) {
    return must(this.revs.get(ref), `part revision ${ref}`);
  }
  private lot(site: string, lotNumber: string) {
    return must(this.lots.get(`${site}:${lotNumber}`), `lot ${lotNumber} at ${site}`);
  }
  private serial(site: string, serial: string) {
    return must(this.serials.get(`${site}:${serial}`), `serial ${serial} at ${site}`);
  }
  private workOrder(site: string, number: string) {
    return must(this.workOrders.get(`${site}:${number}`), `work order ${number} at ${site}`);
  }
  private unit(site: string, serial: string) {
    return must(this.units.get(`${site}:${serial}`), `unit ${serial} at ${site}`);
  }
  private unitOp(unit: Unit, seq: number) {
    return must(this.unitOps.get(`${unit.id}:${seq}`), `operation ${seq} of unit ${unit.serial}`);
  }
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Demo data refers to an unknown ${what}`);
  return value;
}

function neg(qty: string): string {
  return new Decimal(qty).neg().toFixed();
}

/** BOM line effectivity by unit serial range (inclusive; demo serials have one fixed width, so text order is serial order). */
function effectiveFor(line: { serialFrom: string | null; serialTo: string | null }, serial: string): boolean {
  return (line.serialFrom === null || serial >= line.serialFrom) && (line.serialTo === null || serial <= line.serialTo);
}

/** Plausible recorded values inside each limit, varying a little from unit to unit. */
function recordedParameters(specs: ParameterSpec[], variant: number): Record<string, string> {
  const f = new Decimal("0.35").plus(new Decimal(variant % 4).times("0.1"));
  const out: Record<string, string> = {};
  for (const p of specs) {
    let v: Decimal;
    if (p.min !== undefined && p.max !== undefined) v = new Decimal(p.min).plus(new Decimal(p.max).minus(p.min).times(f));
    else if (p.max !== undefined) v = new Decimal(p.max).times(f);
    else v = new Decimal(p.min ?? "0").times("1.05");
    out[p.name] = v.toDecimalPlaces(3).toFixed();
  }
  return out;
}

// ---- id lookups for tests ----------------------------------------------------------------------------------------

export type DemoIds = {
  site(code: string): string;
  location(siteCode: string, code: string): string;
  station(siteCode: string, code: string): string;
  /** By user name or badge id. */
  user(login: string): string;
  revision(partNumber: string, revision: string): string;
  lot(siteCode: string, lotNumber: string): string;
  serial(siteCode: string, serialNumber: string): string;
  workOrder(siteCode: string, number: string): string;
  unit(siteCode: string, serial: string): string;
  manufacturer(code: string): string;
};

/** Ids of the demo plant's objects by their codes, read back from a seeded database (for tests and e2e fixtures). */
export async function loadDemoIds(db: DbOrTx): Promise<DemoIds> {
  const siteRows = await db.select({ id: s.sites.id, code: s.sites.code }).from(s.sites).where(inArray(s.sites.code, [...DEMO.siteCodes]));
  const siteCode = new Map(siteRows.map((r) => [r.id, r.code]));
  const siteIds = siteRows.map((r) => r.id);
  if (siteIds.length === 0) throw new Error("The demo plant is not loaded in this database");
  const keyed = <T extends { siteId: string }>(rows: T[], key: (r: T) => string, id: (r: T) => string) =>
    new Map(rows.map((r) => [`${siteCode.get(r.siteId)}:${key(r)}`, id(r)]));

  const locations = keyed(
    await db.select().from(s.storageLocations).where(inArray(s.storageLocations.siteId, siteIds)),
    (r) => r.code,
    (r) => r.id,
  );
  const stations = keyed(await db.select().from(s.stations).where(inArray(s.stations.siteId, siteIds)), (r) => r.code, (r) => r.id);
  const lots = keyed(await db.select().from(s.lots).where(inArray(s.lots.siteId, siteIds)), (r) => r.lotNumber, (r) => r.id);
  const serials = keyed(await db.select().from(s.serialItems).where(inArray(s.serialItems.siteId, siteIds)), (r) => r.serialNumber, (r) => r.id);
  const workOrders = keyed(await db.select().from(s.workOrders).where(inArray(s.workOrders.siteId, siteIds)), (r) => r.number, (r) => r.id);
  const units = keyed(await db.select().from(s.units).where(inArray(s.units.siteId, siteIds)), (r) => r.serial, (r) => r.id);
  const partNumbers = data.PARTS.map((p) => p.partNumber);
  const revisionRows = await db
    .select({ id: s.partRevisions.id, partNumber: s.parts.partNumber, revision: s.partRevisions.revision })
    .from(s.partRevisions)
    .innerJoin(s.parts, eq(s.parts.id, s.partRevisions.partId))
    .where(inArray(s.parts.partNumber, partNumbers));
  const revisions = new Map(revisionRows.map((r) => [`${r.partNumber}@${r.revision}`, r.id]));
  const userRows = await db
    .select({ id: s.users.id, username: s.users.username, badgeId: s.users.badgeId })
    .from(s.users)
    .innerJoin(s.userSiteRoles, eq(s.userSiteRoles.userId, s.users.id))
    .where(inArray(s.userSiteRoles.siteId, siteIds));
  const users = new Map<string, string>();
  for (const u of userRows) {
    if (u.username) users.set(u.username, u.id);
    if (u.badgeId) users.set(u.badgeId, u.id);
  }
  const mfrRows = await db
    .select({ id: s.manufacturers.id, code: s.manufacturers.code })
    .from(s.manufacturers)
    .where(inArray(s.manufacturers.code, data.MANUFACTURERS.map((m) => m.code)));
  const manufacturers = new Map(mfrRows.map((m) => [m.code, m.id]));

  const get = (map: Map<string, string>, key: string, what: string) => {
    const v = map.get(key);
    if (!v) throw new Error(`The demo plant has no ${what} ${key}`);
    return v;
  };
  return {
    site: (code) => get(new Map(siteRows.map((r) => [r.code, r.id])), code, "site"),
    location: (site, code) => get(locations, `${site}:${code}`, "location"),
    station: (site, code) => get(stations, `${site}:${code}`, "station"),
    user: (login) => get(users, login, "user"),
    revision: (pn, rev) => get(revisions, `${pn}@${rev}`, "part revision"),
    lot: (site, lot) => get(lots, `${site}:${lot}`, "lot"),
    serial: (site, serial) => get(serials, `${site}:${serial}`, "serial"),
    workOrder: (site, number) => get(workOrders, `${site}:${number}`, "work order"),
    unit: (site, serial) => get(units, `${site}:${serial}`, "unit"),
    manufacturer: (code) => get(manufacturers, code, "manufacturer"),
  };
}
