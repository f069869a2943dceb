import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate } from "@/server/domain/kitting/dates";
import { goodsMovement } from "@/server/domain/station/station-rules";
import { inspectionOnReceipt, parseTransferNumber } from "@/server/domain/transfers/transfer-rules";
import { parseScan, scanIdentifiers } from "@/server/domain/scan/parse-scan";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { enqueueConfirmation, stableMessageId } from "@/server/repos/station-work";
import { findSite, lockTransferToReceive, markTransferReceived, receiverItem, receivingLocation, virtualLocation, type LockedTransfer } from "@/server/repos/site-transfers";
import { holdOnArrival } from "@/server/repos/enterprise-holds";
import { insertHold } from "@/server/repos/quality-holds";
import { holdSignedContent } from "@/server/domain/quality/signature";
import { confirmHoldStatus } from "@/server/services/quality/hold-status";
import { reauthenticateSigner, writeSignature, type SignatureMethod, type VerifiedSigner } from "@/server/services/quality/sign-record";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { TRANSFER_ROLES } from "./ship-transfer";

export type ReceiveTransferCommand = {
  requestId: string;
  /** what was scanned: the transfer's number (paperwork), or the item's lot or serial label */
  scan: string;
  /** the stores or quarantine location it is put in (default: the first stores location) */
  toLocationId?: string | null;
  /**
   * At a site that re-inspects what arrives from another site (sites.transfer_reinspect): the receiver's signature
   * (password or PIN, meaning "hold") of the on-arrival hold placed on the item. Not needed elsewhere.
   */
  signature?: { method: SignatureMethod; secret: string; meaning: string } | null;
};

export type ReceiveTransferOutcome = {
  transferId: string;
  number: string;
  fromSiteCode: string;
  partNumber: string;
  revision: string;
  itemNumber: string;
  quantity: string;
  uom: string;
  to: string;
  receivedAt: string;
  /** the inspection status it has here: carried from the sender, or pending when this site re-inspects */
  inspectionStatus: string;
  /** enterprise holds that hold it here from its arrival (their reasons) */
  heldOnArrival: string[];
  /** the signed on-arrival hold placed because this site re-inspects transferred material (released like any hold), or null */
  arrivalHoldId: string | null;
};

/** The transfer number or item number a scan carries (a GS1 / MH10 / ATA label gives its lot or serial). */
function scannedKey(scan: string, now: Date): string {
  const text = scan.trim();
  if (!text) throw new DomainError("VALIDATION_FAILED", "Scan the transfer's paperwork or the item's label.", { field: "scan" });
  const number = parseTransferNumber(text);
  if (number) return number;
  const parsed = parseScan(text, { today: now });
  const ids = scanIdentifiers(parsed);
  return ids.serial ?? ids.lot ?? ids.uii ?? ids.text ?? text;
}

/**
 * Receive a transfer at this site by scan, in one transaction with its request id: the transfer row is locked (a
 * second receipt waits, then finds it received: TRANSFER_ALREADY_RECEIVED), this site gets its row of the item (the
 * same lot or serial number, part revision, manufacturer, supplier lot, expiry, certificate and UII; inspection carried
 * or pending per this site's setting), two movements (the sender's in transit -> other sites, this site's other sites
 * -> the receiving location), enterprise holds on the item take effect here, an audit row, and ERP gets the receipt at
 * this plant (305). The sender's 303 was written when it shipped: each plant is confirmed once.
 */
