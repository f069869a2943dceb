import type { Metadata } from "next";
import Link from "next/link";
import { PartRev } from "@/components/inventory/lot-badge";
import { StatusBadge } from "@/components/production/status-badge";
import { WipOperationsTable } from "@/components/production/wip-operations-table";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "WIP board" };

export default async function WipBoardPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "wip")) return <ForbiddenNotice siteName={actor.siteName} area="wip" />;
  const api = await serverCaller(actor);
  const board = await api.wip.board();

  return (
    <>
      <PageHeader title="WIP board" description={`Open work orders at ${actor.siteName}: where their units stand, operation by operation.`} />
      {board.length === 0 ? (
        <EmptyState title={`No open work orders at ${actor.siteName}`}>
          Released ERP production orders appear here with their units. If one is missing, check the ERP interface for messages that were not applied.
        </EmptyState>
      ) : (
        <ul className="space-y-5">
          {board.map((wo) => (
            <li key={wo.id}>
              <Card labelledBy={`wo-${wo.id}`}>
                <CardHeader
                  id={`wo-${wo.id}`}
                  title={
                    <Link href={`/wip/${wo.id}`} className="inline-flex min-h-12 items-center gap-2 text-blue-800 underline">
                      <span className="font-mono">{wo.number}</span>
                    </Link>
                  }
                  description={
                    <span className="flex flex-wrap items-center gap-2">
                      <PartRev partNumber={wo.partNumber} revision={wo.revision} /> · due {wo.dueDate} ·{" "}
                      {wo.unitsCompleted} of {wo.unitsTotal} units done
                      {wo.unitsScrapped > 0 ? ` · ${wo.unitsScrapped} scrapped` : ""}
                      <StatusBadge status={wo.status} />
                    </span>
                  }
                />
                <CardBody>
                  <WipOperationsTable operations={wo.operations} />
                </CardBody>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
