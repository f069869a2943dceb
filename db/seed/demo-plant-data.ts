import type { ParameterSpec } from "../schema/master";

/*
 * The demo plant, as data. Two plants of one actuation business build an electro-hydraulic aileron actuator:
 *
 *   FCA-7740-100 actuator assembly (serial)
 *     ├─ SVA-2210-05 servo-valve assembly (serial, built at Wichita)
 *     │    ├─ TMA-1180-03 torque motor assembly (serial, built at Wichita)
 *     │    │    ├─ CL-1180-20 coil set (lot), MAG-1180-31 magnets (lot), NAS1352-02-6P screws (bulk, backflush)
 *     │    ├─ M83248/1-011 O-rings (lot), NAS1352-02-6P screws (bulk, backflush)
 *     ├─ RB-38511-4 rod-end bearings (serial), HAR-5521-01 harness (serial; rev A up to ACT-1004, rev B from ACT-1005)
 *     ├─ BKT-4410-07 brackets (lot), M83248/1-214 O-rings (lot), PR-1422-B2 two-part sealant (lot, shelf life, out-time)
 *     └─ NAS1352-3-8P screws, MS21042L3 nuts (bulk, backflush)
 *
 * Wichita (WCH) builds torque motors, servo-valves and actuators; Toulouse (TLS) builds actuators from servo-valves
 * shipped by Wichita (received from ERP as bought-in serials). Everything the seed does with these arrays is in
 * demo-plant.ts; this file holds no logic beyond small helpers that spell out serial ranges.
 */

export type PartRef = `${string}@${string}`; // "part number@revision"

