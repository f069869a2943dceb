import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { verifySecret } from "@/server/auth/passwords";
import { normalizeClientKey } from "@/server/auth/client-key";
import { DomainError } from "@/server/domain/shared/errors";
import {
  ACCOUNT_THROTTLE,
  CLIENT_THROTTLE,
  lockedUntil,
  minutesLeft,
  throttleLookbackMs,
} from "@/server/domain/auth/sign-in-throttle";
import {
  MEANING_DESCRIPTIONS,
  formatSignature,
  signatureStatus,
  type Signable,
  type SignatureMeaning,
  type SignatureStatus,
} from "@/server/domain/quality/signature";
import { writeAudit } from "@/server/repos/audit";
import { findUserById } from "@/server/repos/auth-users";
import { attemptsFor, lockThrottleKeys, markAttemptSucceeded, recordAttempt } from "@/server/repos/sign-in-attempts";
import { insertSignature, type SignatureRow } from "@/server/repos/quality-holds";
import { contentHash } from "./hash";

/*
 * Electronic signatures (invariant 12). Signing is two steps:
 * 1. reauthenticateSigner: the signer re-enters their password (office) or PIN (badge). Each attempt counts against the
 *    same per-account and per-client limits as sign-in (server/domain/auth/sign-in-throttle.ts: 5 failures lock the
 *    account for 15 minutes); a wrong secret is refused (SIGNATURE_REFUSED) and audited, and that is all it writes.
 *    Like sign-in, the attempt is recorded before argon2 runs and no transaction waits on argon2.
 * 2. writeSignature, inside the transaction that writes the record: a signatures row bound to the SHA-256 of the
 *    record's canonical content, with printed name, meaning, time and the site's time zone. Signatures are append-only.
 * verifySignature recomputes the hash from the record as it is now: "invalid" means the record changed after signing.
 */

export type SignatureMethod = "password" | "pin";

export type SignatureCredentials = { method: SignatureMethod; secret: string; meaning: SignatureMeaning };

/**
 * now: the time re-authentication is judged at (throttling), and the time recorded unless recordAt says "commit": then
 * the signature and its record carry the database's clock read inside their transaction after its locks, after the
 * re-authentication (server/services/shared/recorded-time.ts).
 */
export type SigningContext = { now: Date; clientKey: string; recordAt?: "commit" | undefined };

/** Proof that the actor re-authenticated just now: issued only by reauthenticateSigner, usable for one signature. */
export type VerifiedSigner = {
  readonly userId: string;
  readonly printedName: string;
  readonly method: SignatureMethod;
  readonly meaning: SignatureMeaning;
  readonly siteId: string;
};

const issued = new WeakSet<VerifiedSigner>();

const SECRET_WORD: Record<SignatureMethod, string> = { password: "password", pin: "PIN" };
const MAX_SECRET: Record<SignatureMethod, number> = { password: 1024, pin: 64 };

/** What is being signed, for the audit trail of the attempt (the record may not exist yet). */
export type SigningPurpose = { recordType: string; recordId: string | null };

/**
 * Re-authenticate the signed-in user for one signature. Refused: SIGNATURE_REFUSED (wrong or missing secret, no such
 * secret set up, account locked after repeated failures: details.locked), ACCOUNT_DISABLED.
 */
