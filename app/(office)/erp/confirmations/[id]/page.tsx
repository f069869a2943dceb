import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { JsonBlock } from "@/components/erp/json-block";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { ReplayConfirmation } from "../_components/replay-confirmation";

export const metadata: Metadata = { title: "ERP confirmation" };

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

const EVENT: Record<string, string> = {
  delivered: "Delivered: the ERP answered",
  attempt_failed: "Attempt failed",
  dead: "Dead letter: given up",
  replayed: "Replayed by an administrator",
  acknowledged: "Acknowledged by the pulling ERP",
  status_query: "Asked the ERP whether it had applied it",
};

function eventText(kind: string, detail: Record<string, unknown> | null): string {
  const d = detail ?? {};
  const parts: string[] = [];
  if (typeof d.note === "string") parts.push(d.note);
  if (typeof d.error === "string") parts.push(d.error);
  if (d.ambiguous === true) parts.push("(it may have reached the ERP)");
  if (typeof d.answer === "string") parts.push(`answer: ${d.answer}`);
  if (typeof d.reason === "string") parts.push(`reason: ${d.reason}`);
  if (typeof d.attempt === "number" && kind !== "replayed") parts.push(`attempt ${d.attempt}`);
  return parts.join(" · ");
}

export default async function ConfirmationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const numeric = /^\d{1,15}$/.test(id) ? Number(id) : null;
  const m = numeric && numeric > 0 && Number.isSafeInteger(numeric) ? await orNotFound(api.erp.confirmation({ id: numeric })) : null;
  if (!m) return <NotFoundNotice what="That confirmation" siteName={actor.siteName} backHref="/erp/confirmations" backLabel="Confirmations" />;
  const tz = actor.timeZone;

  return (
    <>
      <PageHeader
        title={
          <>
            Confirmation <span className="font-mono">{m.messageId}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            {m.type.replaceAll("_", " ")} · <span className="font-mono">{m.orderingKey}</span>
            <StatusBadge status={m.status} />
          </span>
        }
        actions={<ButtonLink href="/erp/confirmations">All confirmations</ButtonLink>}
      />
      <ErpTabs current="confirmations" />
      <div className="space-y-5">
        <Card labelledBy="state-heading">
          <CardHeader id="state-heading" title="Delivery" />
          <CardBody className="space-y-4">
            <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <Field label="Recorded">
                <DateTime value={m.createdAt} timeZone={tz} />
              </Field>
              <Field label="Attempts">{m.attempts}</Field>
              <Field label={m.deliveredAt ? "Delivered" : "Next attempt"}>
                {m.deliveredAt ? <DateTime value={m.deliveredAt} timeZone={tz} /> : m.status === "dead" ? "none (dead letter)" : <DateTime value={m.nextAttemptAt} timeZone={tz} />}
              </Field>
              <Field label="Received by">{m.connectionName ?? "—"}</Field>
            </dl>
            {m.waitingFor ? (
              <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
                Waits for an earlier confirmation of the same order (
                <Link href={`/erp/confirmations/${m.waitingFor.id}`} className="font-mono font-semibold underline">
                  {m.waitingFor.messageId}
                </Link>
                , <StatusBadge status={m.waitingFor.status} />
                ): confirmations of one order reach the ERP in the order they were recorded.
              </p>
            ) : null}
            {m.lastError && m.status !== "delivered" ? <p className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 text-red-900">Last error: {m.lastError}</p> : null}
            {m.status === "dead" && actor.roles.includes("admin") ? <ReplayConfirmation id={m.id} messageId={m.messageId} /> : null}
            {m.status === "dead" && !actor.roles.includes("admin") ? <p className="text-sm text-slate-700">An administrator can send it again once its cause is fixed.</p> : null}
          </CardBody>
        </Card>
        <Card labelledBy="payload-heading">
          <CardHeader id="payload-heading" title="Content" description="What the ERP receives (in Traceline's JSON; the connection's format renders the same content)." />
          <CardBody>
            <JsonBlock value={m.payload} label="Confirmation content" />
          </CardBody>
        </Card>
        <Card labelledBy="history-heading">
          <CardHeader id="history-heading" title="History" />
          <CardBody>
            {m.events.length === 0 ? (
              <p className="text-slate-700">No delivery attempt yet.</p>
            ) : (
              <ol className="space-y-2">
                {m.events.map((e, i) => (
                  <li key={i} className="border-l-4 border-slate-300 pl-3">
                    <p className="font-semibold">
                      {EVENT[e.kind] ?? e.kind} · <DateTime value={e.at} timeZone={tz} />
                      {e.actorName ? ` · ${e.actorName}` : ""}
                    </p>
                    <p className="text-sm text-slate-700">{eventText(e.kind, e.detail)}</p>
                  </li>
                ))}
              </ol>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
