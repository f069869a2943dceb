import type { Metadata } from "next";
import Link from "next/link";
import { AllowedLots } from "./_components/allowed-lots";
import { CreateKitForm } from "./_components/create-kit-form";
import { KitStatusBadge } from "@/components/kitting/kit-status-badge";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty } from "@/components/inventory/qty";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { KITTING_WORK_ORDER_ROLES, canOpen } from "@/server/api/areas";
import { localDate } from "@/server/domain/kitting/dates";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Work order kit" };

export default async function KitWorkOrderPage({ params }: { params: Promise<{ workOrderId: string }> }) {
  const { workOrderId } = await params;
  const actor = await requireActor();
  if (!actor.roles.some((r) => KITTING_WORK_ORDER_ROLES.includes(r))) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const data = looksLikeId(workOrderId) ? await orNotFound(api.kitting.workOrder({ workOrderId })) : null;
  if (!data) return <NotFoundNotice what="That work order" siteName={actor.siteName} backHref="/kitting" backLabel="All work orders" />;
  const { workOrder: wo, lines, units, kits, stations, allowedLots } = data;
  const clerk = actor.roles.includes("kitting_clerk");
  const quality = actor.roles.includes("quality_engineer");
  const lineLabel = (l: (typeof lines)[number]) => `Find ${l.findNumber} · ${l.partNumber} rev ${l.revision} · op ${l.operationSeq}`;
  const allowedEntries = allowedLots.map((a) => {
    const line = a.workOrderBomLineId ? lines.find((l) => l.bomLineId === a.workOrderBomLineId) : undefined;
    const part = lines.find((l) => l.componentRevisionId === a.partRevisionId);
    return {
      id: a.id,
      lotNumber: a.lotNumber,
      appliesTo: line ? lineLabel(line) : `Every line of ${part ? `${part.partNumber} rev ${part.revision}` : "its part"}`,
      reason: a.reason,
      addedOn: localDate(a.addedAt, actor.timeZone),
    };
  });
  const operations = [...new Set(lines.map((l) => l.operationSeq))].sort((a, b) => a - b);
  const openUnits = units.filter((u) => u.status === "planned" || u.status === "in_progress");

  return (
    <>
      <PageHeader
        title={
          <>
            Work order <span className="font-mono">{wo.number}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <PartRev partNumber={wo.partNumber} revision={wo.revision} /> · {wo.quantity} units · due {wo.dueDate}
            <StatusBadge status={wo.status} />
          </span>
        }
        actions={
          <ButtonLink href="/kitting" size="lg">
            All work orders
          </ButtonLink>
        }
      />
      <div className="mb-6 space-y-6">
        <Card labelledBy="kits-heading">
          <CardHeader id="kits-heading" title="Kits of this work order" description="Each kit is picked by scanning and issued to a station's point of use." />
          <CardBody>
            {kits.length === 0 ? (
              <EmptyState title="No kits yet">{clerk ? "Create the first kit below." : "The kitting clerk creates kits from this page."}</EmptyState>
            ) : (
              <Table caption="Kits">
                <THead>
                  <Tr>
                    <Th>Kit</Th>
                    <Th>For</Th>
                    <Th>Station</Th>
                    <Th>Status</Th>
                    <Th className="text-right">Lines</Th>
                  </Tr>
                </THead>
                <TBody>
                  {kits.map((k) => (
                    <Tr key={k.id}>
                      <Td>
                        {canOpen(actor.roles, "kitting") ? (
                          <Link href={`/kitting/kits/${k.id}`} className="inline-flex min-h-12 items-center font-mono text-lg font-bold text-blue-800 underline">
                            {k.number}
                          </Link>
                        ) : (
                          <span className="font-mono text-lg font-bold">{k.number}</span>
                        )}
                      </Td>
                      <Td>{k.scope === "work_order" ? "Whole order" : k.scope === "operation" ? `Op ${k.operationSeq}` : `Unit ${k.unitSerial ?? ""}`}</Td>
                      <Td>{k.stationCode ?? "—"}</Td>
                      <Td>
                        <KitStatusBadge status={k.status} /> {k.shortLines > 0 ? <Badge tone="amber">{k.shortLines} short</Badge> : null}
                      </Td>
                      <Td className="text-right tabular-nums">{k.lines}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
        {clerk ? (
          <Card labelledBy="create-heading">
            <CardHeader id="create-heading" title="Create a kit" description="The pick list comes from the frozen BOM, with the revision effective for each unit, less what is already kitted or installed." />
            <CardBody>
              <CreateKitForm
                workOrderId={wo.id}
                operations={operations}
                units={openUnits.map((u) => ({ id: u.id, label: u.serial }))}
                stations={stations.map((s) => ({ id: s.id, label: `${s.code} · ${s.name}` }))}
              />
            </CardBody>
          </Card>
        ) : null}
      </div>
      <div className="mb-6">
        <Card labelledBy="allowed-heading">
          <CardHeader
            id="allowed-heading"
            title="Allowed lots"
            description={
              quality
                ? "Restrict this work order, or one BOM line, to named lots: once a part has entries, only those lots are suggested, kitted and consumed for it."
                : "Lots quality restricted this work order to: where a part has entries, only those lots are suggested and may be picked. Quality engineers change this list."
            }
          />
          <CardBody>
            <AllowedLots workOrderId={wo.id} entries={allowedEntries} lines={lines.map((l) => ({ id: l.bomLineId, label: lineLabel(l) }))} canEdit={quality} signerName={actor.displayName} />
          </CardBody>
        </Card>
      </div>
      <Card labelledBy="bom-heading">
        <CardHeader
          id="bom-heading"
          title="Bill of materials (frozen at release)"
          description="Required for all units, already installed, and usable stock where each operation is done, in kitting and in stores. Held, expired, uninspected or unapproved material does not count."
        />
        <CardBody>
          {lines.length === 0 ? (
            <EmptyState title="This work order has no BOM lines">
              Its bill of materials was empty when it was released. Check the ERP BOM of {wo.partNumber} rev {wo.revision}.
            </EmptyState>
          ) : (
            <Table caption="BOM lines" comfortable>
              <THead>
                <Tr>
                  <Th>Find</Th>
                  <Th>Component</Th>
                  <Th>Operation</Th>
                  <Th className="text-right">Per unit</Th>
                  <Th className="text-right">Required</Th>
                  <Th className="text-right">Installed</Th>
                  <Th className="text-right">Remaining</Th>
                  <Th className="text-right">Usable at stations</Th>
                  <Th className="text-right">Usable in kitting</Th>
                  <Th className="text-right">Usable in stores</Th>
                  <Th>Staged</Th>
                </Tr>
              </THead>
              <TBody>
                {lines.map((l) => (
                  <Tr key={l.bomLineId}>
                    <Td className="tabular-nums">{l.findNumber}</Td>
                    <Td>
                      <PartRev partNumber={l.partNumber} revision={l.revision} description={l.description} />
                      <span className="mt-1 flex flex-wrap gap-1">
                        <Badge>{l.tracking === "untracked" ? "Untracked" : `${l.tracking === "serial" ? "Serial" : "Lot"} tracked`}</Badge>
                        {l.backflush ? <Badge tone="violet">Backflush</Badge> : null}
                      </span>
                    </Td>
                    <Td>
                      Op {l.operationSeq} {l.operationCode ?? ""}
                      {l.workCenterCode ? <span className="block text-sm text-slate-700">at {l.workCenterCode}</span> : null}
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.quantityPerUnit} uom={l.uom} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.required} uom={l.uom} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.installed} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.remaining} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.atPointOfUse} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.inKitting} />
                    </Td>
                    <Td className="text-right">
                      <Qty value={l.inStores} />
                    </Td>
                    <Td>
                      {l.covered ? (
                        <Badge tone="green">Staged</Badge>
                      ) : (
                        <Badge tone="amber">
                          Short <Qty value={l.shortage} uom={l.uom} className="ml-1" />
                        </Badge>
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </CardBody>
      </Card>
    </>
  );
}
