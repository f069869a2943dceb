import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
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
import { LedgerCheckText } from "@/components/erp/ledger-check-text";
import { formatQty } from "@/components/inventory/qty";
import { exceptionLabel, RECON_CATEGORIES, type ExceptionStatus, type OwnerRole, type ReconCategory, type Resolution } from "@/server/domain/reconciliation/categories";

export async function generateMetadata() {
  const t = await getTranslations("reconciliation");
  return { title: t("exceptions.metaTitle") };
}

type T = Awaited<ReturnType<typeof getTranslations<"reconciliation">>>;

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);
const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none";
const ROLES = ["operator", "kitting_clerk", "quality_engineer", "supervisor", "admin"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_TONE: Record<string, Tone> = { open: "red", investigating: "amber", resolved: "green", accepted: "neutral" };

/** The filters live in the URL (shareable, back button): unknown values are dropped with a note. */
function readFilters(sp: Search, t: T) {
  const problems: string[] = [];
  const pick = <V extends string>(name: string, allowed: readonly V[], what: "status" | "category" | "system" | "role"): V | undefined => {
    const raw = one(sp[name]);
    if (!raw) return undefined;
    if ((allowed as readonly string[]).includes(raw)) return raw as V;
    problems.push(t("exceptions.problems.notA", { value: raw, what }));
    return undefined;
  };
  const status = pick("status", ["live", "closed", "all"] as const, "status") ?? "live";
  const category = pick("category", RECON_CATEGORIES, "category");
  const ownerSystem = pick("ownerSystem", ["erp", "traceline"] as const, "system");
  const ownerRole = pick("ownerRole", ROLES, "role");
  const rawAge = one(sp.olderThanDays);
  const olderThanDays = rawAge && /^\d{1,4}$/.test(rawAge) ? Number(rawAge) : undefined;
  if (rawAge && olderThanDays === undefined) problems.push(t("exceptions.problems.days", { value: rawAge }));
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
  const t = await getTranslations("reconciliation");
  const tErp = await getTranslations("erp.monitor");
  const locale = await getLocale();
  const f = readFilters(sp, t);
  const list = await api.reconciliation.exceptions({ ...f, pageSize: 50 });
  const tz = actor.timeZone;
  const query = { status: f.status === "live" ? undefined : f.status, category: f.category, ownerSystem: f.ownerSystem, ownerRole: f.ownerRole, olderThanDays: f.olderThanDays, part: f.part, runId: f.runId };
  const filtered = Object.values(query).some((v) => v !== undefined);
  const exportQuery = { ...query, status: f.status };
  const pager = <Pager page={list.page} pageSize={list.pageSize} total={list.total} pageCount={list.pageCount} noun={t("exceptions.noun")} href={(page) => withQuery("/erp/reconciliation/exceptions", { ...query, page })} />;

  return (
    <>
      <PageHeader
        title={tErp("title")}
        description={t("exceptions.description")}
        actions={
          <div className="flex gap-2">
            <ButtonLink href={withQuery("/api/erp/reconciliation/exceptions/export", { ...exportQuery, format: "csv" })}>{t("exceptions.exportCsv")}</ButtonLink>
            <ButtonLink href={withQuery("/api/erp/reconciliation/exceptions/export", { ...exportQuery, format: "pdf" })}>{t("exceptions.exportPdf")}</ButtonLink>
          </div>
        }
      />
      <ErpTabs current="reconciliation" />
      <Card labelledBy="x-heading">
        <CardHeader id="x-heading" title={t("exceptions.title")}
          description={
            <Link href="/erp/reconciliation" className="text-blue-800 underline underline-offset-2">
              {t("exceptions.back")}
            </Link>
          }
        />
        <CardBody className="space-y-4">
          <form method="get" action="/erp/reconciliation/exceptions" role="search" aria-label={t("exceptions.filterLabel")} className="flex flex-wrap items-end gap-3">
            <Select
              id="x-status"
              name="status"
              label={t("exceptions.status")}
              value={f.status}
              options={[
                ["live", t("exceptions.live")],
                ["closed", t("exceptions.closed")],
                ["all", t("exceptions.all")],
              ]}
            />
            <Select
              id="x-category"
              name="category"
              label={t("exceptions.category")}
              value={f.category ?? ""}
              options={[["", t("exceptions.anyCategory")], ...RECON_CATEGORIES.map((c) => [c, t(`categories.${c}.label`)] as [string, string])]}
            />
            <Select
              id="x-system"
              name="ownerSystem"
              label={t("exceptions.ownerSystem")}
              value={f.ownerSystem ?? ""}
              options={[
                ["", t("exceptions.eitherSystem")],
                ["traceline", t("systems.traceline")],
                ["erp", t("systems.erp")],
              ]}
            />
            <Select
              id="x-role"
              name="ownerRole"
              label={t("exceptions.ownerRole")}
              value={f.ownerRole ?? ""}
              options={[["", t("exceptions.anyRole")], ...ROLES.map((r) => [r, t(`ownerRoles.${r}`)] as [string, string])]}
            />
            <div>
              <label htmlFor="x-age" className="mb-1 block text-sm font-semibold">
                {t("exceptions.olderThan")}
              </label>
              <input id="x-age" name="olderThanDays" inputMode="numeric" defaultValue={f.olderThanDays ?? ""} className={`${field} w-24`} />
            </div>
            <div>
              <label htmlFor="x-part" className="mb-1 block text-sm font-semibold">
                {t("exceptions.partStarts")}
              </label>
              <input id="x-part" name="part" defaultValue={f.part ?? ""} maxLength={100} autoComplete="off" className={`${field} w-48 font-mono`} />
            </div>
            {f.runId ? <input type="hidden" name="runId" value={f.runId} /> : null}
            <Button type="submit">{t("exceptions.apply")}</Button>
            {filtered ? <ButtonLink href="/erp/reconciliation/exceptions">{t("exceptions.clear")}</ButtonLink> : null}
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
              <EmptyState title={t("exceptions.noMatch")} action={<ButtonLink href="/erp/reconciliation/exceptions">{t("exceptions.showOpen")}</ButtonLink>}>
                {t("exceptions.noMatchHint")}
              </EmptyState>
            ) : (
              <EmptyState title={t("exceptions.empty")} action={<ButtonLink href="/erp/reconciliation">{t("exceptions.runOne")}</ButtonLink>}>
                {t("exceptions.emptyHint")}
              </EmptyState>
            )
          ) : (
            <>
              {pager}
              <Table caption={t("exceptions.caption")}>
                <THead>
                  <Tr>
                    <Th>{t("exceptions.colNumber")}</Th>
                    <Th>{t("exceptions.colCategory")}</Th>
                    <Th>{t("exceptions.colOwner")}</Th>
                    <Th>{t("exceptions.colItem")}</Th>
                    <Th>{t("exceptions.colLocation")}</Th>
                    <Th className="text-right">{t("systems.erp")}</Th>
                    <Th className="text-right">{t("systems.traceline")}</Th>
                    <Th>{t("exceptions.colOrder")}</Th>
                    <Th>{t("exceptions.colStatus")}</Th>
                    <Th>{t("exceptions.colDetected")}</Th>
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
                        {x.severity === "critical" ? <Badge tone="red">{t("critical")}</Badge> : null} {t(`categories.${x.category as ReconCategory}.label`)}
                      </Td>
                      <Td>
                        {t("exceptions.owner", { system: t(`systems.${x.ownerSystem === "erp" ? "erp" : "traceline"}`), role: t(`ownerRoles.${x.ownerRole as OwnerRole}`) })}
                      </Td>
                      <Td className="font-mono text-xs">
                        {x.category === "ledger_integrity" ? (
                          <LedgerCheckText detail={x.detail} explanation={x.explanation} />
                        ) : (
                          [x.partNumber, x.revision, x.lotNumber ? t("lot", { lot: x.lotNumber }) : null, x.serialNumber ? t("serial", { serial: x.serialNumber }) : null].filter(Boolean).join(" ")
                        )}
                      </Td>
                      <Td className="font-mono text-xs">{x.locationCode ?? (x.partNumber ? t("wholeFloor") : "—")}</Td>
                      <Td className="text-right tabular-nums">
                        {x.erpQuantity !== null ? formatQty(x.erpQuantity, locale) : "—"} {x.erpUnit && x.erpUnit !== x.uom ? x.erpUnit : ""}
                      </Td>
                      <Td className="text-right tabular-nums">
                        {x.tracelineQuantity !== null ? formatQty(x.tracelineQuantity, locale) : "—"} {x.tracelineQuantity !== null ? x.uom : ""}
                      </Td>
                      <Td className="font-mono text-xs">{x.orderNumber ?? "—"}</Td>
                      <Td>
                        <Badge tone={STATUS_TONE[x.status] ?? "neutral"}>{t(`exceptionStatus.${x.status as ExceptionStatus}`)}</Badge>
                        {x.resolution ? <span className="block text-xs">{t(`resolutions.${x.resolution as Resolution}`)}</span> : null}
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
