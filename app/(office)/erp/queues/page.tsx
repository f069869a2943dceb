import type { Metadata } from "next";
import Link from "next/link";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { MessageErrorView } from "@/components/erp/message-error-view";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { QueueActions } from "./_components/queue-actions";
import { PolicyForm } from "./_components/policy-form";

export const metadata: Metadata = { title: "ERP order queues" };

/** Versions from 10^12 on are change times (ms since 1970), not counters. */
const versionText = (v: number | null) => (v === null ? "none" : v >= 1e12 ? `changed ${new Date(v).toISOString()}` : String(v));

export default async function ErpQueuesPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const [queues, policy] = await Promise.all([api.erp.orderedQueues(), api.erp.unapprovedMaterialPolicy()]);
  const isAdmin = actor.roles.includes("admin");
  const tz = actor.timeZone;

  return (
    <>
      <PageHeader
        title="Production order queues"
        description={`Production orders apply from ERP strictly in sequence (1 release, 2, 3… changes). Orders of ${actor.siteName} whose later messages wait: for a missing version, or behind a refused one.`}
      />
      <ErpTabs current="queues" />
      <div className="space-y-5">
        {queues.length === 0 ? (
          <EmptyState title="No production order is waiting for a missing version">Every order message that arrived has applied, or was overtaken by a newer one.</EmptyState>
        ) : (
          queues.map((q) => {
            const held = q.waiting.filter((w) => w.status === "held" || (w.status === "dead_letter" && w.error?.code === "HELD_TOO_LONG"));
            const next = (q.appliedVersion ?? 0) + 1;
            const canSkip = held.length > 0 && held[0]!.version > next && held[0]!.version < 1e12;
            const headingId = `queue-${q.plant}-${q.objectKey}`.replace(/[^A-Za-z0-9_-]/g, "_");
            return (
              <Card key={`${q.plant}|${q.objectKey}`} labelledBy={headingId}>
                <CardHeader
                  id={headingId}
                  title={`Order ${q.objectKey} (plant ${q.plant})`}
                  description={`Applied version: ${versionText(q.appliedVersion)}. ${held.length > 0 && held[0]!.version < 1e12 ? `Waiting for version ${next}.` : held.length > 0 ? "Waiting for the release." : "Blocked by a refused version."}`}
                />
                <CardBody className="space-y-4">
                  <Table caption={`Messages of order ${q.objectKey} not applied yet`}>
                    <THead>
                      <Tr>
                        <Th className="text-right">Version</Th>
                        <Th>Status</Th>
                        <Th>Received</Th>
                        <Th>Message id</Th>
                        <Th>Why</Th>
                      </Tr>
                    </THead>
                    <TBody>
                      {q.waiting.map((w) => (
                        <Tr key={w.id}>
                          <Td className="text-right tabular-nums">{versionText(w.version)}</Td>
                          <Td>
                            <StatusBadge status={w.status} />
                          </Td>
                          <Td>
                            <DateTime value={w.receivedAt} timeZone={tz} />
                          </Td>
                          <Td className="font-mono text-xs">
                            <Link href={`/erp/messages/${w.id}`} className="font-semibold text-blue-800 underline underline-offset-2">
                              {w.messageId}
                            </Link>
                          </Td>
                          <Td className="max-w-md">{w.error ? <MessageErrorView error={w.error} compact /> : null}</Td>
                        </Tr>
                      ))}
                    </TBody>
                  </Table>
                  {isAdmin ? (
                    <QueueActions objectKey={q.objectKey} plant={q.plant} canSkip={canSkip} />
                  ) : (
                    <p className="text-sm text-slate-700">An administrator can skip a missing version or resume the queue, with a reason.</p>
                  )}
                </CardBody>
              </Card>
            );
          })
        )}

        <Card labelledBy="policy-heading">
          <CardHeader
            id="policy-heading"
            title="Material from unapproved manufacturers"
            description="What the ERP interface does with a goods issue of material whose manufacturer the part's approved-manufacturer list disqualifies, or does not list. Kitting and the station refuse such material either way."
          />
          <CardBody>
            <p className="mb-3">
              At {actor.siteName}: <strong>{policy === "refuse" ? "refuse the issue" : "apply it with a warning"}</strong>.
            </p>
            {isAdmin ? <PolicyForm current={policy} /> : null}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