export async function reauthenticateSigner(
  db: DbOrTx,
  actor: Actor,
  creds: SignatureCredentials,
  purpose: SigningPurpose,
  ctx: SigningContext,
): Promise<VerifiedSigner> {
  const word = SECRET_WORD[creds.method];
  if (!creds.secret) throw new DomainError("VALIDATION_FAILED", `Enter your ${word} to sign.`);
  if (creds.secret.length > MAX_SECRET[creds.method]) throw new DomainError("VALIDATION_FAILED", `The ${word} is too long.`);
  const clientKey = normalizeClientKey(ctx.clientKey);
  const now = ctx.now;
  const accountKey = `user:${actor.userId}`;
  const auditBase = {
    siteId: actor.siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    entity: "user",
    entityId: actor.userId,
    occurredAt: now,
  };
  const attemptFacts = { method: creds.method, meaning: creds.meaning, recordType: purpose.recordType, recordId: purpose.recordId, clientKey };

  // 1. Throttle check and provisional failure, under the client and account locks (the same keys sign-in uses).
  type Started = { kind: "refused"; error: DomainError } | { kind: "started"; attemptId: number; hashed: string | null; printedName: string; isActive: boolean };
  const started: Started = await db.transaction(async (tx) => {
    await lockThrottleKeys(tx, [`client:${clientKey}`, `account:${accountKey}`]);
    const user = await findUserById(tx, actor.userId);
    if (!user) return { kind: "refused", error: new DomainError("UNAUTHENTICATED", "Please sign in again.") };
    const lock = await currentLock(tx, accountKey, clientKey, now);
    if (lock) {
      const minutes = minutesLeft(lock.until, now);
      await writeAudit(tx, {
        ...auditBase,
        action: "signature_throttled",
        newValue: { ...attemptFacts, scope: lock.scope, lockedUntil: lock.until.toISOString() },
        reason: lock.scope === "account" ? "account locked after repeated failures" : "device blocked after repeated failures",
      });
      return { kind: "refused", error: lockedError(lock.scope, minutes) };
    }
    const { id } = await recordAttempt(tx, { accountKey, clientKey, succeeded: false, at: now });
    return { kind: "started", attemptId: id, hashed: creds.method === "password" ? user.passwordHash : user.pinHash, printedName: user.displayName, isActive: user.isActive };
  });
  if (started.kind === "refused") throw started.error;

  // 2. Check the secret outside any transaction.
  const ok = started.hashed !== null && (await verifySecret(started.hashed, creds.secret));

  // 3. Confirm the outcome: a failure stays counted and is audited; a success clears the account's failures.
  const outcome = await db.transaction(async (tx): Promise<DomainError | null> => {
    if (!ok) {
      const lock = await currentLock(tx, accountKey, clientKey, now);
      await writeAudit(tx, {
        ...auditBase,
        action: "signature_failed",
        newValue: { ...attemptFacts, ...(lock ? { scope: lock.scope, lockedUntil: lock.until.toISOString() } : {}) },
        reason: started.hashed === null ? `no ${word} set up` : `wrong ${word}`,
      });
      if (lock) return lockedError(lock.scope, minutesLeft(lock.until, now));
      if (started.hashed === null) {
        return new DomainError("SIGNATURE_REFUSED", `You have no ${word} set up: sign with your ${creds.method === "password" ? "PIN" : "password"} instead.`, {
          locked: false,
        });
      }
      return new DomainError("SIGNATURE_REFUSED", `The ${word} is wrong: the record was not signed. After 5 failed attempts your account is locked for 15 minutes.`, {
        locked: false,
      });
    }
    await markAttemptSucceeded(tx, started.attemptId);
    if (!started.isActive) {
      await writeAudit(tx, { ...auditBase, action: "signature_failed", newValue: attemptFacts, reason: "account disabled" });
      return new DomainError("ACCOUNT_DISABLED", "This account is disabled. Ask your supervisor or an administrator.");
    }
    return null;
  });
  if (outcome) throw outcome;
  const signer: VerifiedSigner = { userId: actor.userId, printedName: started.printedName, method: creds.method, meaning: creds.meaning, siteId: actor.siteId };
  issued.add(signer);
  return signer;
}

