import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LocationText } from "@/components/genealogy/location-text";
import { SignatureList } from "@/components/quality/signature-line";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, withQuery } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { scopeWords } from "../scope-words";

export async function generateMetadata() {
  const t = await getTranslations("suspect");
  return { title: t("detail.metaTitle") };
}

const PAGE_SIZE = 50;

export default async function SuspectAlertPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("suspect");
  const status = await getTranslations("status");
  const notFound = <NotFoundNotice what={t("detail.notFound")} siteName={actor.siteName} backHref="/quality/suspect-parts" backLabel={t("detail.back")} />;
  if (!looksLikeId(id)) return notFound;
  const pageParam = typeof sp.page === "string" ? Number.parseInt(sp.page, 10) : 1;
  const page = Number.isInteger(pageParam) && pageParam > 0 ? Math.min(pageParam, 100_000) : 1;
  const api = await serverCaller(actor);
  const d = await orNotFound(api.quality.suspectAlert({ alertId: id, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  if (!d) return notFound;
  const a = d.alert;
  const holdLabel = new Map(d.holds.map((h) => [h.id, h.targetLabel]));
  const pageCount = Math.max(1, Math.ceil(d.units.total / PAGE_SIZE));
  const active = d.holds.filter((h) => h.active).length;

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {t("detail.title", { reference: a.reference })}
            {a.tampered || d.holds.some((h) => h.tampered) ? <Badge tone="red">{t("detail.invalid")}</Badge> : null}
          </span>
        }
        description={scopeWords(t, a)}
        actions={<ButtonLink href="/quality/suspect-parts">{t("detail.back")}</ButtonLink>}
      />
      <div className="space-y-5">
        <Card labelledBy="alert-heading">
          <CardHeader id="alert-heading" title={t("detail.record")} />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
              <div>
                <dt className="text-sm font-semibold text-slate-600">{t("detail.manufacturer")}</dt>
                <dd className="font-mono">{a.manufacturerCode}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">{t("detail.part")}</dt>
                <dd className="font-mono">{a.partNumber}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">{t("detail.lotOrCodes")}</dt>
                <dd className="font-mono">{a.lotNumber ? t("detail.lotValue", { lot: a.lotNumber }) : a.dateCodeFrom ? t("detail.codesValue", { from: a.dateCodeFrom, to: a.dateCodeTo ?? "" }) : t("detail.everyLot")}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">{t("detail.entered")}</dt>
                <dd>
                  <DateTime value={a.createdAt} timeZone={actor.timeZone} /> {t("detail.enteredBy", { name: a.createdByName })}
                  {a.source === "imported" ? ` ${t("detail.importedLine", { line: a.sourceLine ?? 0 })}` : null}
                </dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="text-sm font-semibold text-slate-600">{t("detail.whatSuspect")}</dt>
                <dd data-testid="alert-description">{a.description}</dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="text-sm font-semibold text-slate-600">{t("detail.signature")}</dt>
                <dd>
                  <SignatureList signatures={a.signatures} />
                </dd>
              </div>
            </dl>
          </CardBody>
        </Card>

        <Card labelledBy="units-heading">
          <CardHeader
            id="units-heading"
            title={t("detail.units", { count: d.units.total })}
            description={t("detail.unitsDescription")}
          />
          <CardBody className="space-y-3">
            {d.units.total === 0 ? (
              <EmptyState title={t("detail.unitsEmptyTitle")}>{t("detail.unitsEmpty")}</EmptyState>
            ) : (
              <>
                <Table caption={t("detail.unitsCaption")}>
                  <THead>
                    <Tr>
                      <Th>{t("detail.colUnit")}</Th>
                      <Th>{t("detail.colPart")}</Th>
                      <Th>{t("detail.colOrder")}</Th>
                      <Th>{t("detail.colStatus")}</Th>
                      <Th>{t("detail.colWhere")}</Th>
                      <Th>{t("detail.colItem")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {d.units.rows.map((u) => (
                      <Tr key={u.unitSerialItemId}>
                        <Td>
                          <Link href={withQuery("/genealogy", { item: u.unitSerialItemId })} className="inline-flex min-h-10 items-center font-mono font-semibold text-blue-800 underline">
                            {u.unitSerialNumber}
                          </Link>
                          {u.topLevel ? null : <Badge className="ml-2">{t("detail.inside")}</Badge>}
                        </Td>
                        <Td className="font-mono">
                          {t("detail.partRev", { part: u.partNumber, revision: u.revision })}
                        </Td>
                        <Td className="font-mono">{u.workOrderNumber ?? "—"}</Td>
                        <Td>{u.status ? (status.has(u.status as never) ? status(u.status as never) : u.status) : "—"}</Td>
                        <Td>
                          <LocationText location={u.location} timeZone={actor.timeZone} />
                        </Td>
                        <Td className="font-mono text-sm">
                          {u.holdIds.map((h) => holdLabel.get(h) ?? h).join("; ")}
                          {u.level > 1 ? <span className="block font-sans text-xs text-slate-600">{t("detail.levels", { count: u.level })}</span> : null}
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
                <Pager page={page} pageSize={PAGE_SIZE} total={d.units.total} pageCount={pageCount} noun={t("detail.unitsNoun")} href={(p) => withQuery(`/quality/suspect-parts/${a.id}`, { page: p })} />
              </>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="holds-heading">
          <CardHeader id="holds-heading" title={t("detail.holds", { count: d.holds.length, active })} description={t("detail.holdsDescription")} />
          <CardBody>
            {d.holds.length === 0 ? (
              <EmptyState title={t("detail.holdsEmptyTitle")}>{t("detail.holdsEmpty")}</EmptyState>
            ) : (
              <Table caption={t("detail.holdsCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("detail.colHeld")}</Th>
                    <Th>{t("detail.colPlaced")}</Th>
                    <Th>{t("detail.colSignatures")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {d.holds.map((h) => (
                    <Tr key={h.id} className={h.tampered ? "bg-red-50" : undefined}>
                      <Td>
                        <Link href={`/quality/holds/${h.id}`} className="inline-flex min-h-10 items-center font-mono font-semibold text-blue-800 underline">
                          {h.targetLabel}
                        </Link>
                        {h.active ? <Badge tone="red" className="ml-2">{t("detail.onHold")}</Badge> : <Badge tone="green" className="ml-2">{t("detail.released")}</Badge>}
                      </Td>
                      <Td>
                        <DateTime value={h.placedAt} timeZone={actor.timeZone} />
                        <span className="block text-xs text-slate-600">{h.placedByName}</span>
                      </Td>
                      <Td className="min-w-80">
                        <SignatureList signatures={h.signatures} />
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
