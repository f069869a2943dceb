import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { WipFilters } from "@/server/domain/wip/board";
import { WallBoard } from "./_components/wall-board";

export async function generateMetadata() {
  const t = await getTranslations("wip.wall");
  return { title: t("title") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => {
  const s = (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined)?.trim().slice(0, 100);
  return s ? s : undefined;
};

/** The WIP board for a wall screen: the same live data and filters as /wip, one line at a time, in large type. */
export default async function WallWipPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "wip")) return <ForbiddenNotice siteName={actor.siteName} area="wip" />;
  const sp = await searchParams;
  const status = one(sp.status);
  const filters: WipFilters = {
    line: one(sp.line),
    station: one(sp.station),
    workOrder: one(sp.wo),
    part: one(sp.part),
    status: status === "pending" || status === "in_progress" ? status : undefined,
    blockedOnly: one(sp.blocked) === "1" ? true : undefined,
  };
  const api = await serverCaller(actor);
  const board = await api.wip.board(filters);
  const seconds = Number(one(sp.rotate) ?? "15");
  return <WallBoard filters={filters} initial={board} timeZone={actor.timeZone} siteName={actor.siteName} rotateSeconds={Number.isFinite(seconds) && seconds >= 3 ? Math.min(seconds, 300) : 15} />;
}
