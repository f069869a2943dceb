import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { formatQuantity } from "@/server/domain/shared/quantity";
import { REMOVAL_DESTINATIONS, requireReasonText, goodsMovement, type RemovalDestination } from "@/server/domain/station/station-rules";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import {
  closeEdge,
  enqueueConfirmation,
  findLocationOfSite,
  firstLocationOfKind,
  itemFactsAt,
  loadUnitContext,
  lockEdge,
  siteErpPlant,
  stableMessageId,
  type UnitContext,
} from "@/server/repos/station-work";
import { idempotent } from "@/server/services/shared/idempotent";
import { lockNcr } from "@/server/repos/nonconformance";
import { ncrNumber } from "@/server/domain/quality/nonconformance";
import { raiseNcrInTx, type ResolvedNcrTarget } from "@/server/services/quality/ncr";
import { postingDate, requireRole, REWORK_ROLES } from "./station-shared";

export type RemoveCommand = {
  requestId: string;
  /** The genealogy edge of the installed component. */
  edgeId: string;
  reason: string;
  destination: RemovalDestination;
  /** A location of the destination's kind; by default the site's first one. */
  locationId?: string | null;
  /**
   * The open nonconformance report this rework is done under (about this component, its lot or serial, or the unit).
   * Without one, the removal raises one in the same transaction (issue 19, Must 4): about the component when it goes
   * to quarantine (a serial is held until the review board decides; a lot's quantity is segregated there) or scrap,
   * about the unit's operation when it goes back to stores (conforming material: nothing is held).
   */
  ncrId?: string | null;
};

export type RemoveOutcome = {
  edgeId: string;
  movementId: string;
  unitSerial: string;
  partNumber: string;
  revision: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  destination: RemovalDestination;
  locationCode: string;
  /** the location's name, for people */
  locationName?: string;
  /** the nonconformance report of the rework (given, or raised by the removal) */
  ncrId: string;
  ncrNumber: string;
  ncrRaised: boolean;
};

const KIND_OF: Record<RemovalDestination, "stores" | "quarantine" | "scrap"> = { stores: "stores", quarantine: "quarantine", scrap: "scrap" };

/**
 * Take an installed component out of a unit in rework: the edge is closed (who, when, why; never deleted), the
 * material moves consumed -> stores, quarantine (MRB) or scrap by a compensating movement, with an audit row and the
 * ERP reversal (262; plus a scrap posting 551 when it goes to scrap). A serial taken out can be installed elsewhere.
 */
export async function removeComponent(db: DbOrTx, actor: Actor, cmd: RemoveCommand, now: Date): Promise<RemoveOutcome> {
  return db.transaction(async (tx) => {
    requireRole(actor, REWORK_ROLES, "remove components in rework");
    const edge = await lockEdge(tx, actor.siteId, cmd.edgeId);
    if (!edge) throw new DomainError("NOT_FOUND", "That installed component does not exist at this site.", { edgeId: cmd.edgeId });
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "station.removeComponent", payload: cmd, now }, () =>
      remove(tx, actor, cmd, edge, now),
    );
  });
}

async function remove(tx: Tx, actor: Actor, cmd: RemoveCommand, edge: NonNullable<Awaited<ReturnType<typeof lockEdge>>>, now: Date): Promise<RemoveOutcome> {
  const siteId = actor.siteId;
  const reason = requireReasonText(cmd.reason, "the component comes out");
  if (!(REMOVAL_DESTINATIONS as readonly string[]).includes(cmd.destination)) {
    throw new DomainError("VALIDATION_FAILED", "Choose where the component goes: back to stores, quarantine (MRB) or scrap.", { field: "destination" });
  }
  const ctx = await loadUnitContext(tx, siteId, edge.parentUnitId);
  if (!ctx) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", {});
  const item = { partRevisionId: edge.childPartRevisionId, lotId: edge.childLotId, serialItemId: edge.childSerialItemId };
  const consumed = await firstLocationOfKind(tx, siteId, "consumed");
  if (!consumed) throw new DomainError("NOT_FOUND", "This site has no consumed-into-unit location.", {});
  const facts = await itemFactsAt(tx, siteId, item, consumed.id);
  if (!facts) throw new DomainError("NOT_FOUND", "That material does not exist at this site.", {});
  const name = facts.serialNumber ? `Serial ${facts.serialNumber}` : facts.lotNumber ? `${formatQuantity(edge.quantity)} ${facts.uom} of lot ${facts.lotNumber}` : `${facts.partNumber}`;
  if (edge.removedAt) {
    throw new DomainError("ALREADY_REMOVED", `${name} was already removed from unit ${ctx.unit.serial} on ${postingDate(actor, edge.removedAt)}: ${edge.removalReason ?? ""}`.trim(), {
      removedAt: edge.removedAt.toISOString(),
    });
  }
  if (ctx.unit.status === "shipped" || ctx.unit.status === "scrapped") {
    throw new DomainError("UNIT_NOT_OPEN", `Unit ${ctx.unit.serial} is ${ctx.unit.status}: its as-built can no longer be reworked here.`, { status: ctx.unit.status });
  }
  const kind = KIND_OF[cmd.destination];
  const to = cmd.locationId ? await findLocationOfSite(tx, siteId, cmd.locationId) : await firstLocationOfKind(tx, siteId, kind);
  if (!to) throw new DomainError("NOT_FOUND", `This site has no ${kind} location to put the component in.`, { destination: cmd.destination });
  if ("kind" in to && to.kind !== kind) throw new DomainError("VALIDATION_FAILED", `${to.code} is not a ${kind} location.`, { field: "locationId" });
  const quantity = formatQuantity(edge.quantity);
  const reference = { workOrder: ctx.workOrder.number, unit: ctx.unit.serial, operation: String(edge.operationSeq), edge: edge.id };
  const { movementId } = await postMovement(tx, {
    siteId,
    kind: "remove",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason,
    reference,
    legs: [
      { ...item, locationId: consumed.id, quantity: `-${quantity}` },
      { ...item, locationId: to.id, quantity },
    ],
  });
  await closeEdge(tx, siteId, edge.id, { removedAt: now, removedBy: actor.userId, removalReason: reason, removalMovementId: movementId });
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "station.removeComponent",
    entity: "genealogy_edge",
    entityId: edge.id,
    oldValue: { removedAt: null },
    newValue: { removedAt: now.toISOString(), destination: cmd.destination, location: to.code, quantity, movementId, unit: ctx.unit.serial },
    reason,
    requestId: cmd.requestId,
    occurredAt: now,
  });
  const ncr = await ncrOfRemoval(tx, actor, cmd, edge, ctx, { id: to.id, destination: cmd.destination }, reason, now);
  const plant = await siteErpPlant(tx, siteId);
  const movement = (type: "262" | "551", order: string | null) =>
    goodsMovement(type, facts, { plant, order, quantity, postingDate: postingDate(actor, now), reference: movementId, reason, operation: edge.operationSeq });
  await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "reversal"), type: "reversal", payload: movement("262", ctx.workOrder.number), at: now });
  if (cmd.destination === "scrap") {
    await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "scrap"), type: "scrap", payload: movement("551", null), at: now });
  }
  return {
    edgeId: edge.id,
    movementId,
    unitSerial: ctx.unit.serial,
    partNumber: facts.partNumber,
    revision: facts.revision,
    lotNumber: facts.lotNumber,
    serialNumber: facts.serialNumber,
    quantity,
    destination: cmd.destination,
    locationCode: to.code,
    locationName: to.name,
    ncrId: ncr.ncrId,
    ncrNumber: ncr.number,
    ncrRaised: ncr.raised,
  };
}

