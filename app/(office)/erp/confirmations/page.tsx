import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { OutboundSummaryView } from "@/components/erp/outbound-summary";
import { StatusBadge } from "@/components/production/status-badge";
import { formatQty } from "@/components/inventory/qty";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterProblems, FilterSearch, FilterSelect } from "@/components/ui/filter-fields";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, withQuery } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { OUTBOX_STATUSES } from "@/server/domain/erp/outbound";

export async function generateMetadata() {
  const t = await getTranslations("erp.confirmations");
  return { title: t("metaTitle") };
}

type T = Awaited<ReturnType<typeof getTranslations<"erp.confirmations">>>;

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);
const PAGE_SIZE = 50;

function readFilters(sp: Search, t: T) {
  const problems: string[] = [];
  const rawStatus = one(sp.status);
  const status = rawStatus && (OUTBOX_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as (typeof OUTBOX_STATUSES)[number]) : undefined;
  if (rawStatus && !status) problems.push(t("problems.status", { value: rawStatus }));
  const type = (one(sp.type) ?? "").trim().slice(0, 64) || undefined;
  const q = (one(sp.q) ?? "").trim().slice(0, 200) || undefined;
  const rawPage = one(sp.page);
  const page = rawPage && /^\d{1,7}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  return { status, type, q, page, problems };
}

/** What a confirmation moved, in one line: movement type (an ERP code), part, batch or serial, quantity in the reader's format. */
function what(
  s: { movementType: string | null; material: string | null; batch: string | null; serial: string | null; quantity: string | null; order: string | null },
  t: T,
  locale: string,
) {
  return [s.movementType, s.material, s.batch ? t("lot", { lot: s.batch }) : null, s.serial ? t("serial", { serial: s.serial }) : null, s.quantity ? `× ${formatQty(s.quantity, locale)}` : null]
    .filter(Boolean)
    .join(" ");
}

export default async function ConfirmationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.confirmations");
  const tStatus = await getTranslations("status");
  const locale = await getLocale();
  const f = readFilters(sp, t);
  const [summary, list] = await Promise.all([
    api.erp.outboundSummary(),
    api.erp.confirmations({ status: f.status, type: f.type, search: f.q, page: f.page, pageSize: PAGE_SIZE }),
  ]);
  const tz = actor.timeZone;
  const filters = { status: f.status, type: f.type, q: f.q };
  const filtered = Boolean(f.status || f.type || f.q);
  const typeOptions = [...new Set([...summary.types, ...(f.type ? [f.type] : [])])].sort();
  const pager = <Pager page={list.page} pageSize={list.pageSize} total={list.total} pageCount={list.pageCount} noun={t("noun")} href={(page) => withQuery("/erp/confirmations", { ...filters, page })} />;

  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("description", { site: actor.siteName })} />
      <ErpTabs current="confirmations" />
      <div className="space-y-5">
        <Card labelledBy="summary-heading">
          <CardHeader id="summary-heading" title={t("delivery")} />
          <CardBody>
            <OutboundSummaryView summary={summary} timeZone={tz} />
          </CardBody>
        </Card>
        <Card labelledBy="list-heading">
          <CardHeader id="list-heading" title={t("title")} description={t("listDescription")} />
          <CardBody className="space-y-4">
            <form method="get" action="/erp/confirmations" role="search" aria-label={t("filterLabel")} className="flex flex-wrap items-end gap-3">
              <FilterSelect id="c-status" name="status" label={t("status")} anyLabel={t("anyStatus")} options={OUTBOX_STATUSES.map((v) => ({ value: v, label: tStatus(v) }))} value={f.status} />
              <FilterSelect id="c-type" name="type" label={t("type")} anyLabel={t("anyType")} options={typeOptions.map((v) => ({ value: v, label: v.replaceAll("_", " ") }))} value={f.type} />
              <FilterSearch id="c-q" name="q" label={t("search")} value={f.q} placeholder={t("searchPlaceholder")} />
              <Button type="submit">{t("apply")}</Button>
              {filtered ? <ButtonLink href="/erp/confirmations">{t("clear")}</ButtonLink> : null}
            </form>
            <FilterProblems problems={f.problems} />
            {list.total === 0 ? (
              filtered ? (
                <EmptyState title={t("noMatch")} action={<ButtonLink href="/erp/confirmations">{t("showAll")}</ButtonLink>}>
                  {t("noMatchHint")}
                </EmptyState>
              ) : (
                <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
              )
            ) : (
              <>
                {pager}
                <Table caption={t("caption")}>
                  <THead>
                    <Tr>
                      <Th>{t("colRecorded")}</Th>
                      <Th>{t("colType")}</Th>
                      <Th>{t("colWhat")}</Th>
                      <Th>{t("colOrder")}</Th>
                      <Th>{t("colStatus")}</Th>
                      <Th className="text-right">{t("colAttempts")}</Th>
                      <Th>{t("colDelivered")}</Th>
                      <Th>{t("colMessageId")}</Th>
                      <Th>{t("colLastError")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {list.rows.map((m) => (
                      <Tr key={m.id}>
                        <Td>
                          <DateTime value={m.createdAt} timeZone={tz} />
                        </Td>
                        <Td>{m.type.replaceAll("_", " ")}</Td>
                        <Td className="font-mono text-xs">{what(m.summary, t, locale) || "—"}</Td>
                        <Td className="font-mono">{m.summary.order ?? "—"}</Td>
                        <Td>
                          <StatusBadge status={m.status} />
                          {m.ambiguous ? <span className="block text-xs text-amber-900">{t("ambiguous")}</span> : null}
                        </Td>
                        <Td className="text-right tabular-nums">{m.attempts}</Td>
                        <Td>{m.deliveredAt ? <DateTime value={m.deliveredAt} timeZone={tz} /> : m.status === "dead" ? "—" : <DateTime value={m.nextAttemptAt} timeZone={tz} />}</Td>
                        <Td className="font-mono text-xs">
                          <Link href={`/erp/confirmations/${m.id}`} className="font-semibold text-blue-800 underline underline-offset-2">
                            {m.messageId}
                          </Link>
                        </Td>
                        <Td className="max-w-sm text-red-900">{m.lastError ?? ""}</Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
                {list.rows.length > 10 ? pager : null}
              </>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
