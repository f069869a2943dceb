import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { BomTreeTable, Effectivity } from "@/components/erp/bom-tree-table";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { Qty } from "@/components/inventory/qty";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("erp.part");
  return { title: t("metaTitle") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default async function PartPage({ params, searchParams }: { params: Promise<{ partId: string }>; searchParams: Promise<Search> }) {
  const { partId } = await params;
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.part");
  const tMd = await getTranslations("erp.masterData");
  const tBom = await getTranslations("erp.bom");
  const tTracking = await getTranslations("erp.tracking");
  const tStorage = await getTranslations("storage.classes");
  const rev = one(sp.rev);
  const data = looksLikeId(partId) && (!rev || looksLikeId(rev)) ? await orNotFound(api.erp.masterData.part({ partId, revisionId: rev })) : null;
  if (!data) return <NotFoundNotice what={t("notFound")} siteName={actor.siteName} backHref="/erp/master-data" backLabel={tMd("title")} />;
  const { part, revision, bom, usedIn, routings, maxDepth } = data;
  const base = `/erp/master-data/parts/${part.id}`;

  return (
    <>
      <PageHeader
        title={t.rich("title", { part: part.partNumber, mono: (c) => <span className="font-mono">{c}</span> })}
        description={part.description}
        actions={<ButtonLink href="/erp/master-data">{t("all")}</ButtonLink>}
      />
      <ErpTabs current="master-data" />
      <div className="space-y-5">
        <Card labelledBy="part-heading">
          <CardHeader id="part-heading" title={t("master")} description={t("masterDescription")} />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6">
              <Field label={t("uom")}>{part.uom}</Field>
              <Field label={t("tracking")}>{tTracking(part.tracking as "serial")}</Field>
              <Field label={t("shelfLife")}>{part.shelfLifeDays !== null ? t("days", { n: part.shelfLifeDays }) : t("none")}</Field>
              <Field label={t("minRemaining")}>{part.minRemainingShelfLifeDays !== null ? t("days", { n: part.minRemainingShelfLifeDays }) : t("none")}</Field>
              <Field label={t("outTime")}>{part.outTimeMinutes !== null ? t("minutes", { n: part.outTimeMinutes }) : t("none")}</Field>
              <Field label={t("thaw")}>{part.minThawMinutes !== null ? t("minutes", { n: part.minThawMinutes }) : t("none")}</Field>
              <Field label={t("storageClass")}>{part.storageClass !== null ? tStorage(part.storageClass) : t("none")}</Field>
              <Field label={t("potLife")}>{part.potLifeMinutes !== null ? t("minutes", { n: part.potLifeMinutes }) : t("none")}</Field>
              <Field label={tMd("erpVersion")}>
                {part.erpVersion} · <DateTime value={part.updatedAt} timeZone={actor.timeZone} />
              </Field>
            </dl>
            <div className="mt-4">
              <p className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase" id="revisions-label">
                {t("revisions")}
              </p>
              <ul className="flex flex-wrap gap-2" aria-labelledby="revisions-label">
                {part.revisions.map((r) => (
                  <li key={r.id}>
                    <Link
                      href={`${base}?rev=${r.id}`}
                      aria-current={revision?.id === r.id ? "true" : undefined}
                      className={cn(
                        "inline-flex min-h-9 items-center gap-1 rounded-md border px-3 text-sm font-semibold",
                        revision?.id === r.id ? "border-blue-700 bg-blue-700 text-white" : "border-slate-400 bg-white text-slate-900 hover:bg-slate-100",
                      )}
                    >
                      {t("revLink", { revision: r.revision })}
                      {r.status !== "released" ? <span className="font-normal">({tBom(`revisionStatus.${r.status as "obsolete"}`)})</span> : null}
                      {r.hasBom ? <span className="font-normal">· {tMd("parts.bom")}</span> : null}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          </CardBody>
        </Card>

        {revision ? (
          <Card labelledBy="bom-heading">
            <CardHeader
              id="bom-heading"
              title={t("bom", { revision: revision.revision })}
              description={t("bomDescription")}
            />
            <CardBody className="space-y-3">
              {bom && bom.lines.length > 0 ? (
                <>
                  {bom.truncated ? (
                    <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2 text-sm font-semibold text-amber-900">
                      {t("bomTruncated", { depth: maxDepth })}
                    </p>
                  ) : null}
                  <p className="text-sm text-slate-700">{t("bomLines", { count: bom.lineCount })}</p>
                  <BomTreeTable lines={bom.lines} />
                </>
              ) : (
                <EmptyState title={t("noBom", { revision: revision.revision })}>{t("noBomHint")}</EmptyState>
              )}
            </CardBody>
          </Card>
        ) : null}

        {revision ? (
          <Card labelledBy="used-heading">
            <CardHeader id="used-heading" title={t("usedIn", { revision: revision.revision })} description={t("usedInDescription")} />
            <CardBody>
              {usedIn.length === 0 ? (
                <EmptyState title={t("notUsed")}>{t("notUsedHint")}</EmptyState>
              ) : (
                <Table caption={t("usedInCaption")}>
                  <THead>
                    <Tr>
                      <Th>{t("colParent")}</Th>
                      <Th className="text-right">{tBom("colFind")}</Th>
                      <Th className="text-right">{tBom("colQtyPer")}</Th>
                      <Th className="text-right">{tBom("colOp")}</Th>
                      <Th>{tBom("colSerials")}</Th>
                      <Th>{tBom("colDates")}</Th>
                      <Th>{tBom("colBackflush")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {usedIn.map((u, i) => (
                      <Tr key={`${u.parentPartId}-${u.parentRevision}-${u.findNumber}-${i}`}>
                        <Td>
                          <Link href={`/erp/master-data/parts/${u.parentPartId}`} className="font-mono font-semibold text-blue-800 underline-offset-2 hover:underline">
                            {u.parentPartNumber}
                          </Link>{" "}
                          {tBom("rev", { revision: u.parentRevision })}
                          <span className="block text-xs text-slate-600">{u.parentDescription}</span>
                        </Td>
                        <Td className="text-right tabular-nums">{u.findNumber}</Td>
                        <Td className="text-right">
                          <Qty value={u.quantity} uom={part.uom} />
                        </Td>
                        <Td className="text-right tabular-nums">{u.operationSeq}</Td>
                        <Td className="font-mono text-xs"><Effectivity from={u.serialFrom} to={u.serialTo} /></Td>
                        <Td className="text-xs"><Effectivity from={u.effectiveFrom} to={u.effectiveTo} /></Td>
                        <Td>{u.backflush ? <Badge tone="violet">{tBom("backflush")}</Badge> : tBom("scan")}</Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="aml-heading">
          <CardHeader id="aml-heading" title={t("aml")} description={t("amlDescription")} />
          <CardBody>
            {part.aml.length === 0 ? (
              <EmptyState title={t("noAml")}>{t("noAmlHint")}</EmptyState>
            ) : (
              <Table caption={t("amlCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("colManufacturer")}</Th>
                    <Th>{t("colName")}</Th>
                    <Th>{t("colStatus")}</Th>
                    <Th className="text-right">{tMd("erpVersion")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {part.aml.map((a) => (
                    <Tr key={a.manufacturerCode}>
                      <Td className="font-mono">{a.manufacturerCode}</Td>
                      <Td>{a.manufacturerName}</Td>
                      <Td>{a.status === "approved" ? <Badge tone="green">{t("approved")}</Badge> : <Badge tone="red">{t("disqualified")}</Badge>}</Td>
                      <Td className="text-right tabular-nums">{a.erpVersion}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="part-routings-heading">
          <CardHeader id="part-routings-heading" title={tMd("routings.title", { site: actor.siteName })} description={t("routingsDescription")} />
          <CardBody>
            {routings.length === 0 ? (
              <EmptyState title={t("noRouting")}>{t("noRoutingHint")}</EmptyState>
            ) : (
              <ul className="space-y-1">
                {routings.map((r) => (
                  <li key={r.id}>
                    <Link href={`/erp/master-data/routings/${r.id}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
                      {r.code}
                    </Link>{" "}
                    {t("routingFor", { revision: r.revision, count: r.operations })}
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
