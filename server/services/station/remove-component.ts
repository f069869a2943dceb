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
} from "@/server/repos/station-work";
import { idempotent } from "@/server/services/shared/idempotent";
import { postingDate, requireRole, REWORK_ROLES } from "./station-shared";

export type RemoveCommand = {
  requestId: string;
  /** The genealogy edge of the installed component. */
  edgeId: string;
  reason: string;
  destination: RemovalDestination;
  /** A location of the destination's kind; by default the site's first one. */
  locationId?: string | null;
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
  };
}
