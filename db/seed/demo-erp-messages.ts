import type { Envelope, MessageType, Payload } from "@/server/integrations/erp/messages";
import * as data from "./demo-plant-data";

/*
 * The demo plant's ERP side: everything ERP owns (parts and revisions, suppliers, approved-manufacturer lists, BOMs,
 * routings, production orders, material issued to the floor, stock snapshots) as the JSON envelopes a real ERP would
 * send to POST /api/erp/v1/messages. The demo seed loads these through the interface itself (receiveErpMessages), and
 * the simulated ERP (`npm run erp:sim`) sends them over HTTP, so the demo exercises the same path as production.
 *
 * Pure data (no database, no clock): every date is relative to the demo's anchor day, the UTC calendar day of
 * `opts.now`. The message ids carry that day, so the set built on one day is byte-for-byte the same all day long and a
 * re-send answers `duplicate`. A set built on a later day has new ids but the same keys and versions: every message
 * then answers `overtaken` and changes nothing (material issues are keyed by their ERP document number, so stock is
 * never issued twice).
 */

export const DEMO_ERP_SOURCE = "SAP-DEMO";
export const DEMO_ERP_CONNECTION_NAME = "SAP demo";
/**
 * The demo connection's API key: fixed and published (README, docs/erp-interface.md) so the simulated ERP works out of
 * the box against the demo plant. Stored hashed like any key. Never use it outside the demo.
 */
export const DEMO_ERP_API_KEY = "tl_demo_sap_key_do_not_use_in_production";

/** The demo order that is released first and changed later (version 2 adds its last unit and moves the due date). */
export const DEMO_CHANGED_ORDER = { siteCode: "WCH", number: "WO-100234" } as const;
/** The demo BOM that ERP sends in two segments (it applies when both are in). */
export const DEMO_SEGMENTED_BOM: data.PartRef = "FCA-7740-100@C";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function plantOf(siteCode: string): string {
  const site = data.SITES.find((s) => s.code === siteCode);
  if (!site) throw new Error(`Demo data refers to an unknown site ${siteCode}`);
  return site.erpPlant;
}

function splitRef(ref: data.PartRef): { partNumber: string; revision: string } {
  const at = ref.lastIndexOf("@");
  return { partNumber: ref.slice(0, at), revision: ref.slice(at + 1) };
}

/** The demo's anchor: midnight UTC of the day of `now`. */
export function demoAnchorDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

class MessageBuilder {
  readonly out: Envelope[] = [];
  private readonly day: string;

  constructor(private readonly anchor: Date) {
    this.day = isoDay(anchor).replaceAll("-", "");
  }

  at(offsetMs: number): string {
    return new Date(this.anchor.getTime() + offsetMs).toISOString();
  }

  date(offsetDays: number): string {
    return isoDay(new Date(this.anchor.getTime() + offsetDays * DAY_MS));
  }

  add<T extends MessageType>(type: T, plant: string, key: string, version: number, occurredAt: string, payload: Payload<T>, suffix = ""): void {
    this.out.push({
      source: DEMO_ERP_SOURCE,
      messageId: `demo-${this.day}-${type}-${plant}-${key}-v${version}${suffix}`,
      type,
      key,
      version,
      plant,
      occurredAt,
      payload,
    });
  }
}

/**
 * Every ERP message of the demo plant, in the order ERP would send them: suppliers, parts, approved-manufacturer lists,
 * BOMs (the actuator's in two segments), routings per plant, material issues per plant, production-order releases, one
 * later change, and a stock snapshot per plant.
 */
