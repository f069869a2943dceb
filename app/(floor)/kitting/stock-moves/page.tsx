import type { Metadata } from "next";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { ExpiryChip } from "@/components/inventory/expiry-chip";
import { ClockChip } from "@/components/inventory/clock-chip";
import { MaterialStatusBadge } from "@/components/inventory/material-status-badge";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty, formatQty } from "@/components/inventory/qty";
import { itemKey } from "@/components/kitting/station-item";
import { StationStockMoves } from "./_components/station-stock-moves";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { Actor } from "@/server/auth/types";
import { REJECTED_WORDS } from "@/server/domain/vocabulary/material-status";
import { ReturnToErpForm, type ReturnableItem } from "./_components/return-to-erp-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("kitting.moves"))("metaTitle") };
}

type Api = Awaited<ReturnType<typeof serverCaller>>;
type StockRow = Awaited<ReturnType<Api["kitting"]["stationStock"]>>["stock"][number];

const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : null);

/** The words itemOf needs, in the reader's language. */
type Words = {
  label: (s: StockRow) => string;
  status: (s: StockRow) => string;
  locale: string;
  /** the page's own translator (kitting.moves) */
  t: Awaited<ReturnType<typeof movesWords>>;
};

const movesWords = () => getTranslations("kitting.moves");

/** A balance as the move forms show it, in the reader's words. */
function itemOf(s: StockRow, { label, status, locale }: Words): ReturnableItem {
  return {
    key: itemKey(s),
    partRevisionId: s.partRevisionId,
    lotId: s.lotId,
    serialItemId: s.serialItemId,
    label: label(s),
    quantity: formatQty(s.quantity),
    shownQuantity: formatQty(s.quantity, locale),
    uom: s.uom,
    flags: s.status.usable ? [] : [status(s)],
    locationId: s.locationId,
    onHold: s.onHold,
  };
}

/**
 * Kitting clerk (and supervisor): return unused material from a station's point of use to stores, transfer it to
 * another station, or send material back to the ERP warehouse from a point of use, stores, kitting or quarantine.
 */
export default async function StockMovesPage({ searchParams }: { searchParams: Promise<{ station?: string | string[]; location?: string | string[] }> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  const t = await movesWords();
  const tm = await getTranslations("material");
  const words: Words = {
    t,
    locale: await getLocale(),
    label: (s) => t("itemLabel", { part: s.partNumber, revision: s.revision, kind: s.lotNumber ? "lot" : s.serialNumber ? "serial" : "untracked", number: s.lotNumber ?? s.serialNumber ?? "" }),
    status: (s) => tm("notUsableBecause", { reasons: s.status.reasons.map((r) => (r.words === REJECTED_WORDS ? tm("reasons.REJECTED") : tm(`reasons.${r.code}`))).join(", ") }),
  };
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const stationId = one(sp.station);
  const locationId = stationId === null ? one(sp.location) : null;
  const data = stationId === null ? await api.kitting.stationStock({}) : looksLikeId(stationId) ? await orNotFound(api.kitting.stationStock({ stationId })) : null;
  if (!data) return <NotFoundNotice what={t("notFoundStation")} siteName={actor.siteName} backHref="/kitting/stock-moves" backLabel={t("allStations")} />;
  const returnable = locationId === null ? await api.kitting.returnableStock({}) : looksLikeId(locationId) ? await orNotFound(api.kitting.returnableStock({ locationId })) : null;
  if (!returnable) return <NotFoundNotice what={t("notFoundLocation")} siteName={actor.siteName} backHref="/kitting/stock-moves" backLabel={t("stockMoves")} />;
  const { stations, station, stores, stock } = data;
  const clerk = actor.roles.includes("kitting_clerk");
  const items = stock.map((s) => itemOf(s, words));
  const navClass = (current: boolean) =>
    `inline-flex min-h-12 items-center rounded-md border-2 px-4 text-lg font-semibold ${current ? "border-blue-800 bg-blue-700 text-white" : "border-slate-400 bg-white text-slate-900"}`;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            <ButtonLink href="/kitting/storage" size="lg">
              {t("storage")}
            </ButtonLink>
            <ButtonLink href="/kitting/shipping" size="lg">
              {t("shipping")}
            </ButtonLink>
            <ButtonLink href="/kitting" size="lg">
              {t("allWorkOrders")}
            </ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <nav aria-label={t("stationsNav")} className="flex flex-wrap gap-2">
          {stations.map((s) => (
            <Link key={s.id} href={`/kitting/stock-moves?station=${s.id}`} aria-current={station?.id === s.id ? "page" : undefined} className={navClass(station?.id === s.id)}>
              {s.code}
            </Link>
          ))}
        </nav>
        <nav aria-label={t("locationsNav")} className="flex flex-wrap items-center gap-2">
          <span className="text-base font-semibold text-slate-700">{t("backToErpFrom")}</span>
          {returnable.locations.map((l) => (
            <Link
              key={l.id}
              href={`/kitting/stock-moves?location=${l.id}`}
              aria-current={returnable.location?.id === l.id ? "page" : undefined}
              className={navClass(returnable.location?.id === l.id)}
            >
              {l.code}
            </Link>
          ))}
        </nav>
        {returnable.location ? (
          <LocationStock actor={actor} location={returnable.location} stock={returnable.stock} words={words} />
        ) : station === null ? (
          <EmptyState title={t("chooseTitle")}>{t("choose")}</EmptyState>
        ) : (
          <>
            <Card labelledBy="pou-heading">
              <CardHeader id="pou-heading" title={t("atTitle", { code: station.code, name: station.name })} description={t("atStationDescription")} />
              <CardBody>
                {stock.length === 0 ? (
                  <EmptyState title={t("nothingStagedTitle", { code: station.code })}>{t("nothingStaged")}</EmptyState>
                ) : (
                  <StockTable caption={t("stockCaption", { code: station.code })} stock={stock} timeZone={actor.timeZone} />
                )}
              </CardBody>
            </Card>
            {clerk && stock.length > 0 ? (
              <Card labelledBy="move-heading">
                <CardHeader id="move-heading" title={t("moveTitle")} description={t("moveDescription")} />
                <CardBody>
                  <StationStockMoves
                    key={station.id}
                    stationId={station.id}
                    stationCode={station.code}
                    items={items}
                    stores={stores.map((l) => ({ id: l.id, label: `${l.code} · ${l.name}` }))}
                    stations={stations.filter((s) => s.id !== station.id).map((s) => ({ id: s.id, label: `${s.code} · ${s.name}` }))}
                  />
                </CardBody>
              </Card>
            ) : null}
            {stock.length > 0 ? <ReturnToErpCard locationCode={stock[0]!.locationCode} items={items} /> : null}
          </>
        )}
      </div>
    </>
  );
}

