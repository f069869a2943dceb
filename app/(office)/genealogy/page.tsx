import type { Metadata } from "next";
import Link from "next/link";
import { GenealogyGraph } from "@/components/genealogy/genealogy-graph";
import { ContainmentBanner } from "@/components/genealogy/held-marker";
import { asBuiltGraph } from "@/components/genealogy/graph-model";
import { asBuiltHref, searchHref, whereUsedHref } from "@/components/genealogy/links";
import { RecentInstallsTable } from "@/components/genealogy/recent-installs-table";
import { fromWallTime, toWallTime } from "@/components/genealogy/wall-time";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { StatusBadge, statusLabel } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen, QUALITY_ROLES } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { Actor } from "@/server/auth/types";
import { fateText } from "@/server/domain/production/unit-fate";
import { SCRAP_UNIT_ROLES } from "@/server/api/routers/production";
import { AsBuiltTree } from "./_components/as-built-tree";
import { ScrapUnitForm } from "./_components/scrap-unit-form";
import { InspectorStamps } from "./_components/inspector-stamps";

export const metadata: Metadata = { title: "Genealogy" };

type Search = Record<string, string | string[] | undefined>;
type Api = Awaited<ReturnType<typeof serverCaller>>;
type View = "table" | "graph" | "design";

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);
const ROWS_PER_PAGE = 500;
const GRAPH_CAP = 250;

export default async function GenealogyPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "genealogy")) return <ForbiddenNotice siteName={actor.siteName} area="genealogy" />;
  const api = await serverCaller(actor);
  const q = (one(sp.q) ?? one(sp.serial) ?? "").trim().slice(0, 500);
  const item = one(sp.item);

  return (
    <>
      <PageHeader
        title="Genealogy"
        description={`What went into a unit, and every unit a lot or serial went into, at ${actor.siteName}: by operation, operator, station and time.`}
        actions={actor.roles.includes("enterprise") ? <ButtonLink href="/genealogy/enterprise">Across sites</ButtonLink> : undefined}
      />
      <form method="get" action="/genealogy" role="search" className="mb-5 flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="q" className="mb-1 block text-sm font-semibold">
            Search or scan
          </label>
          <input
            id="q"
            name="q"
            defaultValue={item ? "" : q}
            required
            maxLength={500}
            autoComplete="off"
            spellCheck={false}
            autoFocus={!item}
            placeholder="Serial, lot, supplier lot, part, work order, manufacturer"
            className="min-h-10 w-[28rem] max-w-full rounded-md border-2 border-slate-400 bg-white px-3 font-mono focus:border-blue-600 focus:outline-none"
          />
        </div>
        <Button type="submit">Search</Button>
      </form>
      {item ? (
        <ItemAsBuilt api={api} actor={actor} serialItemId={item} sp={sp} />
      ) : q ? (
        <SearchResults api={api} actor={actor} q={q} />
      ) : (
        <RecentInstalls api={api} actor={actor} />
      )}
    </>
  );
}

const KIND_WORDS: Record<string, string> = {
  unit: "Unit",
  serial: "Serial (bought-in)",
  lot: "Lot",
  supplier_lot: "Supplier lot",
  work_order: "Work order",
  part_revision: "Part revision",
  part: "Part",
  manufacturer: "Manufacturer",
};

