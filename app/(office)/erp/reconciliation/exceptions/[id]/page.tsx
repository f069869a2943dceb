import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { CATEGORY_INFO, exceptionLabel, resolutionsFor } from "@/server/domain/reconciliation/categories";
import { ResolveForms } from "./_components/resolve-forms";

export const metadata: Metadata = { title: "Reconciliation exception" };

type Explained = {
  movementId: string;
  kind: string;
  occurredAt: string;
  quantity: string;
  location: string;
  order: string | null;
  messageId: string | null;
  confirmationType: string | null;
  confirmationStatus: string | null;
  deliveredAt: string | null;
  meaning: string;
};

const MEANING: Record<string, string> = {
  in_flight: "confirmation not acknowledged yet",
  unconfirmed: "ERP was never told",
  acknowledged_after_snapshot: "acknowledged after ERP's snapshot",
  after_snapshot: "after ERP's snapshot",
  acknowledged: "known to ERP",
  from_erp: "from ERP",
  before_previous_snapshot: "before ERP's previous snapshot",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ExceptionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  if (!UUID.test(id)) notFound();
  const api = await serverCaller(actor);
  const found = await api.reconciliation.exception({ id }).catch((e: { code?: string }) => {
    if (e.code === "NOT_FOUND") return null;
    throw e;
  });
  if (!found) notFound();
  const { exception: x, locations, signature } = found;
  const tz = actor.timeZone;
  const info = CATEGORY_INFO[x.category];
  const live = x.status === "open" || x.status === "investigating";
  const can = resolutionsFor(x.category);
  const movements = ((x.explanation as { movements?: Explained[] }).movements ?? []) as Explained[];
  const examples = ((x.explanation as { examples?: Record<string, unknown>[] }).examples ?? []) as Record<string, unknown>[];
  const delta = x.erpQuantity !== null && x.tracelineQuantity !== null ? `${x.difference?.startsWith("-") ? "+" : "-"}${x.difference?.replace("-", "")} ${x.uom ?? ""}` : null;

  return (
    <>
      <PageHeader title={`Exception ${exceptionLabel(x.number)}`} description={info.meaning} />
      <ErpTabs current="reconciliation" />
      <p className="mb-4">
        <Link href="/erp/reconciliation/exceptions" className="text-blue-800 underline underline-offset-2">
          All exceptions
        </Link>
      </p>
      <div className="space-y-5">
        <Card labelledBy="what-heading">
          <CardHeader id="what-heading" title={info.label} description={x.severity === "critical" ? <Badge tone="red">critical</Badge> : undefined} />
          <CardBody>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-3">
              <Fact label="Status" value={`${x.status}${x.resolution ? ` (${x.resolution.replaceAll("_", " ")})` : ""}`} />
              <Fact label="Owner" value={`${x.ownerSystem === "erp" ? "ERP" : "Traceline"} — ${x.ownerRole.replaceAll("_", " ")}`} />
              <Fact label="Detected" value={<DateTime value={x.detectedAt} timeZone={tz} />} />
              {x.detail ? <Fact label="Check" value={x.detail} /> : null}
              {x.partNumber ? <Fact label="Part" value={`${x.partNumber} rev ${x.revision}${x.erpRevision ? ` (ERP says rev ${x.erpRevision})` : ""}`} /> : null}
              {x.lotNumber || x.serialNumber ? <Fact label={x.lotNumber ? "Lot" : "Serial"} value={x.lotNumber ?? x.serialNumber ?? ""} /> : null}
              {x.partNumber ? <Fact label="Location" value={x.locationCode ?? "whole floor (ERP named no location)"} /> : null}
              {x.erpQuantity !== null ? <Fact label="ERP's quantity" value={`${x.erpQuantity} ${x.erpUnit ?? x.uom ?? ""}`} /> : null}
              {x.tracelineQuantity !== null ? <Fact label="Traceline's quantity (at the snapshot)" value={`${x.tracelineQuantity} ${x.uom ?? ""}`} /> : null}
              {x.inFlightQuantity && x.inFlightQuantity !== "0" ? <Fact label="Of it in flight" value={x.inFlightQuantity} /> : null}
              {x.unconfirmedQuantity && x.unconfirmedQuantity !== "0" ? <Fact label="Of it never confirmed" value={x.unconfirmedQuantity} /> : null}
              {x.orderNumber ? <Fact label="Order" value={x.orderNumber} /> : null}
              {x.snapshotKey ? <Fact label="ERP snapshot" value={x.snapshotKey} /> : null}
              {x.resolutionReason ? <Fact label="Reason" value={`${x.resolutionReason}${x.resolvedByName ? ` — ${x.resolvedByName}` : ""}`} /> : null}
              {x.correctionMessageId ? (
                <Fact
                  label="Correction request"
                  value={
                    <Link href={`/erp/confirmations?q=${x.correctionMessageId}`} className="font-mono text-blue-800 underline underline-offset-2">
                      {x.correctionMessageId} ({x.correctionStatus ?? "?"})
                    </Link>
                  }
                />
              ) : null}
            </dl>
            {signature ? (
              <p className="mt-4 rounded-md border-2 border-slate-300 bg-slate-50 px-3 py-2 text-sm">
                Adjustment of {signature.quantity} at {signature.location}, signed: {signature.display}{" "}
                {signature.status === "valid" ? <Badge tone="green">signature valid</Badge> : <Badge tone="red">INVALID: record changed after signing</Badge>}
              </p>
            ) : null}
          </CardBody>
        </Card>

        <Card labelledBy="mv-heading">
          <CardHeader id="mv-heading" title={examples.length > 0 ? "Violations (first 20)" : "Movements and confirmations"} description={examples.length > 0 ? undefined : "The latest 20 movements of this item here, each with its confirmation and what it means for the difference."} />
          <CardBody>
            {examples.length > 0 ? (
              <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-3 text-xs">{JSON.stringify(examples, null, 2)}</pre>
            ) : movements.length === 0 ? (
              <EmptyState title="No movement of this item here">Traceline never moved it at this location: the difference is on ERP&apos;s side, or in its master data.</EmptyState>
            ) : (
              <Table caption="Movements that explain the difference">
                <THead>
                  <Tr>
                    <Th>When</Th>
                    <Th>Movement</Th>
                    <Th>Location</Th>
                    <Th className="text-right">Quantity</Th>
                    <Th>Order</Th>
                    <Th>Confirmation</Th>
                    <Th>Meaning</Th>
                  </Tr>
                </THead>
                <TBody>
                  {movements.map((m) => (
                    <Tr key={`${m.movementId}-${m.messageId ?? ""}-${m.location}`}>
                      <Td>
                        <DateTime value={new Date(m.occurredAt)} timeZone={tz} />
                      </Td>
                      <Td>{m.kind.replaceAll("_", " ")}</Td>
                      <Td className="font-mono text-xs">{m.location}</Td>
                      <Td className="text-right tabular-nums">{m.quantity.replace(/\.?0+$/, "")}</Td>
                      <Td className="font-mono text-xs">{m.order ?? "—"}</Td>
                      <Td className="font-mono text-xs">
                        {m.messageId ? (
                          <Link href={`/erp/confirmations?q=${m.messageId}`} className="text-blue-800 underline underline-offset-2">
                            {m.confirmationType} {m.confirmationStatus}
                          </Link>
                        ) : (
                          "none"
                        )}
                      </Td>
                      <Td>{MEANING[m.meaning] ?? m.meaning}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        {live ? (
          <Card labelledBy="resolve-heading">
            <CardHeader id="resolve-heading" title="Resolve" description={x.category === "in_flight" ? "In flight: it clears itself when ERP acknowledges the confirmation. Accept it only if that will never happen." : "Every step is audited; an adjustment is signed."} />
            <CardBody>
              <ResolveForms
                exceptionId={x.id}
                allowed={{ investigate: x.status === "open", accept: can.accept, requestCorrection: can.requestCorrection, adjust: can.adjust && x.partRevisionId !== null && (!x.lotNumber || x.lotId !== null) && (!x.serialNumber || x.serialItemId !== null) }}
                needsLocation={x.locationId === null}
                locations={locations.map((l) => ({ id: l.location_id, code: l.code }))}
                delta={delta}
              />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}

function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <dt className="text-sm text-slate-700">{label}</dt>
      <dd className="font-semibold">{value}</dd>
    </div>
  );
}
