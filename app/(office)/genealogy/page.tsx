import type { Metadata } from "next";
import Link from "next/link";
import { AsBuiltTree } from "@/components/genealogy/as-built-tree";
import { RecentInstallsTable } from "@/components/genealogy/recent-installs-table";
import { PartRev } from "@/components/inventory/lot-badge";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { Actor } from "@/server/auth/types";

export const metadata: Metadata = { title: "Genealogy" };

type Search = Record<string, string | string[] | undefined>;
type Api = Awaited<ReturnType<typeof serverCaller>>;

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

export default async function GenealogyPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "genealogy")) return <ForbiddenNotice siteName={actor.siteName} area="genealogy" />;
  const api = await serverCaller(actor);
  const serial = (one(sp.serial) ?? "").trim().slice(0, 100);
  const item = one(sp.item);
  const levels = one(sp.levels) === "one" ? "one" : "all";

  return (
    <>
      <PageHeader title="Genealogy" description={`What went into a unit at ${actor.siteName}: every component, lot and serial, by operation, operator and station.`} />
      <form method="get" action="/genealogy" role="search" className="mb-5 flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="serial" className="mb-1 block text-sm font-semibold">
            Unit serial
          </label>
          <input
            id="serial"
            name="serial"
            defaultValue={serial}
            required
            maxLength={100}
            autoComplete="off"
            spellCheck={false}
            placeholder="Scan or type a serial"
            className="min-h-10 w-72 rounded-md border-2 border-slate-400 bg-white px-3 font-mono focus:border-blue-600 focus:outline-none"
          />
        </div>
        <Button type="submit">Show as-built</Button>
      </form>
      {item ? (
        <ItemAsBuilt api={api} actor={actor} serialItemId={item} levels={levels} />
      ) : serial ? (
        <SerialSearch api={api} actor={actor} serial={serial} levels={levels} />
      ) : (
        <RecentInstalls api={api} actor={actor} />
      )}
    </>
  );
}

async function SerialSearch({ api, actor, serial, levels }: { api: Api; actor: Actor; serial: string; levels: "one" | "all" }) {
  const matches = await api.genealogy.findSerial({ serial });
  if (matches.length === 0) {
    return (
      <EmptyState title={`No serial "${serial}" was found at ${actor.siteName}.`}>
        Check the number (serials are matched exactly) or scan the label again. Serials of other sites are not shown here.
      </EmptyState>
    );
  }
  if (matches.length === 1) return <ItemAsBuilt api={api} actor={actor} serialItemId={matches[0]!.serialItemId} levels={levels} />;
  return (
    <Card labelledBy="matches-heading">
      <CardHeader id="matches-heading" title={`${matches.length} parts carry serial ${serial}`} description="Pick the one you mean." />
      <CardBody>
        <ul className="divide-y divide-slate-200">
          {matches.map((m) => (
            <li key={m.serialItemId} className="py-2">
              <Link href={`/genealogy?item=${m.serialItemId}`} className="text-blue-800 underline">
                <PartRev partNumber={m.partNumber} revision={m.revision} /> serial <span className="font-mono">{m.serialNumber}</span>
              </Link>
              {m.workOrderNumber ? <span className="ml-2 text-sm text-slate-700">work order {m.workOrderNumber}</span> : null}
            </li>
          ))}
        </ul>
      </CardBody>
    </Card>
  );
}

async function ItemAsBuilt({ api, actor, serialItemId, levels }: { api: Api; actor: Actor; serialItemId: string; levels: "one" | "all" }) {
  const data = looksLikeId(serialItemId) ? await orNotFound(api.genealogy.asBuilt({ serialItemId, levels })) : null;
  if (!data) {
    return (
      <EmptyState title={`That serial was not found at ${actor.siteName}.`}>
        Search by the serial printed on the unit. Serials of other sites are not shown here.
      </EmptyState>
    );
  }
  const { item, tree } = data;
  const current = tree.nodes.filter((n) => !n.removed).length;
  const removed = tree.nodes.length - current;
  const base = `/genealogy?item=${item.serialItemId}`;
  return (
    <Card labelledBy="as-built-heading">
      <CardHeader
        id="as-built-heading"
        title={
          <>
            As-built of <span className="font-mono">{item.serialNumber}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <PartRev partNumber={item.partNumber} revision={item.revision} description={item.description} />
            {item.workOrderNumber ? <span>· work order {item.workOrderNumber}</span> : null}
            {item.unitStatus ? <StatusBadge status={item.unitStatus} /> : <Badge>Bought-in serial</Badge>}
          </span>
        }
        actions={
          <nav aria-label="Levels" className="flex gap-1 text-sm">
            <Link href={`${base}&levels=one`} aria-current={levels === "one" ? "page" : undefined} className={levels === "one" ? "rounded bg-slate-900 px-2 py-1 text-white" : "rounded px-2 py-1 underline"}>
              One level
            </Link>
            <Link href={`${base}&levels=all`} aria-current={levels === "all" ? "page" : undefined} className={levels === "all" ? "rounded bg-slate-900 px-2 py-1 text-white" : "rounded px-2 py-1 underline"}>
              All levels
            </Link>
          </nav>
        }
      />
      <CardBody>
        {tree.nodes.length === 0 ? (
          <EmptyState title="Nothing has been installed in this serial yet">
            Components appear here as operators install them at the stations, with who, where and when.
          </EmptyState>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-700">
              {current} component record{current === 1 ? "" : "s"} installed{removed > 0 ? `, ${removed} removed in rework (shown struck through)` : ""}.
            </p>
            <AsBuiltTree nodes={tree.nodes} timeZone={actor.timeZone} />
            {tree.truncated ? (
              <p role="note" className="mt-3 rounded border border-amber-600 bg-amber-50 px-3 py-2 text-sm font-semibold text-amber-900">
                The tree is deeper than {tree.maxDepth} levels and is cut there. Open a sub-assembly serial to see what lies below it.
              </p>
            ) : null}
          </>
        )}
      </CardBody>
    </Card>
  );
}

async function RecentInstalls({ api, actor }: { api: Api; actor: Actor }) {
  const installs = await api.genealogy.recentInstalls({ limit: 20 });
  return (
    <Card labelledBy="recent-heading">
      <CardHeader id="recent-heading" title="Recent installs" description="The latest components installed into units at this site. Search a serial above for its full as-built." />
      <CardBody>
        <RecentInstallsTable installs={installs} timeZone={actor.timeZone} />
      </CardBody>
    </Card>
  );
}
