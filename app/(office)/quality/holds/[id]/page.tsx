import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Qty } from "@/components/inventory/qty";
import { SignatureList } from "@/components/quality/signature-line";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, withQuery } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { UnitFate } from "@/server/domain/production/unit-fate";
import { ReleaseHoldForm } from "../_components/release-hold-form";
import { EnterpriseReleaseForm } from "../_components/enterprise-release-form";

export async function generateMetadata() {
  const t = await getTranslations("holds");
  return { title: t("detail.metaTitle") };
}

type Api = Awaited<ReturnType<typeof serverCaller>>;
type Detail = Awaited<ReturnType<Api["quality"]["hold"]>>;
type UnitRow = Detail["units"]["rows"][number];
type T = Awaited<ReturnType<typeof getTranslations<"holds">>>;

const PAGE_SIZE = 50;
const orNone = (v: string | null | undefined) => (v ? v : "none");

function fateWords(t: T, fate: UnitFate, first: boolean): string {
  const at = fate.at ?? new Date(0);
  return fate.kind === "shipped"
    ? t("detail.fate.shipped", { first: first ? "yes" : "no", to: orNone(fate.to), hasDate: fate.at ? "yes" : "no", at, reference: orNone(fate.reference) })
    : t("detail.fate.scrapped", { first: first ? "yes" : "no", hasDate: fate.at ? "yes" : "no", at, reason: orNone(fate.reason) });
}

function whereNow(t: T, l: UnitRow["location"]): string {
  switch (l.kind) {
    case "installed": {
      const top = l.topSerialNumber !== l.parentSerialNumber ? l.topSerialNumber : "none";
      return l.topFate
        ? t("detail.where.installedFate", { parent: l.parentSerialNumber, top: orNone(top), fate: fateWords(t, l.topFate, false) })
        : t("detail.where.installed", { parent: l.parentSerialNumber, top: orNone(top) });
    }
    case "in_stock":
      return t("detail.where.inStock", { location: l.locationCode });
    case "wip":
      return l.operationSeq !== null
        ? t("detail.where.wipAt", {
            seq: l.operationSeq,
            code: orNone(l.operationCode),
            place: l.stationCode ? "station" : l.workCenterCode ? "center" : "none",
            where: l.stationCode ?? l.workCenterCode ?? "",
          })
        : t("detail.where.wip");
    case "shipped":
    case "scrapped":
      return fateWords(t, l, true);
    case "unknown":
      return t("detail.where.unknown");
  }
}

