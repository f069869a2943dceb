import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { GenealogyGraph } from "@/components/genealogy/genealogy-graph";
import { ContainmentBanner } from "@/components/genealogy/held-marker";
import { asBuiltGraph, graphWords } from "@/components/genealogy/graph-model";
import { detailWords, labelWords } from "@/i18n/genealogy-detail";
import { asBuiltHref, searchHref, whereUsedHref } from "@/components/genealogy/links";
import { RecentInstallsTable } from "@/components/genealogy/recent-installs-table";
import { fromWallTime, toWallTime } from "@/components/genealogy/wall-time";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty, formatQty } from "@/components/inventory/qty";
import { formatDateTime } from "@/components/ui/date-time";
import { useTranslations } from "next-intl";
import { StatusBadge } from "@/components/production/status-badge";
import { fateWords, statusWord } from "@/components/genealogy/fate-words";
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
import { SCRAP_UNIT_ROLES } from "@/server/api/routers/production";
import { AsBuiltTree } from "./_components/as-built-tree";
import { ScrapUnitForm } from "./_components/scrap-unit-form";
import { InspectorStamps } from "./_components/inspector-stamps";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("genealogy.search"))("metaTitle") };
}

type Search = Record<string, string | string[] | undefined>;
type Api = Awaited<ReturnType<typeof serverCaller>>;
type View = "table" | "graph" | "design";

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);
const ROWS_PER_PAGE = 500;
const GRAPH_CAP = 250;

export default async function GenealogyPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  const t = await getTranslations("genealogy.search");
  if (!canOpen(actor.roles, "genealogy")) return <ForbiddenNotice siteName={actor.siteName} area="genealogy" />;
  const api = await serverCaller(actor);
  const q = (one(sp.q) ?? one(sp.serial) ?? "").trim().slice(0, 500);
  const item = one(sp.item);

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { site: actor.siteName })}
        actions={actor.roles.includes("enterprise") ? <ButtonLink href="/genealogy/enterprise">{t("acrossSites")}</ButtonLink> : undefined}
      />
      <form method="get" action="/genealogy" role="search" className="mb-5 flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="q" className="mb-1 block text-sm font-semibold">
            {t("label")}
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
            placeholder={t("placeholder")}
            className="min-h-10 w-[28rem] max-w-full rounded-md border-2 border-slate-400 bg-white px-3 font-mono focus:border-blue-600 focus:outline-none"
          />
        </div>
        <Button type="submit">{t("submit")}</Button>
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

const HIT_KINDS = ["unit", "serial", "lot", "supplier_lot", "work_order", "part_revision", "part", "manufacturer"] as const;
const isHitKind = (k: string): k is (typeof HIT_KINDS)[number] => (HIT_KINDS as readonly string[]).includes(k);

