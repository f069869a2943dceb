import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { whereUsedHref } from "@/components/genealogy/links";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { filterField } from "@/components/ui/filter-fields";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { ALERT_ROLES, ALERT_SETTING_ROLES, canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { ALERT_KINDS, HORIZON_LIMITS, type AlertKind } from "@/server/domain/material-alerts/alerts";
import { HorizonForm } from "./_components/horizon-form";
import { TimeLeft } from "@/components/inventory/time-left";

export async function generateMetadata() {
  const t = await getTranslations("alerts");
  return { title: t("title") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);
const whole = (v: string | undefined, min: number, max: number) => {
  const n = Number(v);
  return v && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

/**
 * Material alerts (issue 21): lots and serials on this site's floor that expire or run out of out-time within the
 * horizon (the site's, or the filter's), per station (its point of use, open kits for it) and kind, soonest first,
 * each with where it is, the time left and the next step, a link to its label and its trace.
 */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  const t = await getTranslations("alerts");
  if (!actor.roles.some((r) => ALERT_ROLES.includes(r))) {
    return <EmptyState title={t("forbiddenTitle", { site: actor.siteName })}>{t("forbiddenBody")}</EmptyState>;
  }
  const kindParam = one(sp.kind);
  const kind = ALERT_KINDS.includes(kindParam as AlertKind) ? (kindParam as AlertKind) : undefined;
  const station = one(sp.station)?.trim().slice(0, 100) || undefined;
  const outHours = whole(one(sp.outHours), 1, HORIZON_LIMITS.outTimeMinutes.max / 60);
  const shelfDays = whole(one(sp.shelfDays), HORIZON_LIMITS.shelfLifeDays.min, HORIZON_LIMITS.shelfLifeDays.max);
  const api = await serverCaller(actor);
  const data = await api.alerts.list({ station, kind, outTimeMinutes: outHours !== undefined ? outHours * 60 : undefined, shelfLifeDays: shelfDays });
  const canTrace = canOpen(actor.roles, "genealogy");
  const canSet = actor.roles.some((r) => ALERT_SETTING_ROLES.includes(r));
  const hours = (m: number) => Math.round((m / 60) * 10) / 10;

  return (
    <>
      <PageHeader title={t("title")} description={t("description", { site: actor.siteName })} />
      <form method="get" action="/alerts" aria-label={t("filters.heading")} className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="alert-station" className="mb-1 block text-sm font-semibold">
            {t("filters.station")}
          </label>
          <select id="alert-station" name="station" defaultValue={station ?? ""} className={filterField}>
            <option value="">{t("filters.anyStation")}</option>
            {data.stations.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="alert-kind" className="mb-1 block text-sm font-semibold">
            {t("filters.kind")}
          </label>
          <select id="alert-kind" name="kind" defaultValue={kind ?? ""} className={filterField}>
            <option value="">{t("filters.anyKind")}</option>
            {ALERT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="alert-out" className="mb-1 block text-sm font-semibold">
            {t("filters.outTimeHours")}
          </label>
          <input id="alert-out" name="outHours" type="number" min={1} max={HORIZON_LIMITS.outTimeMinutes.max / 60} defaultValue={outHours ?? ""} placeholder={String(hours(data.siteHorizons.outTimeMinutes))} className={`${filterField} w-28`} />
        </div>
        <div>
          <label htmlFor="alert-shelf" className="mb-1 block text-sm font-semibold">
            {t("filters.shelfLifeDays")}
          </label>
          <input id="alert-shelf" name="shelfDays" type="number" min={1} max={HORIZON_LIMITS.shelfLifeDays.max} defaultValue={shelfDays ?? ""} placeholder={String(data.siteHorizons.shelfLifeDays)} className={`${filterField} w-28`} />
        </div>
        <Button type="submit">{t("filters.apply")}</Button>
        <ButtonLink href="/alerts">{t("filters.reset")}</ButtonLink>
      </form>
      <p className="mb-3 text-sm text-slate-700">
        {t("horizonNow", { hours: hours(data.horizons.outTimeMinutes), days: data.horizons.shelfLifeDays, siteHours: hours(data.siteHorizons.outTimeMinutes), siteDays: data.siteHorizons.shelfLifeDays })}
      </p>
      {data.alerts.length === 0 ? (
        <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
      ) : (
        <Table caption={t("table.caption")} comfortable>
          <THead>
            <Tr>
              <Th>{t("table.item")}</Th>
              <Th>{t("table.part")}</Th>
              <Th>{t("table.location")}</Th>
              <Th>{t("table.kind")}</Th>
              <Th>{t("table.timeLeft")}</Th>
              <Th>{t("table.at")}</Th>
              <Th>{t("table.next")}</Th>
              <Th>{t("table.actions")}</Th>
            </Tr>
          </THead>
          <TBody>
            {data.alerts.map((a) => {
              const itemName = a.lotId ? t("lot", { number: a.item }) : t("serial", { number: a.item });
              const labelHref = a.lotId ? `/labels/lot/${a.lotId}` : `/labels/serial/${a.serialItemId}`;
              const traceHref = a.lotId ? whereUsedHref({ kind: "lot", id: a.lotId }) : whereUsedHref({ kind: "serial", id: a.serialItemId! });
              return (
                <Tr key={`${a.kind}:${a.lotId ?? a.serialItemId}:${a.locationId}`}>
                  <Td className="font-mono font-semibold">{itemName}</Td>
                  <Td>
                    <PartRev partNumber={a.partNumber} revision={a.revision} />
                    <span className="block text-sm text-slate-700">{a.description}</span>
                  </Td>
                  <Td>
                    <span className="font-mono">{a.locationCode}</span>
                    <span className="block text-sm text-slate-700">
                      <Qty value={a.onHand} uom={a.uom} />
                    </span>
                    {a.stationCode ? <span className="block text-sm">{t("atStation", { station: a.stationCode })}</span> : null}
                    {a.kits.map((k) => (
                      <span key={k.kitId} className="block text-sm">
                        <Link href={`/kitting/kits/${k.kitId}`} className="text-blue-800 underline">
                          {t("inKit", { kit: k.kitNumber, station: k.stationCode })}
                        </Link>
                      </span>
                    ))}
                  </Td>
                  <Td>
                    <Badge tone={a.kind === "out_time" ? "amber" : "violet"}>{t(`kinds.${a.kind}`)}</Badge>
                  </Td>
                  <Td className={a.passed ? "font-semibold text-red-800" : undefined}>
                    {a.minutesLeft === null ? t("usedUp") : <TimeLeft minutes={a.minutesLeft} />}
                    {a.passed ? (
                      <span className="block">
                        <Badge tone="red">{t("passed")}</Badge>
                      </span>
                    ) : null}
                  </Td>
                  <Td>
                    <DateTime value={a.at} timeZone={actor.timeZone} />
                  </Td>
                  <Td className="max-w-xs text-sm">{t(`next.${a.next}`)}</Td>
                  <Td>
                    <span className="flex flex-col gap-1">
                      <Link href={labelHref} className="inline-flex min-h-12 items-center text-blue-800 underline" aria-label={t("labelOf", { item: itemName })}>
                        {t("label")}
                      </Link>
                      {canTrace ? (
                        <Link href={traceHref} className="inline-flex min-h-12 items-center text-blue-800 underline" aria-label={t("traceOf", { item: itemName })}>
                          {t("trace")}
                        </Link>
                      ) : null}
                    </span>
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}
      {canSet ? (
        <Card labelledBy="alert-horizons" className="mt-6">
          <CardHeader id="alert-horizons" title={t("settings.heading")} description={t("settings.description", { site: actor.siteName })} />
          <CardBody>
            <HorizonForm outTimeMinutes={data.siteHorizons.outTimeMinutes} shelfLifeDays={data.siteHorizons.shelfLifeDays} />
          </CardBody>
        </Card>
      ) : null}
    </>
  );
}
