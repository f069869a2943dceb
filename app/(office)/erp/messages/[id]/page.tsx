import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { JsonBlock } from "@/components/erp/json-block";
import { MessageErrorView } from "@/components/erp/message-error-view";
import { MessageHistory } from "@/components/erp/message-history";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { isReplayable } from "@/server/domain/erp/message-scope";
import { ReplayButton } from "@/app/(office)/erp/_components/replay-button";

export const metadata: Metadata = { title: "ERP message" };

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

/** The business content of a message: the envelope's payload when the message was a valid envelope, else all of it. */
function payloadOf(raw: unknown): { payload: unknown; isEnvelope: boolean } {
  if (raw && typeof raw === "object" && !Array.isArray(raw) && "payload" in raw) return { payload: (raw as { payload: unknown }).payload, isEnvelope: true };
  return { payload: raw, isEnvelope: false };
}

export default async function ErpMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const numeric = /^\d{1,15}$/.test(id) ? Number(id) : null;
  const m = numeric && numeric > 0 && Number.isSafeInteger(numeric) ? await orNotFound(api.erp.message({ id: numeric })) : null;
  if (!m) return <NotFoundNotice what="That ERP message" siteName={actor.siteName} backHref="/erp" backLabel="Interface monitor" />;
  const tz = actor.timeZone;
  const isAdmin = actor.roles.includes("admin");
  const { payload, isEnvelope } = payloadOf(m.raw);

  return (
    <>
      <PageHeader
        title={
          <>
            Message <span className="font-mono">{m.messageId}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            {m.type.replaceAll("_", " ")} <span className="font-mono">{m.objectKey || "—"}</span> · version {m.version} · from {m.source}
            <StatusBadge status={m.status} />
            {m.enterprise ? <Badge>Enterprise</Badge> : null}
          </span>
        }
        actions={<ButtonLink href="/erp">Interface monitor</ButtonLink>}
      />
      <ErpTabs current="monitor" />
      <div className="space-y-5">
        {m.error || isAdmin ? (
          <Card labelledBy="outcome-heading">
            <CardHeader id="outcome-heading" title={m.error ? "Why it was not applied" : "Outcome"} />
            <CardBody className="space-y-4">
              {m.error ? <MessageErrorView error={m.error} /> : <p>This message is {m.status.replaceAll("_", " ")}.</p>}
              {isAdmin ? (
                <ReplayButton id={m.id} messageId={m.messageId} replayable={isReplayable(m.status)} />
              ) : isReplayable(m.status) ? (
                <p className="text-sm text-slate-700">An administrator can replay this message once its cause is fixed.</p>
              ) : null}
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="envelope-heading">
          <CardHeader id="envelope-heading" title="Envelope" />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
              <Field label="Source">{m.source}</Field>
              <Field label="Message id">
                <span className="font-mono">{m.messageId}</span>
              </Field>
              <Field label="Type">{m.type.replaceAll("_", " ")}</Field>
              <Field label="Object key">
                <span className="font-mono">{m.objectKey || "—"}</span>
              </Field>
              <Field label="Version">{m.version}</Field>
              <Field label="Plant">
                <span className="font-mono">{m.plant || "—"}</span>
                {m.siteCode ? <span className="text-slate-700"> → site {m.siteCode}</span> : null}
                {m.enterprise ? <span className="block text-xs text-slate-600">Enterprise master data: concerns every plant</span> : null}
              </Field>
              <Field label="Occurred in ERP">
                <DateTime value={m.occurredAt} timeZone={tz} />
              </Field>
              <Field label="Received">
                <DateTime value={m.receivedAt} timeZone={tz} />
              </Field>
              <Field label="Applied">
                <DateTime value={m.appliedAt} timeZone={tz} />
              </Field>
              <Field label="Replays and retries">{m.attempts}</Field>
              <Field label="Connection">{m.connectionName ?? <span className="text-slate-600">—</span>}</Field>
              <Field label="Status">
                <StatusBadge status={m.status} />
              </Field>
            </dl>
          </CardBody>
        </Card>

        {m.warnings.length > 0 ? (
          <Card labelledBy="warnings-heading">
            <CardHeader id="warnings-heading" title="Warnings" description="Attributes the message carried that the ownership registry gives to Traceline: ignored, the rest applied." />
            <CardBody>
              <ul className="list-disc pl-5 text-amber-900">
                {m.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="history-heading">
          <CardHeader id="history-heading" title="History" description="Every status this message went through, oldest first." />
          <CardBody>
            <MessageHistory events={m.history} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="payload-heading">
          <CardHeader id="payload-heading" title="Payload" description={isEnvelope ? "The object the message carries, as received (the database may list keys in another order)." : "What could be kept of a message that was not a valid envelope."} />
          <CardBody className="space-y-3">
            {m.rawTooLarge ? (
              <>
                <p className="text-sm text-slate-700">
                  This message is {Math.round(m.rawTooLarge.bytes / 1024).toLocaleString("en-US")} KB: its beginning is shown (the database keeps all of it).
                </p>
                <pre className="max-h-96 overflow-auto rounded-md bg-slate-100 p-3 text-xs" aria-label="Beginning of the message as received">
                  {m.rawTooLarge.beginning}…
                </pre>
              </>
            ) : null}
            {m.rawTooLarge ? null : <JsonBlock value={payload} label="Payload" />}
            {isEnvelope && !m.rawTooLarge ? (
              <details>
                <summary className="cursor-pointer text-sm font-semibold text-blue-800">The whole message as received</summary>
                <div className="mt-2">
                  <JsonBlock value={m.raw} label="Whole message" />
                </div>
              </details>
            ) : null}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
