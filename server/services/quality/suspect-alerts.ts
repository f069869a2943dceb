import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { holdSignedContent } from "@/server/domain/quality/signature";
import {
  alertHoldReason,
  alertKey,
  alertSignedContent,
  checkAlert,
  dateCodeRangeDays,
  planSuspectAlertImport,
  type AlertInput,
  type SuspectAlertCriteria,
  type SuspectImportProblem,
} from "@/server/domain/suspect-parts/suspect-alerts";
import { writeAudit } from "@/server/repos/audit";
import { lockHoldTargets } from "@/server/repos/hold-locks";
import { insertHold, listHoldsById, signaturesOf } from "@/server/repos/quality-holds";
import {
  existingAlerts,
  findAlert,
  findSuspectMatches,
  holdsOfAlert,
  insertAlert,
  linkAlertHolds,
  listAlerts,
  unitsContainingAlertItems,
  type SuspectMatch,
} from "@/server/repos/suspect-alerts";
import { idempotent } from "@/server/services/shared/idempotent";
import { timeRecorded } from "@/server/services/shared/recorded-time";
import { confirmHoldStatus } from "./hold-status";
import { withSignatures, type HoldView } from "./hold-views";
import { requireQualityEngineer } from "./place-hold";
import { reauthenticateSigner, verifySignature, writeSignatures, type SignatureMethod, type SignatureView, type SigningContext } from "./sign-record";

/*
 * Suspect-part alerts (counterfeit prevention): quality enters one alert on the screen or imports a GIDEP-style CSV of
 * them. One re-authentication (meaning "hold") signs, in one transaction, each alert record and one hold per matching
 * lot or serial of the site (each hold with its own signature bound to its own content, audit row and, when the
 * registry sends hold status to ERP, confirmation). From the commit on, kitting, stock moves and the station refuse the
 * held material with the alert in the reason. A file with any bad line, or an alert that already exists, writes nothing
 * and names the line. The alert's page lists the holds and the units the held material is installed in now.
 */

type Signature = { method: SignatureMethod; secret: string; meaning: string };

export type SuspectAlertOutcome = {
  alerts: { alertId: string; reference: string; line: number | null; holds: number; items: string[] }[];
  /** holds placed in all */
  holds: number;
};

type Planned = SuspectAlertCriteria & { line: number | null };

/** An alert's criteria as they are matched: the range in days on the site's calendar. */
async function matchesOf(db: DbOrTx, actor: Actor, a: SuspectAlertCriteria): Promise<SuspectMatch[]> {
  const range = a.dateCodeFrom && a.dateCodeTo ? { ...dateCodeRangeDays(a.dateCodeFrom, a.dateCodeTo), timeZone: actor.timeZone } : null;
  return findSuspectMatches(db, actor.siteId, a, range);
}

function lineWords(line: number | null): string {
  return line === null ? "This alert" : `Line ${line}`;
}

/** Alerts that already exist: one problem per line, naming when and by whom it was entered. */
async function duplicates(db: DbOrTx, actor: Actor, planned: Planned[]): Promise<SuspectImportProblem[]> {
  const existing = await existingAlerts(db, actor.siteId, planned);
  const keys = new Map(existing.map((e) => [alertKey(e), e]));
  return planned.flatMap((p) => {
    const e = keys.get(alertKey(p));
    return e ? [{ line: p.line ?? 0, column: null, message: `${lineWords(p.line)}: alert ${p.reference} with these criteria already exists (entered ${e.createdAt.toISOString().slice(0, 10)}).` }] : [];
  });
}

function refuse(problems: SuspectImportProblem[], what: "file" | "alert"): never {
  const n = problems.length;
  throw new DomainError(
    "VALIDATION_FAILED",
    what === "file"
      ? `The file was not imported: ${n} problem${n === 1 ? "" : "s"} to correct (nothing was written). ${problems[0] ? `${problems[0].line ? `Line ${problems[0].line}: ` : ""}${problems[0].message}` : ""}`.trim()
      : (problems[0]?.message ?? "Correct the alert."),
    { problems },
  );
}

