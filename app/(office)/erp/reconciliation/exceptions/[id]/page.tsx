import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
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
import { LedgerCheckText } from "@/components/erp/ledger-check-text";
import { formatQty } from "@/components/inventory/qty";
import { exceptionLabel, resolutionsFor, type ExceptionStatus, type OwnerRole, type Resolution } from "@/server/domain/reconciliation/categories";
import { ResolveForms } from "./_components/resolve-forms";

export async function generateMetadata() {
  const t = await getTranslations("reconciliation.exception");
  return { title: t("metaTitle") };
}

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

const MEANINGS = ["in_flight", "unconfirmed", "acknowledged_after_snapshot", "after_snapshot", "acknowledged", "from_erp", "before_previous_snapshot"] as const;
type Meaning = (typeof MEANINGS)[number];
const MOVEMENT_KINDS = [
  "receive_from_erp", "transfer", "kit_issue", "stage", "consume", "backflush", "scrap", "remove", "return_to_stores", "return_to_erp", "complete", "ship",
  "erp_issue_reversal", "recon_adjustment", "site_ship", "site_receive", "mix",
] as const;
type MovementKind = (typeof MOVEMENT_KINDS)[number];
/** Reasons the reconciliation itself writes when it closes an exception (no person): said from the codes. */
const systemReason = (category: string, resolution: string | null) =>
  resolution === "cleared" ? "cleared" : resolution === "no_longer_differs" ? (category === "ledger_integrity" ? "ledgerPasses" : "noDifference") : null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ExceptionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  if (!UUID.test(id)) notFound();
  const api = await serverCaller(actor);
  const t = await getTranslations("reconciliation");
  const tStatus = await getTranslations("status");
  const locale = await getLocale();
  const found = await api.reconciliation.exception({ id }).catch((e: { code?: string }) => {
    if (e.code === "NOT_FOUND") return null;
    throw e;
  });
  if (!found) notFound();
  const { exception: x, locations, signature } = found;
  const tz = actor.timeZone;
  const live = x.status === "open" || x.status === "investigating";
  const can = resolutionsFor(x.category);
  const movements = ((x.explanation as { movements?: Explained[] }).movements ?? []) as Explained[];
  const examples = ((x.explanation as { examples?: Record<string, unknown>[] }).examples ?? []) as Record<string, unknown>[];
  const delta =
    x.erpQuantity !== null && x.tracelineQuantity !== null ? `${x.difference?.startsWith("-") ? "+" : "-"}${formatQty(x.difference?.replace("-", "") ?? "", locale)} ${x.uom ?? ""}` : null;
  const qty = (v: string) => formatQty(v, locale);
  const sysReason = x.resolvedByName ? null : systemReason(x.category, x.resolution);
  const statusText = t(`exceptionStatus.${x.status as ExceptionStatus}`);

  return (
    <>
      <PageHeader title={t("exception.title", { label: exceptionLabel(x.number) })} description={t(`categories.${x.category}.meaning`)} />
      <ErpTabs current="reconciliation" />
      <p className="mb-4">
        <Link href="/erp/reconciliation/exceptions" className="text-blue-800 underline underline-offset-2">
          {t("exception.all")}
        </Link>
      </p>
      <div className="space-y-5">
        <Card labelledBy="what-heading">
          <CardHeader id="what-heading" title={t(`categories.${x.category}.label`)} description={x.severity === "critical" ? <Badge tone="red">{t("critical")}</Badge> : undefined} />
          <CardBody>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-3">
              <Fact
                label={t("exception.status")}
                value={x.resolution ? t("exception.statusWithResolution", { status: statusText, resolution: t(`resolutions.${x.resolution as Resolution}`) }) : statusText}
              />
              <Fact
                label={t("exception.owner")}
                value={t("exception.ownerValue", { system: t(`systems.${x.ownerSystem === "erp" ? "erp" : "traceline"}`), role: t(`ownerRoles.${x.ownerRole as OwnerRole}`) })}
              />
              <Fact label={t("exception.detected")} value={<DateTime value={x.detectedAt} timeZone={tz} />} />
              {x.detail || x.category === "ledger_integrity" ? <Fact label={t("exception.check")} value={<LedgerCheckText detail={x.detail} explanation={x.explanation} />} /> : null}
              {x.partNumber ? (
                <Fact
                  label={t("exception.part")}
                  value={
                    x.erpRevision
                      ? t("exception.partRevErp", { part: x.partNumber, revision: x.revision ?? "", erpRevision: x.erpRevision })
                      : t("exception.partRev", { part: x.partNumber, revision: x.revision ?? "" })
                  }
                />
              ) : null}
              {x.lotNumber || x.serialNumber ? <Fact label={x.lotNumber ? t("exception.lot") : t("exception.serial")} value={x.lotNumber ?? x.serialNumber ?? ""} /> : null}
              {x.partNumber ? <Fact label={t("exception.location")} value={x.locationCode ?? t("exception.wholeFloor")} /> : null}
              {x.erpQuantity !== null ? <Fact label={t("exception.erpQuantity")} value={`${qty(x.erpQuantity)} ${x.erpUnit ?? x.uom ?? ""}`} /> : null}
              {x.tracelineQuantity !== null ? <Fact label={t("exception.tracelineQuantity")} value={`${qty(x.tracelineQuantity)} ${x.uom ?? ""}`} /> : null}
              {x.inFlightQuantity && x.inFlightQuantity !== "0" ? <Fact label={t("exception.inFlight")} value={qty(x.inFlightQuantity)} /> : null}
              {x.unconfirmedQuantity && x.unconfirmedQuantity !== "0" ? <Fact label={t("exception.unconfirmed")} value={qty(x.unconfirmedQuantity)} /> : null}
              {x.orderNumber ? <Fact label={t("exception.order")} value={x.orderNumber} /> : null}
              {x.snapshotKey ? <Fact label={t("exception.snapshot")} value={x.snapshotKey} /> : null}
              {x.resolutionReason ? (
                <Fact
                  label={t("exception.reason")}
                  value={sysReason ? t(`exception.systemReason.${sysReason}`) : x.resolvedByName ? t("exception.reasonBy", { reason: x.resolutionReason, name: x.resolvedByName }) : x.resolutionReason}
                />
              ) : null}
              {x.correctionMessageId ? (
                <Fact
                  label={t("exception.correction")}
                  value={
                    <Link href={`/erp/confirmations?q=${x.correctionMessageId}`} className="font-mono text-blue-800 underline underline-offset-2">
                      {x.correctionMessageId} ({x.correctionStatus ? tStatus(x.correctionStatus as "pending") : "?"})
                    </Link>
                  }
                />
              ) : null}
            </dl>
            {signature ? (
              <p className="mt-4 rounded-md border-2 border-slate-300 bg-slate-50 px-3 py-2 text-sm">
                {t("exception.adjustment", { quantity: qty(signature.quantity), location: signature.location, signature: signature.display })}{" "}
                {signature.status === "valid" ? <Badge tone="green">{t("exception.signatureValid")}</Badge> : <Badge tone="red">{t("exception.signatureInvalid")}</Badge>}
              </p>
            ) : null}
          </CardBody>
        </Card>

        <Card labelledBy="mv-heading">
          <CardHeader
            id="mv-heading"
            title={examples.length > 0 ? t("exception.violations") : t("exception.movements")}
            description={examples.length > 0 ? undefined : t("exception.movementsDescription")}
          />
          <CardBody>
            {examples.length > 0 ? (
              <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-3 text-xs">{JSON.stringify(examples, null, 2)}</pre>
            ) : movements.length === 0 ? (
              <EmptyState title={t("exception.noMovement")}>{t("exception.noMovementHint")}</EmptyState>
            ) : (
              <Table caption={t("exception.movementsCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("exception.colWhen")}</Th>
                    <Th>{t("exception.colMovement")}</Th>
                    <Th>{t("exception.colLocation")}</Th>
                    <Th className="text-right">{t("exception.colQuantity")}</Th>
                    <Th>{t("exception.colOrder")}</Th>
                    <Th>{t("exception.colConfirmation")}</Th>
                    <Th>{t("exception.colMeaning")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {movements.map((m) => (
                    <Tr key={`${m.movementId}-${m.messageId ?? ""}-${m.location}`}>
                      <Td>
                        <DateTime value={new Date(m.occurredAt)} timeZone={tz} />
                      </Td>
                      <Td>{(MOVEMENT_KINDS as readonly string[]).includes(m.kind) ? t(`movementKinds.${m.kind as MovementKind}`) : m.kind.replaceAll("_", " ")}</Td>
                      <Td className="font-mono text-xs">{m.location}</Td>
                      <Td className="text-right tabular-nums">{qty(m.quantity)}</Td>
                      <Td className="font-mono text-xs">{m.order ?? "—"}</Td>
                      <Td className="font-mono text-xs">
                        {m.messageId ? (
                          <Link href={`/erp/confirmations?q=${m.messageId}`} className="text-blue-800 underline underline-offset-2">
                            {m.confirmationType} {m.confirmationStatus ? tStatus(m.confirmationStatus as "pending") : ""}
                          </Link>
                        ) : (
                          t("exception.noConfirmation")
                        )}
                      </Td>
                      <Td>{(MEANINGS as readonly string[]).includes(m.meaning) ? t(`meanings.${m.meaning as Meaning}`) : m.meaning}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        {live ? (
          <Card labelledBy="resolve-heading">
            <CardHeader id="resolve-heading" title={t("resolve.title")} description={x.category === "in_flight" ? t("resolve.inFlight") : t("resolve.description")} />
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