export async function receiveTransfer(db: DbOrTx, actor: Actor, cmd: ReceiveTransferCommand, now: Date, ctx: { clientKey: string } = { clientKey: "service" }): Promise<ReceiveTransferOutcome> {
  requireRole(actor, TRANSFER_ROLES, "receive material from another site");
  const key = scannedKey(cmd.scan, now);
  // A site that re-inspects transferred material holds it on arrival, signed by the receiver (re-authenticated before
  // the transaction, as every signature).
  const reinspect = (await findSite(db, actor.siteId))?.transferReinspect ?? false;
  let signer: VerifiedSigner | null = null;
  if (reinspect) {
    if (!cmd.signature) {
      throw new DomainError(
        "VALIDATION_FAILED",
        `${actor.siteName} re-inspects material received from another site: sign its on-arrival hold with your password or PIN.`,
        { field: "signature", reinspect: true },
        { key: "arrivalHoldSignature", values: { site: actor.siteName } },
      );
    }
    if (cmd.signature.meaning !== "hold") throw new DomainError("VALIDATION_FAILED", 'The on-arrival hold is signed with the meaning "hold".', { meaning: cmd.signature.meaning });
    signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "hold" }, { recordType: "hold", recordId: null }, { now, clientKey: ctx.clientKey });
  }
  return db.transaction(async (tx) => {
    const { transfer, ambiguous } = await lockTransferToReceive(tx, actor.siteId, key);
    if (ambiguous.length > 0) {
      throw new DomainError("VALIDATION_FAILED", `${key} is on several transfers to ${actor.siteName} (${ambiguous.join(", ")}): scan the transfer's paperwork instead.`, {
        field: "scan",
        transfers: ambiguous,
      });
    }
    if (!transfer) throw new DomainError("NOT_FOUND", `No transfer to ${actor.siteName} in transit matches ${key}.`, { field: "scan" });
    return idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "transfers.receive", payload: { transfer: transfer.number, toLocationId: cmd.toLocationId ?? null }, now },
      () => receive(tx, actor, cmd, transfer, now, signer),
    );
  });
}

async function receive(tx: Tx, actor: Actor, cmd: ReceiveTransferCommand, t: LockedTransfer, now: Date, signer: VerifiedSigner | null): Promise<ReceiveTransferOutcome> {
  const siteId = actor.siteId;
  if (t.status === "received") {
    throw new DomainError("TRANSFER_ALREADY_RECEIVED", `Transfer ${t.number} was already received here${t.toLocationCode ? ` (into ${t.toLocationCode})` : ""}.`, {
      transfer: t.number,
    });
  }
  const to = await receivingLocation(tx, siteId, cmd.toLocationId ?? null);
  if (!to) throw new DomainError("VALIDATION_FAILED", "Choose a stores or quarantine location of this site to put it in.", { field: "toLocationId" });
  const here = await findSite(tx, siteId);
  const inspection = inspectionOnReceipt(t.item.inspectionStatus, here!.transferReinspect);
  const mine = await receiverItem(tx, siteId, t, inspection);
  const senderTransit = await virtualLocation(tx, t.fromSiteId, "in_transit");
  const senderOthers = await virtualLocation(tx, t.fromSiteId, "other_sites");
  const others = await virtualLocation(tx, siteId, "other_sites");
  if (!senderTransit || !senderOthers || !others) throw new DomainError("NOT_FOUND", "A site of this transfer has no transfer locations; ask an administrator to set up the site.", {});
  const reason = `Site transfer ${t.number} from ${t.fromSiteCode}`;
  const theirs = { partRevisionId: t.partRevisionId, lotId: t.fromLotId, serialItemId: t.fromSerialItemId };
  const delivered = await postMovement(tx, {
    siteId: t.fromSiteId,
    kind: "site_ship",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason: `Site transfer ${t.number} received at ${actor.siteCode}`,
    reference: { transfer: t.number, toSite: actor.siteCode },
    legs: [
      { ...theirs, locationId: senderTransit.id, quantity: `-${t.quantity}` },
      { ...theirs, locationId: senderOthers.id, quantity: t.quantity },
    ],
  });
  const item = { partRevisionId: t.partRevisionId, lotId: mine.lotId, serialItemId: mine.serialItemId };
  const received = await postMovement(tx, {
    siteId,
    kind: "site_receive",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason,
    reference: { transfer: t.number, fromSite: t.fromSiteCode, to: to.code },
    legs: [
      { ...item, locationId: others.id, quantity: `-${t.quantity}` },
      { ...item, locationId: to.id, quantity: t.quantity },
    ],
  });
  await markTransferReceived(tx, t.id, {
    toLotId: mine.lotId,
    toSerialItemId: mine.serialItemId,
    toLocationId: to.id,
    at: now,
    by: actor.userId,
    receiveMovementId: received.movementId,
    deliveredMovementId: delivered.movementId,
    inspection: mine.inspectionStatus,
  });
  const heldOnArrival = await holdOnArrival(tx, siteId, {
    kind: t.fromLotId ? "lot" : "serial",
    partRevisionId: t.partRevisionId,
    number: t.item.number,
    targetId: (mine.lotId ?? mine.serialItemId)!,
    at: now,
  });
  const arrivalHoldId = signer ? await placeArrivalHold(tx, actor, signer, { transfer: t, kind: t.fromLotId ? "lot" : "serial", targetId: (mine.lotId ?? mine.serialItemId)!, requestId: cmd.requestId, now }) : null;
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "transfers.receive",
    entity: "site_transfer",
    entityId: t.id,
    newValue: {
      number: t.number,
      fromSite: t.fromSiteCode,
      part: t.partNumber,
      item: t.item.number,
      quantity: t.quantity,
      to: to.code,
      inspection: mine.inspectionStatus,
      itemCreated: mine.created,
      movementId: received.movementId,
      heldOnArrival,
      arrivalHoldId,
    },
    reason,
    requestId: cmd.requestId,
    occurredAt: now,
  });
  const moved = { partNumber: t.partNumber, revision: t.revision, lotNumber: t.fromLotId ? t.item.number : null, serialNumber: t.fromSerialItemId ? t.item.number : null, uom: t.uom };
  const payload = goodsMovement("305", moved, {
    plant: here!.erpPlant,
    order: null,
    quantity: t.quantity,
    postingDate: localDate(now, actor.timeZone),
    reference: received.movementId,
    transfer: t.number,
    issuingPlant: t.fromPlant,
    receivingPlant: here!.erpPlant,
  });
  await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "stock_transfer"), type: "stock_transfer", payload, at: now });
  return {
    transferId: t.id,
    number: t.number,
    fromSiteCode: t.fromSiteCode,
    partNumber: t.partNumber,
    revision: t.revision,
    itemNumber: t.item.number,
    quantity: t.quantity,
    uom: t.uom,
    to: to.code,
    receivedAt: now.toISOString(),
    inspectionStatus: mine.inspectionStatus,
    heldOnArrival,
    arrivalHoldId,
  };
}

