import type { Metadata } from "next";
import Link from "next/link";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Routing" };

function limits(min?: string, max?: string): string {
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return "recorded, no limits";
}

export default async function RoutingPage({ params }: { params: Promise<{ routingId: string }> }) {
  const { routingId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const routing = looksLikeId(routingId) ? await orNotFound(api.erp.masterData.routing({ routingId })) : null;
  if (!routing) return <NotFoundNotice what="That routing" siteName={actor.siteName} backHref="/erp/master-data?view=routings" backLabel="Routings" />;

  return (
    <>
      <PageHeader
        title={
          <>
            Routing <span className="font-mono">{routing.code}</span>
          </>
        }
        description={
          <>
            For{" "}
            <Link href={`/erp/master-data/parts/${routing.partId}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
              {routing.partNumber}
            </Link>{" "}
            rev {routing.revision} at {actor.siteName} · ERP version {routing.erpVersion}
          </>
        }
        actions={<ButtonLink href="/erp/master-data?view=routings">All routings</ButtonLink>}
      />
      <ErpTabs current="master-data" />
      <Card labelledBy="ops-heading">
        <CardHeader id="ops-heading" title="Operations" description="In sequence. Operators record each process parameter at the station, within its limits." />
        <CardBody>
          <Table caption="Routing operations">
            <THead>
              <Tr>
                <Th className="text-right">Op</Th>
                <Th>Code</Th>
                <Th>Description</Th>
                <Th>Work center</Th>
                <Th>Process parameters</Th>
              </Tr>
            </THead>
            <TBody>
              {routing.operationList.map((o) => (
                <Tr key={o.seq}>
                  <Td className="text-right tabular-nums font-semibold">{o.seq}</Td>
                  <Td className="font-mono">{o.code}</Td>
                  <Td>{o.description}</Td>
                  <Td>
                    <span className="font-mono">{o.workCenterCode}</span>
                    <span className="block text-xs text-slate-600">{o.workCenterName}</span>
                  </Td>
                  <Td>
                    {o.parameters.length === 0 ? (
                      <span className="text-slate-600">None</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {o.parameters.map((p) => (
                          <li key={p.name}>
                            <span className="font-semibold">{p.name}</span>: {limits(p.min, p.max)} {p.unit}
                          </li>
                        ))}
                      </ul>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </CardBody>
      </Card>
    </>
  );
}
