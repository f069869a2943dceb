import type { Metadata } from "next";
import Link from "next/link";
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
import { ReturnToErpForm, type ReturnableItem } from "./_components/return-to-erp-form";

export const metadata: Metadata = { title: "Stock moves" };

type Api = Awaited<ReturnType<typeof serverCaller>>;
type StockRow = Awaited<ReturnType<Api["kitting"]["stationStock"]>>["stock"][number];

const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : null);

/** A balance as the move forms show it. */
function itemOf(s: StockRow): ReturnableItem {
  return {
    key: itemKey(s),
    partRevisionId: s.partRevisionId,
    lotId: s.lotId,
    serialItemId: s.serialItemId,
    label: `${s.partNumber} rev ${s.revision} ${s.lotNumber ? `lot ${s.lotNumber}` : s.serialNumber ? `serial ${s.serialNumber}` : "(untracked)"}`,
    quantity: formatQty(s.quantity),
    uom: s.uom,
    flags: s.status.usable ? [] : [s.status.label],
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
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const stationId = one(sp.station);
  const locationId = stationId === null ? one(sp.location) : null;
  const data = stationId === null ? await api.kitting.stationStock({}) : looksLikeId(stationId) ? await orNotFound(api.kitting.stationStock({ stationId })) : null;
  if (!data) return <NotFoundNotice what="That station" siteName={actor.siteName} backHref="/kitting/stock-moves" backLabel="All stations" />;
  const returnable = locationId === null ? await api.kitting.returnableStock({}) : looksLikeId(locationId) ? await orNotFound(api.kitting.returnableStock({ locationId })) : null;
  if (!returnable) return <NotFoundNotice what="That location" siteName={actor.siteName} backHref="/kitting/stock-moves" backLabel="Stock moves" />;
  const { stations, station, stores, stock } = data;
  const clerk = actor.roles.includes("kitting_clerk");
  const items = stock.map(itemOf);
  const navClass = (current: boolean) =>
    `inline-flex min-h-12 items-center rounded-md border-2 px-4 text-lg font-semibold ${current ? "border-blue-800 bg-blue-700 text-white" : "border-slate-400 bg-white text-slate-900"}`;

  return (
    <>
      <PageHeader
        title="Stock moves"
        description="Return unused material from a station's point of use to stores, transfer it to another station, or send it back to the ERP warehouse. Held or expired material can only go back to stores or to ERP."
        actions={
          <>
            <ButtonLink href="/kitting/storage" size="lg">
              Storage moves
            </ButtonLink>
            <ButtonLink href="/kitting/shipping" size="lg">
              Ship finished units
            </ButtonLink>
            <ButtonLink href="/kitting" size="lg">
              All work orders
            </ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <nav aria-label="Stations" className="flex flex-wrap gap-2">
          {stations.map((s) => (
            <Link key={s.id} href={`/kitting/stock-moves?station=${s.id}`} aria-current={station?.id === s.id ? "page" : undefined} className={navClass(station?.id === s.id)}>
              {s.code}
            </Link>
          ))}
        </nav>
        <nav aria-label="Stores, kitting and quarantine" className="flex flex-wrap items-center gap-2">
          <span className="text-base font-semibold text-slate-700">Back to ERP from:</span>
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
          <LocationStock actor={actor} location={returnable.location} stock={returnable.stock} />
        ) : station === null ? (
          <EmptyState title="Choose a station or a location">Pick the station whose point-of-use material you are moving, or the location material goes back to ERP from.</EmptyState>
        ) : (
          <>
            <Card labelledBy="pou-heading">
              <CardHeader id="pou-heading" title={`At ${station.code} · ${station.name}`} description="What is on hand at the station's point of use now." />
              <CardBody>
                {stock.length === 0 ? (
                  <EmptyState title={`Nothing is staged at ${station.code}`}>Material arrives here when a kit is issued to the station.</EmptyState>
                ) : (
                  <StockTable caption={`Material at ${station.code}`} stock={stock} timeZone={actor.timeZone} />
                )}
              </CardBody>
            </Card>
            {clerk && stock.length > 0 ? (
              <Card labelledBy="move-heading">
                <CardHeader id="move-heading" title="Move material" description="Scan the label (or choose the material), the quantity, where it goes, and why." />
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
  return (
    <Table caption={caption}>
      <THead>
        <Tr>
          <Th>Part</Th>
          <Th>Lot or serial</Th>
          <Th className="text-right">On hand</Th>
          <Th>Expiry</Th>
          <Th>Status</Th>
        </Tr>
      </THead>
      <TBody>
        {stock.map((s) => (
          <Tr key={itemKey(s)}>
            <Td>
              <PartRev partNumber={s.partNumber} revision={s.revision} description={s.description} />
            </Td>
            <Td className="font-mono">{s.lotNumber ? `Lot ${s.lotNumber}` : s.serialNumber ? `SN ${s.serialNumber}` : "untracked"}</Td>
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
  return (
    <Card labelledBy="erp-return-heading">
      <CardHeader
        id="erp-return-heading"
        title="Return to ERP"
        description={`Send material from ${locationCode} back to the ERP warehouse (a transfer ERP books back into its storage location). Held material goes back as blocked stock.`}
      />
      <CardBody>
        <ReturnToErpForm key={locationCode} locationCode={locationCode} items={items} />
      </CardBody>
    </Card>
  );
}

/** A stores, kitting or quarantine location: what is on hand there, and returning it to ERP. */
function LocationStock({ actor, location, stock }: { actor: Actor; location: { code: string; name: string }; stock: StockRow[] }) {
  return (
    <>
      <Card labelledBy="location-heading">
        <CardHeader id="location-heading" title={`At ${location.code} · ${location.name}`} description="What is on hand at this location now." />
        <CardBody>
          {stock.length === 0 ? (
            <EmptyState title={`Nothing is on hand at ${location.code}`}>There is nothing here to send back to ERP.</EmptyState>
          ) : (
            <StockTable caption={`Material at ${location.code}`} stock={stock} timeZone={actor.timeZone} />
          )}
        </CardBody>
      </Card>
      {stock.length > 0 ? <ReturnToErpCard locationCode={location.code} items={stock.map(itemOf)} /> : null}
    </>
  );
}