function StockTable({ caption, stock, timeZone }: { caption: string; stock: StockRow[]; timeZone: string }) {
  const t = useTranslations("kitting.moves");
  return (
    <Table caption={caption}>
      <THead>
        <Tr>
          <Th>{t("colPart")}</Th>
          <Th>{t("colLotSerial")}</Th>
          <Th className="text-right">{t("colOnHand")}</Th>
          <Th>{t("colExpiry")}</Th>
          <Th>{t("colStatus")}</Th>
        </Tr>
      </THead>
      <TBody>
        {stock.map((s) => (
          <Tr key={itemKey(s)}>
            <Td>
              <PartRev partNumber={s.partNumber} revision={s.revision} description={s.description} />
            </Td>
            <Td className="font-mono">{s.lotNumber ? t("lot", { lot: s.lotNumber }) : s.serialNumber ? t("serial", { serial: s.serialNumber }) : t("untracked")}</Td>
            <Td className="text-right">
              <Qty value={s.quantity} uom={s.uom} />
            </Td>
            <Td>
              <ExpiryChip expiresAt={s.expiresAt} expired={s.expired} timeZone={timeZone} />
                        <ClockChip clock={s.clock} timeZone={timeZone} />
            </Td>
            <Td>
              <MaterialStatusBadge status={s.status} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

/** Send material back to the ERP warehouse (kitting clerk or supervisor). */
function ReturnToErpCard({ locationCode, items }: { locationCode: string; items: ReturnableItem[] }) {
  const t = useTranslations("kitting.moves");
  return (
    <Card labelledBy="erp-return-heading">
      <CardHeader
        id="erp-return-heading"
        title={t("erpTitle")}
        description={t("erpDescription", { location: locationCode })}
      />
      <CardBody>
        <ReturnToErpForm key={locationCode} locationCode={locationCode} items={items} />
      </CardBody>
    </Card>
  );
}

/** A stores, kitting or quarantine location: what is on hand there, and returning it to ERP. */
function LocationStock({ actor, location, stock, words }: { actor: Actor; location: { code: string; name: string }; stock: StockRow[]; words: Words }) {
  const { t } = words;
  return (
    <>
      <Card labelledBy="location-heading">
        <CardHeader id="location-heading" title={t("atTitle", { code: location.code, name: location.name })} description={t("atLocationDescription")} />
        <CardBody>
          {stock.length === 0 ? (
            <EmptyState title={t("nothingOnHandTitle", { code: location.code })}>{t("nothingOnHand")}</EmptyState>
          ) : (
            <StockTable caption={t("stockCaption", { code: location.code })} stock={stock} timeZone={actor.timeZone} />
          )}
        </CardBody>
      </Card>
      {stock.length > 0 ? <ReturnToErpCard locationCode={location.code} items={stock.map((s) => itemOf(s, words))} /> : null}
    </>
  );
}
