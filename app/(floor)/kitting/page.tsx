import type { Metadata } from "next";
import Link from "next/link";
import { formatLocalDay } from "@/i18n/format";
import { getLocale, getTranslations } from "next-intl/server";
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

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("kitting.list"))("metaTitle") };
}

const LOCATION_KINDS = ["stores", "kitting", "kit_cart", "point_of_use", "quarantine"] as const;
type LocationKind = (typeof LOCATION_KINDS)[number];
const KIT_LOCATION_KINDS = new Set<string>(LOCATION_KINDS);

export default async function KittingPage() {
  const actor = await requireActor();
  const t = await getTranslations("kitting.list");
  const tk = await getTranslations("kitting");
  const locale = await getLocale();
  if (!actor.roles.some((r) => KITTING_WORK_ORDER_ROLES.includes(r))) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  // the quality engineer opens the work orders (for their allowed-lot lists), not the kitting clerk's stock screens
  const kitting = canOpen(actor.roles, "kitting");
  const api = await serverCaller(actor);
  const workOrders = await api.kitting.workOrders();
  const locations = kitting ? (await api.plant.storageLocations()).filter((l) => KIT_LOCATION_KINDS.has(l.kind)) : [];

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { site: actor.siteName })}
        actions={
          kitting ? (
            <>
              <ButtonLink href="/kitting/stock-moves" size="lg">
                {t("stockMoves")}
              </ButtonLink>
              <ButtonLink href="/kitting/shipping" size="lg">
                {t("shipping")}
              </ButtonLink>
              <ButtonLink href="/kitting/transfers" size="lg">
                {t("transfers")}
              </ButtonLink>
            </>
          ) : undefined
        }
      />
      <div className="space-y-6">
        <Card labelledBy="wo-heading">
          <CardHeader id="wo-heading" title={t("woTitle")} />
          <CardBody>
            {workOrders.length === 0 ? (
              <EmptyState title={t("woEmptyTitle", { site: actor.siteName })}>
                {t("woEmpty")}
              </EmptyState>
            ) : (
              <Table caption={t("woCaption")} comfortable>
                <THead>
                  <Tr>
                    <Th>{t("colWorkOrder")}</Th>
                    <Th>{t("colBuilds")}</Th>
                    <Th className="text-right">{t("colUnits")}</Th>
                    <Th>{t("colDue")}</Th>
                    <Th>{t("colStatus")}</Th>
                    <Th>{t("colStaged")}</Th>
                    <Th>{t("colKits")}</Th>
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
                        <Td className="whitespace-nowrap tabular-nums">{formatLocalDay(wo.dueDate, locale)}</Td>
                        <Td>
                          <StatusBadge status={wo.status} />
                        </Td>
                        <Td>
                          {wo.lines.length === 0 ? (
                            <span className="text-slate-700">{t("noBomLines")}</span>
                          ) : (
                            <span className="flex flex-wrap items-center gap-2">
                              <span>{t("linesStaged", { covered: wo.linesCovered, total: wo.lines.length })}</span>
                              {short > 0 ? <Badge tone="amber">{tk("shortCount", { count: short })}</Badge> : <Badge tone="green">{t("allStaged")}</Badge>}
                            </span>
                          )}
                        </Td>
                        <Td>
                          {wo.kits.length === 0 ? (
                            <span className="text-slate-700">{t("noKit")}</span>
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
            <CardHeader id="locations-heading" title={t("locationsTitle")} description={t("locationsDescription")} />
            <CardBody>
              {locations.length === 0 ? (
                <EmptyState title={t("locationsEmptyTitle")}>{t("locationsEmpty")}</EmptyState>
              ) : (
                <Table caption={t("locationsCaption")}>
                  <THead>
                    <Tr>
                      <Th>{t("colLocation")}</Th>
                      <Th>{t("colKind")}</Th>
                      <Th>{t("colStation")}</Th>
                      <Th className="text-right">{t("colStockLines")}</Th>
                      <Th>{t("colOnHand")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {locations.map((l) => (
                      <Tr key={l.id}>
                        <Td>
                          <span className="font-mono font-semibold">{l.code}</span> {l.name}
                        </Td>
                        <Td>{KIT_LOCATION_KINDS.has(l.kind) ? t(`kinds.${l.kind as LocationKind}`) : l.kind.replaceAll("_", " ")}</Td>
                        <Td>{l.stationCode ?? "—"}</Td>
                        <Td className="text-right tabular-nums">{l.lines}</Td>
                        <Td>
                          {l.totals.length === 0 ? (
                            <span className="text-slate-600">{t("empty")}</span>
                          ) : (
                            <span className="flex flex-wrap gap-x-3">
                              {l.totals.map((x) => (
                                <Qty key={x.uom} value={x.quantity} uom={x.uom} />
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
