import "server-only";
import type { Tx } from "@/db/client";
import * as md from "@/server/repos/master-data";
import * as issues from "@/server/repos/erp-goods-issues";
import { postMovement } from "@/server/repos/ledger";
import { DomainError, isDomainError } from "@/server/domain/shared/errors";
import { formatQuantity, parseQuantity } from "@/server/domain/shared/quantity";
import { inspectionForStockStatus } from "@/server/domain/erp/stock-status";
import { filterErpOwned, type Ownership } from "@/server/domain/erp/versioning";
import { checkBomLines, checkPartUpdate, partAttributes } from "@/server/domain/erp/master-data-rules";
import type { MessageType, Payload } from "@/server/integrations/erp/messages";

export type ApplyContext = {
  tx: Tx;
  siteId: string;
  version: number;
  registry: ReadonlyMap<string, Ownership>;
  warnings: string[];
  now: Date;
  reference: Record<string, string>;
  /** The connection's source (goods issues are deduplicated per source and business key) and the message's inbox row. */
  source: string;
  inboxId: number;
  /** How the message counts versions: a change time lets a release of an existing order be read as a change. */
  versionKind?: "counter" | "timestamp";
};

/** A reference the message names that Traceline does not know: the message is rejected with the field and reason. */
function unknown(field: string, reason: string): never {
  throw new DomainError("VALIDATION_FAILED", reason, { field });
}

function owns(ctx: ApplyContext, key: string): boolean {
  const row = ctx.registry.get(key);
  if (row?.owner === "erp") return true;
  ctx.warnings.push(row ? `${key} is owned by Traceline: ignored` : `${key} is not in the ownership registry: ignored`);
  return false;
}

function filtered<T extends Record<string, unknown>>(ctx: ApplyContext, entity: string, values: T): Partial<T> {
  const r = filterErpOwned(entity, values, ctx.registry);
  ctx.warnings.push(...r.warnings);
  return r.allowed;
}

async function applyPart(ctx: ApplyContext, p: Payload<"part">) {
  const values = filtered(ctx, "part", partAttributes(p));
  const existing = await md.partByNumber(ctx.tx, p.partNumber);
  checkPartUpdate(p.partNumber, existing, values);
  let partId: string;
  if (existing) {
    await md.updatePart(ctx.tx, existing.id, { ...values, erpVersion: ctx.version, updatedAt: ctx.now });
    partId = existing.id;
  } else {
    partId = (
      await md.insertPart(ctx.tx, {
        partNumber: p.partNumber,
        description: values.description!,
        uom: values.uom!,
        tracking: values.tracking!,
        shelfLifeDays: values.shelfLifeDays ?? null,
        minRemainingShelfLifeDays: values.minRemainingShelfLifeDays ?? null,
        outTimeMinutes: values.outTimeMinutes ?? null,
        minThawMinutes: values.minThawMinutes ?? null,
        storageClass: values.storageClass ?? null,
        potLifeMinutes: values.potLifeMinutes ?? null,
        gtin: values.gtin ?? null,
        erpVersion: ctx.version,
        updatedAt: ctx.now,
      })
    ).id;
  }
  const writeStatus = ctx.registry.get("part_revision.status")?.owner === "erp";
  await md.upsertRevisions(ctx.tx, partId, p.revisions, ctx.version, writeStatus);
}

async function applyBom(ctx: ApplyContext, p: { partNumber: string; revision: string; lines: Payload<"bom">["lines"] }) {
  if (!owns(ctx, "bom.lines")) return;
  const parent = await md.revisionByNumber(ctx.tx, p.partNumber, p.revision);
  if (!parent) unknown("payload.partNumber", `Unknown part ${p.partNumber} revision ${p.revision}: send the part first.`);
  const revisions = await md.revisionsByNumbers(ctx.tx, p.lines);
  const checked = checkBomLines(
    p.lines,
    (pn, rev) => {
      const r = revisions.get(`${pn}|${rev}`);
      return r ? { ref: r.id, tracking: r.tracking } : null;
    },
    (id) => id === parent.id,
  );
  const lines = checked.map(({ component, ...l }) => ({ ...l, componentRevisionId: component }));
  await md.replaceBom(ctx.tx, parent.id, ctx.version, lines);
}

