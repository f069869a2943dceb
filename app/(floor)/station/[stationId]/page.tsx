import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExpiryChip } from "@/components/inventory/expiry-chip";
import { MaterialStatusBadge } from "@/components/inventory/material-status-badge";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("station.station"))("metaTitle") };
}

export default async function StationPage({ params }: { params: Promise<{ stationId: string }> }) {
  const { stationId } = await params;
  const actor = await requireActor();
  const t = await getTranslations("station.station");
  if (!canOpen(actor.roles, "station")) return <ForbiddenNotice siteName={actor.siteName} area="station" />;
  const api = await serverCaller(actor);
  const data = looksLikeId(stationId) ? await orNotFound(api.station.get({ stationId })) : null;
  if (!data) return <NotFoundNotice what={t("notFoundWhat")} siteName={actor.siteName} backHref="/station" backLabel={t("all")} />;
  const { station, queue, stock, kitLines } = data;
  const kitsHere = [...new Map(kitLines.map((l) => [l.kitId, l])).values()];

  return (
    <>
      <PageHeader
        title={
          <>{t.rich("title", { code: station.code, name: station.name, mono: (chunks) => <span className="font-mono">{chunks}</span> })}</>
        }
        description={t("description", { code: station.workCenterCode, workCenter: station.workCenterName, area: station.areaName })}
        actions={
          <ButtonLink href="/station" size="lg">
            {t("all")}
          </ButtonLink>
        }
      />

      <div className="space-y-6">
        <Card labelledBy="queue-heading">
          <CardHeader id="queue-heading" title={t("queueTitle")} description={t("queueDescription")} />
          <CardBody>
            {queue.length === 0 ? (
              <EmptyState title={t("queueEmptyTitle")}>{t("queueEmpty", { code: station.workCenterCode })}</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-200">
                {queue.map((q) => (
                  <li key={q.unitId} className="flex min-h-12 flex-wrap items-center gap-x-5 gap-y-1 py-3">
                    <span className="font-mono text-2xl font-bold">{q.serial}</span>
                    <span className="text-lg">
                      {q.workOrderNumber} · <PartRev partNumber={q.partNumber} revision={q.revision} />
                    </span>
                    <span className="text-lg">
                      {t("op", { seq: q.operationSeq, code: q.operationCode, description: q.operationDescription })}
                    </span>
                    <StatusBadge status={q.operationStatus} />
                    <span className="text-slate-700">{t("due", { date: q.dueDate })}</span>
                    <ButtonLink href={`/station/${station.id}/units/${q.unitId}/operations/${q.operationSeq}`} size="lg" variant="primary" className="ml-auto">
                      {t("workOn", { serial: q.serial, seq: q.operationSeq })}
                    </ButtonLink>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="kits-heading">
          <CardHeader id="kits-heading" title={t("kitsTitle")} description={t("kitsDescription")} />
          <CardBody>
            {kitsHere.length === 0 ? (
              <EmptyState title={t("kitsEmptyTitle")}>{t("kitsEmpty", { station: station.code })}</EmptyState>
            ) : (
              <div className="space-y-5">
                {kitsHere.map((k) => {
                  const lines = kitLines.filter((l) => l.kitId === k.kitId);
                  const short = lines.filter((l) => l.shortQty !== "0");
                  return (
                    <section key={k.kitId} aria-label={t("kit", { kit: k.kitNumber })} className="rounded-md border border-slate-300 p-3">
                      <h3 className="flex flex-wrap items-center gap-3 text-lg font-semibold">
                        <span className="font-mono">{k.kitNumber}</span>
                        <span>{t("for", { order: k.workOrderNumber })}</span>
                        {short.length > 0 ? <Badge tone="amber">{t("shortCount", { count: short.length })}</Badge> : <Badge tone="green">{t("complete")}</Badge>}
                      </h3>
                      <Table caption={t("kitContent", { kit: k.kitNumber })}>
                        <THead>
                          <Tr>
                            <Th>{t("colComponent")}</Th>
                            <Th className="text-right">{t("colRequired")}</Th>
                            <Th className="text-right">{t("colBrought")}</Th>
                            <Th>{t("colShort")}</Th>
                          </Tr>
                        </THead>
                        <TBody>
                          {lines.map((l, i) => (
                            <Tr key={`${l.kitId}-${i}`}>
                              <Td>
                                <PartRev partNumber={l.partNumber} revision={l.revision} />
                              </Td>
                              <Td className="text-right">
                                <Qty value={l.required} uom={l.uom} />
                              </Td>
                              <Td className="text-right">
                                <Qty value={l.picked} uom={l.uom} />
                              </Td>
                              <Td>
                                {l.shortQty === "0" ? (
                                  "—"
                                ) : (
                                  <span>
                                    <Badge tone="amber">
                                      {t("short")} <Qty value={l.shortQty} uom={l.uom} className="ml-1" />
                                    </Badge>{" "}
                                    {l.shortReason}
                                  </span>
                                )}
                              </Td>
                            </Tr>
                          ))}
                        </TBody>
                      </Table>
                    </section>
                  );
                })}
              </div>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="stock-heading">
          <CardHeader id="stock-heading" title={t("stockTitle")} description={t("stockDescription")} />
          <CardBody>
            {stock.length === 0 ? (
              <EmptyState title={t("stockEmptyTitle")}>{t("stockEmpty")}</EmptyState>
            ) : (
              <Table caption={t("stockTitle")} comfortable>
                <THead>
                  <Tr>
                    <Th>{t("colPart")}</Th>
                    <Th>{t("colLotSerial")}</Th>
                    <Th className="text-right">{t("colQuantity")}</Th>
                    <Th>{t("colExpiry")}</Th>
                    <Th>{t("colStatus")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {stock.map((l) => (
                    <Tr key={`${l.locationId}-${l.partRevisionId}-${l.lotId ?? ""}-${l.serialItemId ?? ""}`} className={l.status.usable ? undefined : "bg-red-50"}>
                      <Td>
                        <PartRev partNumber={l.partNumber} revision={l.revision} description={l.description} />
                      </Td>
                      <Td>
                        <LotBadge lotNumber={l.lotNumber} serialNumber={l.serialNumber} />
                      </Td>
                      <Td className="text-right">
                        <Qty value={l.quantity} uom={l.uom} />
                      </Td>
                      <Td>
                        <ExpiryChip expiresAt={l.expiresAt} expired={l.expired} timeZone={actor.timeZone} />
                      </Td>
                      <Td>
                        <MaterialStatusBadge status={l.status} />
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