export function demoErpMessages(opts: { now: Date }): Envelope[] {
  const b = new MessageBuilder(demoAnchorDay(opts.now));
  const enterprise = plantOf("WCH"); // enterprise master data travels with the sending plant's code
  const masters = b.at(-60 * DAY_MS);

  for (const v of data.SUPPLIERS) b.add("supplier", enterprise, v.code, 1, masters, { code: v.code, name: v.name });

  for (const p of data.PARTS) {
    b.add("part", enterprise, p.partNumber, 1, masters, {
      partNumber: p.partNumber,
      description: p.description,
      uom: p.uom,
      tracking: p.tracking,
      ...(p.shelfLifeDays !== undefined ? { shelfLifeDays: p.shelfLifeDays } : {}),
      ...(p.minRemainingShelfLifeDays !== undefined ? { minRemainingShelfLifeDays: p.minRemainingShelfLifeDays } : {}),
      // ERP's material master carries an out-time too; the ownership registry gives it to Traceline (ignored, warned).
      ...(p.outTimeMinutes !== undefined ? { outTimeMinutes: p.outTimeMinutes } : {}),
      ...(p.storageClass !== undefined ? { storageClass: p.storageClass } : {}),
      revisions: p.revisions.map((revision) => ({ revision, status: "released" as const })),
    });
  }

  const manufacturerName = new Map(data.MANUFACTURERS.map((m) => [m.code, m.name]));
  for (const p of data.PARTS) {
    b.add("approved_manufacturers", enterprise, p.partNumber, 1, masters, {
      partNumber: p.partNumber,
      manufacturers: p.aml.map(([code, status]) => {
        const name = manufacturerName.get(code);
        if (!name) throw new Error(`Demo data: manufacturer ${code} of ${p.partNumber} is not in MANUFACTURERS`);
        return { code, name, status };
      }),
    });
  }

  for (const [parent, specs] of Object.entries(data.BOMS) as [data.PartRef, data.BomLineSpec[]][]) {
    const { partNumber, revision } = splitRef(parent);
    const key = `${partNumber}/${revision}`;
    const lines = specs.map((l) => {
      const c = splitRef(l.component);
      return {
        findNumber: l.find,
        partNumber: c.partNumber,
        revision: c.revision,
        quantity: l.qty,
        operationSeq: l.op,
        ...(l.serialFrom ? { serialFrom: l.serialFrom } : {}),
        ...(l.serialTo ? { serialTo: l.serialTo } : {}),
        backflush: l.backflush ?? false,
      };
    });
    if (parent === DEMO_SEGMENTED_BOM) {
      const half = Math.ceil(lines.length / 2);
      const segments = [lines.slice(0, half), lines.slice(half)];
      segments.forEach((segmentLines, i) =>
        b.add("bom", enterprise, key, 1, masters, { partNumber, revision, segment: { index: i + 1, count: segments.length }, lines: segmentLines }, `-seg${i + 1}`),
      );
    } else {
      b.add("bom", enterprise, key, 1, masters, { partNumber, revision, lines });
    }
  }

  for (const r of data.ROUTINGS) {
    const { partNumber, revision } = splitRef(r.part);
    b.add("routing", plantOf(r.site), r.code, 1, masters, {
      code: r.code,
      partNumber,
      revision,
      operations: r.operations.map((o) => ({ seq: o.seq, code: o.code, description: o.description, workCenter: o.workCenter, parameters: o.parameters })),
    });
  }

  // Material issued to the floor: one goods-issue document per lot, serial and bulk quantity, seven minutes apart.
  const snapshots = new Map<string, Payload<"stock_snapshot">["lines"]>();
  let document = 4_900_012_000;
  for (const site of data.SITES) {
    const receipts = data.RECEIPTS[site.code];
    if (!receipts) continue;
    const plant = site.erpPlant;
    const lines: Payload<"stock_snapshot">["lines"] = [];
    snapshots.set(plant, lines);
    let minutes = 0;
    const issue = (payload: Payload<"material_issue">) => {
      document += 1;
      minutes += 7;
      b.add("material_issue", plant, String(document), 1, b.at(-14 * DAY_MS + minutes * MINUTE_MS), payload);
      lines.push({
        partNumber: payload.partNumber,
        revision: payload.revision,
        ...(payload.lotNumber ? { lotNumber: payload.lotNumber } : {}),
        ...(payload.serialNumber ? { serialNumber: payload.serialNumber } : {}),
        location: payload.location,
        quantity: payload.quantity,
      });
    };
    for (const r of receipts.lots) {
      issue({
        ...splitRef(r.part),
        lotNumber: r.lot,
        quantity: r.qty,
        location: r.to,
        manufacturer: r.manufacturer,
        supplier: r.supplier,
        supplierLot: r.supplierLot,
        manufacturedAt: b.at((r.manufacturedInDays ?? -45) * DAY_MS),
        ...(r.expiresInDays !== undefined ? { expiresAt: b.at(r.expiresInDays * DAY_MS) } : {}),
        inspectionStatus: r.inspection ?? "accepted",
        certificateRef: `CoC-${r.supplierLot}`,
      });
    }
    for (const r of receipts.serials) {
      for (const serialNumber of r.serials) {
        issue({
          ...splitRef(r.part),
          serialNumber,
          quantity: "1",
          location: r.to,
          manufacturer: r.manufacturer,
          supplier: r.supplier,
          supplierLot: r.supplierLot,
          inspectionStatus: "accepted",
          certificateRef: `CoC-${r.supplierLot}`,
        });
      }
    }
    for (const r of receipts.bulk) {
      const ref = splitRef(r.part);
      const maker = data.PARTS.find((p) => p.partNumber === ref.partNumber)?.aml.find(([, status]) => status === "approved")?.[0];
      if (!maker) throw new Error(`Demo data: bulk part ${r.part} has no approved manufacturer`);
      issue({ ...ref, quantity: r.qty, location: r.to, manufacturer: maker, inspectionStatus: "accepted" });
    }
  }

  // Production orders: released eight days ago with the unit serials to build; one is changed a day later.
  for (const site of data.SITES) {
    const plant = site.erpPlant;
    let minutes = 0;
    for (const spec of data.WORK_ORDERS[site.code] ?? []) {
      const routing = data.ROUTINGS.find((r) => r.site === site.code && r.part === spec.part);
      if (!routing) throw new Error(`Demo data: no routing for ${spec.part} at ${site.code}`);
      const changed = site.code === DEMO_CHANGED_ORDER.siteCode && spec.number === DEMO_CHANGED_ORDER.number;
      const serials = changed ? spec.serials.slice(0, -1) : spec.serials;
      minutes += 5;
      b.add("production_order", plant, spec.number, 1, b.at(-8 * DAY_MS + minutes * MINUTE_MS), {
        action: "release",
        number: spec.number,
        ...splitRef(spec.part),
        routing: routing.code,
        quantity: serials.length,
        dueDate: b.date(changed ? spec.dueInDays - 4 : spec.dueInDays),
        serials,
      });
      if (changed) {
        b.add("production_order", plant, spec.number, 2, b.at(-7 * DAY_MS), {
          action: "change",
          number: spec.number,
          quantity: spec.serials.length,
          dueDate: b.date(spec.dueInDays),
          serials: spec.serials,
        });
      }
    }
  }

  // What ERP believes it issued to each plant's floor, taken at the start of the anchor day (for reconciliation).
  for (const [plant, lines] of snapshots) {
    const takenAt = b.at(0);
    b.add("stock_snapshot", plant, `STOCK-${plant}-${b.date(0)}`, 1, takenAt, { takenAt, lines });
  }

  return b.out;
}