async function applyRouting(ctx: ApplyContext, p: Payload<"routing">) {
  if (!owns(ctx, "routing.operations")) return;
  const rev = await md.revisionByNumber(ctx.tx, p.partNumber, p.revision);
  if (!rev) unknown("payload.partNumber", `Unknown part ${p.partNumber} revision ${p.revision}.`);
  const seqs = new Set<number>();
  p.operations.forEach((o, i) => {
    if (seqs.has(o.seq)) unknown(`payload.operations.${i}.seq`, `Operation ${o.seq} appears twice.`);
    seqs.add(o.seq);
  });
  const centers = await md.workCentersByCode(ctx.tx, ctx.siteId, p.operations.map((o) => o.workCenter));
  // required skills and tool classes: ERP's when the registry says so, else Traceline's (kept per operation across versions)
  const before = new Map(((await md.routingFor(ctx.tx, ctx.siteId, { code: p.code, partRevisionId: rev.id }))?.operations ?? []).map((o) => [o.seq, o]));
  const requirement = (key: "required_skills" | "required_tool_classes", sent: (o: (typeof p.operations)[number]) => string[] | undefined, kept: (seq: number) => string[]) => {
    const erpOwns = ctx.registry.get(`routing.${key}`)?.owner === "erp";
    if (!erpOwns && p.operations.some((o) => sent(o) !== undefined)) ctx.warnings.push(`routing.${key} is owned by Traceline: ignored`);
    return (o: (typeof p.operations)[number]) => (erpOwns ? (sent(o) ?? kept(o.seq)) : kept(o.seq)).map((c) => c.toUpperCase());
  };
  const skillsOf = requirement("required_skills", (o) => o.requiredSkills, (seq) => before.get(seq)?.requiredSkills ?? []);
  const toolClassesOf = requirement("required_tool_classes", (o) => o.requiredToolClasses, (seq) => before.get(seq)?.requiredToolClasses ?? []);
  const ops = p.operations.map((o, i) => {
    const workCenterId = centers.get(o.workCenter);
    if (!workCenterId) unknown(`payload.operations.${i}.workCenter`, `Unknown work center ${o.workCenter} at this plant.`);
    const inspectionRequired = o.inspectionRequired ?? before.get(o.seq)?.inspectionRequired ?? false;
    return { seq: o.seq, code: o.code, description: o.description, workCenterId, parameters: o.parameters, requiredSkills: skillsOf(o), requiredToolClasses: toolClassesOf(o), inspectionRequired };
  });
  await md.replaceRouting(ctx.tx, ctx.siteId, { code: p.code, partRevisionId: rev.id, erpVersion: ctx.version }, ops);
}

