import type { Metadata } from "next";
import { INBOX_STATUSES, OUTBOX_STATUSES, StatusCounts } from "@/components/production/status-counts";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "ERP interface" };

export default async function ErpPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const counts = await api.erp.counts();
  const { inbox, outbox, limit } = await api.erp.messages({ limit: 100 });
  const tz = actor.timeZone;

  return (
    <>
      <PageHeader
        title="ERP interface"
        description={`Messages between the ERP and ${actor.siteName}: master data and orders coming in, confirmations going out.`}
      />
      <div className="space-y-5">
        <Card labelledBy="erp-counts-heading">
          <CardHeader id="erp-counts-heading" title="By status" />
          <CardBody className="grid gap-4 md:grid-cols-2">
            <StatusCounts label="Inbound messages" statuses={INBOX_STATUSES} counts={counts.inbox} />
            <StatusCounts label="Outbound confirmations" statuses={OUTBOX_STATUSES} counts={counts.outbox} />
          </CardBody>
        </Card>

        <Card labelledBy="inbox-heading">
          <CardHeader
            id="inbox-heading"
            title="Inbound messages"
            description={`Newest first${inbox.length === limit ? `, the latest ${limit} shown` : ""}. Enterprise master data (parts, BOMs) concerns every plant.`}
          />
          <CardBody>
            {inbox.length === 0 ? (
              <EmptyState title="No messages have arrived from the ERP yet">
                Master data and production orders appear here as the ERP sends them. If you expected some, check the ERP connection and its API key.
              </EmptyState>
            ) : (
              <Table caption="Inbound messages">
                <THead>
                  <Tr>
                    <Th>Received</Th>
                    <Th>Type</Th>
                    <Th>Object</Th>
                    <Th className="text-right">Version</Th>
                    <Th>Plant</Th>
                    <Th>Status</Th>
                    <Th>Message id</Th>
                    <Th>Problem</Th>
                  </Tr>
                </THead>
                <TBody>
                  {inbox.map((m) => (
                    <Tr key={m.id}>
                      <Td>
                        <DateTime value={m.receivedAt} timeZone={tz} />
                      </Td>
                      <Td>{m.type}</Td>
                      <Td className="font-mono">{m.objectKey}</Td>
                      <Td className="text-right tabular-nums">{m.version}</Td>
                      <Td>{m.enterprise ? <Badge>Enterprise</Badge> : m.plant}</Td>
                      <Td>
                        <StatusBadge status={m.status} />
                      </Td>
                      <Td className="font-mono text-xs">
                        {m.source}/{m.messageId}
                      </Td>
                      <Td className="max-w-sm text-red-900">{m.error ?? ""}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="outbox-heading">
          <CardHeader
            id="outbox-heading"
            title="Outbound confirmations"
            description={`Consumption, scrap, returns and completions for the ERP, delivered at least once under a stable message id${outbox.length === limit ? `; the latest ${limit} shown` : ""}.`}
          />
          <CardBody>
            {outbox.length === 0 ? (
              <EmptyState title="No confirmations are waiting or sent">
                A confirmation is written with every consumption, scrap, return and completion at this site.
              </EmptyState>
            ) : (
              <Table caption="Outbound confirmations">
                <THead>
                  <Tr>
                    <Th>Created</Th>
                    <Th>Type</Th>
                    <Th>Status</Th>
                    <Th className="text-right">Attempts</Th>
                    <Th>Next attempt</Th>
                    <Th>Delivered</Th>
                    <Th>Message id</Th>
                    <Th>Last error</Th>
                  </Tr>
                </THead>
                <TBody>
                  {outbox.map((m) => (
                    <Tr key={m.id}>
                      <Td>
                        <DateTime value={m.createdAt} timeZone={tz} />
                      </Td>
                      <Td>{m.type}</Td>
                      <Td>
                        <StatusBadge status={m.status} />
                      </Td>
                      <Td className="text-right tabular-nums">{m.attempts}</Td>
                      <Td>{m.status === "delivered" ? "—" : <DateTime value={m.nextAttemptAt} timeZone={tz} />}</Td>
                      <Td>
                        <DateTime value={m.deliveredAt} timeZone={tz} />
                      </Td>
                      <Td className="font-mono text-xs">{m.messageId}</Td>
                      <Td className="max-w-sm text-red-900">{m.lastError ?? ""}</Td>
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