type LockedEdge = NonNullable<Awaited<ReturnType<typeof lockEdge>>>;

/** The NCR the removal is done under: the one named (open, about this component or unit), or one raised now. */
async function ncrOfRemoval(
  tx: Tx,
  actor: Actor,
  cmd: RemoveCommand,
  edge: LockedEdge,
  ctx: UnitContext,
  to: { id: string; destination: RemovalDestination },
  reason: string,
  now: Date,
): Promise<{ ncrId: string; number: string; raised: boolean }> {
  if (cmd.ncrId) {
    const n = await lockNcr(tx, actor.siteId, cmd.ncrId);
    if (!n) throw new DomainError("NOT_FOUND", "That nonconformance report does not exist at this site.", { field: "ncrId" });
    if (n.status === "closed") throw new DomainError("NCR_NOT_OPEN", `${ncrNumber(n.number)} is closed: leave the report empty to raise a new one with this removal.`, { field: "ncrId" });
    const about =
      n.edgeId === edge.id ||
      (n.lotId !== null && n.lotId === edge.childLotId) ||
      (n.serialItemId !== null && n.serialItemId === edge.childSerialItemId) ||
      n.unitId === edge.parentUnitId;
    if (!about) throw new DomainError("VALIDATION_FAILED", `${ncrNumber(n.number)} is about other material or another unit.`, { field: "ncrId" });
    return { ncrId: n.id, number: ncrNumber(n.number), raised: false };
  }
  const component = to.destination !== "stores";
  const label = `unit ${ctx.unit.serial}, operation ${edge.operationSeq}`;
  const target: ResolvedNcrTarget = component
    ? {
        targetType: edge.childSerialItemId ? "serial" : edge.childLotId ? "lot" : "part_revision",
        partRevisionId: edge.childPartRevisionId,
        lotId: edge.childLotId,
        serialItemId: edge.childSerialItemId,
        unitId: edge.parentUnitId,
        operationSeq: edge.operationSeq,
        quantity: formatQuantity(edge.quantity),
        locationId: to.id,
        // a serial in quarantine is held until the board decides; a lot's quantity is segregated in quarantine (the rest
        // of the lot is not suspect unless a report is raised on the lot itself); scrapped material needs no hold
        hold: to.destination === "quarantine" && edge.childSerialItemId ? { targetType: "serial", targetId: edge.childSerialItemId, label: `component removed from ${label}` } : null,
        label: `component removed from ${label}`,
      }
    : {
        targetType: "operation",
        partRevisionId: edge.childPartRevisionId,
        lotId: edge.childLotId,
        serialItemId: edge.childSerialItemId,
        unitId: edge.parentUnitId,
        operationSeq: edge.operationSeq,
        quantity: "1",
        locationId: null,
        // the component goes back to stores as conforming: the report records the unit's rework; holding the unit is
        // quality's decision (a report raised on the unit holds it)
        hold: null,
        label,
      };
  const out = await raiseNcrInTx(tx, actor, { source: "station", defect: "removed", description: reason, target, stationId: null, edgeId: edge.id, requestId: cmd.requestId }, now);
  return { ncrId: out.ncrId, number: out.number, raised: true };
}
