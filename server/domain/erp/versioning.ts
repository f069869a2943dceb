/**
 * Invariant 8: per ERP object a version; newer applies, older (or equal) is overtaken. Production-order messages of
 * one order apply strictly in sequence (1, 2, 3...): a gap holds the later message until the gap fills.
 */
export type VersionDecision =
  | { kind: "apply" }
  | { kind: "overtaken"; appliedVersion: number }
  | { kind: "held"; waitingFor: number };

export function decideVersion(incoming: number, applied: number | null, sequential: boolean): VersionDecision {
  const current = applied ?? 0;
  if (incoming <= current) return { kind: "overtaken", appliedVersion: current };
  if (sequential && incoming > current + 1) return { kind: "held", waitingFor: current + 1 };
  return { kind: "apply" };
}

/** Message types whose versions form a sequence per object (the others carry full state: newest wins). */
export const SEQUENTIAL_TYPES = new Set(["production_order"]);

/**
 * A production order versioned by change time (`versionKind: "timestamp"`, e.g. a B2MML OperationsRequest without
 * <Version>) cannot be counted 1, 2, 3: its release applies first, anything else waits for it (held), and after the
 * release a newer change time applies and an older or equal one is overtaken.
 */
export function decideStampedOrder(incoming: number, applied: number | null, isRelease: boolean): VersionDecision {
  if (applied === null) return isRelease ? { kind: "apply" } : { kind: "held", waitingFor: 0 };
  if (incoming <= applied) return { kind: "overtaken", appliedVersion: applied };
  return { kind: "apply" };
}

/**
 * Which held (or dead-lettered while waiting) message of an ordered object applies next once `applied` is the
 * applied version: the next number of a counted sequence, or for change-time versions the oldest one newer than it.
 */
export function nextInSequence<T extends { version: number }>(waiting: readonly T[], applied: number, stamped: boolean): T | undefined {
  if (!stamped) return waiting.find((w) => w.version === applied + 1);
  return [...waiting].filter((w) => w.version > applied).sort((a, b) => a.version - b.version)[0];
}

export type Segment = { index: number; count: number };

/**
 * A BOM sent in segments applies when every segment 1..count of the same version is present, never before
 * (no half-applied BOM). Returns the segments in order, or the missing indexes.
 */
export function assembleSegments<T extends { segment: Segment }>(parts: T[], count: number): { complete: true; ordered: T[] } | { complete: false; missing: number[] } {
  const byIndex = new Map<number, T>();
  for (const p of parts) if (p.segment.count === count && p.segment.index <= count) byIndex.set(p.segment.index, p);
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) return { complete: false, missing };
  return { complete: true, ordered: Array.from({ length: count }, (_, i) => byIndex.get(i + 1)!) };
}

export type Ownership = { owner: "erp" | "traceline"; direction: "erp_to_traceline" | "traceline_to_erp" | "none" };

/**
 * Which attributes of an inbound object ERP may write. Attributes owned by Traceline, or not in the registry at all,
 * are not written; each one is reported as a warning naming its owner. Keys may be camelCase (as in the code); the
 * registry names attributes in snake_case, like the columns.
 */
export function filterErpOwned<T extends Record<string, unknown>>(
  entity: string,
  values: T,
  registry: ReadonlyMap<string, Ownership>,
): { allowed: Partial<T>; warnings: string[] } {
  const allowed: Partial<T> = {};
  const warnings: string[] = [];
  for (const [attribute, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const name = `${entity}.${attribute.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    const row = registry.get(name);
    if (!row) warnings.push(`${name} is not in the ownership registry: ignored`);
    else if (row.owner !== "erp") warnings.push(`${name} is owned by Traceline: ignored`);
    else (allowed as Record<string, unknown>)[attribute] = value;
  }
  return { allowed, warnings };
}
