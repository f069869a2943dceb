import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { DISPOSITION_WORDS, ncrNumber, type Disposition } from "@/server/domain/quality/nonconformance";
import { ncrWithdrawalContent, type NcrWithdrawalRecord } from "@/server/domain/quality/rule-signatures";
import { requireReasonText } from "@/server/domain/station/station-rules";
import { writeAudit } from "@/server/repos/audit";
import { commitSideTime } from "@/server/repos/hold-locks";
import { findNcrRow, lockNcr, siteMrbRoles, type NcrRow } from "@/server/repos/nonconformance";
import { signaturesOf } from "@/server/repos/quality-holds";
import { findRequest } from "@/server/repos/request-log";
import { insertNcrWithdrawal, reopenNcr, withdrawalsOf } from "@/server/repos/rule-signatures";
import { idempotent } from "@/server/services/shared/idempotent";
import { reauthenticateSigner, verifySignature, writeSignature, type SignatureMethod, type SignatureView, type SigningContext } from "./sign-record";

/*
 * Withdrawing a proposed MRB disposition (issue 19): before every role of the site's board has signed, a member of the
 * board (or a quality engineer) withdraws the proposal, with a reason and their signature (meaning "responsibility",
 * bound to the withdrawal: the proposal as it was and who withdrew it, when, why). The report goes back to open in its
 * next review round: the sign-offs of the withdrawn round stay as evidence and no longer count; the item stays held
 * (nothing was carried out). Audited.
 */

export type WithdrawDispositionCommand = { requestId: string; ncrId: string; reason: string; signature: { method: SignatureMethod; secret: string; meaning: string } };

const notFound = () => new DomainError("NOT_FOUND", "That nonconformance report does not exist at this site.", { field: "ncrId" });

function judge(actor: Actor, ncr: NcrRow | null, board: readonly string[]): NcrRow {
  if (!ncr) throw notFound();
  if (!actor.roles.some((r) => board.includes(r) || r === "quality_engineer")) {
    throw new DomainError("FORBIDDEN", "Only a member of the review board or a quality engineer withdraws a proposed disposition.", {});
  }
  if (ncr.status !== "pending_signoff") {
    throw new DomainError("NCR_NOT_OPEN", ncr.status === "closed" ? `${ncrNumber(ncr.number)} is closed: its disposition was carried out.` : `${ncrNumber(ncr.number)} has no proposed disposition to withdraw.`, {});
  }
  return ncr;
}

export async function withdrawDisposition(db: DbOrTx, actor: Actor, cmd: WithdrawDispositionCommand, ctx: SigningContext): Promise<{ ncrId: string; number: string; withdrawalId: string; signatureId: string }> {
  if (cmd.signature.meaning !== "responsibility") {
    throw new DomainError("VALIDATION_FAILED", 'A withdrawal is signed with the meaning "responsibility".', { meaning: cmd.signature.meaning });
  }
  const reason = requireReasonText(cmd.reason, "the proposal is withdrawn");
  const board = await siteMrbRoles(db, actor.siteId);
  const retry = await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId));
  if (!retry) judge(actor, await findNcrRow(db, actor.siteId, cmd.ncrId), board);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "responsibility" }, { recordType: "ncr_withdrawal", recordId: cmd.ncrId }, ctx);
  return db.transaction(async (tx) => {
    const locked = await lockNcr(tx, actor.siteId, cmd.ncrId);
    if (!locked) throw notFound();
    return idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.withdrawDisposition", payload: { ...cmd, signature: { method: cmd.signature.method } }, now: ctx.now },
      async () => {
        const ncr = judge(actor, locked, board);
        const now = ctx.recordAt === "commit" ? await commitSideTime(tx) : ctx.now;
        const record: NcrWithdrawalRecord = {
          siteId: actor.siteId,
          id: randomUUID(),
          ncrId: ncr.id,
          round: ncr.mrbRound,
          disposition: ncr.disposition!,
          dispositionReason: ncr.dispositionReason,
          dispositionBy: ncr.dispositionBy,
          dispositionAt: ncr.dispositionAt!,
          reason,
          withdrawnBy: actor.userId,
          withdrawnAt: now,
        };
        const signatureId = randomUUID();
        await writeSignature(tx, actor, signer, { recordType: "ncr_withdrawal", recordId: record.id, content: ncrWithdrawalContent(record) }, now, signatureId);
        await insertNcrWithdrawal(tx, { ...record, signatureId });
        if (!(await reopenNcr(tx, actor.siteId, ncr.id, ncr.mrbRound))) throw new DomainError("NCR_NOT_OPEN", `${ncrNumber(ncr.number)} changed meanwhile: reload it.`, {});
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: "mrb_disposition_withdrawn",
          entity: "ncr",
          entityId: ncr.id,
          oldValue: { status: ncr.status, disposition: ncr.disposition, round: ncr.mrbRound },
          newValue: { number: ncrNumber(ncr.number), status: "open", round: ncr.mrbRound + 1, withdrawalId: record.id, signatureId },
          reason,
          requestId: cmd.requestId,
          occurredAt: now,
        });
        return { ncrId: ncr.id, number: ncrNumber(ncr.number), withdrawalId: record.id, signatureId };
      },
    );
  });
}

export type WithdrawalView = {
  id: string;
  round: number;
  disposition: Disposition;
  dispositionText: string;
  reason: string;
  withdrawnByName: string;
  withdrawnAt: Date;
  signature: SignatureView | null;
};

/** The NCR's withdrawn proposals, each with its signature verified against the withdrawal as it is now. */
export async function ncrWithdrawals(db: DbOrTx, actor: Actor, ncrId: string): Promise<WithdrawalView[]> {
  const rows = await withdrawalsOf(db, actor.siteId, ncrId);
  const sigs = await signaturesOf(db, actor.siteId, "ncr_withdrawal", rows.map((r) => r.row.id));
  return rows.map(({ row, withdrawnByName }) => {
    const sig = sigs.find((g) => g.id === row.signatureId);
    return {
      id: row.id,
      round: row.round,
      disposition: row.disposition as Disposition,
      dispositionText: DISPOSITION_WORDS[row.disposition as Disposition] ?? row.disposition,
      reason: row.reason,
      withdrawnByName,
      withdrawnAt: row.withdrawnAt,
      signature: sig ? verifySignature(sig, ncrWithdrawalContent(row)) : null,
    };
  });
}
