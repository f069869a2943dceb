import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { buildPickList, type KitScope, type PickListLine } from "@/server/domain/kitting/pick-list";
import { allowedLotsFor, suggestSources, type Excluded, type Suggestion } from "@/server/domain/kitting/lot-rules";
import { allowedInForce } from "@/server/domain/kitting/allowed-lots";
import { localDate, plannedUseAt } from "@/server/domain/kitting/dates";
import { DomainError } from "@/server/domain/shared/errors";
import { listAllowedLots, loadBomLines, loadCandidates, loadCoverage, loadUnits, type WorkOrderHead } from "@/server/repos/kitting";

/** How many suggested and how many excluded sources a screen shows per line (it says when there are more). */
export const SOURCES_SHOWN = 8;

export type LineSources = { suggested: Suggestion[]; excluded: Excluded[]; moreNotShown: boolean };

/** The pick list of a scope of a work order, from its frozen BOM and what is already kitted or installed. */
export async function computePickList(db: DbOrTx, siteId: string, wo: WorkOrderHead, scope: KitScope, actor: Actor, now: Date): Promise<PickListLine[]> {
  const [bomLines, units, coverage] = await Promise.all([loadBomLines(db, siteId, wo.id), loadUnits(db, siteId, wo.id), loadCoverage(db, siteId, wo.id)]);
  if (scope.kind === "operation" && !bomLines.some((l) => l.operationSeq === scope.operationSeq)) {
    throw new DomainError("NOT_FOUND", `Work order ${wo.number} has no material at operation ${scope.operationSeq}.`, { operationSeq: scope.operationSeq });
  }
  const useAt = plannedUseAt(wo.dueDate, actor.timeZone, now);
  return buildPickList({ scope, bomLines, units, orderQuantity: wo.quantity, plannedUseDate: localDate(useAt, actor.timeZone), coverage });
}

/** Suggested (FEFO) and excluded sources, with reasons, for each line: one candidate query for all of them. */
export async function sourcesForLines(
  db: DbOrTx,
  siteId: string,
  wo: Pick<WorkOrderHead, "id" | "dueDate">,
  lines: { bomLineId: string; partRevisionId: string; minRemainingShelfLifeDays: number | null }[],
  actor: Actor,
  now: Date,
): Promise<Map<string, LineSources>> {
  const useAt = plannedUseAt(wo.dueDate, actor.timeZone, now);
  const revisions = [...new Set(lines.map((l) => l.partRevisionId))];
  const allowed = await listAllowedLots(db, siteId, wo.id);
  const { candidates } = await loadCandidates(db, siteId, {
    partRevisionIds: revisions,
    limitPerRevision: SOURCES_SHOWN,
    flagBefore: useAt,
    allowedLots: allowedInForce(lines, allowed),
  });
  const byRevision = new Map<string, typeof candidates>();
  for (const c of candidates) {
    const list = byRevision.get(c.partRevisionId) ?? [];
    list.push(c);
    byRevision.set(c.partRevisionId, list);
  }
  const out = new Map<string, LineSources>();
  for (const line of lines) {
    const rules = { plannedUseAt: useAt, now, timeZone: actor.timeZone, minRemainingShelfLifeDays: line.minRemainingShelfLifeDays, allowedLotIds: allowedLotsFor(line, allowed) };
    const s = suggestSources(byRevision.get(line.partRevisionId) ?? [], rules);
    out.set(line.bomLineId, {
      suggested: s.suggested.slice(0, SOURCES_SHOWN),
      excluded: s.excluded.slice(0, SOURCES_SHOWN),
      moreNotShown: s.suggested.length > SOURCES_SHOWN || s.excluded.length > SOURCES_SHOWN,
    });
  }
  return out;
}
