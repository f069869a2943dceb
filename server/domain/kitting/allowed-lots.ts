import { allowedLotsFor } from "./lot-rules";

/**
 * Per part revision of the lines: the lots named on the allowed-lot lists that apply to its lines, and whether every
 * line of the revision is restricted (then only those lots are suggested; the pick-time check still refuses the rest).
 */
export function allowedInForce(
  lines: { bomLineId: string; partRevisionId: string }[],
  entries: { workOrderBomLineId: string | null; partRevisionId: string; lotId: string }[],
): { partRevisionId: string; lotIds: string[]; restricted: boolean }[] {
  if (entries.length === 0) return [];
  const byRevision = new Map<string, { lotIds: Set<string>; restricted: boolean }>();
  for (const line of lines) {
    const list = allowedLotsFor(line, entries);
    const r = byRevision.get(line.partRevisionId) ?? { lotIds: new Set<string>(), restricted: true };
    if (list === null) r.restricted = false;
    else for (const id of list) r.lotIds.add(id);
    byRevision.set(line.partRevisionId, r);
  }
  return [...byRevision]
    .filter(([, r]) => r.lotIds.size > 0)
    .map(([partRevisionId, r]) => ({ partRevisionId, lotIds: [...r.lotIds].sort(), restricted: r.restricted }));
}
