import type { Metadata } from "next";
import Link from "next/link";
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

export const metadata: Metadata = { title: "Work order (ERP)" };

export default async function ErpWorkOrderPage({ params }: { params: Promise<{ workOrderId: string }> }) {
  const { workOrderId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const wo = looksLikeId(workOrderId) ? await orNotFound(api.erp.masterData.workOrder({ workOrderId })) : null;
  if (!wo) return <NotFoundNotice what="That work order" siteName={actor.siteName} backHref="/erp/master-data?view=work-orders" backLabel="Work orders" />;
  const tz = actor.timeZone;

  return (
    <>
      <PageHeader
        title={
          <>
            Work order <span className="font-mono">{wo.number}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Link href={`/erp/master-data/parts/${wo.partId}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
              {wo.partNumber}
            </Link>
            rev {wo.revision} · {wo.quantity} units · due {wo.dueDate} · released <DateTime value={wo.releasedAt} timeZone={tz} /> · ERP version {wo.erpVersion}
            <StatusBadge status={wo.status} />
          </span>
        }
        actions={<ButtonLink href="/erp/master-data?view=work-orders">All work orders</ButtonLink>}
      />
      <ErpTabs current="master-data" />
      <div className="space-y-5">
        <Card labelledBy="units-heading">
          <CardHeader id="units-heading" title="Units" description={`${wo.unitsCompleted} of ${wo.units} units completed. Each unit is one serial to build.`} />
          <CardBody>
            {wo.unitList.length === 0 ? (
              <EmptyState title="No units yet">The unit serials come with the ERP production order.</EmptyState>
            ) : (
              <Table caption="Units">
                <THead>
                  <Tr>
                    <Th>Serial</Th>
                    <Th>Status</Th>
                    <Th>Completed</Th>
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
          <CardHeader id="wo-ops-heading" title="Operations" description="Frozen from the routing when the order was released." />
          <CardBody>
            {wo.operations.length === 0 ? (
              <EmptyState title="No operations">The order was released without a routing.</EmptyState>
            ) : (
              <Table caption="Work order operations">
                <THead>
                  <Tr>
                    <Th className="text-right">Op</Th>
                    <Th>Code</Th>
                    <Th>Description</Th>
                    <Th>Work center</Th>
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