async function applyProductionOrder(ctx: ApplyContext, p: Payload<"production_order">) {
  const existing = await md.workOrderByNumber(ctx.tx, ctx.siteId, p.number);
  // Versioned by change time (a B2MML order without <Version>), a Sync of an order that exists is its next state.
  if (p.action === "release" && existing && ctx.versionKind === "timestamp") p = { ...p, action: "change" };
  if (p.action === "release") {
    if (existing) unknown("payload.number", `Order ${p.number} is already released.`);
    if (!p.partNumber || !p.revision || !p.quantity || !p.dueDate || !p.serials) {
      unknown("payload", "A release needs partNumber, revision, quantity, dueDate and serials.");
    }
    if (p.serials.length !== p.quantity) unknown("payload.serials", `Order ${p.number} is for ${p.quantity} units but names ${p.serials.length} serials.`);
    if (new Set(p.serials).size !== p.serials.length) unknown("payload.serials", "The same serial appears twice.");
    const rev = await md.revisionByNumber(ctx.tx, p.partNumber, p.revision);
    if (!rev) unknown("payload.partNumber", `Unknown part ${p.partNumber} revision ${p.revision}.`);
    const routing = await md.routingFor(ctx.tx, ctx.siteId, { code: p.routing, partRevisionId: rev.id });
    if (!routing || routing.operations.length === 0) unknown("payload.routing", `No routing ${p.routing ?? `for ${p.partNumber} ${p.revision}`} at this plant: send the routing first.`);
    for (const serial of p.serials) {
      if (await md.serialByNumber(ctx.tx, ctx.siteId, rev.id, serial)) unknown("payload.serials", `Serial ${serial} of ${p.partNumber} already exists at this site.`);
    }
    const wo = await md.insertWorkOrder(ctx.tx, {
      siteId: ctx.siteId,
      number: p.number,
      partRevisionId: rev.id,
      quantity: p.quantity,
      dueDate: p.dueDate,
      releasedAt: ctx.now,
      erpVersion: ctx.version,
    });
    const bom = await md.bomLinesOf(ctx.tx, rev.id);
    const ops = await md.freezeWorkOrder(
      ctx.tx,
      ctx.siteId,
      wo.id,
      bom,
      // required skills and tool classes are frozen with the rest of the operation
      routing.operations.map((o) => ({
        seq: o.seq,
        code: o.code,
        description: o.description,
        workCenterId: o.workCenterId,
        parameters: o.parameters,
        requiredSkills: o.requiredSkills,
        requiredToolClasses: o.requiredToolClasses,
        inspectionRequired: o.inspectionRequired,
      })),
    );
    await md.createUnits(ctx.tx, ctx.siteId, wo, p.serials, ops);
    ctx.reference.workOrderId = wo.id;
    return;
  }
  if (!existing) unknown("payload.number", `Order ${p.number} has not been released here.`);
  if (existing.status === "closed" || existing.status === "cancelled") unknown("payload.action", `Order ${p.number} is ${existing.status}.`);
  if (p.action === "close") {
    if (owns(ctx, "work_order.status")) await md.updateWorkOrder(ctx.tx, ctx.siteId, existing.id, { status: "closed", erpVersion: ctx.version });
    return;
  }
  const changes: Partial<{ dueDate: string; quantity: number }> = {};
  if (p.dueDate && owns(ctx, "work_order.due_date")) changes.dueDate = p.dueDate;
  if (p.partNumber && p.partNumber !== undefined) {
    const current = await md.revisionByNumber(ctx.tx, p.partNumber, p.revision ?? "");
    if (!current || current.id !== existing.partRevisionId) unknown("payload.partNumber", `Order ${p.number} builds another part or revision; an order's part cannot change.`);
  }
  if (p.quantity !== undefined || p.serials) {
    if (!owns(ctx, "work_order.quantity")) {
      // ignored, warning recorded
    } else {
      const units = await md.unitsOf(ctx.tx, ctx.siteId, existing.id);
      const have = new Set(units.map((u) => u.serial));
      const serials = p.serials ?? [...have];
      const removed = [...have].filter((s) => !serials.includes(s));
      if (removed.length > 0) unknown("payload.serials", `Units ${removed.join(", ")} exist on the floor and cannot be dropped by a change; cancel them in Traceline.`);
      const quantity = p.quantity ?? serials.length;
      if (quantity !== serials.length) unknown("payload.serials", `Order ${p.number} would be for ${quantity} units but names ${serials.length} serials.`);
      const added = serials.filter((s) => !have.has(s));
      for (const serial of added) {
        if (await md.serialByNumber(ctx.tx, ctx.siteId, existing.partRevisionId, serial)) unknown("payload.serials", `Serial ${serial} already exists at this site.`);
      }
      const ops = await md.workOrderOperationsOf(ctx.tx, ctx.siteId, existing.id);
      await md.createUnits(ctx.tx, ctx.siteId, existing, added, ops);
      changes.quantity = quantity;
    }
  }
  await md.updateWorkOrder(ctx.tx, ctx.siteId, existing.id, { ...changes, erpVersion: ctx.version });
}

async function applyAml(ctx: ApplyContext, p: Payload<"approved_manufacturers">) {
  if (!owns(ctx, "approved_manufacturer.status")) return;
  const part = await md.partByNumber(ctx.tx, p.partNumber);
  if (!part) unknown("payload.partNumber", `Unknown part ${p.partNumber}.`);
  const writeName = ctx.registry.get("manufacturer.name")?.owner === "erp";
  const writeAuthorised = authorisedSourceWritable(ctx, "manufacturer", p.manufacturers.some((m) => m.authorisedSource !== undefined));
  const codes = new Set<string>();
  const entries = [];
  for (const [i, m] of p.manufacturers.entries()) {
    if (codes.has(m.code)) unknown(`payload.manufacturers.${i}.code`, `Manufacturer ${m.code} appears twice.`);
    codes.add(m.code);
    const authorised = writeAuthorised ? m.authorisedSource : undefined;
    entries.push({ manufacturerId: await md.upsertManufacturer(ctx.tx, m.code, m.name, ctx.version, writeName, authorised), status: m.status });
  }
  await md.replaceAml(ctx.tx, part.id, entries, ctx.version);
}

