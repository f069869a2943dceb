import type { Metadata } from "next";
import Link from "next/link";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, withQuery } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { CATEGORY_INFO, exceptionLabel, RECON_CATEGORIES, type ReconCategory } from "@/server/domain/reconciliation/categories";

export const metadata: Metadata = { title: "Reconciliation exceptions" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);
const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none";
const ROLES = ["operator", "kitting_clerk", "quality_engineer", "supervisor", "admin"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_TONE: Record<string, Tone> = { open: "red", investigating: "amber", resolved: "green", accepted: "neutral" };

/** The filters live in the URL (shareable, back button): unknown values are dropped with a note. */
function readFilters(sp: Search) {
  const problems: string[] = [];
  const pick = <T extends string>(name: string, allowed: readonly T[], what: string): T | undefined => {
    const raw = one(sp[name]);
    if (!raw) return undefined;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`"${raw}" is not ${what}; not filtered by it.`);
    return undefined;
  };
  const status = pick("status", ["live", "closed", "all"] as const, "a status") ?? "live";
  const category = pick("category", RECON_CATEGORIES, "a category");
  const ownerSystem = pick("ownerSystem", ["erp", "traceline"] as const, "a system");
  const ownerRole = pick("ownerRole", ROLES, "a role");
  const rawAge = one(sp.olderThanDays);
  const olderThanDays = rawAge && /^\d{1,4}$/.test(rawAge) ? Number(rawAge) : undefined;
  if (rawAge && olderThanDays === undefined) problems.push(`"${rawAge}" is not a number of days; not filtered by age.`);
  const part = (one(sp.part) ?? "").trim().slice(0, 100) || undefined;
  const rawRun = one(sp.runId);
  const runId = rawRun && UUID.test(rawRun) ? rawRun : undefined;
  const rawPage = one(sp.page);
  const page = rawPage && /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  return { status, category, ownerSystem, ownerRole, olderThanDays, part, runId, page, problems };
}

