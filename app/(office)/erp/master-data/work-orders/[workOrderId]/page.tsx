import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("erp.workOrder");
  return { title: t("metaTitle") };
}

export default async function ErpWorkOrderPage({ params }: { params: Promise<{ workOrderId: string }> }) {
  const { workOrderId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.workOrder");
  const tMd = await getTranslations("erp.masterData");
  const wo = looksLikeId(workOrderId) ? await orNotFound(api.erp.masterData.workOrder({ workOrderId })) : null;
  if (!wo) return <NotFoundNotice what={t("notFound")} siteName={actor.siteName} backHref="/erp/master-data?view=work-orders" backLabel={tMd("views.workOrders")} />;
  const tz = actor.timeZone;

  return (
    <>
      <PageHeader
        title={t.rich("title", { number: wo.number, mono: (c) => <span className="font-mono">{c}</span> })}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Link href={`/erp/master-data/parts/${wo.partId}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
              {wo.partNumber}
            </Link>
            {t.rich("summary", {
              revision: wo.revision,
              quantity: wo.quantity,
              version: wo.erpVersion,
              due: () => <DateTime value={new Date(`${wo.dueDate}T12:00:00Z`)} timeZone="UTC" dateOnly />,
              released: () => <DateTime value={wo.releasedAt} timeZone={tz} />,
            })}
            <StatusBadge status={wo.status} />
          </span>
        }
        actions={<ButtonLink href="/erp/master-data?view=work-orders">{t("all")}</ButtonLink>}
      />
      <ErpTabs current="master-data" />
      <div className="space-y-5">
        <Card labelledBy="units-heading">
          <CardHeader id="units-heading" title={t("units")} description={t("unitsDescription", { done: wo.unitsCompleted, count: wo.units })} />
          <CardBody>
            {wo.unitList.length === 0 ? (
              <EmptyState title={t("noUnits")}>{t("noUnitsHint")}</EmptyState>
            ) : (
              <Table caption={t("units")}>
                <THead>
                  <Tr>
                    <Th>{t("colSerial")}</Th>
                    <Th>{t("colStatus")}</Th>
                    <Th>{t("colCompleted")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {wo.unitList.map((u) => (
                    <Tr key={u.id}>
                      <Td className="font-mono font-semibold">{u.serial}</Td>
                      <Td>
                        <StatusBadge status={u.status} />
                      </Td>
                      <Td>
                        <DateTime value={u.completedAt} timeZone={tz} />
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
        <Card labelledBy="wo-ops-heading">
          <CardHeader id="wo-ops-heading" title={t("operations")} description={t("operationsDescription")} />
          <CardBody>
            {wo.operations.length === 0 ? (
              <EmptyState title={t("noOperations")}>{t("noOperationsHint")}</EmptyState>
            ) : (
              <Table caption={t("operationsCaption")}>
                <THead>
                  <Tr>
                    <Th className="text-right">{t("colOp")}</Th>
                    <Th>{t("colCode")}</Th>
                    <Th>{t("colDescription")}</Th>
                    <Th>{t("colWorkCenter")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {wo.operations.map((o) => (
                    <Tr key={o.seq}>
                      <Td className="text-right tabular-nums font-semibold">{o.seq}</Td>
                      <Td className="font-mono">{o.code}</Td>
                      <Td>{o.description}</Td>
                      <Td className="font-mono">{o.workCenterCode}</Td>
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
