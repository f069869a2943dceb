import type { Metadata } from "next";
import Link from "next/link";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { StatusBadge, statusLabel } from "@/components/production/status-badge";
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

export const metadata: Metadata = { title: "ERP master data" };

type Search = Record<string, string | string[] | undefined>;
type Api = Awaited<ReturnType<typeof serverCaller>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

const VIEWS = [
  { key: "parts", label: "Parts and BOMs" },
  { key: "routings", label: "Routings" },
  { key: "work-orders", label: "Work orders" },
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
  const view: View = VIEWS.some((v) => v.key === one(sp.view)) ? (one(sp.view) as View) : "parts";
  const q = (one(sp.q) ?? "").trim().slice(0, 200) || undefined;
  const rawPage = one(sp.page);
  const page = rawPage && /^\d{1,7}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  const rawStatus = one(sp.status);
  const status = WORK_ORDER_STATUSES.find((s) => s === rawStatus);

  return (
    <>
      <PageHeader title="ERP master data" description="What the ERP has sent, as Traceline mirrors it. Read-only: change it in the ERP, it arrives through the interface." />
      <ErpTabs current="master-data" />
      <nav aria-label="Kinds of master data" className="mb-4">
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
                {v.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action={PATH} role="search" aria-label={`Search ${VIEWS.find((v) => v.key === view)!.label.toLowerCase()}`} className="mb-4 flex flex-wrap items-end gap-3">
        {view !== "parts" ? <input type="hidden" name="view" value={view} /> : null}
        <div>
          <label htmlFor="md-q" className="mb-1 block text-sm font-semibold">
            {view === "parts" ? "Part number or description" : view === "routings" ? "Routing code or part number" : "Order or part number"}
          </label>
          <input id="md-q" name="q" defaultValue={q ?? ""} maxLength={200} autoComplete="off" spellCheck={false} className={`${field} w-72 font-mono`} />
        </div>
        {view === "work-orders" ? (
          <div>
            <label htmlFor="md-status" className="mb-1 block text-sm font-semibold">
              Status
            </label>
            <select id="md-status" name="status" defaultValue={status ?? ""} className={field}>
              <option value="">Any status</option>
              {WORK_ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Button type="submit">Search</Button>
        {q || status ? <ButtonLink href={withQuery(PATH, { view: view === "parts" ? undefined : view })}>Clear</ButtonLink> : null}
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
  const href = (p: number) => withQuery(PATH, { q, page: p });
  return (
    <Card labelledBy="parts-heading">
      <CardHeader id="parts-heading" title="Parts" description="Enterprise-wide. Open a part for its BOM (all levels, with effectivity), where it is used, its approved manufacturers and routings." />
      <CardBody className="space-y-3">
        {result.total === 0 ? (
          <EmptyState title={q ? `No part matches "${q}"` : "No parts have arrived from the ERP yet"}>
            {q ? "Search by part number or by a word of the description." : "Parts arrive as ERP part messages; check the interface monitor."}
          </EmptyState>
        ) : (
          <>
            <Pager page={result.page} pageSize={result.pageSize} total={result.total} pageCount={result.pageCount} noun="parts" href={href} />
            {result.rows.length > 0 ? (
              <Table caption="Parts">
                <THead>
                  <Tr>
                    <Th>Part number</Th>
                    <Th>Description</Th>
                    <Th>UoM</Th>
                    <Th>Tracking</Th>
                    <Th>Revisions</Th>
                    <Th className="text-right">Shelf life</Th>
                    <Th className="text-right">Out-time</Th>
                    <Th className="text-right">ERP version</Th>
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
                      <Td>{p.tracking}</Td>
                      <Td>
                        <span className="flex flex-wrap gap-1">
                          {p.revisions.map((r) => (
                            <Badge key={r.id} tone={r.status === "released" ? "neutral" : "amber"} title={`${r.status}${r.hasBom ? ", has a BOM" : ""}`}>
                              {r.revision}
                              {r.hasBom ? " · BOM" : ""}
                              {r.status !== "released" ? ` (${r.status})` : ""}
                            </Badge>
                          ))}
                        </span>
                      </Td>
                      <Td className="text-right tabular-nums">{p.shelfLifeDays !== null ? `${p.shelfLifeDays} d` : "—"}</Td>
                      <Td className="text-right tabular-nums">{p.outTimeMinutes !== null ? `${p.outTimeMinutes} min` : "—"}</Td>
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
  const href = (p: number) => withQuery(PATH, { view: "routings", q, page: p });
  return (
    <Card labelledBy="routings-heading">
      <CardHeader id="routings-heading" title={`Routings at ${actor.siteName}`} description="Routings are plant-specific: these are this site's. Open one for its operations and process parameters." />
      <CardBody className="space-y-3">
        {result.total === 0 ? (
          <EmptyState title={q ? `No routing matches "${q}"` : "No routings have arrived for this site yet"}>Routings arrive as ERP routing messages for this plant.</EmptyState>
        ) : (
          <>
            <Pager page={result.page} pageSize={result.pageSize} total={result.total} pageCount={result.pageCount} noun="routings" href={href} />
            <Table caption="Routings">
              <THead>
                <Tr>
                  <Th>Routing</Th>
                  <Th>Part</Th>
                  <Th className="text-right">Operations</Th>
                  <Th className="text-right">ERP version</Th>
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
                      rev {r.revision}
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
  const href = (p: number) => withQuery(PATH, { view: "work-orders", q, status, page: p });
  return (
    <Card labelledBy="wo-heading">
      <CardHeader id="wo-heading" title={`Work orders at ${actor.siteName}`} description="ERP production orders released to this site, newest release first. Open one for its units and their status." />
      <CardBody className="space-y-3">
        {result.total === 0 ? (
          <EmptyState title={q || status ? "No work order matches" : "No work orders have been released to this site yet"}>Work orders arrive as ERP production-order messages.</EmptyState>
        ) : (
          <>
            <Pager page={result.page} pageSize={result.pageSize} total={result.total} pageCount={result.pageCount} noun="work orders" href={href} />
            <Table caption="Work orders">
              <THead>
                <Tr>
                  <Th>Order</Th>
                  <Th>Part</Th>
                  <Th>Status</Th>
                  <Th className="text-right">Quantity</Th>
                  <Th className="text-right">Units done</Th>
                  <Th>Due</Th>
                  <Th>Released</Th>
                  <Th className="text-right">ERP version</Th>
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
                      <span className="font-mono">{w.partNumber}</span> rev {w.revision}
                      <span className="block text-xs text-slate-600">{w.description}</span>
                    </Td>
                    <Td>
                      <StatusBadge status={w.status} />
                    </Td>
                    <Td className="text-right tabular-nums">{w.quantity}</Td>
                    <Td className="text-right tabular-nums">
                      {w.unitsCompleted} / {w.units}
                    </Td>
                    <Td className="tabular-nums">{w.dueDate}</Td>
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
