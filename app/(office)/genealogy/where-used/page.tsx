import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { GenealogyGraph } from "@/components/genealogy/genealogy-graph";
import { HeldMarker } from "@/components/genealogy/held-marker";
import { graphWords, whereUsedGraph } from "@/components/genealogy/graph-model";
import { statusWord } from "@/components/genealogy/fate-words";
import { detailWords, labelWords } from "@/i18n/genealogy-detail";
import { asBuiltHref, whereUsedHref, type WhereUsedLink } from "@/components/genealogy/links";
import { LocationText } from "@/components/genealogy/location-text";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen, QUALITY_ROLES } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { BULK_HOLD_FORM_ID, BulkHoldForm } from "./_components/bulk-hold-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("genealogy.whereUsed"))("metaTitle") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);
const PAGE_SIZE = 50;
const GRAPH_CAP = 200;


function targetFrom(sp: Search): WhereUsedLink | null {
  const kind = one(sp.kind);
  if (kind === "supplier_lot") {
    const supplierLot = (one(sp.supplierLot) ?? "").trim().slice(0, 100);
    return supplierLot ? { kind, supplierLot } : null;
  }
  const id = one(sp.id) ?? "";
  if ((kind === "lot" || kind === "serial" || kind === "part_revision" || kind === "part" || kind === "manufacturer") && looksLikeId(id)) return { kind, id };
  return null;
}