async function applySupplier(ctx: ApplyContext, p: Payload<"supplier">) {
  const authorised = authorisedSourceWritable(ctx, "supplier", p.authorisedSource !== undefined) ? p.authorisedSource : undefined;
  await md.upsertSupplier(ctx.tx, p.code, p.name, ctx.version, owns(ctx, "supplier.name"), authorised);
}

/**
 * Whether the message's authorised-source flags are applied: only when the registry gives `<entity>.authorised_source`
 * to ERP; a flag sent while Traceline owns it is ignored with a warning (quality sets it on the screen).
 */
function authorisedSourceWritable(ctx: ApplyContext, entity: "manufacturer" | "supplier", sent: boolean): boolean {
  const key = `${entity}.authorised_source`;
  if (ctx.registry.get(key)?.owner === "erp") return true;
  if (sent) ctx.warnings.push(ctx.registry.has(key) ? `${key} is owned by Traceline: ignored` : `${key} is not in the ownership registry: ignored`);
  return false;
}

/**
 * A goods issue to the floor, once per business key (the envelope's key: ERP's material document and item, or the B2MML
 * lot event). The version guard has already answered a resend of a version already applied (overtaken); a newer
 * version of the same key is a correction: when it posts the same thing nothing moves, otherwise the posting in force
 * is reversed (it must still be where it was issued) and the new one posted, in this transaction.
 */
