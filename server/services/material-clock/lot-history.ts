import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { clockView, type ClockView } from "@/server/domain/material-clock/material-clock";
import { findLots, type LotFacts } from "@/server/repos/lot-history";
import { listClockEvents, type ClockEventRow } from "@/server/repos/material-clock";
import { lotMixes, type LotMixRow } from "@/server/repos/mixing";

export type LotHistory = Omit<LotFacts, "clock"> & {
  clock: ClockView | null;
  /** the clock history, oldest first: check-outs, check-ins, mixes, shelf-life extensions */
  events: ClockEventRow[];
  /** what the lot was mixed from, and the lots mixed from it */
  mixedFrom: LotMixRow[];
  mixedInto: LotMixRow[];
};

/** The lots of this site with this number, each with its clocks at `now`, its clock history and its mixes. */
export async function readLotHistory(db: DbOrTx, actor: Actor, q: { lotNumber: string }, now: Date): Promise<LotHistory[]> {
  const lots = await findLots(db, actor.siteId, { lotNumber: q.lotNumber });
  return Promise.all(
    lots.map(async (l) => {
      const [events, mixes] = await Promise.all([listClockEvents(db, actor.siteId, l.lotId), lotMixes(db, actor.siteId, l.lotId)]);
      return { ...l, clock: l.clock ? clockView(l.clock.clock, l.clock.policy, now) : null, events, mixedFrom: mixes.inputs, mixedInto: mixes.children };
    }),
  );
}