/**
 * The on-arrival hold of a site that re-inspects transferred material: a hold on this site's row of the item, placed and
 * signed by the receiver (meaning "hold", bound to the hold's content), audited, its status sent to ERP when the
 * registry says so. A quality engineer releases it like any hold (signed, under the site's two-person rule).
 */
async function placeArrivalHold(
  tx: Tx,
  actor: Actor,
  signer: VerifiedSigner,
  a: { transfer: LockedTransfer; kind: "lot" | "serial"; targetId: string; requestId: string; now: Date },
): Promise<string> {
  const t = a.transfer;
  const reason = `Receiving inspection: ${a.kind} ${t.item.number} arrived from ${t.fromSiteCode} by site transfer ${t.number}`;
  const hold = {
    siteId: actor.siteId,
    id: randomUUID(),
    targetType: a.kind,
    targetId: a.targetId,
    reason,
    placedBy: actor.userId,
    placedAt: a.now,
    releasedBy: null,
    releasedAt: null,
    releaseReason: null,
  } as const;
  const signature = await writeSignature(tx, actor, signer, { recordType: "hold", recordId: hold.id, content: holdSignedContent(hold, "hold") }, a.now);
  await insertHold(tx, { ...hold, placedSignatureId: signature.id });
  await writeAudit(tx, {
    siteId: actor.siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "place_hold",
    entity: "hold",
    entityId: hold.id,
    newValue: { targetType: a.kind, targetId: a.targetId, target: `${t.partNumber} ${a.kind} ${t.item.number}`, reason, signatureId: signature.id, transfer: t.number },
    reason,
    requestId: a.requestId,
    occurredAt: a.now,
  });
  await confirmHoldStatus(tx, actor, { action: "placed", holdId: hold.id, targetType: a.kind, targetId: a.targetId, reason }, a.requestId, a.now);
  return hold.id;
}
