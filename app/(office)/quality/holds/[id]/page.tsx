import type { Metadata } from "next";
import Link from "next/link";
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
import { fateText } from "@/server/domain/production/unit-fate";
import { ReleaseHoldForm } from "../_components/release-hold-form";

export const metadata: Metadata = { title: "Hold" };

type Api = Awaited<ReturnType<typeof serverCaller>>;
type Detail = Awaited<ReturnType<Api["quality"]["hold"]>>;
type UnitRow = Detail["units"]["rows"][number];

const PAGE_SIZE = 50;

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function whereNow(l: UnitRow["location"], timeZone: string): string {
  switch (l.kind) {
    case "installed":
      return `Installed in ${l.parentSerialNumber}${l.topSerialNumber !== l.parentSerialNumber ? ` (top-level unit ${l.topSerialNumber})` : ""}${l.topFate ? `; ${lowerFirst(fateText(l.topFate, timeZone))}` : ""}`;
    case "in_stock":
      return `In stock at ${l.locationCode}`;
    case "wip":
      return l.operationSeq !== null
        ? `In WIP at op ${l.operationSeq}${l.operationCode ? ` ${l.operationCode}` : ""}${l.stationCode ? `, station ${l.stationCode}` : l.workCenterCode ? `, ${l.workCenterCode}` : ""}`
        : "In WIP";
    case "shipped":
    case "scrapped":
      return fateText(l, timeZone);
    case "unknown":
      return "Unknown";
  }
}

