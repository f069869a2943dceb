import type { Metadata } from "next";
import Link from "next/link";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { OutboundSummaryView } from "@/components/erp/outbound-summary";
import { InboxStatusFilters } from "@/components/erp/inbox-status-filters";
import { MessageErrorView } from "@/components/erp/message-error-view";
import { StatusBadge, statusLabel } from "@/components/production/status-badge";
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

export const metadata: Metadata = { title: "ERP interface" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

const PAGE_SIZE = 50;

function validDay(value: string | undefined): boolean {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The filters of the message list, read from the URL; anything unusable is dropped and named in `problems`. */
function readFilters(sp: Search) {
  const problems: string[] = [];
  const rawStatus = one(sp.status);
  const status = rawStatus && (INBOX_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as InboxStatusName) : undefined;
  if (rawStatus && !status) problems.push(`"${rawStatus}" is not a message status; showing every status.`);
  const type = (one(sp.type) ?? "").trim().slice(0, 64) || undefined;
  const q = (one(sp.q) ?? "").trim().slice(0, 200) || undefined;
  const day = (name: "from" | "to", label: string) => {
    const v = (one(sp[name]) ?? "").trim();
    if (!v) return undefined;
    if (validDay(v)) return v;
    problems.push(`The ${label} date "${v}" is not a date (YYYY-MM-DD); it was ignored.`);
    return undefined;
  };
  const from = day("from", "from");
  const to = day("to", "to");
  if (from && to && from > to) problems.push(`The from date ${from} is after the to date ${to}: no message can match.`);
  const rawPage = one(sp.page);
  const page = rawPage && /^\d{1,7}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  return { status, type, q, from, to, page, problems };
}

export default async function ErpPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const f = readFilters(sp);
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
        title="ERP interface"
        description={`Messages between the ERP and ${actor.siteName}: master data and orders coming in, confirmations going out.`}
      />
      <ErpTabs current="monitor" />
      <div className="space-y-5">
        <Card labelledBy="inbox-heading">
          <CardHeader
            id="inbox-heading"
            title="Inbound messages"
            description="Newest first. Enterprise master data (parts, BOMs, AML, suppliers) concerns every plant and is shown at every site. Open a message for its payload and history."
          />
          <CardBody className="space-y-4">
            <InboxStatusFilters
              statuses={INBOX_STATUSES}
              counts={counts.inbox}
              active={f.status}
              href={(status) => withQuery("/erp", { ...filters, status })}
            />
            <form method="get" action="/erp" role="search" aria-label="Filter inbound messages" className="flex flex-wrap items-end gap-3">
              <FilterSelect id="f-status" name="status" label="Status" anyLabel="Any status" options={INBOX_STATUSES.map((v) => ({ value: v, label: statusLabel(v) }))} value={f.status} />
              <FilterSelect id="f-type" name="type" label="Type" anyLabel="Any type" options={typeOptions.map((v) => ({ value: v, label: v.replaceAll("_", " ") }))} value={f.type} />
              <FilterSearch id="f-q" name="q" label="Object key or message id" value={f.q} placeholder="e.g. FCA-7740-100" />
              <FilterDate id="f-from" name="from" label="Received from" value={f.from} />
              <FilterDate id="f-to" name="to" label="to" value={f.to} />
              <Button type="submit">Apply filters</Button>
              {filtered ? <ButtonLink href="/erp">Clear filters</ButtonLink> : null}
            </form>
            <FilterProblems problems={f.problems} />
            <p className="text-xs text-slate-600">Days are {actor.siteName} calendar days ({tz}).</p>

            {inbox.total === 0 ? (
              filtered ? (
                <EmptyState title="No inbound message matches these filters" action={<ButtonLink href="/erp">Show every message</ButtonLink>}>
                  Try another status or type, a shorter search, or a wider date range.
                </EmptyState>
              ) : (
                <EmptyState title="No messages have arrived from the ERP yet">
                  Master data and production orders appear here as the ERP sends them. If you expected some, check the ERP connection and its API key (Admin).
                </EmptyState>
              )
            ) : (
              <>
                <Pager page={inbox.page} pageSize={inbox.pageSize} total={inbox.total} pageCount={inbox.pageCount} noun="messages" href={(page) => withQuery("/erp", { ...filters, page })} />
                {inbox.rows.length > 0 ? (
                  <Table caption="Inbound messages">
                    <THead>
                      <Tr>
                        <Th>Received</Th>
                        <Th>Type</Th>
                        <Th>Object</Th>
                        <Th className="text-right">Version</Th>
                        <Th>Plant</Th>
                        <Th>Status</Th>
                        <Th>Message id</Th>
                        <Th>Problem</Th>
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
                              <Badge className="ml-1" title="Enterprise master data: concerns every plant">
                                Enterprise
                              </Badge>
                            ) : null}
                          </Td>
                          <Td>
                            <StatusBadge status={m.status} />
                            {m.attempts > 0 ? <span className="block text-xs text-slate-600">{m.attempts} {m.attempts === 1 ? "retry" : "retries"}</span> : null}
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
                              <span className="block text-xs text-amber-900">
                                {m.warnings} {m.warnings === 1 ? "attribute" : "attributes"} ignored (owned by Traceline)
                              </span>
                            ) : null}
                          </Td>
                        </Tr>
                      ))}
                    </TBody>
                  </Table>
                ) : null}
                {inbox.rows.length > 10 ? <Pager page={inbox.page} pageSize={inbox.pageSize} total={inbox.total} pageCount={inbox.pageCount} noun="messages" href={(page) => withQuery("/erp", { ...filters, page })} /> : null}
              </>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="outbox-heading">
          <CardHeader
            id="outbox-heading"
            title="Outbound confirmations"
            description="Consumption, scrap, returns, completions and holds for the ERP, delivered at least once under a stable message id, in order per work order."
            actions={<ButtonLink href="/erp/confirmations">Open confirmations</ButtonLink>}
          />
          <CardBody>
            <OutboundSummaryView summary={outbound} timeZone={tz} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
