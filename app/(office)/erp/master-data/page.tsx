import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, withQuery } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { Actor } from "@/server/auth/types";

export async function generateMetadata() {
  const t = await getTranslations("erp.masterData");
  return { title: t("title") };
}

type Search = Record<string, string | string[] | undefined>;
type Api = Awaited<ReturnType<typeof serverCaller>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

const VIEWS = [
  { key: "parts", label: "parts" },
  { key: "routings", label: "routings" },
  { key: "work-orders", label: "workOrders" },
] as const;
type View = (typeof VIEWS)[number]["key"];
const WORK_ORDER_STATUSES = ["released", "in_progress", "completed", "closed", "cancelled"] as const;
type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

const PAGE_SIZE = 50;
const PATH = "/erp/master-data";
const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none";

export default async function MasterDataPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.masterData");
  const tStatus = await getTranslations("status");
  const view: View = VIEWS.some((v) => v.key === one(sp.view)) ? (one(sp.view) as View) : "parts";
  const q = (one(sp.q) ?? "").trim().slice(0, 200) || undefined;
  const rawPage = one(sp.page);
  const page = rawPage && /^\d{1,7}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  const rawStatus = one(sp.status);
  const status = WORK_ORDER_STATUSES.find((s) => s === rawStatus);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ErpTabs current="master-data" />
      <nav aria-label={t("kinds")} className="mb-4">
        <ul className="flex flex-wrap gap-2">
          {VIEWS.map((v) => (
            <li key={v.key}>
              <Link
                href={withQuery(PATH, { view: v.key === "parts" ? undefined : v.key })}
                aria-current={v.key === view ? "page" : undefined}
                className={cn(
                  "inline-flex min-h-9 items-center rounded-full border px-4 text-sm font-semibold",
                  v.key === view ? "border-blue-700 bg-blue-700 text-white" : "border-slate-400 bg-white text-slate-800 hover:bg-slate-100",
                )}
              >
                {t(`views.${v.label}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action={PATH} role="search" aria-label={t(`search.${VIEWS.find((v) => v.key === view)!.label}`)} className="mb-4 flex flex-wrap items-end gap-3">
        {view !== "parts" ? <input type="hidden" name="view" value={view} /> : null}
        <div>
          <label htmlFor="md-q" className="mb-1 block text-sm font-semibold">
            {view === "parts" ? t("searchLabel.parts") : view === "routings" ? t("searchLabel.routings") : t("searchLabel.workOrders")}
          </label>
          <input id="md-q" name="q" defaultValue={q ?? ""} maxLength={200} autoComplete="off" spellCheck={false} className={`${field} w-72 font-mono`} />
        </div>
        {view === "work-orders" ? (
          <div>
            <label htmlFor="md-status" className="mb-1 block text-sm font-semibold">
              {t("status")}
            </label>
            <select id="md-status" name="status" defaultValue={status ?? ""} className={field}>
              <option value="">{t("anyStatus")}</option>
              {WORK_ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {tStatus(s)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Button type="submit">{t("searchButton")}</Button>
        {q || status ? <ButtonLink href={withQuery(PATH, { view: view === "parts" ? undefined : view })}>{t("clear")}</ButtonLink> : null}
      </form>
      {view === "parts" ? (
        <Parts api={api} q={q} page={page} />
      ) : view === "routings" ? (
        <Routings api={api} actor={actor} q={q} page={page} />
      ) : (
        <WorkOrders api={api} actor={actor} q={q} status={status} page={page} />
      )}
    </>
  );
}

async function Parts({ api, q, page }: { api: Api; q: string | undefined; page: number }) {
  const result = await api.erp.masterData.parts({ search: q, page, pageSize: PAGE_SIZE });
  const t = await getTranslations("erp.masterData");
  const tTracking = await getTranslations("erp.tracking");
  const tBom = await getTranslations("erp.bom");
  const href = (p: number) => withQuery(PATH, { q, page: p });
  return (
    <Card labelledBy="parts-heading">
      <CardHeader id="parts-heading" title={t("parts.title")} description={t("parts.description")} />
      <CardBody className="space-y-3">
        {result.total === 0 ? (
          <EmptyState title={q ? t("parts.noMatch", { q }) : t("parts.empty")}>{q ? t("parts.noMatchHint") : t("parts.emptyHint")}</EmptyState>
        ) : (
          <>
            <Pager page={result.page} pageSize={result.pageSize} total={result.total} pageCount={result.pageCount} noun={t("parts.noun")} href={href} />
            {result.rows.length > 0 ? (
              <Table caption={t("parts.title")}>
                <THead>
                  <Tr>
                    <Th>{t("parts.colPart")}</Th>
                    <Th>{t("parts.colDescription")}</Th>
                    <Th>{t("parts.colUom")}</Th>
                    <Th>{t("parts.colTracking")}</Th>
                    <Th>{t("parts.colRevisions")}</Th>
                    <Th className="text-right">{t("parts.colShelfLife")}</Th>
                    <Th className="text-right">{t("parts.colOutTime")}</Th>
                    <Th className="text-right">{t("erpVersion")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {result.rows.map((p) => (
                    <Tr key={p.id}>
                      <Td>
                        <Link href={`${PATH}/parts/${p.id}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
                          {p.partNumber}
                        </Link>
                      </Td>
                      <Td>{p.description}</Td>
                      <Td>{p.uom}</Td>
                      <Td>{tTracking(p.tracking as "serial")}</Td>
                      <Td>
                        <span className="flex flex-wrap gap-1">
                          {p.revisions.map((r) => (
                            <Badge
                              key={r.id}
                              tone={r.status === "released" ? "neutral" : "amber"}
                              title={r.hasBom ? t("parts.revisionWithBom", { status: tBom(`revisionStatus.${r.status as "obsolete"}`) }) : tBom(`revisionStatus.${r.status as "obsolete"}`)}
                            >
                              {r.revision}
                              {r.hasBom ? ` · ${t("parts.bom")}` : ""}
                              {r.status !== "released" ? ` (${tBom(`revisionStatus.${r.status as "obsolete"}`)})` : ""}
                            </Badge>
                          ))}
                        </span>
                      </Td>
                      <Td className="text-right tabular-nums">{p.shelfLifeDays !== null ? t("days", { n: p.shelfLifeDays }) : "—"}</Td>
                      <Td className="text-right tabular-nums">{p.outTimeMinutes !== null ? t("minutes", { n: p.outTimeMinutes }) : "—"}</Td>
                      <Td className="text-right tabular-nums">{p.erpVersion}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            ) : null}
          </>
        )}
      </CardBody>
    </Card>
  );
}

