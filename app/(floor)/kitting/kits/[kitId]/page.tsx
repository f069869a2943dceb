import type { Metadata } from "next";
import { formatLocalDay } from "@/i18n/format";
import { getLocale, getTranslations } from "next-intl/server";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { IssueKitForm, ScanToPick, ShortPickForm } from "./_components/kit-actions";
import { KitStatusBadge } from "@/components/kitting/kit-status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { formatDate } from "@/components/ui/date-time";
import { formatQty } from "@/components/inventory/qty";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("kitting.kit"))("metaTitle") };
}

export default async function KitPage({ params }: { params: Promise<{ kitId: string }> }) {
  const { kitId } = await params;
  const actor = await requireActor();
  const t = await getTranslations("kitting.kit");
  const tr = await getTranslations("refusals");
  const locale = await getLocale();
  const day = (d: Date | null) => (d ? formatDate(d, actor.timeZone, locale) : t("noExpiry"));
  // why material may not be kitted: English keeps the refusal's own sentence; other languages its catalog message
  const exclusion = (r: { message: string; text?: { key: string; values?: Record<string, string | number | Date> } }) => {
    if (locale === "en" || !r.text || !tr.has(`messages.${r.text.key}` as never)) return r.message;
    const values = Object.fromEntries(Object.entries(r.text.values ?? {}).map(([k, v]) => [k, k.endsWith("Qty") && typeof v === "string" ? formatQty(v, locale) : v]));
    return tr(`messages.${r.text.key}` as never, values as never);
  };
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const data = looksLikeId(kitId) ? await orNotFound(api.kitting.kit({ kitId })) : null;
  if (!data) return <NotFoundNotice what={t("notFoundWhat")} siteName={actor.siteName} backHref="/kitting" backLabel={t("allWorkOrders")} />;
  const { kit, lines, picks, stations } = data;
  const clerk = actor.roles.includes("kitting_clerk");
  const open = kit.status !== "issued" && kit.status !== "closed" && kit.status !== "cancelled";
  const settled = lines.every((l) => l.outstanding === "0") && picks.length > 0;

  return (
    <>
      <PageHeader
        title={
          <>{t.rich("title", { number: kit.number, mono: (chunks) => <span className="font-mono">{chunks}</span> })}</>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            {t("description", { order: kit.workOrderNumber, scope: kit.scope, seq: kit.operationSeq ?? "", station: kit.stationCode ?? "—", due: formatLocalDay(kit.dueDate, locale) })} <KitStatusBadge status={kit.status} />
          </span>
        }
        actions={
          <span className="flex flex-wrap gap-2">
            <ButtonLink href={`/kitting/kits/${kit.id}/label`} size="lg">
              {t("label")}
            </ButtonLink>
            <ButtonLink href={`/kitting/${kit.workOrderId}`} size="lg">
              {t("workOrder")}
            </ButtonLink>
          </span>
        }
      />
      <div className="space-y-6">
        {kit.status === "issued" ? (
          <p role="status" className="rounded-md border-2 border-green-700 bg-green-50 p-4 text-xl font-semibold text-green-900">
            {t("issued", { kit: kit.number, station: kit.stationCode ?? t("itsStation") })}
          </p>
        ) : null}
        {clerk && open ? (
          <Card labelledBy="scan-heading">
            <CardHeader id="scan-heading" title={t("scanTitle")} description={t("scanDescription")} />
            <CardBody>
              <ScanToPick kitId={kit.id} disabled={false} />
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="lines-heading">
          <CardHeader id="lines-heading" title={t("linesTitle")} description={t("linesDescription")} />
          <CardBody>
            <Table caption={t("linesCaption")} comfortable>
              <THead>
                <Tr>
                  <Th>{t("colComponent")}</Th>
                  <Th className="text-right">{t("colRequired")}</Th>
                  <Th className="text-right">{t("colPicked")}</Th>
                  <Th className="text-right">{t("colToPick")}</Th>
                  <Th>{t("colSuggested")}</Th>
                  <Th>{t("colNotToUse")}</Th>
                  {clerk && open ? <Th>{t("colShort")}</Th> : null}
                </Tr>
              </THead>
              <TBody>
                {lines.map((l) => (
                  <Tr key={l.id}>
                    <Td>
                      <PartRev partNumber={l.partNumber} revision={l.revision} description={l.description} />
                      <span className="block text-sm text-slate-700">
                        {t("findOp", { find: l.findNumber ?? "", seq: l.operationSeq })}
                      </span>
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.required} uom={l.uom} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.picked} />
                    </Td>
                    <Td className="text-right">
                      {l.outstanding === "0" ? <Badge tone="green">{t("done")}</Badge> : <Qty value={l.outstanding} uom={l.uom} />}
                      {l.shortQty !== "0" ? (
                        <span className="mt-1 block">
                          <Badge tone="amber">
                            {t("short")} <Qty value={l.shortQty} uom={l.uom} className="ml-1" />
                          </Badge>
                          <span className="block text-sm">{l.shortReason}</span>
                        </span>
                      ) : null}
                    </Td>
                    <Td>
                      {l.suggested.length === 0 ? (
                        <span className="text-slate-700">{open ? t("noUsableStock") : "—"}</span>
                      ) : (
                        <ul className="space-y-1">
                          {l.suggested.map((s) => (
                            <li key={`${s.locationId}-${s.lotId}-${s.serialItemId}`}>
                              <LotBadge lotNumber={s.lotNumber} serialNumber={s.serialNumber} /> <span className="text-sm">{t("in", { location: s.locationName ?? s.locationCode })}</span>{" "}
                              <Qty value={s.available} uom={l.uom} className="text-sm" /> <span className="text-sm text-slate-700">{t("expires", { date: day(s.expiresAt) })}</span>
                            </li>
                          ))}
                        </ul>
                      )}
                      {l.moreNotShown ? <span className="block text-sm text-slate-700">{t("moreNotShown")}</span> : null}
                    </Td>
                    <Td>
                      {l.excluded.length === 0 ? (
                        "—"
                      ) : (
                        <ul className="space-y-1">
                          {l.excluded.map((x) => (
                            <li key={`${x.locationId}-${x.lotId}-${x.serialItemId}`} className="text-sm">
                              <LotBadge lotNumber={x.lotNumber} serialNumber={x.serialNumber} /> {t("inLocation", { location: x.locationName ?? x.locationCode })}{" "}
                              <span className="font-semibold text-red-800">{x.reasons.map(exclusion).join(" ")}</span>
                            </li>
                          ))}
                        </ul>
                      )}
                    </Td>
                    {clerk && open ? (
                      <Td>{l.outstanding !== "0" || l.shortQty !== "0" ? <ShortPickForm kitId={kit.id} kitLineId={l.id} open={l.outstanding} uom={l.uom} label={t("partRev", { part: l.partNumber, revision: l.revision })} /> : null}</Td>
                    ) : null}
                  </Tr>
                ))}
              </TBody>
            </Table>
          </CardBody>
        </Card>

        <Card labelledBy="picks-heading">
          <CardHeader id="picks-heading" title={t("picksTitle")} description={t("picksDescription")} />
          <CardBody>
            {picks.length === 0 ? (
              <EmptyState title={t("picksEmptyTitle")}>{t("picksEmpty")}</EmptyState>
            ) : (
              <Table caption={t("picksCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("colComponent")}</Th>
                    <Th>{t("colLotSerial")}</Th>
                    <Th>{t("colFrom")}</Th>
                    <Th className="text-right">{t("colQuantity")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {picks.map((p) => (
                    <Tr key={p.id}>
                      <Td>
                        <PartRev partNumber={p.partNumber} revision={p.revision} />
                      </Td>
                      <Td>
                        <LotBadge lotNumber={p.lotNumber} serialNumber={p.serialNumber} />
                      </Td>
                      <Td>{p.locationName}</Td>
                      <Td className="text-right">
                        <Qty value={p.quantity} uom={p.uom} />
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        {clerk && open ? (
          <Card labelledBy="issue-heading">
            <CardHeader
              id="issue-heading"
              title={t("issueTitle")}
              description={settled ? t("issueReady") : t("issueNotReady")}
            />
            <CardBody>
              <IssueKitForm kitId={kit.id} stations={stations.map((s) => ({ id: s.id, label: `${s.code} · ${s.name}` }))} stationId={kit.stationId} canIssue={settled} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
