import type { Metadata } from "next";
import Link from "next/link";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { WipFilters } from "@/server/domain/wip/board";
import { LiveBoard } from "./_components/live-board";

export const metadata: Metadata = { title: "WIP board" };

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
  const filters = filtersFrom(await searchParams);
  const api = await serverCaller(actor);
  const board = await api.wip.board(filters);
  const o = board.options;
  const base = urlOf(filters);

  return (
    <>
      <PageHeader
        title="WIP board"
        description={`Every unit in work at ${actor.siteName}, by line and operation: where it is, for how long, and what blocks it. Updates by itself.`}
        actions={
          <ButtonLink href={`/wall/wip${base ? `?${base}` : ""}`} size="lg">
            Wall screen
          </ButtonLink>
        }
      />
      <form method="get" action="/wip" role="search" aria-label="Filter the board" className="mb-5 flex flex-wrap items-end gap-3">
        <Select name="line" label="Line" value={filters.line} options={o.lines.map((l) => [l.code, `${l.code} · ${l.name}`])} />
        <Select name="station" label="Station" value={filters.station} options={o.stations.map((s) => [s.code, s.code])} />
        <Select name="wo" label="Work order" value={filters.workOrder} options={o.workOrders.map((w) => [w, w])} />
        <Select name="part" label="Part" value={filters.part} options={o.parts.map((p) => [p, p])} />
        <Select
          name="status"
          label="Status"
          value={filters.status}
          options={[
            ["in_progress", "In progress"],
            ["pending", "Waiting"],
          ]}
        />
        {filters.operation ? <input type="hidden" name="op" value={filters.operation} /> : null}
        <label className="flex min-h-12 items-center gap-2 text-base font-semibold">
          <input type="checkbox" name="blocked" value="1" defaultChecked={filters.blockedOnly ?? false} className="h-6 w-6" />
          Blocked only
        </label>
        <button type="submit" className="min-h-12 rounded-md bg-blue-800 px-4 text-base font-semibold text-white">
          Apply filters
        </button>
        {base || filters.operation ? (
          <Link href="/wip" className="inline-flex min-h-12 items-center text-blue-800 underline">
            Clear filters
          </Link>
        ) : null}
      </form>
      {filters.operation ? (
        <p className="mb-3">
          Showing operation <strong>{filters.operation}</strong> only.{" "}
          <Link href={`/wip${base ? `?${base}` : ""}`} className="text-blue-800 underline">
            All operations
          </Link>
        </p>
      ) : null}
      <LiveBoard filters={filters} initial={board} timeZone={actor.timeZone} siteName={actor.siteName} moreBase={base} />
    </>
  );
}

function Select({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: [string, string][] }) {
  const known = value === undefined || options.some(([v]) => v === value);
  return (
    <div>
      <label htmlFor={`f-${name}`} className="mb-1 block text-sm font-semibold">
        {label}
      </label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""} className={field}>
        <option value="">All</option>
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
