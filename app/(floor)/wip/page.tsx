import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { WipFilters } from "@/server/domain/wip/board";
import { LiveBoard } from "./_components/live-board";

export async function generateMetadata() {
  const t = await getTranslations("wip");
  return { title: t("title") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => {
  const s = typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined;
  const t = s?.trim().slice(0, 100);
  return t ? t : undefined;
};

/** The board's filters from the URL (line, station, wo, part, status, blocked=1, op): bookmarkable and shareable. */
function filtersFrom(sp: Search): WipFilters {
  const status = one(sp.status);
  return {
    line: one(sp.line),
    station: one(sp.station),
    workOrder: one(sp.wo),
    part: one(sp.part),
    status: status === "pending" || status === "in_progress" ? status : undefined,
    blockedOnly: one(sp.blocked) === "1" ? true : undefined,
    operation: one(sp.op),
  };
}

function urlOf(f: WipFilters): string {
  const q = new URLSearchParams();
  if (f.line) q.set("line", f.line);
  if (f.station) q.set("station", f.station);
  if (f.workOrder) q.set("wo", f.workOrder);
  if (f.part) q.set("part", f.part);
  if (f.status) q.set("status", f.status);
  if (f.blockedOnly) q.set("blocked", "1");
  return q.toString();
}

const field = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-2 text-base";

export default async function WipBoardPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "wip")) return <ForbiddenNotice siteName={actor.siteName} area="wip" />;
  const t = await getTranslations("wip");
  const filters = filtersFrom(await searchParams);
  const api = await serverCaller(actor);
  const board = await api.wip.board(filters);
  const o = board.options;
  const base = urlOf(filters);

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { site: actor.siteName })}
        actions={
          <ButtonLink href={`/wall/wip${base ? `?${base}` : ""}`} size="lg">
            {t("wallScreen")}
          </ButtonLink>
        }
      />
      <form method="get" action="/wip" role="search" aria-label={t("filters.region")} className="mb-5 flex flex-wrap items-end gap-3">
        <Select name="line" label={t("filters.line")} all={t("filters.all")} value={filters.line} options={o.lines.map((l) => [l.code, t("filters.lineOption", { code: l.code, name: l.name })])} />
        <Select name="station" label={t("filters.station")} all={t("filters.all")} value={filters.station} options={o.stations.map((s) => [s.code, s.code])} />
        <Select name="wo" label={t("filters.workOrder")} all={t("filters.all")} value={filters.workOrder} options={o.workOrders.map((w) => [w, w])} />
        <Select name="part" label={t("filters.part")} all={t("filters.all")} value={filters.part} options={o.parts.map((p) => [p, p])} />
        <Select
          name="status"
          label={t("filters.status")}
          all={t("filters.all")}
          value={filters.status}
          options={[
            ["in_progress", t("filters.inProgress")],
            ["pending", t("filters.waiting")],
          ]}
        />
        {filters.operation ? <input type="hidden" name="op" value={filters.operation} /> : null}
        <label className="flex min-h-12 items-center gap-2 text-base font-semibold">
          <input type="checkbox" name="blocked" value="1" defaultChecked={filters.blockedOnly ?? false} className="h-6 w-6" />
          {t("filters.blockedOnly")}
        </label>
        <button type="submit" className="min-h-12 rounded-md bg-blue-800 px-4 text-base font-semibold text-white">
          {t("filters.apply")}
        </button>
        {base || filters.operation ? (
          <Link href="/wip" className="inline-flex min-h-12 items-center text-blue-800 underline">
            {t("filters.clear")}
          </Link>
        ) : null}
      </form>
      {filters.operation ? (
        <p className="mb-3">
          {t.rich("operationOnly", { operation: filters.operation, strong: (chunks) => <strong>{chunks}</strong> })}{" "}
          <Link href={`/wip${base ? `?${base}` : ""}`} className="text-blue-800 underline">
            {t("allOperations")}
          </Link>
        </p>
      ) : null}
      <LiveBoard filters={filters} initial={board} timeZone={actor.timeZone} siteName={actor.siteName} moreBase={base} />
    </>
  );
}

function Select({ name, label, all, value, options }: { name: string; label: string; all: string; value: string | undefined; options: [string, string][] }) {
  const known = value === undefined || options.some(([v]) => v === value);
  return (
    <div>
      <label htmlFor={`f-${name}`} className="mb-1 block text-sm font-semibold">
        {label}
      </label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""} className={field}>
        <option value="">{all}</option>
        {known ? null : <option value={value}>{value}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