async function Routings({ api, actor, q, page }: { api: Api; actor: Actor; q: string | undefined; page: number }) {
  const result = await api.erp.masterData.routings({ search: q, page, pageSize: PAGE_SIZE });
  const t = await getTranslations("erp.masterData");
  const href = (p: number) => withQuery(PATH, { view: "routings", q, page: p });
  return (
    <Card labelledBy="routings-heading">
      <CardHeader id="routings-heading" title={t("routings.title", { site: actor.siteName })} description={t("routings.description")} />
      <CardBody className="space-y-3">
        {result.total === 0 ? (
          <EmptyState title={q ? t("routings.noMatch", { q }) : t("routings.empty")}>{t("routings.emptyHint")}</EmptyState>
        ) : (
          <>
            <Pager page={result.page} pageSize={result.pageSize} total={result.total} pageCount={result.pageCount} noun={t("routings.noun")} href={href} />
            <Table caption={t("views.routings")}>
              <THead>
                <Tr>
                  <Th>{t("routings.colRouting")}</Th>
                  <Th>{t("routings.colPart")}</Th>
                  <Th className="text-right">{t("routings.colOperations")}</Th>
                  <Th className="text-right">{t("erpVersion")}</Th>
                </Tr>
              </THead>
              <TBody>
                {result.rows.map((r) => (
                  <Tr key={r.id}>
                    <Td>
                      <Link href={`${PATH}/routings/${r.id}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
                        {r.code}
                      </Link>
                    </Td>
                    <Td>
                      <Link href={`${PATH}/parts/${r.partId}`} className="font-mono text-blue-800 underline-offset-2 hover:underline">
                        {r.partNumber}
                      </Link>{" "}
                      {t("rev", { revision: r.revision })}
                      <span className="block text-xs text-slate-600">{r.description}</span>
                    </Td>
                    <Td className="text-right tabular-nums">{r.operations}</Td>
                    <Td className="text-right tabular-nums">{r.erpVersion}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </>
        )}
      </CardBody>
    </Card>
  );
}

async function WorkOrders({ api, actor, q, status, page }: { api: Api; actor: Actor; q: string | undefined; status: WorkOrderStatus | undefined; page: number }) {
  const result = await api.erp.masterData.workOrders({ search: q, status, page, pageSize: PAGE_SIZE });
  const t = await getTranslations("erp.masterData");
  const href = (p: number) => withQuery(PATH, { view: "work-orders", q, status, page: p });
  return (
    <Card labelledBy="wo-heading">
      <CardHeader id="wo-heading" title={t("workOrders.title", { site: actor.siteName })} description={t("workOrders.description")} />
      <CardBody className="space-y-3">
        {result.total === 0 ? (
          <EmptyState title={q || status ? t("workOrders.noMatch") : t("workOrders.empty")}>{t("workOrders.emptyHint")}</EmptyState>
        ) : (
          <>
            <Pager page={result.page} pageSize={result.pageSize} total={result.total} pageCount={result.pageCount} noun={t("workOrders.noun")} href={href} />
            <Table caption={t("views.workOrders")}>
              <THead>
                <Tr>
                  <Th>{t("workOrders.colOrder")}</Th>
                  <Th>{t("workOrders.colPart")}</Th>
                  <Th>{t("workOrders.colStatus")}</Th>
                  <Th className="text-right">{t("workOrders.colQuantity")}</Th>
                  <Th className="text-right">{t("workOrders.colDone")}</Th>
                  <Th>{t("workOrders.colDue")}</Th>
                  <Th>{t("workOrders.colReleased")}</Th>
                  <Th className="text-right">{t("erpVersion")}</Th>
                </Tr>
              </THead>
              <TBody>
                {result.rows.map((w) => (
                  <Tr key={w.id}>
                    <Td>
                      <Link href={`${PATH}/work-orders/${w.id}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
                        {w.number}
                      </Link>
                    </Td>
                    <Td>
                      <span className="font-mono">{w.partNumber}</span> {t("rev", { revision: w.revision })}
                      <span className="block text-xs text-slate-600">{w.description}</span>
                    </Td>
                    <Td>
                      <StatusBadge status={w.status} />
                    </Td>
                    <Td className="text-right tabular-nums">{w.quantity}</Td>
                    <Td className="text-right tabular-nums">
                      {w.unitsCompleted} / {w.units}
                    </Td>
                    <Td className="tabular-nums">
                      <DateTime value={w.dueDate ? new Date(`${w.dueDate}T12:00:00Z`) : null} timeZone="UTC" dateOnly />
                    </Td>
                    <Td>
                      <DateTime value={w.releasedAt} timeZone={actor.timeZone} />
                    </Td>
                    <Td className="text-right tabular-nums">{w.erpVersion}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </>
        )}
      </CardBody>
    </Card>
  );
}
