import type { Metadata } from "next";
import Link from "next/link";
import { ExpiryChip } from "@/components/inventory/expiry-chip";
import { HoldBadge, InspectionBadge } from "@/components/inventory/hold-badge";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty, formatQty } from "@/components/inventory/qty";
import { itemKey, type StationItem } from "@/components/kitting/station-item";
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

export const metadata: Metadata = { title: "Stock moves" };

/** Kitting clerk: return unused material from a station's point of use to stores, or transfer it to another station. */
export default async function StockMovesPage({ searchParams }: { searchParams: Promise<{ station?: string | string[] }> }) {
  const { station: stationParam } = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const stationId = typeof stationParam === "string" && stationParam !== "" ? stationParam : null;
  const data = stationId === null ? await api.kitting.stationStock({}) : looksLikeId(stationId) ? await orNotFound(api.kitting.stationStock({ stationId })) : null;
  if (!data) return <NotFoundNotice what="That station" siteName={actor.siteName} backHref="/kitting/stock-moves" backLabel="All stations" />;
  const { stations, station, stores, stock } = data;
  const clerk = actor.roles.includes("kitting_clerk");
  const items: StationItem[] = stock.map((s) => ({
    key: itemKey(s),
    partRevisionId: s.partRevisionId,
    lotId: s.lotId,
    serialItemId: s.serialItemId,
    label: `${s.partNumber} rev ${s.revision} ${s.lotNumber ? `lot ${s.lotNumber}` : s.serialNumber ? `serial ${s.serialNumber}` : "(untracked)"}`,
    quantity: formatQty(s.quantity),
    uom: s.uom,
    flags: [...(s.onHold ? ["on hold"] : []), ...(s.expired ? ["expired"] : [])],
  }));

  return (
    <>
      <PageHeader
        title="Stock moves"
        description="Return unused material from a station's point of use to stores, or transfer it to another station. Held or expired material can only go back to stores."
        actions={
          <ButtonLink href="/kitting" size="lg">
            All work orders
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        <nav aria-label="Stations" className="flex flex-wrap gap-2">
          {stations.map((s) => (
            <Link
              key={s.id}
              href={`/kitting/stock-moves?station=${s.id}`}
              aria-current={station?.id === s.id ? "page" : undefined}
              className={`inline-flex min-h-12 items-center rounded-md border-2 px-4 text-lg font-semibold ${station?.id === s.id ? "border-blue-800 bg-blue-700 text-white" : "border-slate-400 bg-white text-slate-900"}`}
            >
              {s.code}
            </Link>
          ))}
        </nav>
        {station === null ? (
          <EmptyState title="Choose a station">Pick the station whose point-of-use material you are moving.</EmptyState>
        ) : (
          <>
            <Card labelledBy="pou-heading">
              <CardHeader id="pou-heading" title={`At ${station.code} · ${station.name}`} description="What is on hand at the station's point of use now." />
              <CardBody>
                {stock.length === 0 ? (
                  <EmptyState title={`Nothing is staged at ${station.code}`}>Material arrives here when a kit is issued to the station.</EmptyState>
                ) : (
                  <Table caption={`Material at ${station.code}`}>
                    <THead>
                      <Tr>
                        <Th>Part</Th>
                        <Th>Lot or serial</Th>
                        <Th className="text-right">On hand</Th>
                        <Th>Expiry</Th>
                        <Th>State</Th>
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
                            <ExpiryChip expiresAt={s.expiresAt} expired={s.expired} timeZone={actor.timeZone} />
                          </Td>
                          <Td className="space-x-1">
                            <HoldBadge onHold={s.onHold} />
                            <InspectionBadge status={s.inspectionStatus === "accepted" ? null : s.inspectionStatus} />
                          </Td>
                        </Tr>
                      ))}
                    </TBody>
                  </Table>
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
          </>
        )}
      </div>
    </>
  );
}
