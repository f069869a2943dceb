import { getTranslations } from "next-intl/server";
import { PartRev } from "@/components/inventory/lot-badge";
import { StatusBadge } from "@/components/production/status-badge";
import { WipOperationsTable } from "@/components/production/wip-operations-table";
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
  const t = await getTranslations("wip.workOrder");
  return { title: t("metaTitle") };
}

const CELL: Record<string, string> = {
  completed: "bg-green-100 text-green-900",
  in_progress: "bg-amber-100 text-amber-900",
  pending: "bg-white text-slate-700",
};

export default async function WipWorkOrderPage({ params }: { params: Promise<{ workOrderId: string }> }) {
  const { workOrderId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "wip")) return <ForbiddenNotice siteName={actor.siteName} area="wip" />;
  const t = await getTranslations("wip.workOrder");
  const api = await serverCaller(actor);
  const data = looksLikeId(workOrderId) ? await orNotFound(api.wip.workOrder({ workOrderId })) : null;
  if (!data) return <NotFoundNotice what={t("notFound")} siteName={actor.siteName} backHref="/wip" backLabel={t("board")} />;
  const { workOrder: wo, operations, units } = data;

  return (
    <>
      <PageHeader
        title={t.rich("title", { number: wo.number, mono: (chunks) => <span className="font-mono">{chunks}</span> })}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <PartRev partNumber={wo.partNumber} revision={wo.revision} /> · {t("meta", { quantity: wo.quantity, due: wo.dueDate })}
            <StatusBadge status={wo.status} />
          </span>
        }
        actions={
          <ButtonLink href="/wip" size="lg">
            {t("board")}
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        <Card labelledBy="ops-heading">
          <CardHeader id="ops-heading" title={t("operations")} />
          <CardBody>
            <WipOperationsTable operations={operations} />
          </CardBody>
        </Card>
        <Card labelledBy="units-heading">
          <CardHeader id="units-heading" title={t("units")} description={t("unitsDescription")} />
          <CardBody>
            {units.length === 0 ? (
              <EmptyState title={t("noUnitsTitle")}>{t("noUnitsBody")}</EmptyState>
            ) : (
              <Table caption={t("unitsCaption")} comfortable>
                <THead>
                  <Tr>
                    <Th>{t("serial")}</Th>
                    <Th>{t("status")}</Th>
                    {operations.map((o) => (
                      <Th key={o.operationId}>{t("op", { seq: o.seq, code: o.code })}</Th>
                    ))}
                  </Tr>
                </THead>
                <TBody>
                  {units.map((u) => (
                    <Tr key={u.unitId}>
                      <Td className="font-mono text-lg font-bold">{u.serial}</Td>
                      <Td>
                        <StatusBadge status={u.status} />
                      </Td>
                      {operations.map((o) => {
                        const op = u.operations.find((x) => x.seq === o.seq);
                        if (!op) return <Td key={o.operationId}>—</Td>;
                        return (
                          <Td key={o.operationId} className={CELL[op.status]}>
                            <StatusBadge status={op.status} />
                            {op.status === "completed" ? (
                              <span className="block text-sm">
                                <DateTime value={op.completedAt} timeZone={actor.timeZone} />
                                {op.completedByName ? t("by", { name: op.completedByName }) : ""}
                              </span>
                            ) : null}
                            {op.stationCode ? <span className="block text-sm">{t("at", { station: op.stationCode })}</span> : null}
                          </Td>
                        );
                      })}
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
