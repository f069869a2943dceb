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
import { ReceiveTransferForm, ShipTransferForm } from "./_components/transfer-forms";

export const metadata: Metadata = { title: "Transfers between sites" };

type TransferRow = Awaited<ReturnType<Awaited<ReturnType<typeof serverCaller>>["transfers"]["incoming"]>>[number];

function TransfersTable({ rows, direction, timeZone }: { rows: TransferRow[]; direction: "incoming" | "outgoing"; timeZone: string }) {
  return (
    <Table caption={direction === "incoming" ? "Transfers to this site" : "Transfers from this site"}>
      <THead>
        <Tr>
          <Th>Transfer</Th>
          <Th>{direction === "incoming" ? "From" : "To"}</Th>
          <Th>Part</Th>
          <Th>Lot or serial</Th>
          <Th>Quantity</Th>
          <Th>Shipped</Th>
          <Th>State</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.id}>
            <Td className="font-mono text-lg font-bold">{r.number}</Td>
            <Td>
              {r.otherSiteCode} · {r.otherSiteName}
            </Td>
            <Td>
              <PartRev partNumber={r.partNumber} revision={r.revision} description={r.description} />
            </Td>
            <Td className="font-mono">{r.itemNumber}</Td>
            <Td>
              {r.quantity} {r.uom}
            </Td>
            <Td>
              <DateTime value={r.shippedAt} timeZone={timeZone} />
            </Td>
            <Td>
              {r.status === "in_transit" ? (
                <Badge tone="amber">In transit</Badge>
              ) : (
                <Badge tone="green">
                  Received{direction === "incoming" && r.locationCode ? ` into ${r.locationCode}` : ""}
                  {r.receivedInspection === "pending" ? ", awaiting inspection" : ""}
                </Badge>
              )}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

/**
 * Kitting clerk or supervisor: ship a lot quantity, a serial or a finished sub-assembly to another site, and receive by
 * scan what other sites shipped here. The item keeps its numbers and its as-built; both ERP plants are told once.
 */
export default async function TransfersPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const [options, incoming, outgoing] = await Promise.all([api.transfers.options(), api.transfers.incoming({}), api.transfers.outgoing({})]);
  const waiting = incoming.filter((r) => r.status === "in_transit");

  return (
    <>
      <PageHeader
        title="Transfers between sites"
        description="Ship lots, serials and finished sub-assemblies to another site of the company, and receive what was shipped here by scanning its paperwork or its label. The item keeps its lot or serial number and its as-built record; ERP is told at both plants."
        actions={
          <>
            <ButtonLink href="/kitting/shipping" size="lg">
              Ship to customers
            </ButtonLink>
            <ButtonLink href="/kitting/stock-moves" size="lg">
              Stock moves
            </ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <Card labelledBy="receive-heading">
          <CardHeader id="receive-heading" title="Receive from another site" description={`${waiting.length} transfer(s) on the way to ${actor.siteName}.`} />
          <CardBody className="space-y-4">
            {options.receivingLocations.length === 0 ? (
              <EmptyState title="No stores or quarantine location here">Ask an administrator to set up a stores location to receive into.</EmptyState>
            ) : (
              <ReceiveTransferForm locations={options.receivingLocations} />
            )}
            {incoming.length === 0 ? (
              <EmptyState title="Nothing shipped to this site yet">When another site ships material here, it is listed with its transfer number until you receive it.</EmptyState>
            ) : (
              <TransfersTable rows={incoming} direction="incoming" timeZone={actor.timeZone} />
            )}
          </CardBody>
        </Card>
        <Card labelledBy="ship-transfer-heading">
          <CardHeader id="ship-transfer-heading" title="Ship to another site" description="From stores or quarantine. Held material does not leave; a sub-assembly must be completed." />
          <CardBody className="space-y-4">
            {options.sites.length === 0 ? (
              <EmptyState title="No other site to ship to">This company has one site: transfers need a second one.</EmptyState>
            ) : (
              <ShipTransferForm sites={options.sites} locations={options.receivingLocations} />
            )}
            {outgoing.length === 0 ? (
              <EmptyState title="Nothing shipped from this site yet">Scan a lot or serial above to ship it; it shows here in transit until the other site receives it.</EmptyState>
            ) : (
              <TransfersTable rows={outgoing} direction="outgoing" timeZone={actor.timeZone} />
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
