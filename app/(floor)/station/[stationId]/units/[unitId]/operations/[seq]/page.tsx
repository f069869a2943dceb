import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ExpiryChip } from "@/components/inventory/expiry-chip";
import { MaterialStatusBadge } from "@/components/inventory/material-status-badge";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { StatusBadge } from "@/components/production/status-badge";
import { SignatureLine } from "@/components/quality/signature-line";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { RemoveComponentForm, ScrapForm } from "./_components/operation-console";
import { OperationConsole } from "./_components/scan-console";
import { RaiseNcrForm } from "./_components/raise-ncr-form";
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
  return { title: (await getTranslations("station.operation"))("metaTitle") };
}

export default async function OperationPage({ params }: { params: Promise<{ stationId: string; unitId: string; seq: string }> }) {
  const { stationId, unitId, seq } = await params;
  const actor = await requireActor();
  const t = await getTranslations("station.operation");
  if (!canOpen(actor.roles, "station")) return <ForbiddenNotice siteName={actor.siteName} area="station" />;
  const api = await serverCaller(actor);
  const opSeq = /^\d{1,6}$/.test(seq) ? Number.parseInt(seq, 10) : null;
  const data = looksLikeId(stationId) && looksLikeId(unitId) && opSeq !== null ? await orNotFound(api.station.operation({ stationId, unitId, seq: opSeq })) : null;
  if (!data) return <NotFoundNotice what={t("notFoundWhat")} siteName={actor.siteName} backHref={looksLikeId(stationId) ? `/station/${stationId}` : "/station"} backLabel={t("backToStation")} />;
  const { station, unit, workOrder, operation, operations, lines, installed, staged, scrapReasons } = data;
  const closed = operation.status === "completed" || operation.inspection.awaiting || (unit.status !== "planned" && unit.status !== "in_progress") || !operation.routedHere;
  const tNcr = await getTranslations("ncr");
  const notice = !operation.routedHere
    ? t("notRouted", { seq: operation.seq, station: station.code })
    : operation.previousOpen !== null
      ? t("previousOpen", { seq: operation.previousOpen })
      : operation.status === "completed"
        ? t("isComplete", { seq: operation.seq })
        : null;
  const nextOp = operations.find((o) => o.status !== "completed");

  return (
    <>
      <PageHeader
        title={
          <>{t.rich("title", { unit: unit.serial, seq: operation.seq, code: operation.code, serial: (chunks) => <span className="font-mono">{chunks}</span> })}</>
        }
        description={t("description", { order: workOrder.number, part: workOrder.partNumber, revision: workOrder.revision, operation: operation.description, station: station.code })}
        actions={
          <ButtonLink href={`/station/${station.id}`} size="lg">
            {t("backTo", { station: station.code })}
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        <nav aria-label={t("operationsNav")} className="flex flex-wrap gap-2">
          {operations.map((o) => (
            <Link
              key={o.seq}
              href={`/station/${station.id}/units/${unit.id}/operations/${o.seq}`}
              aria-current={o.seq === operation.seq ? "page" : undefined}
              className={`flex min-h-12 items-center gap-2 rounded-md border-2 px-4 text-lg ${o.seq === operation.seq ? "border-blue-700 bg-blue-50" : "border-slate-300 bg-white"}`}
            >
              {t("op", { seq: o.seq, code: o.code })} <StatusBadge status={o.status} />
            </Link>
          ))}
        </nav>
        {notice ? (
          <div role="note" className="flex flex-wrap items-center gap-3 rounded-md border-2 border-amber-600 bg-amber-50 p-3 text-lg text-amber-900">
            <p>{notice}</p>
            {operation.status === "completed" && nextOp ? (
              <ButtonLink href={`/station/${station.id}/units/${unit.id}/operations/${nextOp.seq}`} size="lg" variant="primary">
                {t("goTo", { seq: nextOp.seq })}
              </ButtonLink>
            ) : null}
          </div>
        ) : null}

        {operation.inspection.required ? (
          <div role="note" data-testid="inspection-note" className="space-y-2 rounded-md border-2 border-violet-700 bg-violet-50 p-3 text-lg text-violet-950">
            <p>{operation.inspection.awaiting ? tNcr("stationStamp.awaiting", { seq: operation.seq }) : operation.inspection.stamp ? tNcr("stationStamp.stamped") : tNcr("stationStamp.required")}</p>
            {operation.inspection.stamp ? <SignatureLine signature={operation.inspection.stamp} /> : null}
          </div>
        ) : null}

        <Card labelledBy="scan-heading">
          <CardHeader id="scan-heading" title={t("installTitle")} description={t("installDescription")} />
          <CardBody>
            <OperationConsole stationId={station.id} unitId={unit.id} operationSeq={operation.seq} specs={operation.specs} recorded={operation.recorded} closed={closed} requiredSkills={operation.requiredSkills} requiredToolClasses={operation.requiredToolClasses} />
          </CardBody>
        </Card>

        <Card labelledBy="raise-ncr-heading">
          <CardHeader id="raise-ncr-heading" title={tNcr("stationRaise.title")} description={tNcr("stationRaise.description")} />
          <CardBody>
            <RaiseNcrForm stationId={station.id} pointOfUseId={station.pointOfUseId} unitId={unit.id} unitSerial={unit.serial} operationSeq={operation.seq} />
          </CardBody>
        </Card>

        <Card labelledBy="req-heading">
          <CardHeader id="req-heading" title={t("requiredTitle")} description={t("requiredDescription", { unit: unit.serial })} />
          <CardBody>
            {lines.length === 0 ? (
              <EmptyState title={t("requiredEmptyTitle")}>{t("requiredEmpty")}</EmptyState>
            ) : (
              <Table caption={t("requiredCaption")} comfortable>
                <THead>
                  <Tr>
                    <Th>{t("colFind")}</Th>
                    <Th>{t("colComponent")}</Th>
                    <Th className="text-right">{t("colRequired")}</Th>
                    <Th className="text-right">{t("colInstalled")}</Th>
                    <Th className="text-right">{t("colLeft")}</Th>
                    <Th>{t("colHow")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {lines.map((l) => (
                    <Tr key={l.bomLineId} className={l.left !== "0" ? undefined : "bg-green-50"}>
                      <Td>{l.findNumber}</Td>
                      <Td>
                        <PartRev partNumber={l.partNumber} revision={l.revision} />
                      </Td>
                      <Td className="text-right">
                        <Qty value={l.required} uom={l.uom} />
                      </Td>
                      <Td className="text-right">
                        <Qty value={l.installed} uom={l.uom} />
                      </Td>
                      <Td className="text-right font-semibold">
                        <Qty value={l.left} uom={l.uom} />
                      </Td>
                      <Td>{l.backflush ? <Badge tone="blue">{t("backflushed")}</Badge> : <Badge>{t("scanHow", { tracking: l.tracking })}</Badge>}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="inst-heading">
          <CardHeader id="inst-heading" title={t("installedTitle")} description={t("installedDescription")} />
          <CardBody>
            {installed.length === 0 ? (
              <EmptyState title={t("installedEmptyTitle")}>{t("installedEmpty")}</EmptyState>
            ) : (
              <Table caption={t("installedTitle")} comfortable>
                <THead>
                  <Tr>
                    <Th>{t("colFind")}</Th>
                    <Th>{t("colComponent")}</Th>
                    <Th>{t("colLotSerial")}</Th>
                    <Th className="text-right">{t("colQuantity")}</Th>
                    <Th>{t("colBy")}</Th>
                    <Th>{t("colRework")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {installed.map((i) => (
                    <Tr key={i.edgeId}>
                      <Td>{i.findNumber ?? "—"}</Td>
                      <Td>
                        <PartRev partNumber={i.partNumber} revision={i.revision} />
                      </Td>
                      <Td>
                        <LotBadge lotNumber={i.lotNumber} serialNumber={i.serialNumber} />
                      </Td>
                      <Td className="text-right">
                        <Qty value={i.quantity} uom={i.uom} />
                      </Td>
                      <Td>{i.operatorName}</Td>
                      <Td>
                        <RemoveComponentForm edgeId={i.edgeId} label={`${i.partNumber} ${i.serialNumber ?? i.lotNumber ?? ""}`.trim()} />
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="staged-heading">
          <CardHeader id="staged-heading" title={t("stagedTitle")} description={t("stagedDescription")} />
          <CardBody>
            {staged.length === 0 ? (
              <EmptyState title={t("stagedEmptyTitle")}>{t("stagedEmpty", { order: workOrder.number, station: station.code })}</EmptyState>
            ) : (
              <Table caption={t("stagedTitle")} comfortable>
                <THead>
                  <Tr>
                    <Th>{t("colPart")}</Th>
                    <Th>{t("colLotSerial")}</Th>
                    <Th className="text-right">{t("colQuantity")}</Th>
                    <Th>{t("colExpiry")}</Th>
                    <Th>{t("colStatus")}</Th>
                    <Th>{t("colScrap")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {staged.map((l) => (
                    <Tr key={`${l.partRevisionId}-${l.lotId ?? ""}-${l.serialItemId ?? ""}`} className={l.status.usable ? undefined : "bg-red-50"}>
                      <Td>
                        <PartRev partNumber={l.partNumber} revision={l.revision} />
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
                      <Td>
                        <ScrapForm
                          locationId={l.locationId}
                          item={l.serialItemId ? { serialItemId: l.serialItemId } : l.lotId ? { lotId: l.lotId } : { partRevisionId: l.partRevisionId }}
                          label={`${l.partNumber} ${l.serialNumber ?? l.lotNumber ?? ""}`.trim()}
                          isSerial={l.serialItemId !== null}
                          reasons={scrapReasons}
                        />
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
      </div>
      {/* room for the answer bar fixed at the bottom of the screen */}
      <div aria-hidden="true" className="h-48" />
    </>
  );
}
