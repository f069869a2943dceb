import type { Metadata } from "next";
import Link from "next/link";
import { PartRev } from "@/components/inventory/lot-badge";
import { KitStatusBadge } from "@/components/kitting/kit-status-badge";
import { Qty } from "@/components/inventory/qty";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { KITTING_WORK_ORDER_ROLES, canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Kitting" };

const KIT_LOCATION_KINDS = new Set(["stores", "kitting", "kit_cart", "point_of_use", "quarantine"]);

export default async function KittingPage() {
  const actor = await requireActor();
  if (!actor.roles.some((r) => KITTING_WORK_ORDER_ROLES.includes(r))) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  // the quality engineer opens the work orders (for their allowed-lot lists), not the kitting clerk's stock screens
  const kitting = canOpen(actor.roles, "kitting");
  const api = await serverCaller(actor);
  const workOrders = await api.kitting.workOrders();
  const locations = kitting ? (await api.plant.storageLocations()).filter((l) => KIT_LOCATION_KINDS.has(l.kind)) : [];

  return (
    <>
      <PageHeader
        title="Kitting"
        description={`Open work orders at ${actor.siteName} by due date: their kits, and what each needs against what is staged at its stations.`}
        actions={
          kitting ? (
            <>
              <ButtonLink href="/kitting/stock-moves" size="lg">
                Stock moves
              </ButtonLink>
              <ButtonLink href="/kitting/shipping" size="lg">
                Ship finished units
              </ButtonLink>
              <ButtonLink href="/kitting/transfers" size="lg">
                Transfers between sites
              </ButtonLink>
            </>
          ) : undefined
        }
      />
      <div className="space-y-6">
        <Card labelledBy="wo-heading">
          <CardHeader id="wo-heading" title="Work orders by due date" />
          <CardBody>
            {workOrders.length === 0 ? (
              <EmptyState title={`No open work orders at ${actor.siteName}`}>
                Released ERP production orders appear here. If one is missing, check the ERP interface for messages that were not applied.
              </EmptyState>
            ) : (
              <Table caption="Open work orders" comfortable>
                <THead>
                  <Tr>
                    <Th>Work order</Th>
                    <Th>Builds</Th>
                    <Th className="text-right">Units</Th>
                    <Th>Due</Th>
                    <Th>Status</Th>
                    <Th>Staged vs required</Th>
                    <Th>Kits</Th>
                  </Tr>
                </THead>
                <TBody>
                  {workOrders.map((wo) => {
                    const short = wo.lines.length - wo.linesCovered;
                    return (
                      <Tr key={wo.id}>
                        <Td>
                          <Link href={`/kitting/${wo.id}`} className="inline-flex min-h-12 items-center font-mono text-lg font-bold text-blue-800 underline">
                            {wo.number}
                          </Link>
                        </Td>
                        <Td>
                          <PartRev partNumber={wo.partNumber} revision={wo.revision} description={wo.description} />
                        </Td>
                        <Td className="text-right tabular-nums">{wo.quantity}</Td>
                        <Td className="whitespace-nowrap tabular-nums">{wo.dueDate}</Td>
                        <Td>
                          <StatusBadge status={wo.status} />
                        </Td>
                        <Td>
                          {wo.lines.length === 0 ? (
                            <span className="text-slate-700">No BOM lines</span>
                          ) : (
                            <span className="flex flex-wrap items-center gap-2">
                              <span>
                                {wo.linesCovered} of {wo.lines.length} lines staged
                              </span>
                              {short > 0 ? <Badge tone="amber">{short} short</Badge> : <Badge tone="green">All staged</Badge>}
                            </span>
                          )}
                        </Td>
                        <Td>
                          {wo.kits.length === 0 ? (
                            <span className="text-slate-700">No kit</span>
                          ) : (
                            <span className="flex flex-col gap-1">
                              {/* plain text: the work order link above opens its kits */}
                              {wo.kits.map((k) => (
                                <span key={k.id} className="inline-flex items-center gap-2 font-mono">
                                  {k.number} <KitStatusBadge status={k.status} />
                                </span>
                              ))}
                            </span>
                          )}
                        </Td>
                      </Tr>
                    );
                  })}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        {kitting ? (
          <Card labelledBy="locations-heading">
            <CardHeader id="locations-heading" title="Material locations" description="Physical locations of the site with what is on hand there." />
            <CardBody>
              {locations.length === 0 ? (
                <EmptyState title="No storage locations are set up">Ask an administrator to add the stores, kitting areas and point-of-use locations of the site.</EmptyState>
              ) : (
                <Table caption="Material locations">
                  <THead>
                    <Tr>
                      <Th>Location</Th>
                      <Th>Kind</Th>
                      <Th>Station</Th>
                      <Th className="text-right">Stock lines</Th>
                      <Th>On hand</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {locations.map((l) => (
                      <Tr key={l.id}>
                        <Td>
                          <span className="font-mono font-semibold">{l.code}</span> {l.name}
                        </Td>
                        <Td>{l.kind.replaceAll("_", " ")}</Td>
                        <Td>{l.stationCode ?? "—"}</Td>
                        <Td className="text-right tabular-nums">{l.lines}</Td>
                        <Td>
                          {l.totals.length === 0 ? (
                            <span className="text-slate-600">Empty</span>
                          ) : (
                            <span className="flex flex-wrap gap-x-3">
                              {l.totals.map((t) => (
                                <Qty key={t.uom} value={t.quantity} uom={t.uom} />
                              ))}
                            </span>
                          )}
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