async function placeAlerts(db: DbOrTx, actor: Actor, planned: Planned[], source: "entered" | "imported", cmd: { requestId: string; signature: Signature; payload: unknown }, ctx: SigningContext): Promise<SuspectAlertOutcome> {
  if (cmd.signature.meaning !== "hold") {
    throw new DomainError("VALIDATION_FAILED", 'A suspect-part alert places holds: it is signed with the meaning "hold".', { meaning: cmd.signature.meaning });
  }
  const dup = await duplicates(db, actor, planned);
  if (dup.length > 0) refuse(dup, source === "imported" ? "file" : "alert");
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "hold" }, { recordType: "suspect_alert", recordId: null }, ctx);
  return db.transaction(async (tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: `quality.suspectAlert.${source}`, payload: cmd.payload, now: ctx.now },
      async (): Promise<SuspectAlertOutcome> => {
        const again = await duplicates(tx, actor, planned);
        if (again.length > 0) refuse(again, source === "imported" ? "file" : "alert");
        const matched = await Promise.all(planned.map((a) => matchesOf(tx, actor, a)));
        const targets = matched.flat().map((m) => ({ targetType: m.kind, targetId: m.id }));
        // installs of the matched material wait for the holds (or committed before): server/repos/hold-locks.ts
        const lockedAt = await lockHoldTargets(tx, actor.siteId, targets);
        const now = timeRecorded(ctx.recordAt ?? ctx.now, lockedAt);
        return writeAlerts(tx, actor, planned, matched, source, signer, cmd.requestId, now);
      },
    ),
  );
}

async function writeAlerts(
  tx: Tx,
  actor: Actor,
  planned: Planned[],
  matched: SuspectMatch[][],
  source: "entered" | "imported",
  signer: Awaited<ReturnType<typeof reauthenticateSigner>>,
  requestId: string,
  now: Date,
): Promise<SuspectAlertOutcome> {
  const alerts = planned.map((a) => ({ ...a, siteId: actor.siteId, id: randomUUID(), createdBy: actor.userId, createdAt: now }));
  const holdsPerAlert = alerts.map((a, i) =>
    matched[i]!.map((m) => ({
      match: m,
      hold: {
        siteId: actor.siteId,
        id: randomUUID(),
        targetType: m.kind,
        targetId: m.id,
        reason: alertHoldReason(a),
        placedBy: actor.userId,
        placedAt: now,
        releasedBy: null,
        releasedAt: null,
        releaseReason: null,
      },
    })),
  );
  // one re-authentication signs every alert record and every hold, each bound to its own content
  const records = [
    ...alerts.map((a) => ({ recordType: "suspect_alert", recordId: a.id, content: alertSignedContent(a) })),
    ...holdsPerAlert.flat().map(({ hold }) => ({ recordType: "hold", recordId: hold.id, content: holdSignedContent(hold, "hold") })),
  ];
  const signatures = await writeSignatures(tx, actor, signer, records, now);
  const sigOf = new Map(signatures.map((s) => [`${s.recordType}:${s.recordId}`, s.id]));
  const out: SuspectAlertOutcome["alerts"] = [];
  let n = 0;
  for (const [i, a] of alerts.entries()) {
    const signatureId = sigOf.get(`suspect_alert:${a.id}`)!;
    await insertAlert(tx, {
      siteId: a.siteId,
      id: a.id,
      reference: a.reference,
      manufacturerCode: a.manufacturerCode,
      partNumber: a.partNumber,
      lotNumber: a.lotNumber,
      dateCodeFrom: a.dateCodeFrom,
      dateCodeTo: a.dateCodeTo,
      description: a.description,
      source,
      sourceLine: a.line,
      createdBy: a.createdBy,
      createdAt: a.createdAt,
      signatureId,
    });
    const placed = holdsPerAlert[i]!;
    for (const { hold, match } of placed) {
      const holdSignatureId = sigOf.get(`hold:${hold.id}`)!;
      await insertHold(tx, { ...hold, placedSignatureId: holdSignatureId });
      await writeAudit(tx, {
        siteId: actor.siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "place_hold",
        entity: "hold",
        entityId: hold.id,
        newValue: { targetType: hold.targetType, targetId: hold.targetId, target: match.label, reason: hold.reason, signatureId: holdSignatureId, suspectAlertId: a.id },
        reason: hold.reason,
        requestId,
        occurredAt: now,
      });
      await confirmHoldStatus(tx, actor, { action: "placed", holdId: hold.id, targetType: hold.targetType, targetId: hold.targetId, reason: hold.reason }, `${requestId}:${n}`, now);
      n++;
    }
    await linkAlertHolds(tx, actor.siteId, a.id, placed.map((p) => p.hold.id));
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "suspect_alert_created",
      entity: "suspect_alert",
      entityId: a.id,
      newValue: { ...alertSignedContent(a) as Record<string, unknown>, source, line: a.line, signatureId, holds: placed.map((p) => p.hold.id) },
      reason: a.description,
      requestId,
      occurredAt: now,
    });
    out.push({ alertId: a.id, reference: a.reference, line: a.line, holds: placed.length, items: placed.map((p) => p.match.label) });
  }
  return { alerts: out, holds: n };
}