/**
 * The answer the interface must give each demo message on a database that has the demo organisation and has not seen
 * the set yet: everything applies, except the first segment of the segmented BOM, which is held until the second one
 * arrives (and is then applied with it). The part message that carries an out-time is applied with that attribute
 * ignored (the registry gives it to Traceline).
 */
export function expectedDemoOutcome(env: Envelope): { status: "applied" | "held"; warnings: string[] } {
  if (env.type === "bom") {
    const segment = (env.payload as Payload<"bom">).segment;
    if (segment && segment.index < segment.count) return { status: "held", warnings: [] };
  }
  if (env.type === "part" && (env.payload as Payload<"part">).outTimeMinutes !== undefined) {
    return { status: "applied", warnings: ["part.out_time_minutes is owned by Traceline: ignored"] };
  }
  if (env.type === "material_issue") {
    // The demo issues one lot from a manufacturer its part's AML disqualifies (the station refuses it): the interface
    // applies it with a warning (the demo sites warn rather than refuse, the default).
    const p = env.payload as Payload<"material_issue">;
    const aml = data.PARTS.find((x) => x.partNumber === p.partNumber)?.aml ?? [];
    const entry = aml.find(([code]) => code === p.manufacturer);
    if (entry?.[1] === "disqualified") return { status: "applied", warnings: [`Manufacturer ${p.manufacturer} is disqualified for ${p.partNumber}: issued, and refused at kitting and the station until the AML approves it.`] };
    if (aml.length > 0 && !entry) return { status: "applied", warnings: [`Manufacturer ${p.manufacturer} is not on the approved-manufacturer list of ${p.partNumber}: issued, and refused at kitting and the station until the AML approves it.`] };
  }
  return { status: "applied", warnings: [] };
}
