import type { Metadata } from "next";
import Link from "next/link";
import { PartRev } from "@/components/inventory/lot-badge";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { looksLikeId, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Across sites" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined);

const whereUsedHref = (siteId: string, kind: string, id: string) => `/genealogy/enterprise?site=${siteId}&kind=${kind}&id=${id}`;
const asBuiltHref = (siteId: string, id: string) => `/genealogy/enterprise?site=${siteId}&serial=${id}`;

/**
 * Enterprise genealogy (the enterprise role): find a lot or serial at any of the user's enterprise sites, trace where it
 * is used across those sites (through site transfers), and open a unit's as-built one level at a time, each node with
 * its site. Sites outside the user's enterprise scope are never read; a link leaving the scope is counted, not followed.
 */
export default async function EnterpriseGenealogyPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  const scope = actor.sites.filter((s) => s.roles.includes("enterprise"));
  if (!actor.roles.includes("enterprise")) {
    return (
      <>
        <PageHeader title="Across sites" description="Where-used and as-built across every site where you hold the enterprise role." />
        <EmptyState title={`You do not hold the enterprise role at ${actor.siteName}.`} action={<ButtonLink href="/genealogy">Genealogy of this site</ButtonLink>}>
          An administrator grants it to named quality engineers and supervisors, at each site they may trace across.
        </EmptyState>
      </>
    );
  }
  const api = await serverCaller(actor);
  const q = (one(sp.q) ?? "").trim().slice(0, 200);
  const site = one(sp.site) ?? "";
  const kind = one(sp.kind);
  const id = one(sp.id) ?? "";
  const serial = one(sp.serial) ?? "";
  const found = q ? await api.enterprise.find({ number: q }) : null;
  const whereUsed =
    looksLikeId(site) && looksLikeId(id) && (kind === "lot" || kind === "serial")
      ? await api.enterprise.whereUsed({ siteId: site, kind, id }).catch(() => null)
      : null;
  const asBuilt = looksLikeId(site) && looksLikeId(serial) ? await api.enterprise.asBuilt({ siteId: site, serialItemId: serial }).catch(() => null) : null;

  return (
    <>
      <PageHeader
        title="Across sites"
        description={`Where-used and as-built across your enterprise sites: ${scope.map((s) => s.code).join(", ")}. Each line says its site.`}
        actions={<ButtonLink href="/genealogy">Genealogy of {actor.siteCode}</ButtonLink>}
      />
      <div className="space-y-6">
        <Card labelledBy="enterprise-find-heading">
          <CardHeader id="enterprise-find-heading" title="Find a lot or serial" />
          <CardBody className="space-y-4">
            <form method="get" action="/genealogy/enterprise" className="flex flex-wrap items-end gap-3" aria-label="Find a lot or serial at your sites">
              <div>
                <label htmlFor="enterprise-q" className="mb-1 block text-sm font-semibold">
                  Lot or serial number
                </label>
                <input id="enterprise-q" name="q" defaultValue={q} autoComplete="off" maxLength={200} className="min-h-10 rounded-md border-2 border-slate-400 px-2 font-mono" />
              </div>
              <button type="submit" className="min-h-10 rounded-md bg-blue-700 px-4 font-semibold text-white">
                Find
              </button>
            </form>
            {found === null ? (
              <p className="text-slate-700">Type the number on the label; every site of yours that has it is listed.</p>
            ) : found.length === 0 ? (
              <EmptyState title={`No lot or serial ${q} at your enterprise sites.`}>Check the number, or ask whether another site has it.</EmptyState>
            ) : (
              <Table caption="Lots and serials found">
                <THead>
                  <Tr>
                    <Th>Site</Th>
                    <Th>Part</Th>
                    <Th>Number</Th>
                    <Th>Open</Th>
                  </Tr>
                </THead>
                <TBody>
                  {found.map((f) => (
                    <Tr key={`${f.siteId}:${f.id}`}>
                      <Td className="font-mono font-semibold">{f.siteCode}</Td>
                      <Td>
                        <PartRev partNumber={f.partNumber} revision={f.revision} />
                      </Td>
                      <Td className="font-mono">
                        {f.kind} {f.number}
                      </Td>
                      <Td className="space-x-3">
                        <Link className="text-blue-800 underline" href={whereUsedHref(f.siteId, f.kind, f.id)}>
                          Where-used
                        </Link>
                        {f.kind === "serial" ? (
                          <Link className="text-blue-800 underline" href={asBuiltHref(f.siteId, f.id)}>
                            As-built
                          </Link>
                        ) : null}
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        {whereUsed ? (
          <Card labelledBy="enterprise-wu-heading">
            <CardHeader id="enterprise-wu-heading" title={`Where-used: ${whereUsed.total} unit(s) at your sites`} />
            <CardBody className="space-y-3">
              {whereUsed.linksOutOfScope > 0 ? (
                <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2">
                  {whereUsed.linksOutOfScope} transfer(s) went to sites outside your enterprise scope: ask quality there to trace them.
                </p>
              ) : null}
              {whereUsed.rows.length === 0 ? (
                <EmptyState title="Not installed in any unit at your sites.">It may still be in stock or on its way between sites.</EmptyState>
              ) : (
                <Table caption="Units containing the material, across sites">
                  <THead>
                    <Tr>
                      <Th>Site</Th>
                      <Th>Unit</Th>
                      <Th>Part</Th>
                      <Th>Level</Th>
                      <Th>Status</Th>
                      <Th>Path</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {whereUsed.rows.map((r) => (
                      <Tr key={`${r.siteId}:${r.unitSerialItemId}`}>
                        <Td className="font-mono font-semibold">{r.siteCode}</Td>
                        <Td className="font-mono">
                          <Link className="text-blue-800 underline" href={asBuiltHref(r.siteId, r.unitSerialItemId)}>
                            {r.unitSerialNumber}
                          </Link>
                        </Td>
                        <Td>
                          <PartRev partNumber={r.partNumber} revision={r.revision} />
                        </Td>
                        <Td>{r.level}</Td>
                        <Td>
                          {r.current ? <Badge tone="green">Contains it now</Badge> : <Badge tone="neutral">Contained it (removed)</Badge>} {r.status ?? ""}
                          {r.shippedTo ? ` to ${r.shippedTo}` : ""}
                        </Td>
                        <Td className="font-mono text-xs">{r.path.map((p) => `${p.siteCode}:${p.number}${p.via === "transferred" ? " (transfer)" : ""}`).join(" → ")}</Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        ) : null}

        {asBuilt?.node ? (
          <Card labelledBy="enterprise-ab-heading">
            <CardHeader
              id="enterprise-ab-heading"
              title={`As-built: ${asBuilt.node.siteCode} ${asBuilt.node.serialNumber}`}
              description={`${asBuilt.node.partNumber} rev ${asBuilt.node.revision}${asBuilt.node.status ? `, ${asBuilt.node.status}` : ""}. One level: open a component to see what is in it.`}
            />
            <CardBody className="space-y-3">
              {asBuilt.originOutOfScope ? (
                <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2">
                  Received from {asBuilt.originOutOfScope}, outside your enterprise scope: its as-built there is not shown.
                </p>
              ) : null}
              {asBuilt.components.length === 0 ? (
                <EmptyState title="Nothing installed in it.">Components appear here as they are installed at its site.</EmptyState>
              ) : (
                <Table caption="Components, one level">
                  <THead>
                    <Tr>
                      <Th>Site</Th>
                      <Th>Part</Th>
                      <Th>Lot or serial</Th>
                      <Th>Quantity</Th>
                      <Th>How</Th>
                      <Th>Below</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {asBuilt.components.map((c, i) => (
                      <Tr key={`${c.siteId}:${c.id ?? i}:${c.relation}`}>
                        <Td className="font-mono font-semibold">{c.siteCode}</Td>
                        <Td>
                          <PartRev partNumber={c.partNumber} revision={c.revision} description={c.description} />
                        </Td>
                        <Td className="font-mono">
                          {c.kind === "serial" && c.id ? (
                            <Link className="text-blue-800 underline" href={asBuiltHref(c.siteId, c.id)}>
                              {c.number}
                            </Link>
                          ) : (
                            (c.number ?? "untracked")
                          )}
                        </Td>
                        <Td>
                          {c.quantity} {c.uom}
                        </Td>
                        <Td>
                          {c.relation === "received_from" ? (
                            <>Built or received at {c.siteCode}, transfer {c.transferNumber}</>
                          ) : (
                            <>
                              Installed at op {c.operationSeq}, <DateTime value={c.installedAt} timeZone={actor.timeZone} />
                            </>
                          )}
                        </Td>
                        <Td>{c.below}</Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
