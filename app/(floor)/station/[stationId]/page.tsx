import type { Metadata } from "next";
import { ExpiryChip } from "@/components/inventory/expiry-chip";
import { ClockChip } from "@/components/inventory/clock-chip";
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

export const metadata: Metadata = { title: "Station" };

export default async function StationPage({ params }: { params: Promise<{ stationId: string }> }) {
  const { stationId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "station")) return <ForbiddenNotice siteName={actor.siteName} area="station" />;
  const api = await serverCaller(actor);
  const data = looksLikeId(stationId) ? await orNotFound(api.station.get({ stationId })) : null;
  if (!data) return <NotFoundNotice what="That station" siteName={actor.siteName} backHref="/station" backLabel="All stations" />;
  const { station, queue, stock, kitLines } = data;
  const kitsHere = [...new Map(kitLines.map((l) => [l.kitId, l])).values()];

  return (
    <>
      <PageHeader
        title={
          <>
            Station <span className="font-mono">{station.code}</span> · {station.name}
          </>
        }
        description={`Work center ${station.workCenterCode} · ${station.workCenterName}, area ${station.areaName}`}
        actions={
          <ButtonLink href="/station" size="lg">
            All stations
          </ButtonLink>
        }
      />

      <div className="space-y-6">
        <Card labelledBy="queue-heading">
          <CardHeader id="queue-heading" title="Units queued here" description="Units whose next operation is done at this work center; units already started come first." />
          <CardBody>
            {queue.length === 0 ? (
              <EmptyState title="No units are queued at this station">
                A unit appears here when its next operation is at work center {station.workCenterCode}. Ask your supervisor which work order is next.
              </EmptyState>
            ) : (
              <ul className="divide-y divide-slate-200">
                {queue.map((q) => (
                  <li key={q.unitId} className="flex min-h-12 flex-wrap items-center gap-x-5 gap-y-1 py-3">
                    <span className="font-mono text-2xl font-bold">{q.serial}</span>
                    <span className="text-lg">
                      {q.workOrderNumber} · <PartRev partNumber={q.partNumber} revision={q.revision} />
                    </span>
                    <span className="text-lg">
                      Op {q.operationSeq} {q.operationCode}: {q.operationDescription}
                    </span>
                    <StatusBadge status={q.operationStatus} />
                    <span className="text-slate-700">Due {q.dueDate}</span>
                    <ButtonLink href={`/station/${station.id}/units/${q.unitId}/operations/${q.operationSeq}`} size="lg" variant="primary" className="ml-auto">
                      Work on {q.serial} op {q.operationSeq}
                    </ButtonLink>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="kits-heading">
          <CardHeader id="kits-heading" title="Kits staged here" description="Kits issued to this station, for which work order, what each brought and what is short." />
          <CardBody>
            {kitsHere.length === 0 ? (
              <EmptyState title="No kits are staged at this station">A kit shows here once the kitting clerk issues it to {station.code}.</EmptyState>
            ) : (
              <div className="space-y-5">
                {kitsHere.map((k) => {
                  const lines = kitLines.filter((l) => l.kitId === k.kitId);
                  const short = lines.filter((l) => l.shortQty !== "0");
                  return (
                    <section key={k.kitId} aria-label={`Kit ${k.kitNumber}`} className="rounded-md border border-slate-300 p-3">
                      <h3 className="flex flex-wrap items-center gap-3 text-lg font-semibold">
                        <span className="font-mono">{k.kitNumber}</span>
                        <span>for {k.workOrderNumber}</span>
                        {short.length > 0 ? <Badge tone="amber">{short.length} short</Badge> : <Badge tone="green">Complete</Badge>}
                      </h3>
                      <Table caption={`Content of kit ${k.kitNumber}`}>
                        <THead>
                          <Tr>
                            <Th>Component</Th>
                            <Th className="text-right">Required</Th>
                            <Th className="text-right">Brought</Th>
                            <Th>Short</Th>
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
                                      Short <Qty value={l.shortQty} uom={l.uom} className="ml-1" />
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
          <CardHeader id="stock-heading" title="Material at this station" description="Point-of-use stock: what can be installed here." />
          <CardBody>
            {stock.length === 0 ? (
              <EmptyState title="No material is staged at this station">
                Material arrives here when a kit is issued to the station. Ask the kitting clerk for the kit of the next work order.
              </EmptyState>
            ) : (
              <Table caption="Material at this station" comfortable>
                <THead>
                  <Tr>
                    <Th>Part</Th>
                    <Th>Lot / serial</Th>
                    <Th className="text-right">Quantity</Th>
                    <Th>Expiry</Th>
                    <Th>Status</Th>
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
                        <ClockChip clock={l.clock} timeZone={actor.timeZone} />
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
