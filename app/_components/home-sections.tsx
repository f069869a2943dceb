import Link from "next/link";
import { getTranslations } from "next-intl/server";
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
  const t = await getTranslations("wip.home.operator");
  const stations = await api.station.list();
  const busy = stations.filter((s) => s.queue.length > 0);
  const idle = stations.filter((s) => s.queue.length === 0);
  return (
    <section aria-labelledby="operator-heading" className="space-y-4">
      <h2 id="operator-heading" className="text-2xl font-bold">
        {t("heading")}
      </h2>
      {stations.length === 0 ? (
        <EmptyState title={t("noStationsTitle", { site: actor.siteName })}>{t("noStationsBody")}</EmptyState>
      ) : (
        <>
          {busy.length === 0 ? (
            <EmptyState title={t("noQueueTitle")}>{t("noQueueBody")}</EmptyState>
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
              <h3 className="mb-2 text-lg font-semibold">{t("idle")}</h3>
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
  const t = await getTranslations("wip.home.kitting");
  const workOrders = await api.kitting.workOrders();
  return (
    <Card labelledBy="kitting-home-heading">
      <CardHeader
        id="kitting-home-heading"
        title={t("title")}
        description={t("description")}
        actions={<ButtonLink href="/kitting">{t("open")}</ButtonLink>}
      />
      <CardBody>
        {workOrders.length === 0 ? (
          <EmptyState title={t("emptyTitle", { site: actor.siteName })}>{t("emptyBody")}</EmptyState>
        ) : (
          <ul className="space-y-4">
            {workOrders.map((wo) => (
              <li key={wo.id} className="rounded-md border border-slate-300 p-3">
                <div className="flex flex-wrap items-center gap-3">
                  <Link href={`/kitting/${wo.id}`} className="inline-flex min-h-12 items-center font-mono text-lg font-bold text-blue-800 underline">
                    {wo.number}
                  </Link>
                  <PartRev partNumber={wo.partNumber} revision={wo.revision} />
                  <span>{t("units", { quantity: wo.quantity })}</span>
                  <span className="tabular-nums">{t("due", { date: wo.dueDate })}</span>
                  <StatusBadge status={wo.status} />
                  {wo.lines.length > 0 ? (
                    wo.linesCovered === wo.lines.length ? (
                      <Badge tone="green">{t("allStaged", { count: wo.lines.length })}</Badge>
                    ) : (
                      <Badge tone="amber">{t("short", { short: wo.lines.length - wo.linesCovered, count: wo.lines.length })}</Badge>
                    )
                  ) : null}
                </div>
                {wo.lines.length === 0 ? (
                  <p className="mt-2 text-slate-700">{t("noLines")}</p>
                ) : (
                  <Table caption={t("linesOf", { number: wo.number })} className="mt-2">
                    <THead>
                      <Tr>
                        <Th>{t("component")}</Th>
                        <Th>{t("op")}</Th>
                        <Th className="text-right">{t("required")}</Th>
                        <Th className="text-right">{t("installed")}</Th>
                        <Th className="text-right">{t("usable")}</Th>
                        <Th>{t("status")}</Th>
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
                              <Badge tone="green">{t("staged")}</Badge>
                            ) : (
                              <Badge tone="amber">
                                {t("lineShort")} <Qty value={l.shortage} uom={l.uom} className="ml-1" />
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
  const t = await getTranslations("wip.home.quality");
  const holds = await api.plant.activeHolds();
  const lots = await api.plant.lots({ attentionOnly: true });
  const installs = await api.genealogy.recentInstalls({ limit: 10 });
  const tz = actor.timeZone;
  return (
    <div className="space-y-5">
      <Card labelledBy="holds-heading">
        <CardHeader id="holds-heading" title={t("holdsTitle")} description={t("holdsDescription")} />
        <CardBody>
          {holds.length === 0 ? (
            <EmptyState title={t("noHoldsTitle", { site: actor.siteName })}>{t("noHoldsBody")}</EmptyState>
          ) : (
            <Table caption={t("holdsTitle")}>
              <THead>
                <Tr>
                  <Th>{t("held")}</Th>
                  <Th>{t("reason")}</Th>
                  <Th>{t("placed")}</Th>
                  <Th>{t("by")}</Th>
                  <Th className="text-right">{t("openAffected")}</Th>
                  <Th className="text-right">{t("finishedAffected")}</Th>
                </Tr>
              </THead>
              <TBody>
                {holds.map((h) => (
                  <Tr key={h.id}>
                    <Td>
                      <Badge tone="red" className="mr-2">
                        {t(`targets.${h.targetType}`)}
                      </Badge>
                      {h.targetLabel}
                    </Td>
                    <Td>{h.reason}</Td>
                    <Td>
                      <DateTime value={h.placedAt} timeZone={tz} />
                    </Td>
                    <Td>{h.placedByName}</Td>
                    <Td className="text-right tabular-nums">
                      <Link href={`/quality/holds/${h.id}`} className="text-blue-800 underline" aria-label={t("affectedAria", { target: h.targetLabel })}>
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
        <CardHeader id="lots-heading" title={t("lotsTitle")} description={t("lotsDescription")} />
        <CardBody>
          {lots.length === 0 ? (
            <EmptyState title={t("noLotsTitle")}>{t("noLotsBody")}</EmptyState>
          ) : (
            <Table caption={t("lotsTitle")}>
              <THead>
                <Tr>
                  <Th>{t("lot")}</Th>
                  <Th>{t("part")}</Th>
                  <Th>{t("source")}</Th>
                  <Th>{t("expiry")}</Th>
                  <Th>{t("inspection")}</Th>
                  <Th>{t("hold")}</Th>
                  <Th className="text-right">{t("onHand")}</Th>
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
                      {l.supplierName ? <span className="block text-xs text-slate-600">{t("via", { supplier: l.supplierName })}</span> : null}
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
        <CardHeader id="installs-heading" title={t("installsTitle")} actions={<ButtonLink href="/genealogy">{t("openGenealogy")}</ButtonLink>} />
        <CardBody>
          <RecentInstallsTable installs={installs} timeZone={tz} />
        </CardBody>
      </Card>
    </div>
  );
}

export async function SupervisorHome({ api, actor }: Props) {
  const t = await getTranslations("wip.home.supervisor");
  const board = await api.wip.workOrders();
  return (
    <Card labelledBy="wip-home-heading">
      <CardHeader
        id="wip-home-heading"
        title={t("title")}
        description={t("description")}
        actions={<ButtonLink href="/wip">{t("open")}</ButtonLink>}
      />
      <CardBody>
        {board.length === 0 ? (
          <EmptyState title={t("emptyTitle", { site: actor.siteName })}>{t("emptyBody")}</EmptyState>
        ) : (
          <ul className="space-y-4">
            {board.map((wo) => (
              <li key={wo.id}>
                <p className="mb-1 flex flex-wrap items-center gap-2">
                  <Link href={`/wip/${wo.id}`} className="font-mono text-lg font-bold text-blue-800 underline">
                    {wo.number}
                  </Link>
                  <PartRev partNumber={wo.partNumber} revision={wo.revision} />
                  <span>{t("progress", { done: wo.unitsCompleted, total: wo.unitsTotal, date: wo.dueDate })}</span>
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
  const t = await getTranslations("wip.home.admin");
  const counts = await api.erp.counts();
  const outbound = await api.erp.outboundSummary();
  const users = await api.admin.users();
  const registry = await api.admin.ownershipRegistry();
  return (
    <div className="space-y-5">
      <Card labelledBy="erp-home-heading">
        <CardHeader id="erp-home-heading" title={t("erpTitle")} actions={<ButtonLink href="/erp">{t("openErp")}</ButtonLink>} />
        <CardBody className="grid gap-4 md:grid-cols-2">
          <StatusCounts label={t("inbound")} statuses={INBOX_STATUSES} counts={counts.inbox} />
          <StatusCounts label={t("outbound")} statuses={OUTBOX_STATUSES} counts={outbound.counts} />
        </CardBody>
      </Card>
      <Card labelledBy="users-home-heading">
        <CardHeader id="users-home-heading" title={t("usersTitle")} actions={<ButtonLink href="/admin">{t("openAdmin")}</ButtonLink>} />
        <CardBody>
          <UsersTable users={users} />
        </CardBody>
      </Card>
      <Card labelledBy="registry-home-heading">
        <CardHeader id="registry-home-heading" title={t("registryTitle")} />
        <CardBody>
          <OwnershipTable rows={registry} timeZone={actor.timeZone} />
        </CardBody>
      </Card>
    </div>
  );
}

/** The enterprise role: which sites it reaches, and where to trace and hold across them. */
export async function EnterpriseHome({ actor }: Props) {
  const t = await getTranslations("wip.home.enterprise");
  const sites = actor.sites.filter((s) => s.roles.includes("enterprise"));
  return (
    <Card labelledBy="enterprise-home-heading">
      <CardHeader
        id="enterprise-home-heading"
        title={t("title")}
        actions={<ButtonLink href="/genealogy/enterprise">{t("trace")}</ButtonLink>}
      />
      <CardBody className="space-y-3">
        <p>{t("reach", { count: sites.length, sites: sites.map((s) => `${s.code} (${s.name})`).join(", ") })}</p>
        {actor.roles.includes("quality_engineer") ? (
          <p>
            <Link className="underline" href="/quality/holds/enterprise">
              {t("hold")}
            </Link>
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}

/** Material alerts (kitting clerks, supervisors, quality engineers): how many within the site's horizons, and the list. */
export async function AlertsHome({ api, actor }: Props) {
  const t = await getTranslations("wip.home.alerts");
  const { count, passed } = await api.alerts.count();
  return (
    <Card labelledBy="alerts-home-heading">
      <CardHeader id="alerts-home-heading" title={t("title")} description={t("description")} actions={<ButtonLink href="/alerts">{t("open")}</ButtonLink>} />
      <CardBody>
        <p className={passed > 0 ? "font-semibold text-red-800" : undefined}>
          {t("count", { count, site: actor.siteName })} {passed > 0 ? t("passed", { count: passed }) : null}
        </p>
      </CardBody>
    </Card>
  );
}