export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const f = readFilters(sp);
  const list = await api.reconciliation.exceptions({ ...f, pageSize: 50 });
  const tz = actor.timeZone;
  const query = { status: f.status === "live" ? undefined : f.status, category: f.category, ownerSystem: f.ownerSystem, ownerRole: f.ownerRole, olderThanDays: f.olderThanDays, part: f.part, runId: f.runId };
  const filtered = Object.values(query).some((v) => v !== undefined);
  const exportQuery = { ...query, status: f.status };
  const pager = <Pager page={list.page} pageSize={list.pageSize} total={list.total} pageCount={list.pageCount} noun="exceptions" href={(page) => withQuery("/erp/reconciliation/exceptions", { ...query, page })} />;

  return (
    <>
      <PageHeader
        title="ERP interface"
        description="Reconciliation exceptions: each difference between the floor and ERP, whose it is, and what was done about it."
        actions={
          <div className="flex gap-2">
            <ButtonLink href={withQuery("/api/erp/reconciliation/exceptions/export", { ...exportQuery, format: "csv" })}>Export CSV</ButtonLink>
            <ButtonLink href={withQuery("/api/erp/reconciliation/exceptions/export", { ...exportQuery, format: "pdf" })}>Export PDF</ButtonLink>
          </div>
        }
      />
      <ErpTabs current="reconciliation" />
      <Card labelledBy="x-heading">
        <CardHeader id="x-heading" title="Exceptions" description={<Link href="/erp/reconciliation" className="text-blue-800 underline underline-offset-2">Back to runs and trend</Link>} />
        <CardBody className="space-y-4">
          <form method="get" action="/erp/reconciliation/exceptions" role="search" aria-label="Filter exceptions" className="flex flex-wrap items-end gap-3">
            <Select id="x-status" name="status" label="Status" value={f.status} options={[["live", "Open or investigating"], ["closed", "Resolved or accepted"], ["all", "All"]]} />
            <Select id="x-category" name="category" label="Category" value={f.category ?? ""} options={[["", "Any category"], ...RECON_CATEGORIES.map((c) => [c, CATEGORY_INFO[c].label] as [string, string])]} />
            <Select id="x-system" name="ownerSystem" label="Owner system" value={f.ownerSystem ?? ""} options={[["", "Either"], ["traceline", "Traceline"], ["erp", "ERP"]]} />
            <Select id="x-role" name="ownerRole" label="Owner role" value={f.ownerRole ?? ""} options={[["", "Any role"], ...ROLES.map((r) => [r, r.replaceAll("_", " ")] as [string, string])]} />
            <div>
              <label htmlFor="x-age" className="mb-1 block text-sm font-semibold">
                Older than (days)
              </label>
              <input id="x-age" name="olderThanDays" inputMode="numeric" defaultValue={f.olderThanDays ?? ""} className={`${field} w-24`} />
            </div>
            <div>
              <label htmlFor="x-part" className="mb-1 block text-sm font-semibold">
                Part number starts with
              </label>
              <input id="x-part" name="part" defaultValue={f.part ?? ""} maxLength={100} autoComplete="off" className={`${field} w-48 font-mono`} />
            </div>
            {f.runId ? <input type="hidden" name="runId" value={f.runId} /> : null}
            <Button type="submit">Apply filters</Button>
            {filtered ? <ButtonLink href="/erp/reconciliation/exceptions">Clear filters</ButtonLink> : null}
          </form>
          {f.problems.length > 0 ? (
            <ul role="alert" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {f.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
          {list.total === 0 ? (
            filtered ? (
              <EmptyState title="No exception matches these filters" action={<ButtonLink href="/erp/reconciliation/exceptions">Show open exceptions</ButtonLink>}>
                Try another category or owner, or a shorter part number.
              </EmptyState>
            ) : (
              <EmptyState title="No open exceptions" action={<ButtonLink href="/erp/reconciliation">Run a reconciliation</ButtonLink>}>
                The floor and ERP agree as of the latest run. Run one now to compare with ERP&apos;s latest snapshot.
              </EmptyState>
            )
          ) : (
            <>
              {pager}
              <Table caption="Reconciliation exceptions">
                <THead>
                  <Tr>
                    <Th>No.</Th>
                    <Th>Category</Th>
                    <Th>Owner</Th>
                    <Th>Item</Th>
                    <Th>Location</Th>
                    <Th className="text-right">ERP</Th>
                    <Th className="text-right">Traceline</Th>
                    <Th>Order</Th>
                    <Th>Status</Th>
                    <Th>Detected</Th>
                  </Tr>
                </THead>
                <TBody>
                  {list.rows.map((x) => (
                    <Tr key={x.id}>
                      <Td className="font-mono">
                        <Link href={`/erp/reconciliation/exceptions/${x.id}`} className="font-semibold text-blue-800 underline underline-offset-2">
                          {exceptionLabel(x.number)}
                        </Link>
                      </Td>
                      <Td>
                        {x.severity === "critical" ? <Badge tone="red">critical</Badge> : null} {CATEGORY_INFO[x.category as ReconCategory].label}
                      </Td>
                      <Td>
                        {x.ownerSystem === "erp" ? "ERP" : "Traceline"} / {x.ownerRole.replaceAll("_", " ")}
                      </Td>
                      <Td className="font-mono text-xs">{x.detail ?? [x.partNumber, x.revision, x.lotNumber ? `lot ${x.lotNumber}` : null, x.serialNumber ? `SN ${x.serialNumber}` : null].filter(Boolean).join(" ")}</Td>
                      <Td className="font-mono text-xs">{x.locationCode ?? (x.partNumber ? "whole floor" : "—")}</Td>
                      <Td className="text-right tabular-nums">
                        {x.erpQuantity ?? "—"} {x.erpUnit && x.erpUnit !== x.uom ? x.erpUnit : ""}
                      </Td>
                      <Td className="text-right tabular-nums">
                        {x.tracelineQuantity ?? "—"} {x.tracelineQuantity !== null ? x.uom : ""}
                      </Td>
                      <Td className="font-mono text-xs">{x.orderNumber ?? "—"}</Td>
                      <Td>
                        <Badge tone={STATUS_TONE[x.status] ?? "neutral"}>{x.status}</Badge>
                        {x.resolution ? <span className="block text-xs">{x.resolution.replaceAll("_", " ")}</span> : null}
                      </Td>
                      <Td>
                        <DateTime value={x.detectedAt} timeZone={tz} />
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
              {list.rows.length > 10 ? pager : null}
            </>
          )}
        </CardBody>
      </Card>
    </>
  );
}

function Select({ id, name, label, value, options }: { id: string; name: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-semibold">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className={field}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
