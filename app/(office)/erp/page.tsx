import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { OutboundSummaryView } from "@/components/erp/outbound-summary";
import { InboxStatusFilters } from "@/components/erp/inbox-status-filters";
import { MessageErrorView } from "@/components/erp/message-error-view";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterDate, FilterProblems, FilterSearch, FilterSelect } from "@/components/ui/filter-fields";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, withQuery } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { INBOX_STATUSES, type InboxStatusName } from "@/server/domain/erp/message-scope";

export async function generateMetadata() {
  const t = await getTranslations("erp.monitor");
  return { title: t("title") };
}

type T = Awaited<ReturnType<typeof getTranslations<"erp.monitor">>>;

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

const PAGE_SIZE = 50;

function validDay(value: string | undefined): boolean {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The filters of the message list, read from the URL; anything unusable is dropped and named in `problems`. */
function readFilters(sp: Search, t: T) {
  const problems: string[] = [];
  const rawStatus = one(sp.status);
  const status = rawStatus && (INBOX_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as InboxStatusName) : undefined;
  if (rawStatus && !status) problems.push(t("problems.status", { value: rawStatus }));
  const type = (one(sp.type) ?? "").trim().slice(0, 64) || undefined;
  const q = (one(sp.q) ?? "").trim().slice(0, 200) || undefined;
  const day = (name: "from" | "to") => {
    const v = (one(sp[name]) ?? "").trim();
    if (!v) return undefined;
    if (validDay(v)) return v;
    problems.push(t("problems.date", { which: name, value: v }));
    return undefined;
  };
  const from = day("from");
  const to = day("to");
  if (from && to && from > to) problems.push(t("problems.fromAfterTo", { from, to }));
  const rawPage = one(sp.page);
  const page = rawPage && /^\d{1,7}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  return { status, type, q, from, to, page, problems };
}

export default async function ErpPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.monitor");
  const tStatus = await getTranslations("status");
  const f = readFilters(sp, t);
  const [counts, types, inbox, outbound] = await Promise.all([
    api.erp.counts(),
    api.erp.inboxTypes(),
    api.erp.inbox({ status: f.status, type: f.type, search: f.q, from: f.from, to: f.to, page: f.page, pageSize: PAGE_SIZE }),
    api.erp.outboundSummary(),
  ]);
  const tz = actor.timeZone;
  const filters = { status: f.status, type: f.type, q: f.q, from: f.from, to: f.to };
  const filtered = Boolean(f.status || f.type || f.q || f.from || f.to);
  const typeOptions = [...new Set([...types, ...(f.type ? [f.type] : [])])].sort();

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { site: actor.siteName })}
      />
      <ErpTabs current="monitor" />
      <div className="space-y-5">
        <Card labelledBy="inbox-heading">
          <CardHeader
            id="inbox-heading"
            title={t("inbound")}
            description={t("inboundDescription")}
          />
          <CardBody className="space-y-4">
            <InboxStatusFilters
              statuses={INBOX_STATUSES}
              counts={counts.inbox}
              active={f.status}
              href={(status) => withQuery("/erp", { ...filters, status })}
            />
            <form method="get" action="/erp" role="search" aria-label={t("filterLabel")} className="flex flex-wrap items-end gap-3">
              <FilterSelect id="f-status" name="status" label={t("status")} anyLabel={t("anyStatus")} options={INBOX_STATUSES.map((v) => ({ value: v, label: tStatus(v) }))} value={f.status} />
              <FilterSelect id="f-type" name="type" label={t("type")} anyLabel={t("anyType")} options={typeOptions.map((v) => ({ value: v, label: v.replaceAll("_", " ") }))} value={f.type} />
              <FilterSearch id="f-q" name="q" label={t("search")} value={f.q} placeholder={t("searchPlaceholder")} />
              <FilterDate id="f-from" name="from" label={t("receivedFrom")} value={f.from} />
              <FilterDate id="f-to" name="to" label={t("receivedTo")} value={f.to} />
              <Button type="submit">{t("apply")}</Button>
              {filtered ? <ButtonLink href="/erp">{t("clear")}</ButtonLink> : null}
            </form>
            <FilterProblems problems={f.problems} />
            <p className="text-xs text-slate-600">{t("days", { site: actor.siteName, timeZone: tz })}</p>

            {inbox.total === 0 ? (
              filtered ? (
                <EmptyState title={t("noMatch")} action={<ButtonLink href="/erp">{t("showAll")}</ButtonLink>}>
                  {t("noMatchHint")}
                </EmptyState>
              ) : (
                <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
              )
            ) : (
              <>
                <Pager page={inbox.page} pageSize={inbox.pageSize} total={inbox.total} pageCount={inbox.pageCount} noun={t("noun")} href={(page) => withQuery("/erp", { ...filters, page })} />
                {inbox.rows.length > 0 ? (
                  <Table caption={t("inbound")}>
                    <THead>
                      <Tr>
                        <Th>{t("colReceived")}</Th>
                        <Th>{t("colType")}</Th>
                        <Th>{t("colObject")}</Th>
                        <Th className="text-right">{t("colVersion")}</Th>
                        <Th>{t("colPlant")}</Th>
                        <Th>{t("colStatus")}</Th>
                        <Th>{t("colMessageId")}</Th>
                        <Th>{t("colProblem")}</Th>
                      </Tr>
                    </THead>
                    <TBody>
                      {inbox.rows.map((m) => (
                        <Tr key={m.id}>
                          <Td>
                            <DateTime value={m.receivedAt} timeZone={tz} />
                          </Td>
                          <Td>{m.type.replaceAll("_", " ")}</Td>
                          <Td className="font-mono">{m.objectKey || "—"}</Td>
                          <Td className="text-right tabular-nums">{m.version}</Td>
                          <Td>
                            <span className="font-mono">{m.plant || "—"}</span>
                            {m.enterprise ? (
                              <Badge className="ml-1" title={t("enterpriseHint")}>
                                {t("enterprise")}
                              </Badge>
                            ) : null}
                          </Td>
                          <Td>
                            <StatusBadge status={m.status} />
                            {m.attempts > 0 ? <span className="block text-xs text-slate-600">{t("retries", { count: m.attempts })}</span> : null}
                          </Td>
                          <Td className="font-mono text-xs">
                            <Link href={`/erp/messages/${m.id}`} className="font-semibold text-blue-800 underline underline-offset-2">
                              {m.messageId}
                            </Link>
                            <span className="block text-slate-600">{m.source}</span>
                          </Td>
                          <Td className="max-w-md">
                            {m.error ? <MessageErrorView error={m.error} compact /> : null}
                            {m.warnings > 0 ? (
                              <span className="block text-xs text-amber-900">{t("ignored", { count: m.warnings })}</span>
                            ) : null}
                          </Td>
                        </Tr>
                      ))}
                    </TBody>
                  </Table>
                ) : null}
                {inbox.rows.length > 10 ? <Pager page={inbox.page} pageSize={inbox.pageSize} total={inbox.total} pageCount={inbox.pageCount} noun={t("noun")} href={(page) => withQuery("/erp", { ...filters, page })} /> : null}
              </>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="outbox-heading">
          <CardHeader
            id="outbox-heading"
            title={t("outbound")}
            description={t("outboundDescription")}
            actions={<ButtonLink href="/erp/confirmations">{t("openConfirmations")}</ButtonLink>}
          />
          <CardBody>
            <OutboundSummaryView summary={outbound} timeZone={tz} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