export default async function HoldPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const notFound = <NotFoundNotice what="That hold" siteName={actor.siteName} backHref="/quality/holds" backLabel="All holds" />;
  if (!looksLikeId(id)) return notFound;
  const pageParam = typeof sp.page === "string" ? Number.parseInt(sp.page, 10) : 1;
  const page = Number.isInteger(pageParam) && pageParam > 0 ? Math.min(pageParam, 100_000) : 1;
  const api = await serverCaller(actor);
  const d = await orNotFound(api.quality.hold({ holdId: id, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  if (!d) return notFound;
  const h = d.hold;
  const canSign = actor.roles.includes("quality_engineer");
  const pageCount = Math.max(1, Math.ceil(d.units.total / PAGE_SIZE));

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            Hold: {h.targetLabel}
            {h.active ? <Badge tone="red">On hold</Badge> : <Badge tone="green">Released</Badge>}
            {h.tampered ? <Badge tone="red">INVALID signature</Badge> : null}
          </span>
        }
        description={h.active ? "Kitting and consumption refuse this material until the hold is released." : "This hold is released: the material may be used again unless another hold covers it."}
        actions={<ButtonLink href="/quality/holds">All holds</ButtonLink>}
      />
      <div className="space-y-5">
        <Card labelledBy="record-heading">
          <CardHeader id="record-heading" title="Hold record" />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
              <div>
                <dt className="text-sm font-semibold text-slate-600">Reason</dt>
                <dd data-testid="hold-reason">{h.reason}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">Placed</dt>
                <dd>
                  <DateTime value={h.placedAt} timeZone={actor.timeZone} /> by {h.placedByName}
                </dd>
              </div>
              {h.releasedAt ? (
                <>
                  <div>
                    <dt className="text-sm font-semibold text-slate-600">Release reason</dt>
                    <dd>{h.releaseReason}</dd>
                  </div>
                  <div>
                    <dt className="text-sm font-semibold text-slate-600">Released</dt>
                    <dd>
                      <DateTime value={h.releasedAt} timeZone={actor.timeZone} /> by {h.releasedByName}
                    </dd>
                  </div>
                </>
              ) : null}
              <div className="sm:col-span-2">
                <dt className="text-sm font-semibold text-slate-600">Electronic signatures</dt>
                <dd>
                  <SignatureList
                    signatures={h.signatures}
                    placedBy={
                      h.ncr ? (
                        <Link href={`/quality/ncrs/${h.ncr.id}`} className="text-blue-800 underline">
                          Placed by nonconformance report {h.ncr.number}
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
            <CardHeader id="release-heading" title="Release the hold" />
            <CardBody>
              {d.twoPersonRelease && h.placedBy === actor.userId ? (
                <p className="rounded border-2 border-amber-600 bg-amber-50 px-3 py-2 text-amber-950">
                  You placed this hold: at {actor.siteName} another quality engineer must release it (two-person rule).
                </p>
              ) : (
                <ReleaseHoldForm holdId={h.id} signerName={actor.displayName} />
              )}
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="units-heading">
          <CardHeader
            id="units-heading"
            title={`Affected units (${d.units.total.toLocaleString("en-US")})`}
            description={`Every unit that contains the held material at any depth; ${d.units.currentTotal.toLocaleString("en-US")} contain it now.`}
          />
          <CardBody className="space-y-3">
            {d.units.total === 0 ? (
              <EmptyState title="No unit contains this material" />
            ) : (
              <>
                <Table caption="Affected units">
                  <THead>
                    <Tr>
                      <Th>Unit serial</Th>
                      <Th>Part</Th>
                      <Th>Work order</Th>
                      <Th>Status</Th>
                      <Th>Where now</Th>
                      <Th>Level</Th>
                      <Th>Installed</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {d.units.rows.map((u) => (
                      <Tr key={u.unitSerialItemId}>
                        <Td>
                          <Link href={withQuery("/genealogy", { item: u.unitSerialItemId })} className="font-mono font-semibold text-blue-800 underline">
                            {u.unitSerialNumber}
                          </Link>
                          {u.current ? null : <Badge className="ml-2">Removed since</Badge>}
                        </Td>
                        <Td className="font-mono">
                          {u.partNumber} rev {u.revision}
                        </Td>
                        <Td className="font-mono">{u.workOrderNumber ?? "—"}</Td>
                        <Td>{u.status ? u.status.replaceAll("_", " ") : "—"}</Td>
                        <Td>{whereNow(u.location, actor.timeZone)}</Td>
                        <Td className="tabular-nums">{u.level}</Td>
                        <Td>
                          <DateTime value={u.installedAt} timeZone={actor.timeZone} />
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
                <Pager page={page} pageSize={PAGE_SIZE} total={d.units.total} pageCount={pageCount} noun="units" href={(p) => withQuery(`/quality/holds/${h.id}`, { page: p })} />
              </>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="kits-heading">
          <CardHeader id="kits-heading" title={`Picked into open kits (${d.kits.length})`} description="Picks of kits not yet closed; issuing or consuming them is refused while the hold is active." />
          <CardBody>
            {d.kits.length === 0 ? (
              <EmptyState title="No open kit holds this material" />
            ) : (
              <Table caption="Affected kits">
                <THead>
                  <Tr>
                    <Th>Kit</Th>
                    <Th>Status</Th>
                    <Th>Work order</Th>
                    <Th>Part</Th>
                    <Th>Lot / serial</Th>
                    <Th className="text-right">Quantity</Th>
                    <Th>From</Th>
                  </Tr>
                </THead>
                <TBody>
                  {d.kits.map((k, i) => (
                    <Tr key={`${k.kitId}-${i}`}>
                      <Td className="font-mono font-semibold">{k.kitNumber}</Td>
                      <Td>{k.kitStatus}</Td>
                      <Td className="font-mono">{k.workOrderNumber}</Td>
                      <Td className="font-mono">
                        {k.partNumber} rev {k.revision}
                      </Td>
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
          <CardHeader id="staged-heading" title={`Staged at stations (${d.staged.length})`} description="Held material on hand at points of use: take it off the line." />
          <CardBody>
            {d.staged.length === 0 ? (
              <EmptyState title="None of this material is staged at a station" />
            ) : (
              <Table caption="Staged stock">
                <THead>
                  <Tr>
                    <Th>Station</Th>
                    <Th>Location</Th>
                    <Th>Part</Th>
                    <Th>Lot / serial</Th>
                    <Th className="text-right">On hand</Th>
                  </Tr>
                </THead>
                <TBody>
                  {d.staged.map((s, i) => (
                    <Tr key={`${s.locationCode}-${i}`}>
                      <Td className="font-mono">{s.stationCode ?? "—"}</Td>
                      <Td className="font-mono">{s.locationCode}</Td>
                      <Td className="font-mono">
                        {s.partNumber} rev {s.revision}
                      </Td>
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
