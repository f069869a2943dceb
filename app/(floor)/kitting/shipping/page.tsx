import type { Metadata } from "next";
import { PartRev } from "@/components/inventory/lot-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { ShipUnitForm } from "./_components/ship-unit-form";

export const metadata: Metadata = { title: "Ship finished units" };

/** Kitting clerk or supervisor: completed units in stores, shipped one by one to a customer with the delivery note. */
export default async function ShippingPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const units = await api.production.finishedUnits();
  const shippable = units.filter((u) => u.holdReasons.length === 0);

  return (
    <>
      <PageHeader
        title="Ship finished units"
        description="Completed units in stores. Shipping one records to whom and the delivery note, moves it out of stores and tells ERP (goods issue for the delivery). A unit on quality hold does not ship."
        actions={
          <>
            <ButtonLink href="/kitting/stock-moves" size="lg">
              Stock moves
            </ButtonLink>
            <ButtonLink href="/kitting" size="lg">
              All work orders
            </ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <Card labelledBy="finished-heading">
          <CardHeader id="finished-heading" title="In stores, ready to ship" />
          <CardBody>
            {units.length === 0 ? (
              <EmptyState title="No finished units in stores">Units arrive here when their last operation is completed.</EmptyState>
            ) : (
              <Table caption="Finished units in stores">
                <THead>
                  <Tr>
                    <Th>Serial</Th>
                    <Th>Part</Th>
                    <Th>Work order</Th>
                    <Th>Completed</Th>
                    <Th>Location</Th>
                    <Th>State</Th>
                  </Tr>
                </THead>
                <TBody>
                  {units.map((u) => (
                    <Tr key={u.unitId}>
                      <Td className="font-mono text-lg font-bold">{u.serial}</Td>
                      <Td>
                        <PartRev partNumber={u.partNumber} revision={u.revision} description={u.description} />
                      </Td>
                      <Td className="font-mono">{u.workOrderNumber}</Td>
                      <Td>
                        <DateTime value={u.completedAt} timeZone={actor.timeZone} />
                      </Td>
                      <Td className="font-mono">{u.locationCode}</Td>
                      <Td>{u.holdReasons.length > 0 ? <Badge tone="red">On hold: {u.holdReasons.join("; ")}</Badge> : <Badge tone="green">Ready</Badge>}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
        {shippable.length > 0 ? (
          <Card labelledBy="ship-heading">
            <CardHeader id="ship-heading" title="Ship a unit" description="Choose the unit, to whom it goes and the delivery note." />
            <CardBody>
              <ShipUnitForm units={shippable.map((u) => ({ unitId: u.unitId, label: `${u.serial} · ${u.partNumber} rev ${u.revision} · ${u.locationCode}` }))} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
