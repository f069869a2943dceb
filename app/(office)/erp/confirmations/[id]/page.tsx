import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
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

export async function generateMetadata() {
  const t = await getTranslations("erp.confirmation");
  return { title: t("metaTitle") };
}

type T = Awaited<ReturnType<typeof getTranslations<"erp.confirmation">>>;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

const EVENTS = ["delivered", "attempt_failed", "dead", "replayed", "acknowledged", "status_query"] as const;
type EventKind = (typeof EVENTS)[number];

/** An attempt's details: the ERP's answer and error stay as the ERP (or the transport) said them; the framing is translated. */
function eventText(kind: string, detail: Record<string, unknown> | null, t: T): string {
  const d = detail ?? {};
  const parts: string[] = [];
  if (typeof d.note === "string") parts.push(d.note);
  if (typeof d.error === "string") parts.push(d.error);
  if (d.ambiguous === true) parts.push(t("event.ambiguous"));
  if (typeof d.answer === "string") parts.push(t("event.answer", { answer: d.answer }));
  if (typeof d.reason === "string") parts.push(t("event.reason", { reason: d.reason }));
  if (typeof d.attempt === "number" && kind !== "replayed") parts.push(t("event.attempt", { attempt: d.attempt }));
  return parts.join(" · ");
}

export default async function ConfirmationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.confirmation");
  const tList = await getTranslations("erp.confirmations");
  const numeric = /^\d{1,15}$/.test(id) ? Number(id) : null;
  const m = numeric && numeric > 0 && Number.isSafeInteger(numeric) ? await orNotFound(api.erp.confirmation({ id: numeric })) : null;
  if (!m) return <NotFoundNotice what={t("notFound")} siteName={actor.siteName} backHref="/erp/confirmations" backLabel={tList("title")} />;
  const tz = actor.timeZone;

  return (
    <>
      <PageHeader
        title={t.rich("title", { id: m.messageId, mono: (c) => <span className="font-mono">{c}</span> })}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {m.type.replaceAll("_", " ")} · <span className="font-mono">{m.orderingKey}</span>
            <StatusBadge status={m.status} />
          </span>
        }
        actions={<ButtonLink href="/erp/confirmations">{t("all")}</ButtonLink>}
      />
      <ErpTabs current="confirmations" />
      <div className="space-y-5">
        <Card labelledBy="state-heading">
          <CardHeader id="state-heading" title={tList("delivery")} />
          <CardBody className="space-y-4">
            <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <Field label={t("recorded")}>
                <DateTime value={m.createdAt} timeZone={tz} />
              </Field>
              <Field label={t("attempts")}>{m.attempts}</Field>
              <Field label={m.deliveredAt ? t("delivered") : t("nextAttempt")}>
                {m.deliveredAt ? <DateTime value={m.deliveredAt} timeZone={tz} /> : m.status === "dead" ? t("noneDead") : <DateTime value={m.nextAttemptAt} timeZone={tz} />}
              </Field>
              <Field label={t("receivedBy")}>{m.connectionName ?? "—"}</Field>
            </dl>
            {m.waitingFor ? (
              <p role="note" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
                {t.rich("waitsFor", {
                  link: () => (
                    <Link href={`/erp/confirmations/${m.waitingFor!.id}`} className="font-mono font-semibold underline">
                      {m.waitingFor!.messageId}
                    </Link>
                  ),
                  status: () => <StatusBadge status={m.waitingFor!.status} />,
                })}
              </p>
            ) : null}
            {m.lastError && m.status !== "delivered" ? <p className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 text-red-900">{t("lastError", { error: m.lastError })}</p> : null}
            {m.status === "dead" && actor.roles.includes("admin") ? <ReplayConfirmation id={m.id} messageId={m.messageId} /> : null}
            {m.status === "dead" && !actor.roles.includes("admin") ? <p className="text-sm text-slate-700">{t("adminCanReplay")}</p> : null}
          </CardBody>
        </Card>
        <Card labelledBy="payload-heading">
          <CardHeader id="payload-heading" title={t("content")} description={t("contentDescription")} />
          <CardBody>
            <JsonBlock value={m.payload} label={t("contentLabel")} />
          </CardBody>
        </Card>
        <Card labelledBy="history-heading">
          <CardHeader id="history-heading" title={t("history")} />
          <CardBody>
            {m.events.length === 0 ? (
              <p className="text-slate-700">{t("noAttempt")}</p>
            ) : (
              <ol className="space-y-2">
                {m.events.map((e, i) => (
                  <li key={i} className="border-l-4 border-slate-300 pl-3">
                    <p className="font-semibold">
                      {(EVENTS as readonly string[]).includes(e.kind) ? t(`event.kind.${e.kind as EventKind}`) : e.kind} · <DateTime value={e.at} timeZone={tz} />
                      {e.actorName ? ` · ${e.actorName}` : ""}
                    </p>
                    <p className="text-sm text-slate-700">{eventText(e.kind, e.detail, t)}</p>
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