/** Where-used (forward trace, recall scope): every unit that contains the material at any depth, paged with the exact total. */
export default async function WhereUsedPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  const t = await getTranslations("genealogy.whereUsed");
  const ts = await getTranslations("status");
  const locale = await getLocale();
  const fmt = (n: number) => n.toLocaleString(locale === "fr" ? "fr-FR" : "en-US");
  const kindWord = (k: WhereUsedLink["kind"]) => t(`kinds.${k}`);
  if (!canOpen(actor.roles, "genealogy")) return <ForbiddenNotice siteName={actor.siteName} area="genealogy" />;
  const target = targetFrom(sp);
  const notFound = (
    <>
      <PageHeader title={t("metaTitle")} description={t("notFoundDescription")} />
      <EmptyState title={t("notFoundTitle", { site: actor.siteName })} action={<Link href="/genealogy" className="text-blue-800 underline">{t("searchGenealogy")}</Link>}>
        {t("notFound")}
      </EmptyState>
    </>
  );
  if (!target) return notFound;
  const page = Math.max(1, Math.floor(Number(one(sp.page) ?? "1")) || 1);
  const currentOnly = one(sp.current) === "1";
  const topLevelOnly = one(sp.top) === "1";
  const graph = one(sp.view) === "graph";
  const api = await serverCaller(actor);
  const traced = target.kind === "supplier_lot" ? target : { kind: target.kind, id: target.id };
  // the page of units and the remaining stock at once (two pool connections); the hold markers need the page's units
  const [data, stock] = await Promise.all([
    orNotFound(api.genealogy.whereUsed({ target: traced, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, currentOnly, topLevelOnly })),
    api.containment.remainingStock({ target: traced }),
  ]);
  if (!data) return notFound;
  const canHold = actor.roles.includes("quality_engineer");
  const marks = new Map(
    await api.containment.markers({
      lotIds: target.kind === "lot" ? [target.id] : [],
      serialItemIds: [...(target.kind === "serial" ? [target.id] : []), ...data.rows.map((r) => r.unitSerialItemId)],
      partRevisionIds: target.kind === "part_revision" ? [target.id] : [],
    }),
  );
  const targetHolds = target.kind === "supplier_lot" ? [] : (marks.get(`${target.kind === "part_revision" ? "rev" : target.kind}:${target.id}`) ?? []);
  const keep = { current: currentOnly ? "1" : undefined, top: topLevelOnly ? "1" : undefined };
  const link = (extra: Record<string, string | undefined>) => whereUsedHref(target, { ...keep, view: graph ? "graph" : undefined, ...extra });
  const pageCount = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  const tt = data.target;
  const td = await getTranslations("genealogy.detail");
  const targetLabel = labelWords(td, tt);
  const detail = detailWords(td, tt.facts, (status) => statusWord(ts, status));
  const filterLink = (label: string, on: boolean, params: Record<string, string | undefined>) => (
    <Link
      href={whereUsedHref(target, { view: graph ? "graph" : undefined, ...params })}
      aria-current={on ? "page" : undefined}
      className={on ? "rounded bg-slate-900 px-2 py-1 text-white" : "rounded px-2 py-1 text-blue-800 underline"}
    >
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader
        title={t("title", { kind: target.kind, label: targetLabel })}
        description={t("description")}
      />
      <Card labelledBy="wu-heading">
        <CardHeader
          id="wu-heading"
          title={
            <>{t("reached", { count: data.total, total: fmt(data.total), current: fmt(data.currentTotal) })}</>
          }
          description={
            <span className="flex flex-wrap items-center gap-2">
              {tt.partNumber ? <PartRev partNumber={tt.partNumber} revision={tt.revision ?? ""} /> : null}
              {detail ? <span>{detail}</span> : null}
              {target.kind === "serial" ? (
                <Link href={asBuiltHref(target.id)} className="text-blue-800 underline">
                  {t("asBuiltOfSerial")}
                </Link>
              ) : null}
              {actor.roles.some((r) => QUALITY_ROLES.includes(r))
                ? (["csv", "pdf"] as const).map((f) => (
                    <a
                      key={f}
                      href={`/api/genealogy/where-used/export?${new URLSearchParams({ ...(target.kind === "supplier_lot" ? { kind: target.kind, supplierLot: target.supplierLot } : { kind: target.kind, id: target.id }), ...(currentOnly ? { current: "1" } : {}), ...(topLevelOnly ? { top: "1" } : {}), format: f })}`}
                      download
                      className="text-blue-800 underline"
                    >
                      {t("download", { total: fmt(data.total), format: f.toUpperCase() })}
                    </a>
                  ))
                : null}
            </span>
          }
          actions={
            <nav aria-label={t("views")} className="flex gap-1 text-sm">
              <Link href={whereUsedHref(target, { ...keep, page: page > 1 ? String(page) : undefined })} aria-current={!graph ? "page" : undefined} className={!graph ? "rounded bg-slate-900 px-2 py-1 text-white" : "rounded px-2 py-1 text-blue-800 underline"}>
                {t("tabTable")}
              </Link>
              <Link href={whereUsedHref(target, { ...keep, view: "graph", page: page > 1 ? String(page) : undefined })} aria-current={graph ? "page" : undefined} className={graph ? "rounded bg-slate-900 px-2 py-1 text-white" : "rounded px-2 py-1 text-blue-800 underline"}>
                {t("tabGraph")}
              </Link>
            </nav>
          }
        />
        <CardBody>
          {targetHolds.length > 0 ? (
            <div role="alert" className="mb-3 rounded border-2 border-red-700 bg-red-50 px-3 py-2 text-sm text-red-950">
              <p className="font-semibold">
                {t("targetHeld", { kind: target.kind, label: targetLabel, count: data.currentTotal, current: fmt(data.currentTotal) })}
              </p>
              <HeldMarker holds={targetHolds} />
            </div>
          ) : null}
          {canHold && !graph && data.total > 0 ? <BulkHoldForm signerName={actor.displayName} /> : null}
          <nav aria-label={t("filters")} className="mb-3 flex flex-wrap items-center gap-1 text-sm">
            <span className="mr-1 font-semibold">{t("show")}</span>
            {filterLink(t("filterAll"), !currentOnly && !topLevelOnly, {})}
            {filterLink(t("filterCurrent"), currentOnly && !topLevelOnly, { current: "1" })}
            {filterLink(t("filterTop"), currentOnly && topLevelOnly, { current: "1", top: "1" })}
          </nav>
          {data.total === 0 ? (
            <EmptyState title={currentOnly || topLevelOnly ? t("emptyFilterTitle") : t("emptyTitle")}>
              {currentOnly || topLevelOnly ? t("emptyFilter") : t("empty")}
            </EmptyState>
          ) : graph ? (
            <GenealogyGraph
              model={whereUsedGraph(
                { label: targetLabel, subtitle: kindWord(target.kind) },
                data.rows.map((r) => ({ ...r, statusLabel: r.status ? statusWord(ts, r.status) : t("boughtInLower") })),
                data.total,
                GRAPH_CAP,
                (id) => asBuiltHref(id, { view: "graph" }),
                graphWords(await getTranslations("genealogy.graph"), locale),
              )}
              noun={t("graphNoun")}
              tableHref={link({ view: undefined, page: page > 1 ? String(page) : undefined })}
              label={t("graphLabel", { label: targetLabel })}
            />
          ) : (
            <Table caption={t("caption", { label: targetLabel })}>
              <THead>
                <Tr>
                  {canHold ? <Th><span className="sr-only">{t("colSelect")}</span></Th> : null}
                  <Th>{t("colUnit")}</Th>
                  <Th>{t("colPartRev")}</Th>
                  <Th>{t("colWorkOrder")}</Th>
                  <Th>{t("colStatus")}</Th>
                  <Th>{t("colWhere")}</Th>
                  <Th className="text-right">{t("colLevel")}</Th>
                  <Th>{t("colPath")}</Th>
                  <Th>{t("colInstalled")}</Th>
                  <Th>{t("colContains")}</Th>
                </Tr>
              </THead>
              <TBody>
                {data.rows.map((r) => (
                  <Tr key={r.unitSerialItemId} className={r.current ? undefined : "text-slate-600"}>
                    {canHold ? (
                      <Td>
                        <input type="checkbox" name="unit" value={r.unitSerialItemId} form={BULK_HOLD_FORM_ID} aria-label={t("select", { serial: r.unitSerialNumber })} className="size-5" />
                      </Td>
                    ) : null}
                    <Td className="whitespace-nowrap font-mono font-semibold">
                      <Link href={asBuiltHref(r.unitSerialItemId)} prefetch={false} className="text-blue-800 underline" aria-label={t("asBuiltOf", { serial: r.unitSerialNumber })}>
                        {r.unitSerialNumber}
                      </Link>
                      {r.topLevel ? <Badge className="ml-1 font-sans">{t("topLevel")}</Badge> : null}
                      <HeldMarker holds={marks.get(`serial:${r.unitSerialItemId}`)} />
                    </Td>
                    <Td>
                      <PartRev partNumber={r.partNumber} revision={r.revision} />
                    </Td>
                    <Td className="font-mono">{r.workOrderNumber ?? ""}</Td>
                    <Td>{r.status ? <StatusBadge status={r.status} /> : <Badge>{t("boughtIn")}</Badge>}</Td>
                    <Td>
                      <LocationText location={r.location} timeZone={actor.timeZone} />
                    </Td>
                    <Td className="text-right tabular-nums">{r.level}</Td>
                    <Td className="font-mono text-xs">
                      {r.path.map((p, i) => (
                        <span key={`${p.serialItemId}-${i}`}>
                          {i > 0 ? " → " : ""}
                          <Link href={asBuiltHref(p.serialItemId)} prefetch={false} className="text-blue-800 underline">
                            {p.serialNumber}
                          </Link>
                        </span>
                      ))}
                      {r.paths > 1 ? <span className="ml-1 font-sans text-slate-600">{t("otherPaths", { count: r.paths - 1 })}</span> : null}
                    </Td>
                    <Td>
                      <DateTime value={r.installedAt} timeZone={actor.timeZone} />
                    </Td>
                    <Td className="whitespace-nowrap">
                      {r.current ? (
                        <>
                          <Badge tone="red">{t("yesNow")}</Badge>
                          {targetHolds.length > 0 ? <span className="block text-xs font-semibold text-red-900">{t("containsHeld")}</span> : null}
                        </>
                      ) : (
                        <span className="text-xs">
                          {t("noRemoved")} <DateTime value={r.removedAt} timeZone={actor.timeZone} />
                        </span>
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
          <Pager className="mt-3" page={page} pageSize={PAGE_SIZE} total={data.total} pageCount={pageCount} noun={t("pagerNoun")} href={(p) => link({ page: p > 1 ? String(p) : undefined })} />
        </CardBody>
      </Card>
      {target.kind !== "serial" ? (
        <Card labelledBy="stock-heading">
          <CardHeader
            id="stock-heading"
            title={t("stockTitle")}
            description={t("stockDescription")}
          />
          <CardBody>
            {stock.lots.length === 0 ? (
              <EmptyState title={t("stockEmptyTitle")}>{t("stockEmpty")}</EmptyState>
            ) : (
              <>
                <Table caption={t("stockCaption", { label: targetLabel })}>
                  <THead>
                    <Tr>
                      <Th>{t("colLot")}</Th>
                      <Th>{t("colPartRev")}</Th>
                      <Th className="text-right">{t("colOnHand")}</Th>
                      <Th className="text-right">{t("colReserved")}</Th>
                      <Th>{t("colStockWhere")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {stock.lots.map((l) => (
                      <Tr key={l.lotId}>
                        <Td className="font-mono font-semibold">
                          <Link href={whereUsedHref({ kind: "lot", id: l.lotId })} prefetch={false} className="text-blue-800 underline">
                            {l.lotNumber}
                          </Link>
                        </Td>
                        <Td>
                          <PartRev partNumber={l.partNumber} revision={l.revision} />
                        </Td>
                        <Td className="text-right">
                          <Qty value={l.onHand} uom={l.uom} />
                        </Td>
                        <Td className="text-right">
                          <Qty value={l.reserved} uom={l.uom} />
                        </Td>
                        <Td>
                          {l.locations.length === 0 ? (
                            <span className="text-slate-600">{t("noneLeft")}</span>
                          ) : (
                            <span className="flex flex-wrap gap-x-3">
                              {l.locations.map((x) => (
                                <span key={x.code} title={x.name}>
                                  <span className="font-mono">{x.code}</span> <Qty value={x.onHand} uom={l.uom} />
                                </span>
                              ))}
                            </span>
                          )}
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
                {stock.total > stock.lots.length ? (
                  <p className="mt-2 text-sm text-slate-700">
                    {t("stockMore", { shown: stock.lots.length, total: fmt(stock.total) })}
                  </p>
                ) : null}
              </>
            )}
          </CardBody>
        </Card>
      ) : null}
    </>
  );
}