async function applyMaterialIssue(ctx: ApplyContext, p: Payload<"material_issue">, issueKey: string) {
  if (!owns(ctx, "stock.issued_to_floor")) return;
  const rev = await md.revisionByNumber(ctx.tx, p.partNumber, p.revision);
  if (!rev) unknown("payload.partNumber", `Unknown part ${p.partNumber} revision ${p.revision}.`);
  if (rev.tracking === "lot" && !p.lotNumber) unknown("payload.lotNumber", `${p.partNumber} is lot-tracked: the issue needs a lot number.`);
  if (rev.tracking === "serial" && !p.serialNumber) unknown("payload.serialNumber", `${p.partNumber} is serial-tracked: the issue needs a serial number.`);
  if (rev.tracking === "untracked" && (p.lotNumber || p.serialNumber)) unknown("payload.lotNumber", `${p.partNumber} is not lot or serial tracked.`);
  if (p.uom !== undefined && p.uom.toUpperCase() !== rev.uom.toUpperCase()) {
    unknown("payload.uom", `The quantity is in ${p.uom} but ${p.partNumber} is counted in ${rev.uom}: send the quantity in ${rev.uom}.`);
  }
  if (rev.tracking === "serial" && p.quantity.replace(/\.0+$/, "") !== "1") unknown("payload.quantity", "A serial is issued one piece at a time.");
  if (/^0+(\.0+)?$/.test(p.quantity)) unknown("payload.quantity", "The quantity must be more than zero.");
  const location = await md.locationByCode(ctx.tx, ctx.siteId, p.location);
  if (!location) unknown("payload.location", `Unknown storage location ${p.location} at this plant.`);
  if (location.kind !== "stores" && location.kind !== "quarantine") unknown("payload.location", `Location ${p.location} is a ${location.kind.replaceAll("_", " ")}; ERP issues to stores or quarantine.`);
  const manufacturer = await md.manufacturerByCode(ctx.tx, p.manufacturer);
  if (!manufacturer) unknown("payload.manufacturer", `Unknown manufacturer ${p.manufacturer}: send the part's approved-manufacturer list first.`);
  await checkApprovedManufacturer(ctx, rev.partId, manufacturer.id, p);
  const supplier = p.supplier ? await md.supplierByCode(ctx.tx, p.supplier) : null;
  if (p.supplier && !supplier) unknown("payload.supplier", `Unknown supplier ${p.supplier}.`);
  const supply = await md.locationOfKind(ctx.tx, ctx.siteId, "erp_supply");
  if (!supply) unknown("plant", "This site has no ERP supply location configured.");

  const stock = inspectionForStockStatus(p.stockStatus, p.inspectionStatus);
  if (stock.warning) ctx.warnings.push(stock.warning);
  const attrs = {
    expiresAt: p.expiresAt ? new Date(p.expiresAt) : undefined,
    manufacturedAt: p.manufacturedAt ? new Date(p.manufacturedAt) : undefined,
    inspectionStatus: stock.inspection,
    certificateRef: p.certificateRef,
    supplierLot: p.supplierLot,
  };
  const uii = p.uii?.toUpperCase();
  const quantity = formatQuantity(parseQuantity(p.quantity, { field: "payload.quantity" }));

  // The posting in force for this business key, if any: a correction of the same posting moves nothing.
  const inForce = await issues.lockGoodsIssue(ctx.tx, ctx.siteId, ctx.source, issueKey);
  if (inForce) {
    const lot = p.lotNumber ? await md.lotByNumber(ctx.tx, ctx.siteId, rev.id, p.lotNumber) : null;
    const serial = p.serialNumber ? await md.serialByNumber(ctx.tx, ctx.siteId, rev.id, p.serialNumber) : null;
    const samePosting =
      inForce.partRevisionId === rev.id &&
      inForce.lotId === (lot?.id ?? null) &&
      inForce.serialItemId === (serial?.id ?? null) &&
      inForce.locationId === location.id &&
      parseQuantity(inForce.quantity, { allowZero: true }).equals(parseQuantity(quantity));
    if (samePosting) {
      if (lot) await md.updateLot(ctx.tx, ctx.siteId, lot.id, filtered(ctx, "lot", attrs));
      ctx.warnings.push(`Goods issue ${issueKey}: version ${ctx.version} posts what version ${inForce.version} posted; nothing moved again.`);
      await issues.saveGoodsIssue(ctx.tx, { ...inForce, version: ctx.version, inboxId: ctx.inboxId, updatedAt: ctx.now }, false);
      return;
    }
    await reverseGoodsIssue(ctx, inForce, supply.id, issueKey);
  }

  let lotId: string | null = null;
  let serialItemId: string | null = null;
  if (p.lotNumber && uii) unknown("payload.uii", "A UII names one serial item: a lot carries none.");
  if (p.lotNumber) {
    const values = filtered(ctx, "lot", attrs);
    const lot = await md.lotByNumber(ctx.tx, ctx.siteId, rev.id, p.lotNumber);
    if (lot) {
      if (lot.manufacturerId !== manufacturer.id) unknown("payload.manufacturer", `Lot ${p.lotNumber} is already on the floor from another manufacturer.`);
      await md.updateLot(ctx.tx, ctx.siteId, lot.id, values);
      lotId = lot.id;
    } else {
      lotId = (await md.insertLot(ctx.tx, { siteId: ctx.siteId, partRevisionId: rev.id, lotNumber: p.lotNumber, manufacturerId: manufacturer.id, supplierId: supplier?.id ?? null, ...values })).id;
    }
  } else if (p.serialNumber) {
    const { manufacturedAt: _notTracked, ...serialAttrs } = attrs;
    const values = filtered(ctx, "serial_item", { ...serialAttrs, uii });
    const item = await md.serialByNumber(ctx.tx, ctx.siteId, rev.id, p.serialNumber);
    if (values.uii) {
      const holder = await md.serialByUii(ctx.tx, ctx.siteId, values.uii);
      if (holder && holder.id !== item?.id) unknown("payload.uii", `UII ${values.uii} is already the UII of serial ${holder.serialNumber} at this plant.`);
    }
    if (item) {
      if (item.builtHere) unknown("payload.serialNumber", `Serial ${p.serialNumber} is a unit built here, not bought-in material.`);
      if (await md.serialOnFloor(ctx.tx, ctx.siteId, item.id)) unknown("payload.serialNumber", `Serial ${p.serialNumber} is already on the floor.`);
      await md.updateSerial(ctx.tx, ctx.siteId, item.id, values);
      serialItemId = item.id;
    } else {
      serialItemId = (await md.insertSerial(ctx.tx, { siteId: ctx.siteId, partRevisionId: rev.id, serialNumber: p.serialNumber, manufacturerId: manufacturer.id, supplierId: supplier?.id ?? null, ...values })).id;
    }
  }
  const item = { partRevisionId: rev.id, lotId, serialItemId };
  const { movementId } = await postMovement(ctx.tx, {
    siteId: ctx.siteId,
    kind: "receive_from_erp",
    occurredAt: ctx.now,
    reason: inForce ? `Issued to the floor by ERP (goods issue ${issueKey}, version ${ctx.version}: correction)` : "Issued to the floor by ERP",
    reference: { ...ctx.reference, goodsIssue: issueKey },
    legs: [
      { ...item, locationId: supply.id, quantity: `-${quantity}` },
      { ...item, locationId: location.id, quantity },
    ],
  });
  ctx.reference.movementId = movementId;
  await issues.saveGoodsIssue(
    ctx.tx,
    { siteId: ctx.siteId, source: ctx.source, issueKey, version: ctx.version, inboxId: ctx.inboxId, movementId, ...item, locationId: location.id, quantity, updatedAt: ctx.now },
    inForce !== null,
  );
}

