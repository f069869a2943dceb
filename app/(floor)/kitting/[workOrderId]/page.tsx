import type { Metadata } from "next";
import Link from "next/link";
import { formatLocalDay } from "@/i18n/format";
import { getLocale, getTranslations } from "next-intl/server";
import { AllowedLots } from "./_components/allowed-lots";
import { CreateKitForm } from "./_components/create-kit-form";
import { KitStatusBadge } from "@/components/kitting/kit-status-badge";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { KITTING_WORK_ORDER_ROLES, canOpen } from "@/server/api/areas";
import { localDate } from "@/server/domain/kitting/dates";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("kitting.workOrder"))("metaTitle") };
}

export default async function KitWorkOrderPage({ params }: { params: Promise<{ workOrderId: string }> }) {
  const { workOrderId } = await params;
  const actor = await requireActor();
  const t = await getTranslations("kitting.workOrder");
  const tk = await getTranslations("kitting");
  const locale = await getLocale();
  if (!actor.roles.some((r) => KITTING_WORK_ORDER_ROLES.includes(r))) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const data = looksLikeId(workOrderId) ? await orNotFound(api.kitting.workOrder({ workOrderId })) : null;
  if (!data) return <NotFoundNotice what={t("notFoundWhat")} siteName={actor.siteName} backHref="/kitting" backLabel={t("allWorkOrders")} />;
  const { workOrder: wo, lines, units, kits, stations, allowedLots } = data;
  const clerk = actor.roles.includes("kitting_clerk");
  const quality = actor.roles.includes("quality_engineer");
  const lineLabel = (l: (typeof lines)[number]) => t("lineLabel", { find: l.findNumber, part: l.partNumber, revision: l.revision, seq: l.operationSeq });
  const allowedEntries = allowedLots.map((a) => {
    const line = a.workOrderBomLineId ? lines.find((l) => l.bomLineId === a.workOrderBomLineId) : undefined;
    const part = lines.find((l) => l.componentRevisionId === a.partRevisionId);
    return {
      id: a.id,
      lotNumber: a.lotNumber,
      appliesTo: line ? lineLabel(line) : part ? t("everyLineOf", { part: part.partNumber, revision: part.revision }) : t("everyLineOfItsPart"),
      reason: a.reason,
      addedOn: formatLocalDay(localDate(a.addedAt, actor.timeZone), locale),
    };
  });
  const operations = [...new Set(lines.map((l) => l.operationSeq))].sort((a, b) => a - b);
  const openUnits = units.filter((u) => u.status === "planned" || u.status === "in_progress");

  return (
    <>
      <PageHeader
        title={
          <>{t.rich("title", { number: wo.number, mono: (chunks) => <span className="font-mono">{chunks}</span> })}</>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <PartRev partNumber={wo.partNumber} revision={wo.revision} /> {t("summary", { count: wo.quantity, due: formatLocalDay(wo.dueDate, locale) })}
            <StatusBadge status={wo.status} />
          </span>
        }
        actions={
          <ButtonLink href="/kitting" size="lg">
            {t("allWorkOrders")}
          </ButtonLink>
        }
      />
      <div className="mb-6 space-y-6">
        <Card labelledBy="kits-heading">
          <CardHeader id="kits-heading" title={t("kitsTitle")} description={t("kitsDescription")} />
          <CardBody>
            {kits.length === 0 ? (
              <EmptyState title={t("kitsEmptyTitle")}>{clerk ? t("kitsEmptyClerk") : t("kitsEmpty")}</EmptyState>
            ) : (
              <Table caption={t("kitsCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("colKit")}</Th>
                    <Th>{t("colFor")}</Th>
                    <Th>{t("colStation")}</Th>
                    <Th>{t("colStatus")}</Th>
                    <Th className="text-right">{t("colLines")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {kits.map((k) => (
                    <Tr key={k.id}>
                      <Td>
                        {canOpen(actor.roles, "kitting") ? (
                          <Link href={`/kitting/kits/${k.id}`} className="inline-flex min-h-12 items-center font-mono text-lg font-bold text-blue-800 underline">
                            {k.number}
                          </Link>
                        ) : (
                          <span className="font-mono text-lg font-bold">{k.number}</span>
                        )}
                      </Td>
                      <Td>{k.scope === "work_order" ? t("scopeWholeOrder") : k.scope === "operation" ? t("scopeOperation", { seq: k.operationSeq ?? "" }) : t("scopeUnit", { serial: k.unitSerial ?? "" })}</Td>
                      <Td>{k.stationCode ?? "—"}</Td>
                      <Td>
                        <KitStatusBadge status={k.status} /> {k.shortLines > 0 ? <Badge tone="amber">{tk("shortCount", { count: k.shortLines })}</Badge> : null}
                      </Td>
                      <Td className="text-right tabular-nums">{k.lines}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
        {clerk ? (
          <Card labelledBy="create-heading">
            <CardHeader id="create-heading" title={t("createTitle")} description={t("createDescription")} />
            <CardBody>
              <CreateKitForm
                workOrderId={wo.id}
                operations={operations}
                units={openUnits.map((u) => ({ id: u.id, label: u.serial }))}
                stations={stations.map((s) => ({ id: s.id, label: `${s.code} · ${s.name}` }))}
              />
            </CardBody>
          </Card>
        ) : null}
      </div>
      <div className="mb-6">
        <Card labelledBy="allowed-heading">
          <CardHeader
            id="allowed-heading"
            title={t("allowedTitle")}
            description={quality ? t("allowedDescriptionQuality") : t("allowedDescription")}
          />
          <CardBody>
            <AllowedLots workOrderId={wo.id} entries={allowedEntries} lines={lines.map((l) => ({ id: l.bomLineId, label: lineLabel(l) }))} canEdit={quality} signerName={actor.displayName} />
          </CardBody>
        </Card>
      </div>
      <Card labelledBy="bom-heading">
        <CardHeader
          id="bom-heading"
          title={t("bomTitle")}
          description={t("bomDescription")}
        />
        <CardBody>
          {lines.length === 0 ? (
            <EmptyState title={t("bomEmptyTitle")}>{t("bomEmpty", { part: wo.partNumber, revision: wo.revision })}</EmptyState>
          ) : (
            <Table caption={t("bomCaption")} comfortable>
              <THead>
                <Tr>
                  <Th>{t("colFind")}</Th>
                  <Th>{t("colComponent")}</Th>
                  <Th>{t("colOperation")}</Th>
                  <Th className="text-right">{t("colPerUnit")}</Th>
                  <Th className="text-right">{t("colRequired")}</Th>
                  <Th className="text-right">{t("colInstalled")}</Th>
                  <Th className="text-right">{t("colRemaining")}</Th>
                  <Th className="text-right">{t("colAtStations")}</Th>
                  <Th className="text-right">{t("colInKitting")}</Th>
                  <Th className="text-right">{t("colInStores")}</Th>
                  <Th>{t("colStaged")}</Th>
                </Tr>
              </THead>
              <TBody>
                {lines.map((l) => (
                  <Tr key={l.bomLineId}>
                    <Td className="tabular-nums">{l.findNumber}</Td>
                    <Td>
                      <PartRev partNumber={l.partNumber} revision={l.revision} description={l.description} />
                      <span className="mt-1 flex flex-wrap gap-1">
                        <Badge>{l.tracking === "untracked" ? t("untracked") : t("tracked", { tracking: l.tracking })}</Badge>
                        {l.backflush ? <Badge tone="violet">{t("backflush")}</Badge> : null}
                      </span>
                    </Td>
                    <Td>
                      {t("op", { seq: l.operationSeq, code: l.operationCode ?? "" })}
                      {l.workCenterCode ? <span className="block text-sm text-slate-700">{t("at", { workCenter: l.workCenterCode })}</span> : null}
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.quantityPerUnit} uom={l.uom} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.required} uom={l.uom} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.installed} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.remaining} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.atPointOfUse} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.inKitting} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.inStores} />
                    </Td>
                    <Td>
                      {l.covered ? (
                        <Badge tone="green">{t("staged")}</Badge>
                      ) : (
                        <Badge tone="amber">
                          {t("short")} <Qty value={l.shortage} uom={l.uom} className="ml-1" />
                        </Badge>
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </CardBody>
      </Card>
    </>
  );
}
