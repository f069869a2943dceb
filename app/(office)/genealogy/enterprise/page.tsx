import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { statusWord } from "@/components/genealogy/fate-words";
import { Qty } from "@/components/inventory/qty";
import { PartRev } from "@/components/inventory/lot-badge";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { looksLikeId, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("genealogy.enterprise"))("metaTitle") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

const whereUsedHref = (siteId: string, kind: string, id: string) => `/genealogy/enterprise?site=${siteId}&kind=${kind}&id=${id}`;
const asBuiltHref = (siteId: string, id: string) => `/genealogy/enterprise?site=${siteId}&serial=${id}`;

/**
 * Enterprise genealogy (the enterprise role): find a lot or serial at any of the user's enterprise sites, trace where it
 * is used across those sites (through site transfers), and open a unit's as-built one level at a time, each node with
 * its site. Sites outside the user's enterprise scope are never read; a link leaving the scope is counted, not followed.
 */
export default async function EnterpriseGenealogyPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  const t = await getTranslations("genealogy.enterprise");
  const ts = await getTranslations("status");
  const scope = actor.sites.filter((s) => s.roles.includes("enterprise"));
  if (!actor.roles.includes("enterprise")) {
    return (
      <>
        <PageHeader title={t("title")} description={t("descriptionNone")} />
        <EmptyState title={t("noRoleTitle", { site: actor.siteName })} action={<ButtonLink href="/genealogy">{t("thisSite")}</ButtonLink>}>
          {t("noRole")}
        </EmptyState>
      </>
    );
  }
  const api = await serverCaller(actor);
  const q = (one(sp.q) ?? "").trim().slice(0, 200);
  const site = one(sp.site) ?? "";
  const kind = one(sp.kind);
  const id = one(sp.id) ?? "";
  const serial = one(sp.serial) ?? "";
  const found = q ? await api.enterprise.find({ number: q }) : null;
  const whereUsed =
    looksLikeId(site) && looksLikeId(id) && (kind === "lot" || kind === "serial")
      ? await api.enterprise.whereUsed({ siteId: site, kind, id }).catch(() => null)
      : null;
  const asBuilt = looksLikeId(site) && looksLikeId(serial) ? await api.enterprise.asBuilt({ siteId: site, serialItemId: serial }).catch(() => null) : null;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { sites: scope.map((s) => s.code).join(", ") })}
        actions={<ButtonLink href="/genealogy">{t("siteGenealogy", { site: actor.siteCode })}</ButtonLink>}
      />
      <div className="space-y-6">
        <Card labelledBy="enterprise-find-heading">
          <CardHeader id="enterprise-find-heading" title={t("findTitle")} />
          <CardBody className="space-y-4">
            <form method="get" action="/genealogy/enterprise" className="flex flex-wrap items-end gap-3" aria-label={t("findForm")}>
              <div>
                <label htmlFor="enterprise-q" className="mb-1 block text-sm font-semibold">
                  {t("number")}
                </label>
                <input id="enterprise-q" name="q" defaultValue={q} autoComplete="off" maxLength={200} className="min-h-10 rounded-md border-2 border-slate-400 px-2 font-mono" />
              </div>
              <button type="submit" className="min-h-10 rounded-md bg-blue-700 px-4 font-semibold text-white">
                {t("find")}
              </button>
            </form>
            {found === null ? (
              <p className="text-slate-700">{t("findHint")}</p>
            ) : found.length === 0 ? (
              <EmptyState title={t("notFoundTitle", { q })}>{t("notFound")}</EmptyState>
            ) : (
              <Table caption={t("foundCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("colSite")}</Th>
                    <Th>{t("colPart")}</Th>
                    <Th>{t("colNumber")}</Th>
                    <Th>{t("colOpen")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {found.map((f) => (
                    <Tr key={`${f.siteId}:${f.id}`}>
                      <Td className="font-mono font-semibold">{f.siteCode}</Td>
                      <Td>
                        <PartRev partNumber={f.partNumber} revision={f.revision} />
                      </Td>
                      <Td className="font-mono">
                        {t("kindNumber", { kind: f.kind, number: f.number })}
                      </Td>
                      <Td className="space-x-3">
                        <Link className="text-blue-800 underline" href={whereUsedHref(f.siteId, f.kind, f.id)}>
                          {t("whereUsed")}
                        </Link>
                        {f.kind === "serial" ? (
                          <Link className="text-blue-800 underline" href={asBuiltHref(f.siteId, f.id)}>
                            {t("asBuilt")}
                          </Link>
                        ) : null}
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        {whereUsed ? (
          <Card labelledBy="enterprise-wu-heading">
            <CardHeader id="enterprise-wu-heading" title={t("wuTitle", { count: whereUsed.total })} />
            <CardBody className="space-y-3">
              {whereUsed.linksOutOfScope > 0 ? (
                <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2">
                  {t("outOfScope", { count: whereUsed.linksOutOfScope })}
                </p>
              ) : null}
              {whereUsed.rows.length === 0 ? (
                <EmptyState title={t("wuEmptyTitle")}>{t("wuEmpty")}</EmptyState>
              ) : (
                <Table caption={t("wuCaption")}>
                  <THead>
                    <Tr>
                      <Th>{t("colSite")}</Th>
                      <Th>{t("colUnit")}</Th>
                      <Th>{t("colPart")}</Th>
                      <Th>{t("colLevel")}</Th>
                      <Th>{t("colStatus")}</Th>
                      <Th>{t("colPath")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {whereUsed.rows.map((r) => (
                      <Tr key={`${r.siteId}:${r.unitSerialItemId}`}>
                        <Td className="font-mono font-semibold">{r.siteCode}</Td>
                        <Td className="font-mono">
                          <Link className="text-blue-800 underline" href={asBuiltHref(r.siteId, r.unitSerialItemId)}>
                            {r.unitSerialNumber}
                          </Link>
                        </Td>
                        <Td>
                          <PartRev partNumber={r.partNumber} revision={r.revision} />
                        </Td>
                        <Td>{r.level}</Td>
                        <Td>
                          {r.current ? <Badge tone="green">{t("containsNow")}</Badge> : <Badge tone="neutral">{t("containedRemoved")}</Badge>} {r.status ? statusWord(ts, r.status) : ""}
                          {r.shippedTo ? t("shippedTo", { to: r.shippedTo }) : ""}
                        </Td>
                        <Td className="font-mono text-xs">{r.path.map((p) => (p.via === "transferred" ? t("pathTransfer", { site: p.siteCode, number: p.number }) : `${p.siteCode}:${p.number}`)).join(" → ")}</Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        ) : null}

        {asBuilt?.node ? (
          <Card labelledBy="enterprise-ab-heading">
            <CardHeader
              id="enterprise-ab-heading"
              title={t("abTitle", { site: asBuilt.node.siteCode, serial: asBuilt.node.serialNumber })}
              description={t("abDescription", { part: asBuilt.node.partNumber, revision: asBuilt.node.revision, hasStatus: asBuilt.node.status ? "yes" : "no", status: asBuilt.node.status ? statusWord(ts, asBuilt.node.status) : "" })}
            />
            <CardBody className="space-y-3">
              {asBuilt.originOutOfScope ? (
                <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2">
                  {t("originOutOfScope", { site: asBuilt.originOutOfScope })}
                </p>
              ) : null}
              {asBuilt.components.length === 0 ? (
                <EmptyState title={t("abEmptyTitle")}>{t("abEmpty")}</EmptyState>
              ) : (
                <Table caption={t("abCaption")}>
                  <THead>
                    <Tr>
                      <Th>{t("colSite")}</Th>
                      <Th>{t("colPart")}</Th>
                      <Th>{t("colLotSerial")}</Th>
                      <Th>{t("colQuantity")}</Th>
                      <Th>{t("colHow")}</Th>
                      <Th>{t("colBelow")}</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {asBuilt.components.map((c, i) => (
                      <Tr key={`${c.siteId}:${c.id ?? i}:${c.relation}`}>
                        <Td className="font-mono font-semibold">{c.siteCode}</Td>
                        <Td>
                          <PartRev partNumber={c.partNumber} revision={c.revision} description={c.description} />
                        </Td>
                        <Td className="font-mono">
                          {c.kind === "serial" && c.id ? (
                            <Link className="text-blue-800 underline" href={asBuiltHref(c.siteId, c.id)}>
                              {c.number}
                            </Link>
                          ) : (
                            (c.number ?? t("untracked"))
                          )}
                        </Td>
                        <Td>
                          <Qty value={String(c.quantity)} uom={c.uom} />
                        </Td>
                        <Td>
                          {c.relation === "received_from" ? (
                            <>{t("receivedFrom", { site: c.siteCode, transfer: c.transferNumber ?? "" })}</>
                          ) : (
                            <>
                              {t("installedAt", { seq: c.operationSeq ?? "" })} <DateTime value={c.installedAt} timeZone={actor.timeZone} />
                            </>
                          )}
                        </Td>
                        <Td>{c.below}</Td>
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