/** Take back the posting in force of a goods issue (a correction): from where it was issued to ERP supply. */
async function reverseGoodsIssue(ctx: ApplyContext, inForce: issues.GoodsIssueRow, supplyId: string, issueKey: string) {
  const item = { partRevisionId: inForce.partRevisionId, lotId: inForce.lotId, serialItemId: inForce.serialItemId };
  const quantity = formatQuantity(parseQuantity(inForce.quantity));
  try {
    const { movementId } = await postMovement(ctx.tx, {
      siteId: ctx.siteId,
      kind: "erp_issue_reversal",
      occurredAt: ctx.now,
      reason: `Goods issue ${issueKey} version ${inForce.version} reversed: corrected by version ${ctx.version}`,
      reference: { ...ctx.reference, goodsIssue: issueKey, reverses: inForce.movementId },
      legs: [
        { ...item, locationId: inForce.locationId, quantity: `-${quantity}` },
        { ...item, locationId: supplyId, quantity },
      ],
    });
    ctx.reference.reversalMovementId = movementId;
  } catch (e) {
    if (isDomainError(e) && e.code === "INSUFFICIENT_STOCK") {
      unknown("payload.quantity", `Goods issue ${issueKey} cannot be corrected: version ${inForce.version} issued ${quantity}, and it is no longer all where it was issued (used, moved or reserved since). Book the difference in ERP as a return or a further issue.`);
    }
    throw e;
  }
}

/** Material from a manufacturer disqualified for the part, or not on its AML: a warning, or refused (per site). */
async function checkApprovedManufacturer(ctx: ApplyContext, partId: string, manufacturerId: string, p: Payload<"material_issue">) {
  const aml = await issues.amlEntryFor(ctx.tx, partId, manufacturerId);
  const problem =
    aml.status === "disqualified" ? `Manufacturer ${p.manufacturer} is disqualified for ${p.partNumber}`
    : aml.hasAml && aml.status === null ? `Manufacturer ${p.manufacturer} is not on the approved-manufacturer list of ${p.partNumber}`
    : null;
  if (!problem) return;
  if ((await issues.unapprovedMaterialPolicy(ctx.tx, ctx.siteId)) === "refuse") unknown("payload.manufacturer", `${problem}: this site refuses such material from ERP.`);
  ctx.warnings.push(`${problem}: issued, and refused at kitting and the station until the AML approves it.`);
}

async function applyInspectionStatus(ctx: ApplyContext, p: Payload<"inspection_status">) {
  const rev = await md.revisionByNumber(ctx.tx, p.partNumber, p.revision);
  if (!rev) unknown("payload.partNumber", `Unknown part ${p.partNumber} revision ${p.revision}.`);
  if (Boolean(p.lotNumber) === Boolean(p.serialNumber)) unknown("payload.lotNumber", "Name either a lot or a serial.");
  const stock = inspectionForStockStatus(p.stockStatus, p.status);
  if (stock.warning) ctx.warnings.push(stock.warning);
  // unrestricted with no inspection result: the stock status frees the material as far as ERP is concerned
  const status = stock.inspection ?? "accepted";
  if (p.lotNumber) {
    if (!owns(ctx, "lot.inspection_status")) return;
    const lot = await md.lotByNumber(ctx.tx, ctx.siteId, rev.id, p.lotNumber);
    if (!lot) unknown("payload.lotNumber", `Lot ${p.lotNumber} of ${p.partNumber} is not on this site's floor.`);
    await md.updateLot(ctx.tx, ctx.siteId, lot.id, { inspectionStatus: status });
  } else {
    if (!owns(ctx, "serial_item.inspection_status")) return;
    const item = await md.serialByNumber(ctx.tx, ctx.siteId, rev.id, p.serialNumber!);
    if (!item) unknown("payload.serialNumber", `Serial ${p.serialNumber} of ${p.partNumber} is not on this site's floor.`);
    await md.updateSerial(ctx.tx, ctx.siteId, item.id, { inspectionStatus: status });
  }
}

