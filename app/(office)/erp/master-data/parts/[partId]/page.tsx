import type { Metadata } from "next";
import { STORAGE_CLASS_WORDS } from "@/server/domain/material-clock/material-clock";
import Link from "next/link";
import type { ReactNode } from "react";
import { BomTreeTable, effectivityText } from "@/components/erp/bom-tree-table";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { Qty } from "@/components/inventory/qty";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Part" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default async function PartPage({ params, searchParams }: { params: Promise<{ partId: string }>; searchParams: Promise<Search> }) {
  const { partId } = await params;
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const rev = one(sp.rev);
  const data = looksLikeId(partId) && (!rev || looksLikeId(rev)) ? await orNotFound(api.erp.masterData.part({ partId, revisionId: rev })) : null;
  if (!data) return <NotFoundNotice what="That part (or revision)" siteName={actor.siteName} backHref="/erp/master-data" backLabel="Master data" />;
  const { part, revision, bom, usedIn, routings, maxDepth } = data;
  const base = `/erp/master-data/parts/${part.id}`;

  return (
    <>
      <PageHeader
        title={
          <>
            Part <span className="font-mono">{part.partNumber}</span>
          </>
        }
        description={part.description}
        actions={<ButtonLink href="/erp/master-data">All parts</ButtonLink>}
      />
      <ErpTabs current="master-data" />
      <div className="space-y-5">
        <Card labelledBy="part-heading">
          <CardHeader id="part-heading" title="Part master" description="As last sent by the ERP (read-only). Attributes the ownership registry gives to Traceline are set under Admin." />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6">
              <Field label="Unit of measure">{part.uom}</Field>
              <Field label="Tracking">{part.tracking}</Field>
              <Field label="Shelf life">{part.shelfLifeDays !== null ? `${part.shelfLifeDays} days` : "none"}</Field>
              <Field label="Min. remaining at use">{part.minRemainingShelfLifeDays !== null ? `${part.minRemainingShelfLifeDays} days` : "none"}</Field>
              <Field label="Max. cumulative out-time">{part.outTimeMinutes !== null ? `${part.outTimeMinutes} minutes` : "none"}</Field>
              <Field label="Min. thaw time">{part.minThawMinutes !== null ? `${part.minThawMinutes} minutes` : "none"}</Field>
              <Field label="Storage class">{part.storageClass !== null ? STORAGE_CLASS_WORDS[part.storageClass] : "none"}</Field>
              <Field label="Pot life after mixing">{part.potLifeMinutes !== null ? `${part.potLifeMinutes} minutes` : "none"}</Field>
              <Field label="ERP version">
                {part.erpVersion} · <DateTime value={part.updatedAt} timeZone={actor.timeZone} />
              </Field>
            </dl>
            <div className="mt-4">
              <p className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase" id="revisions-label">
                Revisions
              </p>
              <ul className="flex flex-wrap gap-2" aria-labelledby="revisions-label">
                {part.revisions.map((r) => (
                  <li key={r.id}>
                    <Link
                      href={`${base}?rev=${r.id}`}
                      aria-current={revision?.id === r.id ? "true" : undefined}
                      className={cn(
                        "inline-flex min-h-9 items-center gap-1 rounded-md border px-3 text-sm font-semibold",
                        revision?.id === r.id ? "border-blue-700 bg-blue-700 text-white" : "border-slate-400 bg-white text-slate-900 hover:bg-slate-100",
                      )}
                    >
                      Rev {r.revision}
                      {r.status !== "released" ? <span className="font-normal">({r.status})</span> : null}
                      {r.hasBom ? <span className="font-normal">· BOM</span> : null}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          </CardBody>
        </Card>

        {revision ? (
          <Card labelledBy="bom-heading">
            <CardHeader
              id="bom-heading"
              title={`Bill of materials, rev ${revision.revision}`}
              description="Every level, with the operation that consumes each line, its effectivity by unit serial and by date, and whether it is backflushed. A work order keeps the copy it was released with."
            />
            <CardBody className="space-y-3">
              {bom && bom.lines.length > 0 ? (
                <>
                  {bom.truncated ? (
                    <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2 text-sm font-semibold text-amber-900">
                      This BOM is deeper than {maxDepth} levels: the lines marked below have BOMs of their own that are not expanded here. Open those parts to see them.
                    </p>
                  ) : null}
                  <p className="text-sm text-slate-700">{bom.lineCount} lines on all levels.</p>
                  <BomTreeTable lines={bom.lines} />
                </>
              ) : (
                <EmptyState title={`Rev ${revision.revision} has no BOM`}>Bought-in parts and raw materials have none; an assembly's BOM arrives as an ERP BOM message.</EmptyState>
              )}
            </CardBody>
          </Card>
        ) : null}

        {revision ? (
          <Card labelledBy="used-heading">
            <CardHeader id="used-heading" title={`Where rev ${revision.revision} is used`} description="The BOMs that name this revision as a component (one level up)." />
            <CardBody>
              {usedIn.length === 0 ? (
                <EmptyState title="Not used in any BOM">No assembly in the master data names this revision.</EmptyState>
              ) : (
                <Table caption="Where used">
                  <THead>
                    <Tr>
                      <Th>Parent</Th>
                      <Th className="text-right">Find</Th>
                      <Th className="text-right">Qty per</Th>
                      <Th className="text-right">Op</Th>
                      <Th>Unit serials</Th>
                      <Th>Dates</Th>
                      <Th>Backflush</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {usedIn.map((u, i) => (
                      <Tr key={`${u.parentPartId}-${u.parentRevision}-${u.findNumber}-${i}`}>
                        <Td>
                          <Link href={`/erp/master-data/parts/${u.parentPartId}`} className="font-mono font-semibold text-blue-800 underline-offset-2 hover:underline">
                            {u.parentPartNumber}
                          </Link>{" "}
                          rev {u.parentRevision}
                          <span className="block text-xs text-slate-600">{u.parentDescription}</span>
                        </Td>
                        <Td className="text-right tabular-nums">{u.findNumber}</Td>
                        <Td className="text-right">
                          <Qty value={u.quantity} uom={part.uom} />
                        </Td>
                        <Td className="text-right tabular-nums">{u.operationSeq}</Td>
                        <Td className="font-mono text-xs">{effectivityText(u.serialFrom, u.serialTo)}</Td>
                        <Td className="text-xs">{effectivityText(u.effectiveFrom, u.effectiveTo)}</Td>
                        <Td>{u.backflush ? <Badge tone="violet">Backflush</Badge> : "Scan"}</Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="aml-heading">
          <CardHeader id="aml-heading" title="Approved manufacturers (AML)" description="Enforced at the station: material of a manufacturer not approved here is refused." />
          <CardBody>
            {part.aml.length === 0 ? (
              <EmptyState title="No manufacturer is listed for this part">Until ERP sends its AML, no material of this part can be accepted at a station.</EmptyState>
            ) : (
              <Table caption="Approved manufacturers">
                <THead>
                  <Tr>
                    <Th>Manufacturer</Th>
                    <Th>Name</Th>
                    <Th>Status</Th>
                    <Th className="text-right">ERP version</Th>
                  </Tr>
                </THead>
                <TBody>
                  {part.aml.map((a) => (
                    <Tr key={a.manufacturerCode}>
                      <Td className="font-mono">{a.manufacturerCode}</Td>
                      <Td>{a.manufacturerName}</Td>
                      <Td>{a.status === "approved" ? <Badge tone="green">Approved</Badge> : <Badge tone="red">Disqualified</Badge>}</Td>
                      <Td className="text-right tabular-nums">{a.erpVersion}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="part-routings-heading">
          <CardHeader id="part-routings-heading" title={`Routings at ${actor.siteName}`} description="Routings are per plant: other sites may build this part differently." />
          <CardBody>
            {routings.length === 0 ? (
              <EmptyState title="No routing for this part at this site">Parts bought in or built elsewhere have none here.</EmptyState>
            ) : (
              <ul className="space-y-1">
                {routings.map((r) => (
                  <li key={r.id}>
                    <Link href={`/erp/master-data/routings/${r.id}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
                      {r.code}
                    </Link>{" "}
                    for rev {r.revision} · {r.operations} operations
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
