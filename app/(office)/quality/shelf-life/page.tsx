import { getLocale, getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { ClockChip } from "@/components/inventory/clock-chip";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime, formatDate, formatDateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { LOT_HISTORY_ROLES } from "@/server/api/routers/material";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { formatQty } from "@/i18n/format";
import { filterField } from "@/components/ui/filter-fields";
import { ExtendShelfLifeForm } from "./_components/extend-shelf-life-form";

export async function generateMetadata() {
  const t = await getTranslations("mixing.shelfLife");
  return { title: t("title") };
}

type Api = Awaited<ReturnType<typeof serverCaller>>;
type Lot = Awaited<ReturnType<Api["material"]["lotHistory"]>>[number];
type T = Awaited<ReturnType<typeof getTranslations<"mixing.shelfLife">>>;


/** One clock event in words: what happened, and its details (quantities, test reference, out-time used). */
function eventWords(t: T, e: Lot["events"][number], timeZone: string, locale: string): { what: string; details: string } {
  const qty = (q: string) => formatQty(q, locale);
  const d = e.detail as Record<string, unknown>;
  const used = t("usedSoFar", { minutes: Math.floor(e.outTimeUsedSeconds / 60) });
  switch (e.kind) {
    case "check_out":
      return { what: t("events.check_out", { from: e.fromCode ?? "none", thaw: e.thawStarted ? "yes" : "no" }), details: used };
    case "check_in":
      return { what: t("events.check_in", { to: e.toCode ?? "none" }), details: used };
    case "mixed":
      if (d.role === "child") {
        const inputs = ((d.inputs as { lot: string; quantity: string }[] | undefined) ?? []).map((i) => `${i.lot} (${qty(i.quantity)})`).join(" + ");
        return { what: t("events.mixedChild", { inputs }), details: "" };
      }
      return { what: t("events.mixedInput", { lot: String(d.childLot ?? ""), quantity: qty(String(d.quantity ?? "0")) }), details: "" };
    case "shelf_life_extended":
      return {
        what: t("events.shelf_life_extended", { from: formatDate(new Date(String(d.previousExpiresAt)), timeZone, locale), to: formatDate(new Date(String(d.newExpiresAt)), timeZone, locale) }),
        details: [t("testReference", { reference: String(d.testReference ?? "") }), e.reason ?? ""].filter(Boolean).join(" · "),
      };
  }
}

/**
 * A lot's clocks and history (quality, supervisors, kitting clerks) and, for quality engineers, the signed shelf-life
 * extension after a re-test. Looked up by lot number (`?lot=`).
 */
export default async function ShelfLifePage({ searchParams }: { searchParams: Promise<{ lot?: string }> }) {
  const actor = await requireActor();
  if (!actor.roles.some((r) => LOT_HISTORY_ROLES.includes(r))) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("mixing.shelfLife");
  const lotNumber = ((await searchParams).lot ?? "").trim().slice(0, 200);
  const lots = lotNumber ? await (await serverCaller(actor)).material.lotHistory({ lotNumber }) : [];
  const canExtend = actor.roles.includes("quality_engineer");
  const tz = actor.timeZone;
  const locale = await getLocale();
  const qty = (q: string) => formatQty(q, locale);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-5">
        <form method="get" aria-label={t("lookupForm")} className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="lot" className="mb-1 block text-sm font-semibold">
              {t("lotLabel")}
            </label>
            <input id="lot" name="lot" defaultValue={lotNumber} autoComplete="off" className={`${filterField} font-mono`} />
          </div>
          <Button type="submit">{t("lookup")}</Button>
        </form>
        {!lotNumber ? <EmptyState title={t("askTitle")}>{t("askHint")}</EmptyState> : null}
        {lotNumber && lots.length === 0 ? <EmptyState title={t("notFound", { lot: lotNumber })}>{t("notFoundHint")}</EmptyState> : null}
        {lots.map((l) => (
          <Card key={l.lotId} labelledBy={`lot-${l.lotId}`}>
            <CardHeader id={`lot-${l.lotId}`} title={t("lotHeading", { lot: l.lotNumber, part: l.partNumber, revision: l.revision })} description={l.description} />
            <CardBody>
              <div className="space-y-4">
                <dl className="grid gap-2 md:grid-cols-3">
                  <div>
                    <dt className="text-sm font-semibold text-slate-700">{t("expires")}</dt>
                    <dd>{l.expiresAt ? <DateTime value={l.expiresAt} timeZone={tz} /> : t("noExpiry")}</dd>
                  </div>
                  <div>
                    <dt className="text-sm font-semibold text-slate-700">{t("clock")}</dt>
                    <dd>{l.clock ? <ClockChip clock={l.clock} timeZone={tz} /> : t("noClock")}</dd>
                  </div>
                  <div>
                    <dt className="text-sm font-semibold text-slate-700">{t("where")}</dt>
                    <dd>{l.places.length === 0 ? t("nowhere") : l.places.map((p) => t("place", { location: p.code, quantity: qty(p.onHand), uom: l.uom })).join(" · ")}</dd>
                  </div>
                </dl>
                {l.events.length === 0 ? (
                  <p className="text-slate-700">{t("noHistory")}</p>
                ) : (
                  <Table caption={t("history", { lot: l.lotNumber })}>
                    <THead>
                      <Tr>
                        <Th>{t("when")}</Th>
                        <Th>{t("event")}</Th>
                        <Th>{t("by")}</Th>
                        <Th>{t("details")}</Th>
                      </Tr>
                    </THead>
                    <TBody>
                      {l.events.map((e, i) => {
                        const w = eventWords(t, e, tz, locale);
                        return (
                          <Tr key={i}>
                            <Td>{formatDateTime(new Date(e.occurredAt), tz, locale)}</Td>
                            <Td>{w.what}</Td>
                            <Td>{e.actorName ?? ""}</Td>
                            <Td>{w.details}</Td>
                          </Tr>
                        );
                      })}
                    </TBody>
                  </Table>
                )}
                {(
                  [
                    ["mixedFrom", l.mixedFrom],
                    ["mixedInto", l.mixedInto],
                  ] as const
                ).map(([key, rows]) =>
                  rows.length === 0 ? null : (
                    <div key={key}>
                      <h3 className="font-semibold">{t(key)}</h3>
                      <ul className="list-disc pl-6">
                        {rows.map((m) => (
                          <li key={m.lotId}>{t("mixRow", { lot: m.lotNumber, part: m.partNumber, revision: m.revision, quantity: qty(m.quantity), uom: m.uom, at: formatDateTime(new Date(m.mixedAt), tz, locale) })}</li>
                        ))}
                      </ul>
                    </div>
                  ),
                )}
                {canExtend && l.expiresAt ? <ExtendShelfLifeForm lotId={l.lotId} lotNumber={l.lotNumber} signerName={actor.displayName} timeZone={tz} /> : null}
              </div>
            </CardBody>
          </Card>
        ))}
      </div>
    </>
  );
}
