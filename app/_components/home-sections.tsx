import Link from "next/link";
import { OwnershipTable } from "@/components/admin/ownership-table";
import { UsersTable } from "@/components/admin/users-table";
import { RecentInstallsTable } from "@/components/genealogy/recent-installs-table";
import { ExpiryChip } from "@/components/inventory/expiry-chip";
import { HoldBadge, InspectionBadge } from "@/components/inventory/hold-badge";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { StationCard } from "@/components/production/station-card";
import { StatusBadge } from "@/components/production/status-badge";
import { INBOX_STATUSES, OUTBOX_STATUSES, StatusCounts } from "@/components/production/status-counts";
import { WipOperationsTable } from "@/components/production/wip-operations-table";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { serverCaller } from "@/server/api/server-caller";
import type { Actor } from "@/server/auth/types";

/* The home page's sections, one per role the actor holds at the active site. Server Components: data through tRPC. */

type Api = Awaited<ReturnType<typeof serverCaller>>;
type Props = { api: Api; actor: Actor };

export async function OperatorHome({ api, actor }: Props) {
  const stations = await api.station.list();
  const busy = stations.filter((s) => s.queue.length > 0);
  const idle = stations.filter((s) => s.queue.length === 0);
  return (
    <section aria-labelledby="operator-heading" className="space-y-4">
      <h2 id="operator-heading" className="text-2xl font-bold">
        Stations and queued units
      </h2>
      {stations.length === 0 ? (
        <EmptyState title={`${actor.siteName} has no stations yet`}>Ask an administrator to add the stations of your line.</EmptyState>
      ) : (
        <>
          {busy.length === 0 ? (
            <EmptyState title="No units are queued at any station">
              A unit appears at a station when its next operation is done there. Ask your supervisor which work order is next.
            </EmptyState>
          ) : (
            <ul className="grid gap-4 md:grid-cols-2">
              {busy.map((s) => (
                <li key={s.id}>
                  <StationCard station={s} />
                </li>
              ))}
            </ul>
          )}
          {idle.length > 0 ? (
            <div>
              <h3 className="mb-2 text-lg font-semibold">Stations with nothing queued</h3>
              <ul className="flex flex-wrap gap-3">
                {idle.map((s) => (
                  <li key={s.id}>
                    <ButtonLink href={`/station/${s.id}`} size="lg">
                      <span className="font-mono">{s.code}</span> {s.name}
                    </ButtonLink>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

export async function KittingHome({ api, actor }: Props) {
  const workOrders = await api.kitting.workOrders();
  return (
    <Card labelledBy="kitting-home-heading">
      <CardHeader
        id="kitting-home-heading"
        title="Work orders to kit, by due date"
        description="Required for the units still to build against what is staged at the stations."
        actions={<ButtonLink href="/kitting">Open kitting</ButtonLink>}
      />
      <CardBody>
        {workOrders.length === 0 ? (
          <EmptyState title={`No open work orders at ${actor.siteName}`}>
            Released ERP production orders appear here. If one is missing, ask an administrator to check the ERP interface.
          </EmptyState>
        ) : (
          <ul className="space-y-4">
            {workOrders.map((wo) => (
              <li key={wo.id} className="rounded-md border border-slate-300 p-3">
                <div className="flex flex-wrap items-center gap-3">
                  <Link href={`/kitting/${wo.id}`} className="inline-flex min-h-12 items-center font-mono text-lg font-bold text-blue-800 underline">
                    {wo.number}
                  </Link>
                  <PartRev partNumber={wo.partNumber} revision={wo.revision} />
                  <span>{wo.quantity} units</span>
                  <span className="tabular-nums">due {wo.dueDate}</span>
                  <StatusBadge status={wo.status} />
                  {wo.lines.length > 0 ? (
                    wo.linesCovered === wo.lines.length ? (
                      <Badge tone="green">All {wo.lines.length} lines staged</Badge>
                    ) : (
                      <Badge tone="amber">
                        {wo.lines.length - wo.linesCovered} of {wo.lines.length} lines short
                      </Badge>
                    )
                  ) : null}
                </div>
                {wo.lines.length === 0 ? (
                  <p className="mt-2 text-slate-700">No BOM lines: nothing to kit.</p>
                ) : (
                  <Table caption={`Lines of ${wo.number}`} className="mt-2">
                    <THead>
                      <Tr>
                        <Th>Component</Th>
                        <Th>Op</Th>
                        <Th className="text-right">Required</Th>
                        <Th className="text-right">Installed</Th>
                        <Th className="text-right">Usable at stations</Th>
                        <Th>Status</Th>
                      </Tr>
                    </THead>
                    <TBody>
                      {wo.lines.map((l) => (
                        <Tr key={l.bomLineId}>
                          <Td>
                            <PartRev partNumber={l.partNumber} revision={l.revision} />
                          </Td>
                          <Td className="tabular-nums">{l.operationSeq}</Td>
                          <Td className="text-right">
                            <Qty value={l.required} uom={l.uom} />
                          </Td>
                          <Td className="text-right">
                            <Qty value={l.installed} />
                          </Td>
                          <Td className="text-right">
                            <Qty value={l.atPointOfUse} />
                          </Td>
                          <Td>
                            {l.covered ? (
                              <Badge tone="green">Staged</Badge>
                            ) : (
                              <Badge tone="amber">
                                Short <Qty value={l.shortage} uom={l.uom} className="ml-1" />
                              </Badge>
                            )}
                          </Td>
                        </Tr>
                      ))}
                    </TBody>
                  </Table>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

export async function QualityHome({ api, actor }: Props) {
  const holds = await api.plant.activeHolds();
  const lots = await api.plant.lots({ attentionOnly: true });
  const installs = await api.genealogy.recentInstalls({ limit: 10 });
  const tz = actor.timeZone;
  return (
    <div className="space-y-5">
      <Card labelledBy="holds-heading">
        <CardHeader id="holds-heading" title="Active holds" description="Held material cannot be kitted or consumed." />
        <CardBody>
          {holds.length === 0 ? (
            <EmptyState title={`No material is on hold at ${actor.siteName}`}>
              Holds on a lot, serial, part revision, manufacturer or supplier are listed here with the units in work they touch.
            </EmptyState>
          ) : (
            <Table caption="Active holds">
              <THead>
                <Tr>
                  <Th>Held</Th>
                  <Th>Reason</Th>
                  <Th>Placed</Th>
                  <Th>By</Th>
                  <Th className="text-right">Units in work affected</Th>
                  <Th className="text-right">Finished / shipped affected</Th>
                </Tr>
              </THead>
              <TBody>
                {holds.map((h) => (
                  <Tr key={h.id}>
                    <Td>
                      <Badge tone="red" className="mr-2">
                        {h.targetType.replace("_", " ")}
                      </Badge>
                      {h.targetLabel}
                    </Td>
                    <Td>{h.reason}</Td>
                    <Td>
                      <DateTime value={h.placedAt} timeZone={tz} />
                    </Td>
                    <Td>{h.placedByName}</Td>
                    <Td className="text-right tabular-nums">
                      <Link href={`/quality/holds/${h.id}`} className="text-blue-800 underline" aria-label={`Units affected by the hold on ${h.targetLabel}`}>
                        {h.affectedOpenUnits}
                      </Link>
                    </Td>
                    <Td className="text-right tabular-nums">
                      {h.affectedFinishedUnits} / {h.affectedShippedUnits}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </CardBody>
      </Card>

      <Card labelledBy="lots-heading">
        <CardHeader id="lots-heading" title="Lots needing attention" description="Expired, not yet accepted at inspection, or on hold." />
        <CardBody>
          {lots.length === 0 ? (
            <EmptyState title="Every lot is in date, accepted and free">Expired, uninspected or held lots will be listed here.</EmptyState>
          ) : (
            <Table caption="Lots needing attention">
              <THead>
                <Tr>
                  <Th>Lot</Th>
                  <Th>Part</Th>
                  <Th>Manufacturer / supplier</Th>
                  <Th>Expiry</Th>
                  <Th>Inspection</Th>
                  <Th>Hold</Th>
                  <Th className="text-right">On hand</Th>
                </Tr>
              </THead>
              <TBody>
                {lots.map((l) => (
                  <Tr key={l.id}>
                    <Td className="font-mono font-semibold">{l.lotNumber}</Td>
                    <Td>
                      <PartRev partNumber={l.partNumber} revision={l.revision} />
                    </Td>
                    <Td>
                      {l.manufacturerName ?? "—"}
                      {l.supplierName ? <span className="block text-xs text-slate-600">via {l.supplierName}</span> : null}
                    </Td>
                    <Td>
                      <ExpiryChip expiresAt={l.expiresAt} expired={l.expired} timeZone={tz} />
                    </Td>
                    <Td>
                      <InspectionBadge status={l.inspectionStatus} />
                    </Td>
                    <Td>
                      <HoldBadge onHold={l.onHold} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.onHand} uom={l.uom} />
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </CardBody>
      </Card>

      <Card labelledBy="installs-heading">
        <CardHeader id="installs-heading" title="Recent installs" actions={<ButtonLink href="/genealogy">Open genealogy</ButtonLink>} />
        <CardBody>
          <RecentInstallsTable installs={installs} timeZone={tz} />
        </CardBody>
      </Card>
    </div>
  );
}

export async function SupervisorHome({ api, actor }: Props) {
  const board = await api.wip.workOrders();
  return (
    <Card labelledBy="wip-home-heading">
      <CardHeader
        id="wip-home-heading"
        title="Work in progress"
        description="Units per work order and operation: waiting, in progress, done."
        actions={<ButtonLink href="/wip">Open WIP board</ButtonLink>}
      />
      <CardBody>
        {board.length === 0 ? (
          <EmptyState title={`No open work orders at ${actor.siteName}`}>
            Released ERP production orders appear here with their units. Check the ERP interface if one is missing.
          </EmptyState>
        ) : (
          <ul className="space-y-4">
            {board.map((wo) => (
              <li key={wo.id}>
                <p className="mb-1 flex flex-wrap items-center gap-2">
                  <Link href={`/wip/${wo.id}`} className="font-mono text-lg font-bold text-blue-800 underline">
                    {wo.number}
                  </Link>
                  <PartRev partNumber={wo.partNumber} revision={wo.revision} />
                  <span>
                    {wo.unitsCompleted} of {wo.unitsTotal} units done · due {wo.dueDate}
                  </span>
                  <StatusBadge status={wo.status} />
                </p>
                <WipOperationsTable operations={wo.operations} />
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

export async function AdminHome({ api, actor }: Props) {
  const counts = await api.erp.counts();
  const outbound = await api.erp.outboundSummary();
  const users = await api.admin.users();
  const registry = await api.admin.ownershipRegistry();
  return (
    <div className="space-y-5">
      <Card labelledBy="erp-home-heading">
        <CardHeader id="erp-home-heading" title="ERP messages" actions={<ButtonLink href="/erp">Open ERP interface</ButtonLink>} />
        <CardBody className="grid gap-4 md:grid-cols-2">
          <StatusCounts label="Inbound messages" statuses={INBOX_STATUSES} counts={counts.inbox} />
          <StatusCounts label="Outbound confirmations" statuses={OUTBOX_STATUSES} counts={outbound.counts} />
        </CardBody>
      </Card>
      <Card labelledBy="users-home-heading">
        <CardHeader id="users-home-heading" title="Users and roles" actions={<ButtonLink href="/admin">Open admin</ButtonLink>} />
        <CardBody>
          <UsersTable users={users} />
        </CardBody>
      </Card>
      <Card labelledBy="registry-home-heading">
        <CardHeader id="registry-home-heading" title="Ownership registry" />
        <CardBody>
          <OwnershipTable rows={registry} timeZone={actor.timeZone} />
        </CardBody>
      </Card>
    </div>
  );
}

/** The enterprise role: which sites it reaches, and where to trace and hold across them. */
export async function EnterpriseHome({ actor }: Props) {
  const sites = actor.sites.filter((s) => s.roles.includes("enterprise"));
  return (
    <Card labelledBy="enterprise-home-heading">
      <CardHeader
        id="enterprise-home-heading"
        title="Across sites"
        actions={<ButtonLink href="/genealogy/enterprise">Trace across sites</ButtonLink>}
      />
      <CardBody className="space-y-3">
        <p>
          Where-used and as-built follow material across {sites.length === 1 ? "your one enterprise site" : `your ${sites.length} enterprise sites`}:{" "}
          {sites.map((s) => `${s.code} (${s.name})`).join(", ")}.
        </p>
        {actor.roles.includes("quality_engineer") ? (
          <p>
            <Link className="underline" href="/quality/holds/enterprise">
              Place a hold at every one of your sites
            </Link>
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}