async function SearchResults({ api, actor, q }: { api: Api; actor: Actor; q: string }) {
  const t = await getTranslations("genealogy.search");
  const ts = await getTranslations("status");
  const td = await getTranslations("genealogy.detail");
  const kindWord = (k: string) => (isHitKind(k) ? t(`kinds.${k}`) : k);
  const r = await api.genealogy.search({ q });
  const woUnits = new Map(
    await Promise.all(r.hits.filter((h) => h.kind === "work_order").map(async (h) => [h.id, await api.genealogy.workOrderUnits({ workOrderId: h.id })] as const)),
  );
  if (r.hits.length === 0) {
    return (
      <Card labelledBy="search-heading">
        <CardHeader id="search-heading" title={t("nothingTitle", { site: actor.siteName, q })} description={r.scanError ? t("scanError", { error: r.scanError }) : undefined} />
        <CardBody>
          {r.suggestions.length > 0 ? (
            <>
              <p className="mb-2 text-sm text-slate-700">{t("didYouMean")}</p>
              <ul className="flex flex-wrap gap-2">
                {r.suggestions.map((s) => (
                  <li key={`${s.kind}:${s.text}`}>
                    <Link href={searchHref(s.text)} className="rounded border border-slate-300 px-2 py-1 font-mono text-sm text-blue-800 underline">
                      {s.text}
                    </Link>{" "}
                    <span className="text-xs text-slate-600">{kindWord(s.kind)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <EmptyState title={t("noCloseTitle")}>{t("noClose")}</EmptyState>
          )}
        </CardBody>
      </Card>
    );
  }
  return (
    <Card labelledBy="search-heading">
      <CardHeader id="search-heading" title={t("matches", { count: r.hits.length, q })} description={t("matchesDescription")} />
      <CardBody>
        <Table caption={t("resultsCaption")}>
          <THead>
            <Tr>
              <Th>{t("colKind")}</Th>
              <Th>{t("colIdentifier")}</Th>
              <Th>{t("colPartRev")}</Th>
              <Th>{t("colDetail")}</Th>
              <Th>{t("colStatus")}</Th>
              <Th>{t("colOpen")}</Th>
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
                  <Td>{kindWord(h.kind)}</Td>
                  <Td className="font-mono font-semibold">{labelWords(td, h)}</Td>
                  <Td>{h.partNumber ? <PartRev partNumber={h.partNumber} revision={h.revision ?? ""} /> : null}</Td>
                  <Td className="text-slate-700">{detailWords(td, h.facts, (status) => statusWord(ts, status))}</Td>
                  <Td>{h.unitStatus ? <StatusBadge status={h.unitStatus} /> : null}</Td>
                  <Td className="space-x-3 whitespace-nowrap">
                    {h.serialItemId ? (
                      <Link href={asBuiltHref(h.serialItemId)} prefetch={false} className="font-semibold text-blue-800 underline">
                        {t("asBuilt")}
                      </Link>
                    ) : null}
                    {wu ? (
                      <Link href={wu} prefetch={false} className="font-semibold text-blue-800 underline" aria-label={t("whereUsedOf", { label: labelWords(td, h) })}>
                        {t("whereUsed")}
                      </Link>
                    ) : null}
                    {h.kind === "work_order" ? (
                      (woUnits.get(h.id) ?? []).length === 0 ? (
                        <span className="text-slate-600">{t("noUnitsYet")}</span>
                      ) : (
                        <span className="inline-flex max-w-md flex-wrap gap-x-2 whitespace-normal">
                          {(woUnits.get(h.id) ?? []).slice(0, 24).map((u) => (
                            <Link key={u.serialItemId} href={asBuiltHref(u.serialItemId)} prefetch={false} className="font-mono text-blue-800 underline" title={t("asBuiltOfStatus", { serial: u.serial, status: statusWord(ts, u.status).toLowerCase() })}>
                              {u.serial}
                            </Link>
                          ))}
                          {(woUnits.get(h.id) ?? []).length > 24 ? <span className="text-slate-600">{t("andMore", { count: (woUnits.get(h.id) ?? []).length - 24 })}</span> : null}
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
  const t = await getTranslations("genealogy.asBuilt");
  const locale = await getLocale();
  const tf = await getTranslations("genealogy.fate");
  const fmt = (n: number) => n.toLocaleString(locale === "fr" ? "fr-FR" : "en-US");
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
            <>{t.rich("title", { serial: item.serialNumber, mono: (chunks) => <span className="font-mono">{chunks}</span> })}</>
          }
          description={
            <span className="flex flex-wrap items-center gap-2">
              <PartRev partNumber={item.partNumber} revision={item.revision} description={item.description} />
              {item.workOrderNumber ? <span>{t("workOrder", { number: item.workOrderNumber })}</span> : null}
              {item.unitStatus ? <StatusBadge status={item.unitStatus} /> : <Badge>{t("boughtInSerial")}</Badge>}
              {item.fate ? <span data-testid="unit-fate">· {fateWords(tf, item.fate, actor.timeZone, locale)}</span> : null}
              <Link href={whereUsedHref({ kind: "serial", id: item.serialItemId })} className="text-blue-800 underline">
                {t("whereUsed")}
              </Link>
              {actor.roles.some((r) => QUALITY_ROLES.includes(r))
                ? (["csv", "pdf", "json"] as const).map((f) => (
                    <a key={f} href={`/api/genealogy/as-built/export?${new URLSearchParams({ item: item.serialItemId, ...(at ? { at: atText } : {}), format: f })}`} download className="text-blue-800 underline">
                      {t("download", { format: f.toUpperCase() })}
                    </a>
                  ))
                : null}
            </span>
          }
          actions={
            <nav aria-label={t("views")} className="flex gap-1 text-sm">
              {tab("table", t("tabTable"))}
              {tab("graph", t("tabGraph"))}
              {tab("design", t("tabDesign"))}
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
                {t("atLabel", { timeZone: actor.timeZone })}
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
                {t("history")}
              </label>
              <select id="history" name="history" defaultValue={history ? "1" : "0"} className="min-h-9 rounded-md border-2 border-slate-400 bg-white px-2">
                <option value="1">{t("showRemoved")}</option>
                <option value="0">{t("hideRemoved")}</option>
              </select>
            </div>
            <Button type="submit" variant="secondary">
              {t("show")}
            </Button>
            {at ? (
              <Link href={asBuiltHref(item.serialItemId, { view: view === "table" ? undefined : view, history: keep.history })} className="pb-2 text-blue-800 underline">
                {t("backToNow")}
              </Link>
            ) : null}
          </form>
          {badAt ? (
            <p role="alert" className="mb-3 rounded border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">
              {t("badAt", { at: atText })}
            </p>
          ) : null}
          <p className="mb-2 text-sm text-slate-700" role="status">
            {at
              ? t.rich("countsAt", {
                  at: formatDateTime(tree.at, actor.timeZone, locale),
                  strong: (chunks) => <strong className="tabular-nums">{chunks}</strong>,
                  current, currentText: fmt(current), history: history ? "yes" : "no", removed: fmt(removed),
                })
              : t("countsNow", { current, currentText: fmt(current), history: history ? "yes" : "no", removed: fmt(removed) })}
          </p>
          {view === "design" ? (
            <DesignView api={api} serialItemId={item.serialItemId} at={at} />
          ) : level.treeTotal === 0 ? (
            <EmptyState title={at ? t("emptyAtTitle") : t("emptyTitle")}>{t("empty")}</EmptyState>
          ) : view === "graph" ? (
            <GraphView api={api} item={item} at={data.at} history={history} tableHref={href("table")} />
          ) : (
            <>
              <p className="mb-2 text-sm text-slate-700">
                {t("treeHint", { serial: item.serialNumber })}
              </p>
              <AsBuiltTree nodes={level.nodes} at={data.at.toISOString()} includeRemoved={history} timeZone={actor.timeZone} />
              <Pager
                className="mt-3"
                page={page}
                pageSize={ROWS_PER_PAGE}
                total={level.total}
                pageCount={Math.max(1, Math.ceil(level.total / ROWS_PER_PAGE))}
                noun={t("pagerNoun")}
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
            title={t("scrapTitle")}
            description={t("scrapDescription")}
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
  const t = await getTranslations("genealogy.asBuilt");
  const tg = await getTranslations("genealogy.graph");
  const locale = await getLocale();
  const upper = await api.genealogy.asBuiltUpperLevels({ serialItemId: item.serialItemId, at, includeRemoved: history, cap: GRAPH_CAP });
  return (
    <GenealogyGraph
      model={asBuiltGraph(item, upper.nodes, GRAPH_CAP, (id) => asBuiltHref(id, { view: "graph" }), upper.treeTotal, graphWords(tg, locale))}
      noun={t("graphNoun")}
      tableHref={tableHref}
      label={t("graphLabel", { serial: item.serialNumber })}
    />
  );
}

const VERDICT_TONE = { as_designed: "green", not_yet_due: "neutral", missing: "red", substituted: "amber", extra: "violet" } as const satisfies Record<string, Tone>;

async function DesignView({ api, serialItemId, at }: { api: Api; serialItemId: string; at: Date | null }) {
  const t = await getTranslations("genealogy.design");
  const locale = await getLocale();
  const d = await api.genealogy.asDesigned({ serialItemId, ...(at ? { at } : {}) });
  if (d.levels.length === 0) {
    return <EmptyState title={t("noneTitle")}>{t("none")}</EmptyState>;
  }
  const deviations = d.levels.reduce((s, l) => s + l.deviations, 0);
  return (
    <div className="space-y-4">
      <p className="text-sm" role="status">
        {t.rich("summary", { count: d.levels.length, deviations, strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
      {d.levels.map((l) => (
        <section key={l.serialItemId} aria-label={t("designOf", { serial: l.serial })}>
          <h3 className="mb-1 flex flex-wrap items-center gap-2 text-sm font-semibold" style={{ paddingLeft: `${l.depth * 0.9}rem` }}>
            <Link href={asBuiltHref(l.serialItemId, { view: "design" })} prefetch={false} className="font-mono text-blue-800 underline">
              {l.serial}
            </Link>
            <PartRev partNumber={l.partNumber} revision={l.revision} /> {t("workOrder", { number: l.workOrderNumber })}{" "}
            {l.deviations === 0 ? <Badge tone="green">{t("verdicts.as_designed")}</Badge> : <Badge tone="red">{t("deviations", { count: l.deviations })}</Badge>}
          </h3>
          <Table caption={t("caption", { serial: l.serial })}>
            <THead>
              <Tr>
                <Th>{t("colFind")}</Th>
                <Th>{t("colPart")}</Th>
                <Th>{t("colDesignedRev")}</Th>
                <Th className="text-right">{t("colDesignedQty")}</Th>
                <Th>{t("colOp")}</Th>
                <Th>{t("colBuilt")}</Th>
                <Th>{t("colVerdict")}</Th>
              </Tr>
            </THead>
            <TBody>
              {l.rows.map((r, i) => {
                const known = r.verdict in VERDICT_TONE ? (r.verdict as keyof typeof VERDICT_TONE) : null;
                const v = known ? { label: t(`verdicts.${known}`), tone: VERDICT_TONE[known] } : { label: r.verdict, tone: "neutral" as const };
                return (
                  <Tr key={`${r.findNumber ?? "x"}-${r.partNumber}-${i}`}>
                    <Td className="tabular-nums">{r.findNumber ?? "—"}</Td>
                    <Td className="font-mono">{r.partNumber}</Td>
                    <Td>{r.designedRevision ?? t("notOnBom")}</Td>
                    <Td className="text-right">
                      <Qty value={r.designedQuantity} />
                    </Td>
                    <Td>{r.operationSeq ?? ""}</Td>
                    <Td>{r.built.length === 0 ? t("builtNone") : r.built.map((b) => t("built", { revision: b.revision, quantity: formatQty(b.quantity, locale) })).join(", ")}</Td>
                    <Td>
                      <Badge tone={v.tone}>{v.label}</Badge>
                      {r.verdict === "missing" ? <span className="ml-1 text-xs">{t("shortBy", { quantity: formatQty(String(r.shortBy), locale) })}</span> : null}
                      {r.substitutionReasons.map((why) => (
                        <span key={why} className="block text-xs text-slate-700">
                          {t("reason", { reason: why })}
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
  const t = useTranslations("genealogy.asBuilt");
  return <EmptyState title={t("notFoundTitle", { site: actor.siteName })}>{t("notFound")}</EmptyState>;
}

async function RecentInstalls({ api, actor }: { api: Api; actor: Actor }) {
  const t = await getTranslations("genealogy.recent");
  const installs = await api.genealogy.recentInstalls({ limit: 20 });
  return (
    <Card labelledBy="recent-heading">
      <CardHeader id="recent-heading" title={t("title")} description={t("description")} />
      <CardBody>
        <RecentInstallsTable installs={installs} timeZone={actor.timeZone} />
      </CardBody>
    </Card>
  );
}