/** "MB-24", 101, 104, 4 -> MB-240101 .. MB-240104 */
export function serialRange(prefix: string, from: number, to: number, width: number): string[] {
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${prefix}${String(n).padStart(width, "0")}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Organisation

export type StationSpec = { code: string; name: string };
export type WorkCenterSpec = { code: string; name: string; stations: StationSpec[] };
export type AreaSpec = { code: string; name: string; workCenters: WorkCenterSpec[] };
/** `defaultLocale`: the language of the site's screens for users who chose none (Toulouse works in French). */
export type SiteSpec = { code: string; name: string; timeZone: string; defaultLocale: "en" | "fr"; erpPlant: string; areas: AreaSpec[] };

export const SITES: SiteSpec[] = [
  {
    code: "WCH",
    name: "Wichita Actuation Plant",
    timeZone: "America/Chicago",
    defaultLocale: "en",
    erpPlant: "1000",
    areas: [
      {
        code: "SUB",
        name: "Sub-assembly cells",
        workCenters: [
          { code: "WC-TM", name: "Torque motor cell", stations: [{ code: "TM-01", name: "Torque motor bench 1" }] },
          { code: "WC-SV", name: "Servo-valve clean room", stations: [{ code: "SV-01", name: "Servo-valve bench 1" }] },
        ],
      },
      {
        code: "FAL",
        name: "Final assembly and test",
        workCenters: [
          {
            code: "WC-FA",
            name: "Actuator final assembly",
            stations: [
              { code: "FA-01", name: "Final assembly station 1" },
              { code: "FA-02", name: "Final assembly station 2" },
            ],
          },
          { code: "WC-ATP", name: "Acceptance test", stations: [{ code: "AT-01", name: "Hydraulic test rig 1" }] },
        ],
      },
    ],
  },
  {
    code: "TLS",
    name: "Toulouse Assembly Plant",
    timeZone: "Europe/Paris",
    defaultLocale: "fr",
    erpPlant: "2000",
    areas: [
      {
        code: "AFL",
        name: "Actuator final line",
        workCenters: [
          { code: "WC-FA", name: "Actuator final assembly", stations: [{ code: "FA-21", name: "Final assembly station 21" }] },
          { code: "WC-ATP", name: "Acceptance test", stations: [{ code: "AT-21", name: "Hydraulic test rig 21" }] },
        ],
      },
    ],
  },
];

export type LocationKind =
  | "stores"
  | "kitting"
  | "kit_cart"
  | "point_of_use"
  | "quarantine"
  | "erp_supply"
  | "consumed"
  | "scrap"
  | "returned_to_erp"
  | "production"
  | "shipped"
  | "in_transit"
  | "other_sites";

export type StorageClass = "freezer" | "refrigerated" | "ambient" | "humidity_controlled";

/** Every site gets these, plus one point-of-use location per station ("POU-<station code>"). */
export const COMMON_LOCATIONS: { code: string; name: string; kind: LocationKind; storageClass?: StorageClass }[] = [
  { code: "ST-A01", name: "Stores aisle A, bin 01", kind: "stores" },
  { code: "ST-A02", name: "Stores aisle A, bin 02 (hardware)", kind: "stores" },
  // Not yet storage class "freezer" (with PR-1422-B2 kept frozen): the kit issue then judges the sealant's 120 minutes of
  // out-time at WO-100234's due date, 24 days ahead, and refuses it (OUT_TIME_EXCEEDED): the demo's kitting flows (and
  // their tests) kit the sealant with the rest of the order. See docs/ARCHITECTURE.md, issue 21.
  { code: "ST-FRZ", name: "Sealant freezer (-40 °C)", kind: "stores" },
  { code: "KIT-01", name: "Kitting area", kind: "kitting" },
  { code: "CART-01", name: "Kit cart 01", kind: "kit_cart" },
  { code: "QUAR-01", name: "Quarantine cage (MRB)", kind: "quarantine" },
  { code: "V-ERP", name: "ERP supply (issued to the floor)", kind: "erp_supply" },
  { code: "V-CONSUMED", name: "Consumed into units", kind: "consumed" },
  { code: "V-SCRAP", name: "Scrapped", kind: "scrap" },
  { code: "V-RETURNED", name: "Returned to ERP", kind: "returned_to_erp" },
  { code: "V-PRODUCTION", name: "Production output", kind: "production" },
  { code: "V-SHIPPED", name: "Shipped to customers", kind: "shipped" },
  { code: "V-IN-TRANSIT", name: "In transit to other sites", kind: "in_transit" },
  { code: "V-OTHER-SITES", name: "Other sites (transfers)", kind: "other_sites" },
];
export const pouCode = (stationCode: string) => `POU-${stationCode}`;

// ---------------------------------------------------------------------------------------------------------------
// Enterprise master data (global)

export const OWN_CAGE = "1TRC5";

export const MANUFACTURERS: { code: string; name: string }[] = [
  { code: OWN_CAGE, name: "Traceline Actuation Systems" },
  { code: "3AB71", name: "Meridian Bearing Company" },
  { code: "0KX42", name: "Northfield Interconnect Inc." },
  { code: "5RT90", name: "Kestrel Precision Machining" },
  { code: "F0437", name: "Occitanie Usinage SAS" },
  { code: "7P3S1", name: "Sealtek Elastomers" },
  { code: "9WQ17", name: "Dover Seal & Gasket" },
  { code: "06PX4", name: "Harlan Aerospace Fasteners" },
  { code: "4SL88", name: "Aerochem Sealants" },
  { code: "2MG60", name: "Magnetek Motion Components" },
];

export const SUPPLIERS: { code: string; name: string }[] = [
  { code: "V10045", name: "Meridian Bearing Company" },
  { code: "V10212", name: "Northfield Interconnect Inc." },
  { code: "V10318", name: "Kestrel Precision Machining" },
  { code: "V10420", name: "Allied Seal Distribution" },
  { code: "V10533", name: "Harlan Aerospace Fasteners" },
  { code: "V10610", name: "Aerochem Sealants" },
  { code: "V10702", name: "Magnetek Motion Components" },
  { code: "V20011", name: "Occitanie Usinage SAS" },
  { code: "V90001", name: "Traceline Actuation Systems, Wichita plant (intercompany)" },
];

export type Tracking = "serial" | "lot" | "untracked";
export type PartSpec = {
  partNumber: string;
  description: string;
  uom: string;
  tracking: Tracking;
  revisions: string[];
  shelfLifeDays?: number;
  minRemainingShelfLifeDays?: number;
  outTimeMinutes?: number;
  /** Where it must be kept (ERP's material master: the ownership registry gives part.storage_class to ERP). */
  storageClass?: StorageClass;
  /** AML: manufacturer code -> status. */
  aml: [string, "approved" | "disqualified"][];
};

export const PARTS: PartSpec[] = [
  { partNumber: "FCA-7740-100", description: "Actuator assembly, aileron, electro-hydraulic", uom: "EA", tracking: "serial", revisions: ["C"], aml: [[OWN_CAGE, "approved"]] },
  { partNumber: "SVA-2210-05", description: "Servo-valve assembly, two-stage, flapper-nozzle", uom: "EA", tracking: "serial", revisions: ["B"], aml: [[OWN_CAGE, "approved"]] },
  { partNumber: "TMA-1180-03", description: "Torque motor assembly, servo-valve first stage", uom: "EA", tracking: "serial", revisions: ["A"], aml: [[OWN_CAGE, "approved"]] },
  { partNumber: "CL-1180-20", description: "Coil set, torque motor, dual-wound", uom: "EA", tracking: "lot", revisions: ["A"], aml: [["2MG60", "approved"]] },
  { partNumber: "MAG-1180-31", description: "Magnet, permanent, AlNiCo 5, torque motor", uom: "EA", tracking: "lot", revisions: ["B"], aml: [["2MG60", "approved"]] },
  { partNumber: "RB-38511-4", description: "Bearing, rod end, spherical, PTFE-lined, 0.250 bore", uom: "EA", tracking: "serial", revisions: ["A"], aml: [["3AB71", "approved"]] },
  { partNumber: "HAR-5521-01", description: "Harness, LVDT position feedback", uom: "EA", tracking: "serial", revisions: ["A", "B"], aml: [["0KX42", "approved"]] },
  {
    partNumber: "BKT-4410-07",
    description: "Bracket, actuator mount, Ti-6Al-4V",
    uom: "EA",
    tracking: "lot",
    revisions: ["A"],
    aml: [
      ["5RT90", "approved"],
      ["F0437", "approved"],
    ],
  },
  {
    partNumber: "M83248/1-214",
    description: "O-ring, fluorocarbon, size -214",
    uom: "EA",
    tracking: "lot",
    revisions: ["-"],
    aml: [
      ["7P3S1", "approved"],
      ["9WQ17", "disqualified"],
    ],
  },
  { partNumber: "M83248/1-011", description: "O-ring, fluorocarbon, size -011", uom: "EA", tracking: "lot", revisions: ["-"], aml: [["7P3S1", "approved"]] },
  { partNumber: "NAS1352-3-8P", description: "Screw, cap, socket head, 10-32 x 1/2, drilled", uom: "EA", tracking: "untracked", revisions: ["-"], aml: [["06PX4", "approved"]] },
  { partNumber: "MS21042L3", description: "Nut, self-locking, reduced hex, 10-32", uom: "EA", tracking: "untracked", revisions: ["-"], aml: [["06PX4", "approved"]] },
  { partNumber: "NAS1352-02-6P", description: "Screw, cap, socket head, 2-56 x 3/8", uom: "EA", tracking: "untracked", revisions: ["-"], aml: [["06PX4", "approved"]] },
  {
    partNumber: "PR-1422-B2",
    description: "Sealant, two-part polysulfide, fuel resistant, class B-2",
    uom: "G",
    tracking: "lot",
    revisions: ["-"],
    shelfLifeDays: 270,
    minRemainingShelfLifeDays: 30,
    outTimeMinutes: 120,
    aml: [["4SL88", "approved"]],
  },
];

export type BomLineSpec = {
  find: number;
  component: PartRef;
  qty: string;
  op: number;
  backflush?: boolean;
  serialFrom?: string;
  serialTo?: string;
};

/** One BOM per parent revision. The harness line is split by unit serial effectivity: rev A to ACT-1004, rev B after. */
export const BOMS: Record<PartRef, BomLineSpec[]> = {
  "TMA-1180-03@A": [
    { find: 10, component: "CL-1180-20@A", qty: "1", op: 10 },
    { find: 20, component: "MAG-1180-31@B", qty: "2", op: 10 },
    { find: 30, component: "NAS1352-02-6P@-", qty: "4", op: 20, backflush: true },
  ],
  "SVA-2210-05@B": [
    { find: 10, component: "M83248/1-011@-", qty: "4", op: 10 },
    { find: 20, component: "TMA-1180-03@A", qty: "1", op: 20 },
    { find: 30, component: "NAS1352-02-6P@-", qty: "4", op: 20, backflush: true },
  ],
  "FCA-7740-100@C": [
    { find: 10, component: "BKT-4410-07@A", qty: "2", op: 10 },
    { find: 20, component: "RB-38511-4@A", qty: "2", op: 10 },
    { find: 30, component: "NAS1352-3-8P@-", qty: "8", op: 10, backflush: true },
    { find: 40, component: "MS21042L3@-", qty: "8", op: 10, backflush: true },
    { find: 50, component: "SVA-2210-05@B", qty: "1", op: 20 },
    { find: 60, component: "M83248/1-214@-", qty: "2", op: 20 },
    { find: 70, component: "HAR-5521-01@A", qty: "1", op: 30, serialFrom: "ACT-1001", serialTo: "ACT-1004" },
    { find: 70, component: "HAR-5521-01@B", qty: "1", op: 30, serialFrom: "ACT-1005", serialTo: "ACT-9999" },
    { find: 80, component: "PR-1422-B2@-", qty: "12.5", op: 30 },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Routings (plant-specific)

const torque = (name: string, min: string, max: string): ParameterSpec => ({ name, unit: "N·m", min, max });

export type OperationSpec = { seq: number; code: string; description: string; workCenter: string; parameters: ParameterSpec[] };
export type RoutingSpec = { site: string; code: string; part: PartRef; operations: OperationSpec[] };

const actuatorOperations: OperationSpec[] = [
  { seq: 10, code: "MNT", description: "Install mounting brackets and rod-end bearings", workCenter: "WC-FA", parameters: [torque("Bracket bolt torque", "6.8", "7.6")] },
  { seq: 20, code: "SVI", description: "Install servo-valve and manifold O-rings", workCenter: "WC-FA", parameters: [torque("Servo-valve bolt torque", "5.1", "5.6")] },
  {
    seq: 30,
    code: "HAR",
    description: "Install feedback harness, seal connector",
    workCenter: "WC-FA",
    parameters: [{ name: "Sealant cure temperature", unit: "°C", min: "18", max: "30" }, torque("Connector backshell torque", "1.5", "1.9")],
  },
  {
    seq: 40,
    code: "ATP",
    description: "Acceptance test: proof pressure and internal leakage",
    workCenter: "WC-ATP",
    parameters: [
      { name: "Proof pressure", unit: "bar", min: "315", max: "320" },
      { name: "Internal leakage", unit: "mL/min", max: "12" },
    ],
  },
];

export const ROUTINGS: RoutingSpec[] = [
  {
    site: "WCH",
    code: "RT-1180-03-A",
    part: "TMA-1180-03@A",
    operations: [
      { seq: 10, code: "ASM", description: "Assemble coil set and magnets on armature", workCenter: "WC-TM", parameters: [] },
      {
        seq: 20,
        code: "NUL",
        description: "Secure pole pieces, magnetize and null-adjust",
        workCenter: "WC-TM",
        parameters: [torque("Pole piece screw torque", "0.28", "0.34"), { name: "Null current", unit: "mA", min: "-0.5", max: "0.5" }],
      },
    ],
  },
  {
    site: "WCH",
    code: "RT-2210-05-B",
    part: "SVA-2210-05@B",
    operations: [
      { seq: 10, code: "SEA", description: "Install spool, sleeve and O-rings", workCenter: "WC-SV", parameters: [] },
      { seq: 20, code: "TMI", description: "Install torque motor", workCenter: "WC-SV", parameters: [torque("Torque motor screw torque", "0.45", "0.55")] },
      {
        seq: 30,
        code: "FLO",
        description: "Flow, null bias and leakage test",
        workCenter: "WC-ATP",
        parameters: [
          { name: "Internal leakage", unit: "L/min", max: "0.45" },
          { name: "Null bias", unit: "%", min: "-2", max: "2" },
        ],
      },
    ],
  },
  { site: "WCH", code: "RT-7740-100-C", part: "FCA-7740-100@C", operations: actuatorOperations },
  { site: "TLS", code: "RT-7740-100-C-TLS", part: "FCA-7740-100@C", operations: actuatorOperations },
];

// ---------------------------------------------------------------------------------------------------------------
// Material issued to the floor by ERP (received into Traceline locations)

export type LotReceipt = {
  part: PartRef;
  lot: string;
  qty: string;
  manufacturer: string;
  supplier: string;
  supplierLot: string;
  to: string;
  /** Relative to opts.now, in days (negative: in the past). */
  manufacturedInDays?: number;
  expiresInDays?: number;
  inspection?: "accepted" | "pending";
};
export type SerialReceipt = { part: PartRef; serials: string[]; manufacturer: string; supplier: string; supplierLot: string; to: string };
export type BulkReceipt = { part: PartRef; qty: string; to: string };
export type Receipts = { lots: LotReceipt[]; serials: SerialReceipt[]; bulk: BulkReceipt[] };

export const RECEIPTS: Record<string, Receipts> = {
  WCH: {
    lots: [
      { part: "CL-1180-20@A", lot: "MM24-1187", qty: "6", manufacturer: "2MG60", supplier: "V10702", supplierLot: "MG-55120", to: "ST-A01" },
      { part: "MAG-1180-31@B", lot: "MM24-1203", qty: "12", manufacturer: "2MG60", supplier: "V10702", supplierLot: "MG-55187", to: "ST-A01" },
      { part: "M83248/1-011@-", lot: "SE24-3391", qty: "100", manufacturer: "7P3S1", supplier: "V10420", supplierLot: "ST-240915-11", to: "ST-A02" },
      // Put on hold after two brackets went into ACT-1002 (see HOLDS): the hold shows the WIP it affects.
      { part: "BKT-4410-07@A", lot: "KP24-0877", qty: "20", manufacturer: "5RT90", supplier: "V10318", supplierLot: "H7-22031", to: "ST-A01" },
      { part: "BKT-4410-07@A", lot: "KP24-0901", qty: "30", manufacturer: "5RT90", supplier: "V10318", supplierLot: "H7-22088", to: "ST-A01" },
      { part: "M83248/1-214@-", lot: "SE24-3420", qty: "200", manufacturer: "7P3S1", supplier: "V10420", supplierLot: "ST-241002-14", to: "ST-A02" },
      // From a manufacturer disqualified on this part's AML: ERP issued it, the station must refuse it.
      { part: "M83248/1-214@-", lot: "DS24-7712", qty: "50", manufacturer: "9WQ17", supplier: "V10420", supplierLot: "DSG-88120", to: "ST-A02" },
      // Awaiting receiving inspection: kept in quarantine.
      {
        part: "M83248/1-214@-",
        lot: "SE24-3502",
        qty: "100",
        manufacturer: "7P3S1",
        supplier: "V10420",
        supplierLot: "ST-241104-14",
        to: "QUAR-01",
        inspection: "pending",
      },
      // Expired twenty days ago.
      {
        part: "PR-1422-B2@-",
        lot: "AC24-0331",
        qty: "1000",
        manufacturer: "4SL88",
        supplier: "V10610",
        supplierLot: "B2-0331-A",
        to: "ST-FRZ",
        manufacturedInDays: -290,
        expiresInDays: -20,
      },
      {
        part: "PR-1422-B2@-",
        lot: "AC24-0519",
        qty: "1500",
        manufacturer: "4SL88",
        supplier: "V10610",
        supplierLot: "B2-0519-C",
        to: "ST-FRZ",
        manufacturedInDays: -60,
        expiresInDays: 210,
      },
    ],
    serials: [
      { part: "RB-38511-4@A", serials: serialRange("MB-24", 101, 112, 4), manufacturer: "3AB71", supplier: "V10045", supplierLot: "MB-7781", to: "ST-A01" },
      { part: "HAR-5521-01@A", serials: serialRange("NI-A-", 41, 44, 4), manufacturer: "0KX42", supplier: "V10212", supplierLot: "NI-24-339", to: "ST-A01" },
      { part: "HAR-5521-01@B", serials: serialRange("NI-B-", 101, 106, 4), manufacturer: "0KX42", supplier: "V10212", supplierLot: "NI-24-402", to: "ST-A01" },
    ],
    bulk: [
      { part: "NAS1352-3-8P@-", qty: "500", to: "ST-A02" },
      { part: "MS21042L3@-", qty: "500", to: "ST-A02" },
      { part: "NAS1352-02-6P@-", qty: "400", to: "ST-A02" },
    ],
  },
  TLS: {
    lots: [
      { part: "BKT-4410-07@A", lot: "OU24-1150", qty: "24", manufacturer: "F0437", supplier: "V20011", supplierLot: "OU-5530", to: "ST-A01" },
      { part: "M83248/1-214@-", lot: "SE24-3611", qty: "100", manufacturer: "7P3S1", supplier: "V10420", supplierLot: "ST-241020-14", to: "ST-A02" },
      {
        part: "PR-1422-B2@-",
        lot: "AC24-0602",
        qty: "1000",
        manufacturer: "4SL88",
        supplier: "V10610",
        supplierLot: "B2-0602-A",
        to: "ST-FRZ",
        manufacturedInDays: -30,
        expiresInDays: 240,
      },
    ],
    serials: [
      // Servo-valves built at Wichita, shipped to Toulouse through ERP: bought-in serials here.
      { part: "SVA-2210-05@B", serials: serialRange("SV-", 3101, 3103, 4), manufacturer: OWN_CAGE, supplier: "V90001", supplierLot: "IC-1000-2000-118", to: "ST-A01" },
      { part: "RB-38511-4@A", serials: serialRange("MB-24", 201, 208, 4), manufacturer: "3AB71", supplier: "V10045", supplierLot: "MB-7802", to: "ST-A01" },
      { part: "HAR-5521-01@B", serials: serialRange("NI-B-", 201, 204, 4), manufacturer: "0KX42", supplier: "V10212", supplierLot: "NI-24-415", to: "ST-A01" },
    ],
    bulk: [
      { part: "NAS1352-3-8P@-", qty: "300", to: "ST-A02" },
      { part: "MS21042L3@-", qty: "300", to: "ST-A02" },
    ],
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Work orders and what happened on the floor, in order

export type WorkOrderSpec = { number: string; part: PartRef; serials: string[]; dueInDays: number };

export const WORK_ORDERS: Record<string, WorkOrderSpec[]> = {
  WCH: [
    { number: "WO-100231", part: "TMA-1180-03@A", serials: serialRange("TM-", 5001, 5003, 4), dueInDays: -2 },
    { number: "WO-100232", part: "SVA-2210-05@B", serials: serialRange("SV-", 3001, 3003, 4), dueInDays: 3 },
    { number: "WO-100233", part: "FCA-7740-100@C", serials: serialRange("ACT-", 1001, 1006, 4), dueInDays: 10 },
    { number: "WO-100234", part: "FCA-7740-100@C", serials: serialRange("ACT-", 1007, 1010, 4), dueInDays: 24 },
  ],
  TLS: [
    { number: "WO-200101", part: "FCA-7740-100@C", serials: serialRange("ACT-", 2001, 2004, 4), dueInDays: 12 },
    { number: "WO-200102", part: "FCA-7740-100@C", serials: serialRange("ACT-", 2005, 2007, 4), dueInDays: 26 },
  ],
};

export type StageItem = { lot: string; qty: string } | { serial: string } | { part: PartRef; qty: string };
export type FloorStep =
  /** Kitting clerk moves material from stores to a station's point-of-use location. */
  | { stage: string; items: StageItem[] }
  /**
   * Operators complete these operations on these units, consuming every BOM line of each operation from the point of
   * use of the station (scanned lines as "consume", backflush lines as "backflush"), each with its genealogy edge.
   * `station` picks the station for operations of its work center (others go to their work center's first station);
   * `start` leaves that operation in progress; `complete` moves the finished unit from production into `complete`.
   */
  | { workOrder: string; units: string[]; ops: number[]; station?: string; start?: number; complete?: string };

export const FLOOR: Record<string, FloorStep[]> = {
  WCH: [
    { stage: "TM-01", items: [{ lot: "MM24-1187", qty: "3" }, { lot: "MM24-1203", qty: "6" }, { part: "NAS1352-02-6P@-", qty: "40" }] },
    { workOrder: "WO-100231", units: ["TM-5001", "TM-5002", "TM-5003"], ops: [10, 20], complete: "ST-A01" },
    { stage: "SV-01", items: [{ serial: "TM-5001" }, { serial: "TM-5002" }, { lot: "SE24-3391", qty: "12" }, { part: "NAS1352-02-6P@-", qty: "20" }] },
    { workOrder: "WO-100232", units: ["SV-3001", "SV-3002"], ops: [10, 20, 30], complete: "ST-A01" },
    { workOrder: "WO-100232", units: ["SV-3003"], ops: [10], start: 20 },
    {
      stage: "FA-01",
      items: [
        { serial: "SV-3001" },
        ...serialRange("MB-24", 101, 104, 4).map((serial) => ({ serial })),
        { serial: "NI-A-0041" },
        { serial: "NI-A-0042" },
        { lot: "KP24-0901", qty: "10" },
        { lot: "SE24-3420", qty: "20" },
        // Staged by mistake: the station must refuse both (disqualified manufacturer; expired).
        { lot: "DS24-7712", qty: "10" },
        { lot: "AC24-0331", qty: "100" },
        { lot: "AC24-0519", qty: "250" },
        { part: "NAS1352-3-8P@-", qty: "80" },
        { part: "MS21042L3@-", qty: "80" },
      ],
    },
    {
      stage: "FA-02",
      items: [
        { serial: "SV-3002" },
        ...serialRange("MB-24", 105, 108, 4).map((serial) => ({ serial })),
        { serial: "NI-B-0101" },
        { lot: "KP24-0877", qty: "6" },
        { lot: "SE24-3420", qty: "10" },
        { part: "NAS1352-3-8P@-", qty: "40" },
        { part: "MS21042L3@-", qty: "40" },
      ],
    },
    // ACT-1001 contains SV-3001, which contains TM-5001, which contains coil and magnet lots: three levels deep.
    { workOrder: "WO-100233", units: ["ACT-1001"], ops: [10, 20, 30, 40], station: "FA-01", complete: "ST-A01" },
    { workOrder: "WO-100233", units: ["ACT-1002"], ops: [10, 20], station: "FA-02", start: 30 },
    { workOrder: "WO-100233", units: ["ACT-1003"], ops: [10], station: "FA-01" },
  ],
  TLS: [
    {
      stage: "FA-21",
      items: [
        { serial: "SV-3101" },
        { serial: "SV-3102" },
        ...serialRange("MB-24", 201, 206, 4).map((serial) => ({ serial })),
        { serial: "NI-B-0201" },
        { lot: "OU24-1150", qty: "8" },
        { lot: "SE24-3611", qty: "10" },
        { lot: "AC24-0602", qty: "100" },
        { part: "NAS1352-3-8P@-", qty: "40" },
        { part: "MS21042L3@-", qty: "40" },
      ],
    },
    { workOrder: "WO-200101", units: ["ACT-2001"], ops: [10, 20], start: 30 },
    { workOrder: "WO-200101", units: ["ACT-2002"], ops: [10] },
  ],
};

/** Quality holds placed after the floor steps, by the site's quality engineer. */
export const HOLDS: { site: string; lot: string; reason: string; placedInDays: number }[] = [
  {
    site: "WCH",
    lot: "KP24-0877",
    reason: "Supplier escape notice SEN-24-118: heat-treat record of this lot is in question. Hold pending MRB disposition.",
    placedInDays: -1,
  },
];
