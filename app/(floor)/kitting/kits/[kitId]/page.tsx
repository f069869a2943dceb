import type { Metadata } from "next";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { IssueKitForm, ScanToPick, ShortPickForm } from "./_components/kit-actions";
import { KitStatusBadge } from "@/components/kitting/kit-status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Kit" };

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "no expiry");

export default async function KitPage({ params }: { params: Promise<{ kitId: string }> }) {
  const { kitId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const data = looksLikeId(kitId) ? await orNotFound(api.kitting.kit({ kitId })) : null;
  if (!data) return <NotFoundNotice what="That kit" siteName={actor.siteName} backHref="/kitting" backLabel="All work orders" />;
  const { kit, lines, picks, stations } = data;
  const clerk = actor.roles.includes("kitting_clerk");
  const open = kit.status !== "issued" && kit.status !== "closed" && kit.status !== "cancelled";
  const settled = lines.every((l) => l.outstanding === "0") && picks.length > 0;
  const scopeWords = kit.scope === "work_order" ? "whole order" : kit.scope === "operation" ? `operation ${kit.operationSeq}` : "one unit";

  return (
    <>
      <PageHeader
        title={
          <>
            Kit <span className="font-mono">{kit.number}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            Work order {kit.workOrderNumber} · {scopeWords} · to {kit.stationCode ?? "—"} · due {kit.dueDate} <KitStatusBadge status={kit.status} />
          </span>
        }
        actions={
          <span className="flex flex-wrap gap-2">
            <ButtonLink href={`/kitting/kits/${kit.id}/label`} size="lg">
              Kit label
            </ButtonLink>
            <ButtonLink href={`/kitting/${kit.workOrderId}`} size="lg">
              Work order
            </ButtonLink>
          </span>
        }
      />
      <div className="space-y-6">
        {kit.status === "issued" ? (
          <p role="status" className="rounded-md border-2 border-green-700 bg-green-50 p-4 text-xl font-semibold text-green-900">
            ✔ Kit {kit.number} issued to {kit.stationCode ?? "its station"}: the material is at the station&apos;s point of use.
          </p>
        ) : null}
        {clerk && open ? (
          <Card labelledBy="scan-heading">
            <CardHeader id="scan-heading" title="Pick by scanning" description="Scan each lot or serial label. Leave the quantity empty to take what the line still needs." />
            <CardBody>
              <ScanToPick kitId={kit.id} disabled={false} />
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="lines-heading">
          <CardHeader id="lines-heading" title="Pick list" description="Suggested lots first-expired-first-out; material that may not be kitted is listed with the reason." />
          <CardBody>
            <Table caption="Pick list" comfortable>
              <THead>
                <Tr>
                  <Th>Component</Th>
                  <Th className="text-right">Required</Th>
                  <Th className="text-right">Picked</Th>
                  <Th className="text-right">To pick</Th>
                  <Th>Suggested (FEFO)</Th>
                  <Th>Not to use</Th>
                  {clerk && open ? <Th>Short</Th> : null}
                </Tr>
              </THead>
              <TBody>
                {lines.map((l) => (
                  <Tr key={l.id}>
                    <Td>
                      <PartRev partNumber={l.partNumber} revision={l.revision} description={l.description} />
                      <span className="block text-sm text-slate-700">
                        Find {l.findNumber} · op {l.operationSeq}
                      </span>
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.required} uom={l.uom} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.picked} />
                    </Td>
                    <Td className="text-right">
                      {l.outstanding === "0" ? <Badge tone="green">Done</Badge> : <Qty value={l.outstanding} uom={l.uom} />}
                      {l.shortQty !== "0" ? (
                        <span className="mt-1 block">
                          <Badge tone="amber">
                            Short <Qty value={l.shortQty} uom={l.uom} className="ml-1" />
                          </Badge>
                          <span className="block text-sm">{l.shortReason}</span>
                        </span>
                      ) : null}
                    </Td>
                    <Td>
                      {l.suggested.length === 0 ? (
                        <span className="text-slate-700">{open ? "No usable stock in stores or kitting" : "—"}</span>
                      ) : (
                        <ul className="space-y-1">
                          {l.suggested.map((s) => (
                            <li key={`${s.locationId}-${s.lotId}-${s.serialItemId}`}>
                              <LotBadge lotNumber={s.lotNumber} serialNumber={s.serialNumber} /> <span className="text-sm">in {s.locationName ?? s.locationCode}</span>{" "}
                              <Qty value={s.available} uom={l.uom} className="text-sm" /> <span className="text-sm text-slate-700">exp. {day(s.expiresAt)}</span>
                            </li>
                          ))}
                        </ul>
                      )}
                      {l.moreNotShown ? <span className="block text-sm text-slate-700">More lots are in stock: the first by expiry are shown.</span> : null}
                    </Td>
                    <Td>
                      {l.excluded.length === 0 ? (
                        "—"
                      ) : (
                        <ul className="space-y-1">
                          {l.excluded.map((x) => (
                            <li key={`${x.locationId}-${x.lotId}-${x.serialItemId}`} className="text-sm">
                              <LotBadge lotNumber={x.lotNumber} serialNumber={x.serialNumber} /> in {x.locationName ?? x.locationCode}:{" "}
                              <span className="font-semibold text-red-800">{x.reasons.map((r) => r.message).join(" ")}</span>
                            </li>
                          ))}
                        </ul>
                      )}
                    </Td>
                    {clerk && open ? (
                      <Td>{l.outstanding !== "0" || l.shortQty !== "0" ? <ShortPickForm kitId={kit.id} kitLineId={l.id} open={l.outstanding} uom={l.uom} label={`${l.partNumber} rev ${l.revision}`} /> : null}</Td>
                    ) : null}
                  </Tr>
                ))}
              </TBody>
            </Table>
          </CardBody>
        </Card>

        <Card labelledBy="picks-heading">
          <CardHeader id="picks-heading" title="Picked into this kit" description="Each pick is reserved to the kit on its source location until the kit is issued." />
          <CardBody>
            {picks.length === 0 ? (
              <EmptyState title="Nothing picked yet">Scan the first lot or serial of the pick list.</EmptyState>
            ) : (
              <Table caption="Picks">
                <THead>
                  <Tr>
                    <Th>Component</Th>
                    <Th>Lot / serial</Th>
                    <Th>From</Th>
                    <Th className="text-right">Quantity</Th>
                  </Tr>
                </THead>
                <TBody>
                  {picks.map((p) => (
                    <Tr key={p.id}>
                      <Td>
                        <PartRev partNumber={p.partNumber} revision={p.revision} />
                      </Td>
                      <Td>
                        <LotBadge lotNumber={p.lotNumber} serialNumber={p.serialNumber} />
                      </Td>
                      <Td>{p.locationName}</Td>
                      <Td className="text-right">
                        <Qty value={p.quantity} uom={p.uom} />
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        {clerk && open ? (
          <Card labelledBy="issue-heading">
            <CardHeader
              id="issue-heading"
              title="Issue to the station"
              description={settled ? "Every line is picked or recorded short: the kit can go to the station." : "Pick every line, or record it as short with a reason, before issuing."}
            />
            <CardBody>
              <IssueKitForm kitId={kit.id} stations={stations.map((s) => ({ id: s.id, label: `${s.code} · ${s.name}` }))} stationId={kit.stationId} canIssue={settled} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