export default async function HoldPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("holds");
  const statusWord = (await getTranslations("status")) as unknown as (key: string) => string;
  const notFound = <NotFoundNotice what={t("detail.notFound")} siteName={actor.siteName} backHref="/quality/holds" backLabel={t("detail.allHolds")} />;
  if (!looksLikeId(id)) return notFound;
  const pageParam = typeof sp.page === "string" ? Number.parseInt(sp.page, 10) : 1;
  const page = Number.isInteger(pageParam) && pageParam > 0 ? Math.min(pageParam, 100_000) : 1;
  const api = await serverCaller(actor);
  const d = await orNotFound(api.quality.hold({ holdId: id, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  if (!d) return notFound;
  const h = d.hold;
  const e = d.enterprise;
  const canSign = actor.roles.includes("quality_engineer");
  const pageCount = Math.max(1, Math.ceil(d.units.total / PAGE_SIZE));
  const at = (value: Date | null) => () => <DateTime value={value} timeZone={actor.timeZone} />;

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {t("detail.title", { target: h.targetLabel })}
            {h.active ? <Badge tone="red">{t("detail.onHold")}</Badge> : <Badge tone="green">{t("detail.released")}</Badge>}
            {h.tampered ? <Badge tone="red">{t("detail.invalidSignature")}</Badge> : null}
          </span>
        }
        description={h.active ? t("detail.activeDescription") : t("detail.releasedDescription")}
        actions={<ButtonLink href="/quality/holds">{t("detail.allHolds")}</ButtonLink>}
      />
      <div className="space-y-5">
        <Card labelledBy="record-heading">
          <CardHeader id="record-heading" title={t("detail.record")} />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
              <div>
                <dt className="text-sm font-semibold text-slate-600">{t("detail.reason")}</dt>
                <dd data-testid="hold-reason">{h.reason}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">{t("detail.placed")}</dt>
                <dd>{t.rich("detail.placedBy", { at: at(h.placedAt), name: h.placedByName })}</dd>
              </div>
              {h.releasedAt ? (
                <>
                  <div>
                    <dt className="text-sm font-semibold text-slate-600">{t("detail.releaseReason")}</dt>
                    <dd>{h.releaseReason}</dd>
                  </div>
                  <div>
                    <dt className="text-sm font-semibold text-slate-600">{t("detail.releasedLabel")}</dt>
                    <dd>{t.rich("detail.releasedBy", { at: at(h.releasedAt), name: h.releasedByName ?? "" })}</dd>
                  </div>
                </>
              ) : null}
              <div className="sm:col-span-2">
                <dt className="text-sm font-semibold text-slate-600">{t("detail.signatures")}</dt>
                <dd>
                  <SignatureList
                    signatures={h.signatures}
                    placedBy={
                      h.ncr ? (
                        <Link href={`/quality/ncrs/${h.ncr.id}`} className="text-blue-800 underline">
                          {t("placedByNcr", { number: h.ncr.number })}
                        </Link>
                      ) : undefined
                    }
                  />
                </dd>
              </div>
            </dl>
          </CardBody>
        </Card>

        {h.active && canSign ? (
          <Card labelledBy="release-heading">
            <CardHeader id="release-heading" title={t("detail.releaseTitle")} />
            <CardBody>
              {d.twoPersonRelease && h.placedBy === actor.userId ? (
                <p className="rounded border-2 border-amber-600 bg-amber-50 px-3 py-2 text-amber-950">{t("detail.twoPerson", { site: actor.siteName })}</p>
              ) : (
                <ReleaseHoldForm holdId={h.id} signerName={actor.displayName} />
              )}
            </CardBody>
          </Card>
        ) : null}

        {e ? (
          <Card labelledBy="enterprise-heading">
            <CardHeader id="enterprise-heading" title={t("enterprise.cardTitle")} description={t.rich("enterprise.cardDescription", { name: e.placedByName, at: at(e.placedAt) })} />
            <CardBody className="space-y-4">
              <Table caption={t("enterprise.sitesCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("enterprise.site")}</Th>
                    <Th>{t("enterprise.state")}</Th>
                    <Th>{t("enterprise.releasedCol")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {e.sites.map((s) => (
                    <Tr key={s.siteCode}>
                      <Td>
                        <span className="font-mono font-semibold">{s.siteCode}</span> · {s.siteName}
                      </Td>
                      <Td>
                        <Badge tone={s.state === "held" ? "red" : s.state === "released" ? "green" : "amber"}>{t(`enterprise.states.${s.state}`)}</Badge>
                      </Td>
                      <Td>{s.releasedAt ? t.rich("enterprise.releasedAtBy", { at: at(s.releasedAt), name: s.releasedByName ?? "" }) : "—"}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
              {e.otherSites > 0 ? <p className="text-sm text-slate-700">{t("enterprise.otherSites", { count: e.otherSites })}</p> : null}
              {canSign ? (
                <section aria-labelledby="enterprise-release-heading" className="space-y-2">
                  <h3 id="enterprise-release-heading" className="text-lg font-bold">
                    {t("enterprise.releaseTitle")}
                  </h3>
                  {e.releaseBlock === null ? (
                    <>
                      <p className="text-sm text-slate-700">{t("enterprise.releaseDescription")}</p>
                      <EnterpriseReleaseForm enterpriseHoldId={e.id} signerName={actor.displayName} />
                    </>
                  ) : (
                    <p className={e.releaseBlock.kind === "released" ? "text-slate-700" : "rounded border-2 border-amber-600 bg-amber-50 px-3 py-2 text-amber-950"}>
                      {t(`enterprise.blocked.${e.releaseBlock.kind}`, { sites: e.releaseBlock.sites.join(", ") })}
                    </p>
                  )}
                </section>
              ) : null}
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="units-heading">
          <CardHeader
            id="units-heading"
            title={t("detail.unitsTitle", { count: d.units.total })}
            description={t("detail.unitsDescription", { current: d.units.currentTotal })}
          />
          <CardBody className="space-y-3">
            {d.units.total === 0 ? (
              <EmptyState title={t("detail.noUnits")} />
            ) : (
              <>
                <Table caption={t("detail.unitsCaption")}>
                  <THead>
                    <Tr>
                      <Th>{t("detail.unitSerial")}</Th>
                      <Th>{t("detail.part")}</Th>
                      <Th>{t("detail.workOrder")}</Th>
                      <Th>{t("detail.status")}</Th>
                      <Th>{t("detail.whereNow")}</Th>
                      <Th>{t("detail.level")}</Th>
                      <Th>{t("detail.installed")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {d.units.rows.map((u) => (
                      <Tr key={u.unitSerialItemId}>
                        <Td>
                          <Link href={withQuery("/genealogy", { item: u.unitSerialItemId })} className="font-mono font-semibold text-blue-800 underline">
                            {u.unitSerialNumber}
                          </Link>
                          {u.current ? null : <Badge className="ml-2">{t("detail.removedSince")}</Badge>}
                        </Td>
                        <Td className="font-mono">{t("detail.partRev", { part: u.partNumber, revision: u.revision })}</Td>
                        <Td className="font-mono">{u.workOrderNumber ?? "—"}</Td>
                        <Td>{u.status ? statusWord(u.status) : "—"}</Td>
                        <Td>{whereNow(t, u.location)}</Td>
                        <Td className="tabular-nums">{u.level}</Td>
                        <Td>
                          <DateTime value={u.installedAt} timeZone={actor.timeZone} />
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
                <Pager page={page} pageSize={PAGE_SIZE} total={d.units.total} pageCount={pageCount} noun={t("detail.unitsNoun")} href={(p) => withQuery(`/quality/holds/${h.id}`, { page: p })} />
              </>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="kits-heading">
          <CardHeader id="kits-heading" title={t("detail.kitsTitle", { count: d.kits.length })} description={t("detail.kitsDescription")} />
          <CardBody>
            {d.kits.length === 0 ? (
              <EmptyState title={t("detail.noKits")} />
            ) : (
              <Table caption={t("detail.kitsCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("detail.kit")}</Th>
                    <Th>{t("detail.status")}</Th>
                    <Th>{t("detail.workOrder")}</Th>
                    <Th>{t("detail.part")}</Th>
                    <Th>{t("detail.lotOrSerial")}</Th>
                    <Th className="text-right">{t("detail.quantity")}</Th>
                    <Th>{t("detail.from")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {d.kits.map((k, i) => (
                    <Tr key={`${k.kitId}-${i}`}>
                      <Td className="font-mono font-semibold">{k.kitNumber}</Td>
                      <Td>{k.kitStatus}</Td>
                      <Td className="font-mono">{k.workOrderNumber}</Td>
                      <Td className="font-mono">{t("detail.partRev", { part: k.partNumber, revision: k.revision })}</Td>
                      <Td className="font-mono">{k.lotNumber ?? k.serialNumber ?? "—"}</Td>
                      <Td className="text-right">
                        <Qty value={k.quantity} />
                      </Td>
                      <Td className="font-mono">{k.locationCode}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="staged-heading">
          <CardHeader id="staged-heading" title={t("detail.stagedTitle", { count: d.staged.length })} description={t("detail.stagedDescription")} />
          <CardBody>
            {d.staged.length === 0 ? (
              <EmptyState title={t("detail.noStaged")} />
            ) : (
              <Table caption={t("detail.stagedCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("detail.station")}</Th>
                    <Th>{t("detail.location")}</Th>
                    <Th>{t("detail.part")}</Th>
                    <Th>{t("detail.lotOrSerial")}</Th>
                    <Th className="text-right">{t("detail.onHand")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {d.staged.map((s, i) => (
                    <Tr key={`${s.locationCode}-${i}`}>
                      <Td className="font-mono">{s.stationCode ?? "—"}</Td>
                      <Td className="font-mono">{s.locationCode}</Td>
                      <Td className="font-mono">{t("detail.partRev", { part: s.partNumber, revision: s.revision })}</Td>
                      <Td className="font-mono">{s.lotNumber ?? s.serialNumber ?? "—"}</Td>
                      <Td className="text-right">
                        <Qty value={s.onHand} uom={s.uom} />
                      </Td>
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
