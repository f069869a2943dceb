import type { ReactNode } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
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
import { isReplayable, type InboxStatusName } from "@/server/domain/erp/message-scope";
import { ReplayButton } from "@/app/(office)/erp/_components/replay-button";

export async function generateMetadata() {
  const t = await getTranslations("erp.message");
  return { title: t("metaTitle") };
}

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
  const t = await getTranslations("erp.message");
  const tTabs = await getTranslations("erp.tabs");
  const tStatus = await getTranslations("status");
  const format = await getFormatter();
  const numeric = /^\d{1,15}$/.test(id) ? Number(id) : null;
  const m = numeric && numeric > 0 && Number.isSafeInteger(numeric) ? await orNotFound(api.erp.message({ id: numeric })) : null;
  if (!m) return <NotFoundNotice what={t("notFound")} siteName={actor.siteName} backHref="/erp" backLabel={tTabs("monitor")} />;
  const tz = actor.timeZone;
  const isAdmin = actor.roles.includes("admin");
  const { payload, isEnvelope } = payloadOf(m.raw);

  return (
    <>
      <PageHeader
        title={t.rich("title", { id: m.messageId, mono: (c) => <span className="font-mono">{c}</span> })}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {t.rich("summary", { type: m.type.replaceAll("_", " "), key: m.objectKey || "—", version: m.version, source: m.source, mono: (c) => <span className="font-mono">{c}</span> })}
            <StatusBadge status={m.status} />
            {m.enterprise ? <Badge>{t("enterprise")}</Badge> : null}
          </span>
        }
        actions={<ButtonLink href="/erp">{tTabs("monitor")}</ButtonLink>}
      />
      <ErpTabs current="monitor" />
      <div className="space-y-5">
        {m.error || isAdmin ? (
          <Card labelledBy="outcome-heading">
            <CardHeader id="outcome-heading" title={m.error ? t("whyNot") : t("outcome")} />
            <CardBody className="space-y-4">
              {m.error ? <MessageErrorView error={m.error} /> : <p>{t("isStatus", { status: tStatus(m.status as InboxStatusName) })}</p>}
              {isAdmin ? (
                <ReplayButton id={m.id} messageId={m.messageId} replayable={isReplayable(m.status)} />
              ) : isReplayable(m.status) ? (
                <p className="text-sm text-slate-700">{t("adminCanReplay")}</p>
              ) : null}
            </CardBody>
          </Card>
        ) : null}

        <Card labelledBy="envelope-heading">
          <CardHeader id="envelope-heading" title={t("envelope")} />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
              <Field label={t("source")}>{m.source}</Field>
              <Field label={t("messageId")}>
                <span className="font-mono">{m.messageId}</span>
              </Field>
              <Field label={t("type")}>{m.type.replaceAll("_", " ")}</Field>
              <Field label={t("objectKey")}>
                <span className="font-mono">{m.objectKey || "—"}</span>
              </Field>
              <Field label={t("version")}>{m.version}</Field>
              <Field label={t("plant")}>
                <span className="font-mono">{m.plant || "—"}</span>
                {m.siteCode ? <span className="text-slate-700"> {t("toSite", { site: m.siteCode })}</span> : null}
                {m.enterprise ? <span className="block text-xs text-slate-600">{t("enterpriseHint")}</span> : null}
              </Field>
              <Field label={t("occurred")}>
                <DateTime value={m.occurredAt} timeZone={tz} />
              </Field>
              <Field label={t("received")}>
                <DateTime value={m.receivedAt} timeZone={tz} />
              </Field>
              <Field label={t("applied")}>
                <DateTime value={m.appliedAt} timeZone={tz} />
              </Field>
              <Field label={t("attempts")}>{m.attempts}</Field>
              <Field label={t("connection")}>{m.connectionName ?? <span className="text-slate-600">—</span>}</Field>
              <Field label={t("status")}>
                <StatusBadge status={m.status} />
              </Field>
            </dl>
          </CardBody>
        </Card>

        {m.warnings.length > 0 ? (
          <Card labelledBy="warnings-heading">
            <CardHeader id="warnings-heading" title={t("warnings")} description={t("warningsDescription")} />
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
          <CardHeader id="history-heading" title={t("history")} description={t("historyDescription")} />
          <CardBody>
            <MessageHistory events={m.history} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="payload-heading">
          <CardHeader id="payload-heading" title={t("payload")} description={isEnvelope ? t("payloadDescription") : t("payloadNotEnvelope")} />
          <CardBody className="space-y-3">
            {m.rawTooLarge ? (
              <>
                <p className="text-sm text-slate-700">
                  {t("tooLarge", { kb: format.number(Math.round(m.rawTooLarge.bytes / 1024)) })}
                </p>
                <pre className="max-h-96 overflow-auto rounded-md bg-slate-100 p-3 text-xs" aria-label={t("beginning")}>
                  {m.rawTooLarge.beginning}…
                </pre>
              </>
            ) : null}
            {m.rawTooLarge ? null : <JsonBlock value={payload} label={t("payload")} />}
            {isEnvelope && !m.rawTooLarge ? (
              <details>
                <summary className="cursor-pointer text-sm font-semibold text-blue-800">{t("whole")}</summary>
                <div className="mt-2">
                  <JsonBlock value={m.raw} label={t("wholeLabel")} />
                </div>
              </details>
            ) : null}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