/** Enter one alert on the screen: checked, then signed; refused (nothing written) with the field at fault. */
export async function createSuspectAlert(db: DbOrTx, actor: Actor, cmd: { requestId: string; alert: AlertInput; signature: Signature }, ctx: SigningContext): Promise<SuspectAlertOutcome> {
  requireQualityEngineer(actor);
  const checked = checkAlert(cmd.alert);
  if (!checked.criteria) {
    const first = checked.problems[0]!;
    throw new DomainError("VALIDATION_FAILED", first.message, { field: first.field, problems: checked.problems });
  }
  return placeAlerts(db, actor, [{ ...checked.criteria, line: null }], "entered", { requestId: cmd.requestId, signature: cmd.signature, payload: checked.criteria }, ctx);
}

/** Import a CSV of alerts: every line checked first; any problem refuses the whole file, naming each line. */
export async function importSuspectAlerts(db: DbOrTx, actor: Actor, cmd: { requestId: string; csv: string; signature: Signature }, ctx: SigningContext): Promise<SuspectAlertOutcome> {
  requireQualityEngineer(actor);
  const plan = planSuspectAlertImport(cmd.csv);
  if (plan.problems.length > 0) refuse(plan.problems, "file");
  return placeAlerts(db, actor, plan.rows, "imported", { requestId: cmd.requestId, signature: cmd.signature, payload: { rows: plan.rows } }, ctx);
}

/** What an alert would hold now, without writing anything (the screen's preview before signing). */
export async function previewSuspectAlert(db: DbOrTx, actor: Actor, alert: AlertInput): Promise<{ items: string[] }> {
  const checked = checkAlert(alert);
  if (!checked.criteria) {
    const first = checked.problems[0]!;
    throw new DomainError("VALIDATION_FAILED", first.message, { field: first.field, problems: checked.problems });
  }
  return { items: (await matchesOf(db, actor, checked.criteria)).map((m) => m.label) };
}

export type SuspectAlertView = Awaited<ReturnType<typeof listSuspectAlerts>>[number];

/** The site's alerts, newest first, with their holds (placed, still active) and the units containing held items now. */
export async function listSuspectAlerts(db: DbOrTx, actor: Actor) {
  return listAlerts(db, actor.siteId, 200);
}

export type SuspectAlertDetail = {
  alert: NonNullable<Awaited<ReturnType<typeof findAlert>>> & { signatures: SignatureView[]; tampered: boolean };
  holds: HoldView[];
  units: Awaited<ReturnType<typeof unitsContainingAlertItems>>;
};

/**
 * One alert: its criteria and signature (checked against the record as it is now), every hold it placed with its
 * signatures (INVALID when the hold changed after signing), and the units containing held items now (a page, exact total).
 */
export async function getSuspectAlert(db: DbOrTx, actor: Actor, alertId: string, page: { offset: number; limit: number }): Promise<SuspectAlertDetail> {
  const alert = await findAlert(db, actor.siteId, alertId);
  if (!alert) throw new DomainError("NOT_FOUND", `That alert does not exist at ${actor.siteName}.`);
  const [alertSigs, holdRows, units] = await Promise.all([
    signaturesOf(db, actor.siteId, "suspect_alert", [alert.id]),
    holdsOfAlert(db, actor.siteId, alert.id),
    unitsContainingAlertItems(db, actor.siteId, alert.id, page),
  ]);
  const signatures = alertSigs.map((s) => verifySignature(s, alertSignedContent(alert)));
  const holds = await withSignatures(db, actor.siteId, await listHoldsById(db, actor.siteId, holdRows.map((h) => h.id)));
  return { alert: { ...alert, signatures, tampered: signatures.some((s) => s.status === "invalid") }, holds, units };
}