/**
 * A stock snapshot is kept for reconciliation only if every line can be compared with the floor: a known part
 * revision, a lot or serial as its tracking says, a location of the plant, a serial's quantity 0 or 1, and each item
 * and location once. Any line that cannot is refused with its field.
 */
async function applyStockSnapshot(ctx: ApplyContext, p: Payload<"stock_snapshot">, key: string) {
  const revisions = await md.revisionsByNumbers(ctx.tx, p.lines);
  const locations = await issues.locationsByCode(ctx.tx, ctx.siteId, [...new Set(p.lines.flatMap((l) => (l.location ? [l.location] : [])))]);
  const seen = new Set<string>();
  p.lines.forEach((l, i) => {
    const at = `payload.lines.${i}`;
    const rev = revisions.get(`${l.partNumber}|${l.revision}`);
    if (!rev) unknown(`${at}.partNumber`, `Unknown part ${l.partNumber} revision ${l.revision}.`);
    if (l.lotNumber && l.serialNumber) unknown(`${at}.serialNumber`, "Give a lot or a serial, not both.");
    if (rev.tracking === "lot" && !l.lotNumber) unknown(`${at}.lotNumber`, `${l.partNumber} is lot-tracked: the line needs its lot number.`);
    if (rev.tracking === "serial" && !l.serialNumber) unknown(`${at}.serialNumber`, `${l.partNumber} is serial-tracked: the line needs its serial number.`);
    if (rev.tracking === "untracked" && (l.lotNumber || l.serialNumber)) unknown(`${at}.lotNumber`, `${l.partNumber} is not lot or serial tracked.`);
    if (rev.tracking === "serial" && !/^[01](\.0+)?$/.test(l.quantity)) unknown(`${at}.quantity`, "A serial's quantity is 0 or 1.");
    if (l.location && !locations.has(l.location)) unknown(`${at}.location`, `Unknown storage location ${l.location} at this plant.`);
    const item = [l.partNumber, l.revision, l.lotNumber ?? "", l.serialNumber ?? "", l.location ?? ""].join("|");
    if (seen.has(item)) unknown(at, `${l.partNumber} ${l.revision} ${l.lotNumber ?? l.serialNumber ?? ""} ${l.location ? `at ${l.location} ` : ""}is listed twice.`.replace(/\s+/g, " "));
    seen.add(item);
  });
  await md.insertStockSnapshot(ctx.tx, { siteId: ctx.siteId, snapshotKey: key, takenAt: new Date(p.takenAt), lines: p.lines });
}

/** Apply one validated payload inside the caller's transaction. Throws DomainError("VALIDATION_FAILED") with the field. */
export async function applyMessage(ctx: ApplyContext, type: MessageType, key: string, payload: unknown): Promise<void> {
  switch (type) {
    case "part":
      return applyPart(ctx, payload as Payload<"part">);
    case "bom":
      return applyBom(ctx, payload as Payload<"bom">);
    case "routing":
      return applyRouting(ctx, payload as Payload<"routing">);
    case "production_order":
      return applyProductionOrder(ctx, payload as Payload<"production_order">);
    case "approved_manufacturers":
      return applyAml(ctx, payload as Payload<"approved_manufacturers">);
    case "supplier":
      return applySupplier(ctx, payload as Payload<"supplier">);
    case "material_issue":
      return applyMaterialIssue(ctx, payload as Payload<"material_issue">, key);
    case "inspection_status":
      return applyInspectionStatus(ctx, payload as Payload<"inspection_status">);
    case "stock_snapshot":
      return applyStockSnapshot(ctx, payload as Payload<"stock_snapshot">, key);
  }
}

export { applyBom };
