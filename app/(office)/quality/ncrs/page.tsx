import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterSearch, FilterSelect } from "@/components/ui/filter-fields";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { NCR_SOURCES, NCR_STATUSES, type NcrSource, type NcrStatus } from "@/server/domain/quality/nonconformance";
import { RaiseNcrForm } from "./_components/raise-ncr-form";

export async function generateMetadata() {
  const t = await getTranslations("ncr");
  return { title: t("list.title") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.trim() : "");

/** The NCR list: filters in the URL (status, source, a number), the CSV export of the same selection. */
export default async function NcrsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("ncr");
  const status = (NCR_STATUSES as readonly string[]).includes(one(sp.status)) ? (one(sp.status) as NcrStatus) : null;
  const source = (NCR_SOURCES as readonly string[]).includes(one(sp.source)) ? (one(sp.source) as NcrSource) : null;
  const q = one(sp.q).slice(0, 100) || null;
  const api = await serverCaller(actor);
  const { rows, hasMore } = await api.ncr.list({ status, source, q, page: 0 });
  const exportQuery = new URLSearchParams({ ...(status ? { status } : {}), ...(source ? { source } : {}), ...(q ? { q } : {}) });
  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description", { site: actor.siteName })}
        actions={
          <>
            <ButtonLink href="/quality/deviations">{t("list.deviations")}</ButtonLink>
            <ButtonLink href={`/api/quality/ncrs/export?${exportQuery.toString()}`}>{t("list.export")}</ButtonLink>
          </>
        }
      />
      <div className="space-y-5">
        {actor.roles.includes("quality_engineer") ? (
          <Card labelledBy="raise-heading">
            <CardHeader id="raise-heading" title={t("raise.title")} description={t("raise.description")} />
            <CardBody>
              <RaiseNcrForm />
            </CardBody>
          </Card>
        ) : null}
        <Card labelledBy="list-heading">
          <CardHeader id="list-heading" title={t("list.title")} />
          <CardBody>
            <form method="get" action="/quality/ncrs" className="mb-3 flex flex-wrap items-end gap-3" aria-label={t("list.filter")}>
              <FilterSelect id="f-status" name="status" label={t("list.status")} anyLabel={t("list.anyStatus")} value={status ?? undefined} options={NCR_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
              <FilterSelect id="f-source" name="source" label={t("list.source")} anyLabel={t("list.anySource")} value={source ?? undefined} options={NCR_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))} />
              <FilterSearch id="f-q" name="q" label={t("list.search")} value={q ?? undefined} placeholder={t("list.searchPlaceholder")} />
              <Button type="submit">{t("list.filter")}</Button>
            </form>
            {rows.length === 0 ? (
              <EmptyState title={t("list.empty")}>{t("list.emptyHint")}</EmptyState>
            ) : (
              <Table>
                <THead>
                  <Tr>
                    <Th>{t("list.colNcr")}</Th>
                    <Th>{t("list.colStatus")}</Th>
                    <Th>{t("list.colWhat")}</Th>
                    <Th>{t("list.colDefect")}</Th>
                    <Th>{t("list.colQuantity")}</Th>
                    <Th>{t("list.colRaised")}</Th>
                    <Th>{t("list.colDisposition")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {rows.map((r) => (
                    <Tr key={r.id}>
                      <Td>
                        <Link href={`/quality/ncrs/${r.id}`} className="font-mono font-semibold text-blue-800 underline">
                          {r.numberText}
                        </Link>
                      </Td>
                      <Td>
                        <div className="flex flex-wrap gap-1">
                          <Badge tone={r.status === "closed" ? "neutral" : "amber"}>{t(`status.${r.status as NcrStatus}`)}</Badge>
                          {r.holdActive ? <Badge tone="red">{t("list.onHold")}</Badge> : null}
                        </div>
                      </Td>
                      <Td>{r.what}</Td>
                      <Td>{r.description}</Td>
                      <Td>
                        {r.quantity.replace(/\.?0+$/, "")} {r.uom ?? ""}
                      </Td>
                      <Td>
                        <DateTime value={r.raisedAt} timeZone={actor.timeZone} /> · {r.raisedByName}
                      </Td>
                      <Td>{r.disposition ? t(`disposition.${r.disposition as "scrap"}`) : ""}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
            {hasMore ? <p className="mt-2 text-sm text-slate-700">{t("list.more")}</p> : null}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
