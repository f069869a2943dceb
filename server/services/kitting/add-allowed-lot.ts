import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { writeAudit } from "@/server/repos/audit";
import { readScan } from "@/server/domain/kitting/kit-rules";
import type { BomLineSnapshot } from "@/server/domain/kitting/pick-list";
import { findLot, findScannedItems, insertAllowedLot, loadBomLines, lockWorkOrder } from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { findRequest } from "@/server/repos/request-log";
import { allowedLotContent } from "@/server/domain/quality/rule-signatures";
import { reauthenticateSigner, writeSignature, type SignatureMethod, type SigningContext } from "@/server/services/quality/sign-record";

export type AddAllowedLotCommand = {
  requestId: string;
  workOrderId: string;
  bomLineId?: string | null;
  /** the lot, by id (picked from a list) ... */
  lotId?: string | null;
  /** ... or as scanned or typed (lot number or lot label), read by the one scan parser */
  lot?: string | null;
  reason: string;
  /** a rule change is signed (issue 19, Must 5): meaning "approval", bound to the entry */
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

/**
 * Quality restricts a work order (or one of its BOM lines) to named lots: once a part revision of the order has
 * entries, only those lots may be kitted or consumed for it. The entry is signed by the quality engineer
 * (re-authenticated), bound to its content.
 */
export async function addAllowedLot(db: DbOrTx, actor: Actor, cmd: AddAllowedLotCommand, ctx: SigningContext): Promise<{ allowedLotId: string; lotNumber: string; bomLine: number | null; signatureId: string }> {
  requireRole(actor, ["quality_engineer"], "change allowed-lot lists");
  if (cmd.signature.meaning !== "approval") throw new DomainError("VALIDATION_FAILED", 'A rule change is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  const now = ctx.now;
  // bad input is refused before the signature is asked for (nothing counts as a signing attempt)
  const retry = await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId));
  if (!retry) await db.transaction(async (tx) => plan(tx, actor, cmd, await lockWorkOrder(tx, actor.siteId, cmd.workOrderId), now));
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "allowed_lot", recordId: null }, ctx);
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    const wo = await lockWorkOrder(tx, siteId, cmd.workOrderId);
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.addAllowedLot", payload: { ...cmd, signature: { method: cmd.signature.method } }, now }, async () => {
      const { line, lot, reason, wo: order } = await plan(tx, actor, cmd, wo, now);
      const allowedLotId = await insertAllowedLot(tx, {
        siteId,
        workOrderId: order.id,
        workOrderBomLineId: line?.id ?? null,
        partRevisionId: lot.partRevisionId,
        lotId: lot.id,
        reason,
        addedBy: actor.userId,
        addedAt: now,
      });
      const record = { siteId, id: allowedLotId, workOrderId: order.id, workOrderBomLineId: line?.id ?? null, partRevisionId: lot.partRevisionId, lotId: lot.id, reason, addedBy: actor.userId, addedAt: now, removedBy: null, removedAt: null };
      const signature = await writeSignature(tx, actor, signer, { recordType: "allowed_lot", recordId: allowedLotId, content: allowedLotContent(record, "added") }, now);
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "allowed_lot.add",
        entity: "work_order",
        entityId: order.id,
        newValue: { allowedLotId, workOrder: order.number, lot: lot.lotNumber, bomLine: line?.findNumber ?? null, signatureId: signature.id },
        reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { allowedLotId, lotNumber: lot.lotNumber, bomLine: line?.findNumber ?? null, signatureId: signature.id };
    });
  });
}

async function plan(tx: Tx, actor: Actor, cmd: AddAllowedLotCommand, wo: Awaited<ReturnType<typeof lockWorkOrder>>, now: Date) {
  const siteId = actor.siteId;
  if (!wo) throw new DomainError("NOT_FOUND", "That work order does not exist at this site.", { workOrderId: cmd.workOrderId });
  const reason = cmd.reason.trim();
  if (reason.length < 3) throw new DomainError("VALIDATION_FAILED", "Say why only these lots may be used.", { field: "reason" });
  const lines = await loadBomLines(tx, siteId, wo.id);
  const line = cmd.bomLineId ? lines.find((l) => l.id === cmd.bomLineId) : undefined;
  if (cmd.bomLineId && !line) throw new DomainError("NOT_FOUND", `That BOM line is not on work order ${wo.number}.`, { bomLineId: cmd.bomLineId });
  const lot = cmd.lotId ? await findLot(tx, siteId, cmd.lotId) : await lotFromScan(tx, siteId, cmd.lot ?? "", line ? [line] : lines, now);
  if (!lot) throw new DomainError("NOT_FOUND", "That lot does not exist at this site.", { lotId: cmd.lotId });
  const fits = line ? line.componentRevisionId === lot.partRevisionId : lines.some((l) => l.componentRevisionId === lot.partRevisionId);
  if (!fits) {
    throw new DomainError("WRONG_PART", `Lot ${lot.lotNumber} is not of a part ${line ? `BOM line ${line.findNumber}` : `work order ${wo.number}`} uses.`, { lotId: lot.id });
  }
  return { wo, line, lot, reason };
}

/** The lot a scan or typed lot number names; of several lots with that number, the one of a part the order (or line) uses. */
async function lotFromScan(tx: Parameters<typeof findScannedItems>[0], siteId: string, scan: string, lines: BomLineSnapshot[], now: Date) {
  if (scan.trim() === "") throw new DomainError("VALIDATION_FAILED", "Scan the lot label or type the lot number.", { field: "lot" });
  const lookup = readScan(scan, now);
  const found = (await findScannedItems(tx, siteId, lookup)).filter((i) => i.kind === "lot" && i.lotId && i.lotNumber && i.partRevisionId);
  const shown = lookup.lot ?? lookup.text ?? scan.trim();
  if (found.length === 0) throw new DomainError("SCAN_NOT_RECOGNISED", `No lot "${shown}" is known at this site. Check the label or the lot number.`, { scanned: shown });
  const fitting = found.filter((i) => lines.some((l) => l.componentRevisionId === i.partRevisionId));
  const pick = fitting[0] ?? found[0]!;
  return { id: pick.lotId!, lotNumber: pick.lotNumber!, partRevisionId: pick.partRevisionId! };
}
