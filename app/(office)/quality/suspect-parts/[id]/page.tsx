import type { Metadata } from "next";
import Link from "next/link";
import { LocationText } from "@/components/genealogy/location-text";
import { statusLabel } from "@/components/production/status-badge";
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
import { alertScopeWords } from "@/server/domain/suspect-parts/suspect-alerts";

export const metadata: Metadata = { title: "Suspect-part alert" };

const PAGE_SIZE = 50;

export default async function SuspectAlertPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const notFound = <NotFoundNotice what="That alert" siteName={actor.siteName} backHref="/quality/suspect-parts" backLabel="All alerts" />;
  if (!looksLikeId(id)) return notFound;
  const pageParam = typeof sp.page === "string" ? Number.parseInt(sp.page, 10) : 1;
  const page = Number.isInteger(pageParam) && pageParam > 0 ? Math.min(pageParam, 100_000) : 1;
  const api = await serverCaller(actor);
  const d = await orNotFound(api.quality.suspectAlert({ alertId: id, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  if (!d) return notFound;
  const a = d.alert;
  const holdLabel = new Map(d.holds.map((h) => [h.id, h.targetLabel]));
  const pageCount = Math.max(1, Math.ceil(d.units.total / PAGE_SIZE));
  const active = d.holds.filter((h) => h.active).length;

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            Suspect-part alert {a.reference}
            {a.tampered || d.holds.some((h) => h.tampered) ? <Badge tone="red">INVALID signature</Badge> : null}
          </span>
        }
        description={alertScopeWords(a)}
        actions={<ButtonLink href="/quality/suspect-parts">All alerts</ButtonLink>}
      />
      <div className="space-y-5">
        <Card labelledBy="alert-heading">
          <CardHeader id="alert-heading" title="Alert record" />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
              <div>
                <dt className="text-sm font-semibold text-slate-600">Manufacturer</dt>
                <dd className="font-mono">{a.manufacturerCode}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">Part number</dt>
                <dd className="font-mono">{a.partNumber}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">Lot or date codes</dt>
                <dd className="font-mono">{a.lotNumber ? `Lot ${a.lotNumber}` : a.dateCodeFrom ? `${a.dateCodeFrom} to ${a.dateCodeTo} (both included)` : "Every lot and serial"}</dd>
              </div>
              <div>
                <dt className="text-sm font-semibold text-slate-600">Entered</dt>
                <dd>
                  <DateTime value={a.createdAt} timeZone={actor.timeZone} /> by {a.createdByName}
                  {a.source === "imported" ? ` (imported, line ${a.sourceLine})` : ""}
                </dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="text-sm font-semibold text-slate-600">What is suspect</dt>
                <dd data-testid="alert-description">{a.description}</dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="text-sm font-semibold text-slate-600">Electronic signature</dt>
                <dd>
                  <SignatureList signatures={a.signatures} />
                </dd>
              </div>
            </dl>
          </CardBody>
        </Card>

        <Card labelledBy="units-heading">
          <CardHeader
            id="units-heading"
            title={`Installed in units (${d.units.total.toLocaleString("en-US")})`}
            description="Every unit that contains a held item now, at any depth: set them aside and decide with the customer."
          />
          <CardBody className="space-y-3">
            {d.units.total === 0 ? (
              <EmptyState title="None of the held material is installed in a unit">It is in stock or kits only: the holds keep it from being used.</EmptyState>
            ) : (
              <>
                <Table caption="Units containing suspect material">
                  <THead>
                    <Tr>
                      <Th>Unit serial</Th>
                      <Th>Part</Th>
                      <Th>Work order</Th>
                      <Th>Status</Th>
                      <Th>Where now</Th>
                      <Th>Suspect item inside</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {d.units.rows.map((u) => (
                      <Tr key={u.unitSerialItemId}>
                        <Td>
                          <Link href={withQuery("/genealogy", { item: u.unitSerialItemId })} className="inline-flex min-h-10 items-center font-mono font-semibold text-blue-800 underline">
                            {u.unitSerialNumber}
                          </Link>
                          {u.topLevel ? null : <Badge className="ml-2">Inside another unit</Badge>}
                        </Td>
                        <Td className="font-mono">
                          {u.partNumber} rev {u.revision}
                        </Td>
                        <Td className="font-mono">{u.workOrderNumber ?? "—"}</Td>
                        <Td>{u.status ? statusLabel(u.status) : "—"}</Td>
                        <Td>
                          <LocationText location={u.location} timeZone={actor.timeZone} />
                        </Td>
                        <Td className="font-mono text-sm">
                          {u.holdIds.map((h) => holdLabel.get(h) ?? h).join("; ")}
                          {u.level > 1 ? <span className="block font-sans text-xs text-slate-600">{u.level} levels down</span> : null}
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
                <Pager page={page} pageSize={PAGE_SIZE} total={d.units.total} pageCount={pageCount} noun="units" href={(p) => withQuery(`/quality/suspect-parts/${a.id}`, { page: p })} />
              </>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="holds-heading">
          <CardHeader id="holds-heading" title={`Holds placed (${d.holds.length}, ${active} active)`} description="One signed hold per matching lot or serial; release each from its hold page." />
          <CardBody>
            {d.holds.length === 0 ? (
              <EmptyState title="Nothing at this site matched the alert">No lot or serial was held. Material received later is not held by this alert: enter it again if needed.</EmptyState>
            ) : (
              <Table caption="Holds of this alert">
                <THead>
                  <Tr>
                    <Th>Held</Th>
                    <Th>Placed</Th>
                    <Th>Signatures</Th>
                  </Tr>
                </THead>
                <TBody>
                  {d.holds.map((h) => (
                    <Tr key={h.id} className={h.tampered ? "bg-red-50" : undefined}>
                      <Td>
                        <Link href={`/quality/holds/${h.id}`} className="inline-flex min-h-10 items-center font-mono font-semibold text-blue-800 underline">
                          {h.targetLabel}
                        </Link>
                        {h.active ? <Badge tone="red" className="ml-2">On hold</Badge> : <Badge tone="green" className="ml-2">Released</Badge>}
                      </Td>
                      <Td>
                        <DateTime value={h.placedAt} timeZone={actor.timeZone} />
                        <span className="block text-xs text-slate-600">{h.placedByName}</span>
                      </Td>
                      <Td className="min-w-80">
                        <SignatureList signatures={h.signatures} />
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
