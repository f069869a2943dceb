/**
 * Operator qualifications (special processes: crimping, sealing, torque, bonding): an operation may require skills;
 * the operator must hold each one, current (qualified, not expired, not revoked) at the moment of the work. Used by
 * the station before an install and before a completion. Pure: time and the site's zone are passed in.
 */
import { DomainError } from "../shared/errors";
import { localDate } from "../kitting/dates";

export type HeldQualification = { skillCode: string; skillName: string; qualifiedAt: Date; expiresAt: Date | null; revokedAt: Date | null };

export type QualificationGap = { skill: string; why: "missing" | "expired" | "revoked" | "not_yet_valid"; at?: string };

export function qualificationGaps(required: readonly string[], held: readonly HeldQualification[], now: Date, timeZone: string): QualificationGap[] {
  const gaps: QualificationGap[] = [];
  for (const skill of [...new Set(required)]) {
    const q = held.find((h) => h.skillCode === skill);
    if (!q) gaps.push({ skill, why: "missing" });
    else if (q.revokedAt && q.revokedAt <= now) gaps.push({ skill, why: "revoked", at: localDate(q.revokedAt, timeZone) });
    else if (q.qualifiedAt > now) gaps.push({ skill, why: "not_yet_valid", at: localDate(q.qualifiedAt, timeZone) });
    else if (q.expiresAt && q.expiresAt <= now) gaps.push({ skill, why: "expired", at: localDate(q.expiresAt, timeZone) });
  }
  return gaps;
}

const words = (g: QualificationGap) =>
  g.why === "missing"
    ? `no qualification in ${g.skill}`
    : g.why === "expired"
      ? `the qualification in ${g.skill} expired on ${g.at}`
      : g.why === "revoked"
        ? `the qualification in ${g.skill} was withdrawn on ${g.at}`
        : `the qualification in ${g.skill} is valid only from ${g.at}`;

/** Refuses (OPERATOR_NOT_QUALIFIED) naming each missing, expired or withdrawn skill. */
export function assertQualified(
  operator: { name: string },
  operation: { seq: number; code: string; requiredSkills: readonly string[] },
  held: readonly HeldQualification[],
  now: Date,
  timeZone: string,
): void {
  const gaps = qualificationGaps(operation.requiredSkills, held, now, timeZone);
  if (gaps.length === 0) return;
  throw new DomainError(
    "OPERATOR_NOT_QUALIFIED",
    `${operator.name} is not qualified for operation ${operation.seq} (${operation.code}): ${gaps.map(words).join("; ")}.`,
    { operationSeq: operation.seq, gaps },
  );
}

export type QualificationStatus = "current" | "expired" | "withdrawn" | "not_yet_valid";

/** Where one qualification stands at `now` (for screens; the station uses qualificationGaps). */
export function qualificationStatus(q: Pick<HeldQualification, "qualifiedAt" | "expiresAt" | "revokedAt">, now: Date): QualificationStatus {
  if (q.revokedAt && q.revokedAt <= now) return "withdrawn";
  if (q.qualifiedAt > now) return "not_yet_valid";
  if (q.expiresAt && q.expiresAt <= now) return "expired";
  return "current";
}