async function SearchResults({ api, actor, q }: { api: Api; actor: Actor; q: string }) {
  const r = await api.genealogy.search({ q });
  const woUnits = new Map(
    await Promise.all(r.hits.filter((h) => h.kind === "work_order").map(async (h) => [h.id, await api.genealogy.workOrderUnits({ workOrderId: h.id })] as const)),
  );
  if (r.hits.length === 0) {
    return (
      <Card labelledBy="search-heading">
        <CardHeader id="search-heading" title={`Nothing at ${actor.siteName} matches "${q}"`} description={r.scanError ? `The scan was read as plain text: ${r.scanError}` : undefined} />
        <CardBody>
          {r.suggestions.length > 0 ? (
            <>
              <p className="mb-2 text-sm text-slate-700">Did you mean:</p>
              <ul className="flex flex-wrap gap-2">
                {r.suggestions.map((s) => (
                  <li key={`${s.kind}:${s.text}`}>
                    <Link href={searchHref(s.text)} className="rounded border border-slate-300 px-2 py-1 font-mono text-sm text-blue-800 underline">
                      {s.text}
                    </Link>{" "}
                    <span className="text-xs text-slate-600">{KIND_WORDS[s.kind] ?? s.kind}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <EmptyState title="No close matches either">Check the label and scan again. Objects of other sites are not shown here.</EmptyState>
          )}
        </CardBody>
      </Card>
    );
  }
  return (
    <Card labelledBy="search-heading">
      <CardHeader id="search-heading" title={`${r.hits.length} match${r.hits.length === 1 ? "" : "es"} for "${q}"`} description="Open the as-built of a unit or serial, or trace where material went." />
      <CardBody>
        <Table caption="Search results">
          <THead>
            <Tr>
              <Th>Kind</Th>
              <Th>Identifier</Th>
              <Th>Part / rev</Th>
              <Th>Detail</Th>
              <Th>Status</Th>
              <Th>Open</Th>
            </Tr>
          </THead>
          <TBody>
            {r.hits.map((h) => {
              const wu =
                h.kind === "supplier_lot"
                  ? whereUsedHref({ kind: "supplier_lot", supplierLot: h.id })
                  : h.kind === "unit" || h.kind === "serial"
                    ? whereUsedHref({ kind: "serial", id: h.serialItemId ?? h.id })
                    : h.kind === "lot" || h.kind === "part_revision" || h.kind === "part" || h.kind === "manufacturer"
                      ? whereUsedHref({ kind: h.kind, id: h.id })
                      : null;
              return (
                <Tr key={`${h.kind}:${h.id}`}>
                  <Td>{KIND_WORDS[h.kind] ?? h.kind}</Td>
                  <Td className="font-mono font-semibold">{h.label}</Td>
                  <Td>{h.partNumber ? <PartRev partNumber={h.partNumber} revision={h.revision ?? ""} /> : null}</Td>
                  <Td className="text-slate-700">{h.detail}</Td>
                  <Td>{h.unitStatus ? <StatusBadge status={h.unitStatus} /> : null}</Td>
                  <Td className="space-x-3 whitespace-nowrap">
                    {h.serialItemId ? (
                      <Link href={asBuiltHref(h.serialItemId)} prefetch={false} className="font-semibold text-blue-800 underline">
                        As-built
                      </Link>
                    ) : null}
                    {wu ? (
                      <Link href={wu} prefetch={false} className="font-semibold text-blue-800 underline" aria-label={`Where-used of ${h.label}`}>
                        Where-used
                      </Link>
                    ) : null}
                    {h.kind === "work_order" ? (
                      (woUnits.get(h.id) ?? []).length === 0 ? (
                        <span className="text-slate-600">no units yet</span>
                      ) : (
                        <span className="inline-flex max-w-md flex-wrap gap-x-2 whitespace-normal">
                          {(woUnits.get(h.id) ?? []).slice(0, 24).map((u) => (
                            <Link key={u.serialItemId} href={asBuiltHref(u.serialItemId)} prefetch={false} className="font-mono text-blue-800 underline" title={`As-built of ${u.serial} (${statusLabel(u.status).toLowerCase()})`}>
                              {u.serial}
                            </Link>
                          ))}
                          {(woUnits.get(h.id) ?? []).length > 24 ? <span className="text-slate-600">and {(woUnits.get(h.id) ?? []).length - 24} more: search a serial</span> : null}
                        </span>
                      )
                    ) : null}
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      </CardBody>
    </Card>
  );
}

async function ItemAsBuilt({ api, actor, serialItemId, sp }: { api: Api; actor: Actor; serialItemId: string; sp: Search }) {
  const viewParam = one(sp.view);
  const view: View = viewParam === "graph" || viewParam === "design" ? viewParam : "table";
  const atText = (one(sp.at) ?? "").trim();
  const at = atText ? fromWallTime(atText, actor.timeZone) : null;
  const badAt = atText !== "" && at === null;
  const history = one(sp.history) !== "0";
  const page = Math.max(1, Math.floor(Number(one(sp.page) ?? "1")) || 1);
  if (!looksLikeId(serialItemId)) return <NotFoundSerial actor={actor} />;
  // the first level only (the page asked for), with the exact count below each component; the rest opens on demand
  // the unit's containment (held material at any depth) read alongside
  const [data, contained] = await Promise.all([
    orNotFound(api.genealogy.asBuilt({ serialItemId, ...(at ? { at } : {}), includeRemoved: history, offset: (page - 1) * ROWS_PER_PAGE, limit: ROWS_PER_PAGE })),
    api.containment.unit({ serialItemId }),
  ]);
  if (!data) return <NotFoundSerial actor={actor} />;
  const { item, level } = data;
  const tree = { at: data.at };
  const keep = { at: at ? atText : undefined, history: history ? undefined : "0" };
  const href = (v: View, extra: Record<string, string | undefined> = {}) => asBuiltHref(item.serialItemId, { ...keep, view: v === "table" ? undefined : v, ...extra });
  const removed = level.treeRemoved;
  const current = level.treeTotal - removed;
  const tab = (v: View, label: string) => (
    <Link
      href={href(v)}
      aria-current={view === v ? "page" : undefined}
      className={view === v ? "rounded bg-slate-900 px-2 py-1 text-white" : "rounded px-2 py-1 text-blue-800 underline"}
    >
      {label}
    </Link>
  );
  const scrappable = item.unitId !== null && (item.unitStatus === "planned" || item.unitStatus === "in_progress" || item.unitStatus === "completed") && actor.roles.some((r) => SCRAP_UNIT_ROLES.includes(r));
  return (
    <>
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
              {item.fate ? <span data-testid="unit-fate">· {fateText(item.fate, actor.timeZone)}</span> : null}
              <Link href={whereUsedHref({ kind: "serial", id: item.serialItemId })} className="text-blue-800 underline">
                Where is this serial used?
              </Link>
              {actor.roles.some((r) => QUALITY_ROLES.includes(r))
                ? (["csv", "pdf", "json"] as const).map((f) => (
                    <a key={f} href={`/api/genealogy/as-built/export?${new URLSearchParams({ item: item.serialItemId, ...(at ? { at: atText } : {}), format: f })}`} download className="text-blue-800 underline">
                      Download {f.toUpperCase()}
                    </a>
                  ))
                : null}
            </span>
          }
          actions={
            <nav aria-label="Views" className="flex gap-1 text-sm">
              {tab("table", "Table")}
              {tab("graph", "Graph")}
              {tab("design", "As-designed vs as-built")}
            </nav>
          }
        />
        <CardBody>
          <ContainmentBanner serial={item.serialNumber} holds={contained} />
          <form method="get" action="/genealogy" className="mb-3 flex flex-wrap items-end gap-3 text-sm">
            <input type="hidden" name="item" value={item.serialItemId} />
            {view !== "table" ? <input type="hidden" name="view" value={view} /> : null}
            <div>
              <label htmlFor="at" className="mb-1 block font-semibold">
                As it was at ({actor.timeZone})
              </label>
              <input
                id="at"
                name="at"
                type="datetime-local"
                defaultValue={at ? atText.slice(0, 16) : toWallTime(tree.at, actor.timeZone)}
                className="min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 tabular-nums"
              />
            </div>
            <div>
              <label htmlFor="history" className="mb-1 block font-semibold">
                Rework history
              </label>
              <select id="history" name="history" defaultValue={history ? "1" : "0"} className="min-h-9 rounded-md border-2 border-slate-400 bg-white px-2">
                <option value="1">Show removed components</option>
                <option value="0">Hide removed components</option>
              </select>
            </div>
            <Button type="submit" variant="secondary">
              Show
            </Button>
            {at ? (
              <Link href={asBuiltHref(item.serialItemId, { view: view === "table" ? undefined : view, history: keep.history })} className="pb-2 text-blue-800 underline">
                Back to now
              </Link>
            ) : null}
          </form>
          {badAt ? (
            <p role="alert" className="mb-3 rounded border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">
              &quot;{atText}&quot; is not a date and time. Showing the unit as it is now.
            </p>
          ) : null}
          <p className="mb-2 text-sm text-slate-700" role="status">
            {at ? (
              <>
                As it was at <strong className="tabular-nums">{toWallTime(tree.at, actor.timeZone).replace("T", " ")}</strong>:{" "}
              </>
            ) : (
              "Now: "
            )}
            {current.toLocaleString("en-US")} component record{current === 1 ? "" : "s"} installed
            {history ? `, ${removed.toLocaleString("en-US")} removed in rework` : " (rework history hidden)"}.
          </p>
          {view === "design" ? (
            <DesignView api={api} serialItemId={item.serialItemId} at={at} />
          ) : level.treeTotal === 0 ? (
            <EmptyState title={at ? "Nothing was installed in this serial at that time" : "Nothing has been installed in this serial yet"}>
              Components appear here as operators install them at the stations, with who, where and when.
            </EmptyState>
          ) : view === "graph" ? (
            <GraphView api={api} item={item} at={data.at} history={history} tableHref={href("table")} />
          ) : (
            <>
              <p className="mb-2 text-sm text-slate-700">
                The components installed directly in {item.serialNumber}; open one (▸) to see what is in it. The downloads hold the whole tree.
              </p>
              <AsBuiltTree nodes={level.nodes} at={data.at.toISOString()} includeRemoved={history} timeZone={actor.timeZone} />
              <Pager
                className="mt-3"
                page={page}
                pageSize={ROWS_PER_PAGE}
                total={level.total}
                pageCount={Math.max(1, Math.ceil(level.total / ROWS_PER_PAGE))}
                noun="components directly in this serial"
                href={(p) => href("table", { page: p > 1 ? String(p) : undefined })}
              />
            </>
          )}
        </CardBody>
      </Card>
      {item.unitId ? <InspectorStamps actor={actor} unitId={item.unitId} /> : null}
      {scrappable && item.unitId ? (
        <Card labelledBy="scrap-unit-heading">
          <CardHeader
            id="scrap-unit-heading"
            title="Scrap this unit"
            description="For a unit that will never be finished or shipped: it goes to scrap as a whole (in work: its open operations stop; completed: out of stock), and ERP is told."
          />
          <CardBody>
            <ScrapUnitForm unitId={item.unitId} serial={item.serialNumber} inWork={item.unitStatus !== "completed"} />
          </CardBody>
        </Card>
      ) : null}
    </>
  );
}

/** The upper levels of the tree as a graph (breadth first, capped): read level by level, never the whole tree. */
async function GraphView({ api, item, at, history, tableHref }: { api: Api; item: { serialItemId: string; serialNumber: string; partNumber: string; revision: string }; at: Date; history: boolean; tableHref: string }) {
  const upper = await api.genealogy.asBuiltUpperLevels({ serialItemId: item.serialItemId, at, includeRemoved: history, cap: GRAPH_CAP });
  return (
    <GenealogyGraph
      model={asBuiltGraph(item, upper.nodes, GRAPH_CAP, (id) => asBuiltHref(id, { view: "graph" }), upper.treeTotal)}
      noun="nodes"
      tableHref={tableHref}
      label={`As-built graph of ${item.serialNumber}`}
    />
  );
}

const VERDICT: Record<string, { label: string; tone: Tone }> = {
  as_designed: { label: "As designed", tone: "green" },
  not_yet_due: { label: "Not yet due", tone: "neutral" },
  missing: { label: "Missing", tone: "red" },
  substituted: { label: "Substituted revision", tone: "amber" },
  extra: { label: "Extra", tone: "violet" },
};

async function DesignView({ api, serialItemId, at }: { api: Api; serialItemId: string; at: Date | null }) {
  const d = await api.genealogy.asDesigned({ serialItemId, ...(at ? { at } : {}) });
  if (d.levels.length === 0) {
    return <EmptyState title="No design to compare">This serial was bought in, not built on a work order here, so there is no BOM to compare it with.</EmptyState>;
  }
  const deviations = d.levels.reduce((s, l) => s + l.deviations, 0);
  return (
    <div className="space-y-4">
      <p className="text-sm" role="status">
        {d.levels.length} assembl{d.levels.length === 1 ? "y" : "ies"} compared with their work order BOM:{" "}
        <strong>{deviations === 0 ? "no deviations" : `${deviations} deviation${deviations === 1 ? "" : "s"}`}</strong>.
      </p>
      {d.levels.map((l) => (
        <section key={l.serialItemId} aria-label={`Design of ${l.serial}`}>
          <h3 className="mb-1 flex flex-wrap items-center gap-2 text-sm font-semibold" style={{ paddingLeft: `${l.depth * 0.9}rem` }}>
            <Link href={asBuiltHref(l.serialItemId, { view: "design" })} prefetch={false} className="font-mono text-blue-800 underline">
              {l.serial}
            </Link>
            <PartRev partNumber={l.partNumber} revision={l.revision} /> · work order {l.workOrderNumber} ·{" "}
            {l.deviations === 0 ? <Badge tone="green">As designed</Badge> : <Badge tone="red">{l.deviations} deviation(s)</Badge>}
          </h3>
          <Table caption={`As-designed vs as-built of ${l.serial}`}>
            <THead>
              <Tr>
                <Th>Find</Th>
                <Th>Part</Th>
                <Th>Designed rev</Th>
                <Th className="text-right">Designed qty</Th>
                <Th>Op</Th>
                <Th>Built (rev: qty)</Th>
                <Th>Verdict</Th>
              </Tr>
            </THead>
            <TBody>
              {l.rows.map((r, i) => {
                const v = VERDICT[r.verdict] ?? { label: r.verdict, tone: "neutral" as const };
                return (
                  <Tr key={`${r.findNumber ?? "x"}-${r.partNumber}-${i}`}>
                    <Td className="tabular-nums">{r.findNumber ?? "—"}</Td>
                    <Td className="font-mono">{r.partNumber}</Td>
                    <Td>{r.designedRevision ?? "not on BOM"}</Td>
                    <Td className="text-right">
                      <Qty value={r.designedQuantity} />
                    </Td>
                    <Td>{r.operationSeq ?? ""}</Td>
                    <Td>{r.built.length === 0 ? "none" : r.built.map((b) => `rev ${b.revision}: ${b.quantity}`).join(", ")}</Td>
                    <Td>
                      <Badge tone={v.tone}>{v.label}</Badge>
                      {r.verdict === "missing" ? <span className="ml-1 text-xs">short by {r.shortBy}</span> : null}
                      {r.substitutionReasons.map((why) => (
                        <span key={why} className="block text-xs text-slate-700">
                          Reason: {why}
                        </span>
                      ))}
                    </Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        </section>
      ))}
    </div>
  );
}

function NotFoundSerial({ actor }: { actor: Actor }) {
  return (
    <EmptyState title={`That serial was not found at ${actor.siteName}.`}>
      Search by the serial printed on the unit. Serials of other sites are not shown here.
    </EmptyState>
  );
}

async function RecentInstalls({ api, actor }: { api: Api; actor: Actor }) {
  const installs = await api.genealogy.recentInstalls({ limit: 20 });
  return (
    <Card labelledBy="recent-heading">
      <CardHeader id="recent-heading" title="Recent installs" description="The latest components installed into units at this site. Search above for a unit's as-built or a lot's where-used." />
      <CardBody>
        <RecentInstallsTable installs={installs} timeZone={actor.timeZone} />
      </CardBody>
    </Card>
  );
}