function lockedError(scope: "account" | "client", minutes: number): DomainError {
  const wait = `Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
  return new DomainError(
    "SIGNATURE_REFUSED",
    scope === "account" ? `Too many failed attempts: your account is locked. ${wait}` : `Too many failed attempts on this device. ${wait}`,
    { locked: true, scope, minutes },
  );
}

async function currentLock(db: DbOrTx, accountKey: string, clientKey: string, now: Date): Promise<{ scope: "client" | "account"; until: Date } | null> {
  const clientSince = new Date(now.getTime() - throttleLookbackMs(CLIENT_THROTTLE));
  const clientUntil = lockedUntil(await attemptsFor(db, { clientKey }, clientSince, now), CLIENT_THROTTLE, now);
  if (clientUntil) return { scope: "client", until: clientUntil };
  const accountSince = new Date(now.getTime() - throttleLookbackMs(ACCOUNT_THROTTLE));
  const accountUntil = lockedUntil(await attemptsFor(db, { accountKey }, accountSince, now), ACCOUNT_THROTTLE, now);
  if (accountUntil) return { scope: "account", until: accountUntil };
  return null;
}

export type SignedRecord = { recordType: string; recordId: string; content: Signable };

/**
 * Write the signature of a record, in the caller's transaction (the one that writes the record), bound to the hash of
 * its canonical content. The VerifiedSigner must come from reauthenticateSigner for the same actor and is used up.
 */
export async function writeSignature(tx: Tx, actor: Actor, signer: VerifiedSigner, record: SignedRecord, now: Date, id: string = randomUUID()): Promise<SignatureRow> {
  useSigner(actor, signer);
  return insertSigned(tx, actor, signer, record, now, id);
}

/**
 * One re-authentication signing several records written in the same transaction (a bulk action the signer confirmed
 * as a whole, e.g. holding every selected unit): one signature per record, each bound to its own content.
 */
export async function writeSignatures(tx: Tx, actor: Actor, signer: VerifiedSigner, records: (SignedRecord & { id?: string })[], now: Date): Promise<SignatureRow[]> {
  useSigner(actor, signer);
  const rows: SignatureRow[] = [];
  for (const r of records) rows.push(await insertSigned(tx, actor, signer, r, now, r.id ?? randomUUID()));
  return rows;
}

/**
 * One re-authentication signing one record at each of several sites, written in the same transaction (an
 * enterprise-wide hold: one hold per site, confirmed as a whole by the signer): each signature is written at its record's
 * site (with that site's time zone) and bound to its own content. Every site must be one of the actor's.
 */
export async function writeSiteSignatures(tx: Tx, actor: Actor, signer: VerifiedSigner, records: (SignedRecord & { id?: string; siteId: string })[], now: Date): Promise<SignatureRow[]> {
  useSigner(actor, signer);
  const rows: SignatureRow[] = [];
  for (const r of records) {
    const site = actor.sites.find((s) => s.id === r.siteId);
    if (!site) throw new DomainError("FORBIDDEN", "You may sign only at your own sites.");
    const at: Actor = { ...actor, siteId: site.id, siteCode: site.code, siteName: site.name, timeZone: site.timeZone, roles: site.roles };
    rows.push(await insertSigned(tx, at, signer, r, now, r.id ?? randomUUID()));
  }
  return rows;
}

function useSigner(actor: Actor, signer: VerifiedSigner): void {
  if (!issued.has(signer) || signer.userId !== actor.userId || signer.siteId !== actor.siteId) {
    throw new DomainError("SIGNATURE_REFUSED", "Sign again: re-enter your password or PIN.", { locked: false });
  }
  issued.delete(signer);
}

async function insertSigned(tx: Tx, actor: Actor, signer: VerifiedSigner, record: SignedRecord, now: Date, id: string): Promise<SignatureRow> {
  const row = await insertSignature(tx, {
    siteId: actor.siteId,
    id,
    signerUserId: signer.userId,
    printedName: signer.printedName,
    meaning: signer.meaning,
    signedAt: now,
    timeZone: actor.timeZone,
    recordType: record.recordType,
    recordId: record.recordId,
    contentHash: contentHash(record.content),
    authMethod: signer.method,
  });
  await writeAudit(tx, {
    siteId: actor.siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "sign",
    entity: "signature",
    entityId: row.id,
    newValue: { recordType: record.recordType, recordId: record.recordId, meaning: row.meaning, contentHash: row.contentHash, authMethod: row.authMethod },
    occurredAt: now,
  });
  return row;
}

export type SignatureView = {
  id: string;
  printedName: string;
  meaning: string;
  meaningDescription: string;
  signedAt: Date;
  timeZone: string;
  authMethod: string;
  /** "Printed Name — meaning — 2026-11-25 10:42 CST (America/Chicago)" */
  display: string;
  status: SignatureStatus;
};

/** Check a signature against its record's current content: "invalid" when the record changed after signing. */
export function verifySignature(signature: SignatureRow, currentContent: Signable): SignatureView {
  const meaning = signature.meaning as SignatureMeaning;
  return {
    id: signature.id,
    printedName: signature.printedName,
    meaning: signature.meaning,
    meaningDescription: MEANING_DESCRIPTIONS[meaning] ?? signature.meaning,
    signedAt: signature.signedAt,
    timeZone: signature.timeZone,
    authMethod: signature.authMethod,
    display: formatSignature(signature),
    status: signatureStatus(signature.contentHash, contentHash(currentContent)),
  };
}
