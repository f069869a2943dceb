import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { ReconTrendChart, type TrendPoint } from "@/components/erp/recon-trend-chart";
import { RunPhaseText } from "@/components/erp/run-phase";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge, type Tone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime, formatDate } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { RECON_CATEGORIES, type ReconCategory } from "@/server/domain/reconciliation/categories";
import { DailyTimeForm } from "./_components/daily-time-form";
import { RunControls } from "./_components/run-controls";

export async function generateMetadata() {
  const t = await getTranslations("reconciliation");
  return { title: t("metaTitle") };
}

const RUN_TONE: Record<string, Tone> = { queued: "neutral", running: "blue", completed: "green", failed: "red", cancelled: "amber" };

type Figures = {
  differences?: number;
  openExceptions?: number;
  mismatchRate?: number;
  byCategory?: Record<string, number>;
  openByAge?: { under1d: number; from1to7d: number; over7d: number };
  merge?: { opened: number; stillOpen: number; noLongerDiffers: number };
  ledgerChecksFailed?: number;
  confirmations?: { sent: number; acknowledged: number; waiting: number; dead: number; oldestWaitingSeconds: number | null };
};

export default async function ReconciliationPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("reconciliation");
  const tErp = await getTranslations("erp.monitor");
  const format = await getFormatter();
  const locale = await getLocale();
  const [{ runs, dailyAt }, trend] = await Promise.all([api.reconciliation.runs({ limit: 20 }), api.reconciliation.trend({ limit: 60 })]);
  const tz = actor.timeZone;
  const active = runs.find((r) => r.status === "queued" || r.status === "running") ?? null;
  const points: TrendPoint[] = trend.map((r) => {
    const f = r.figures as Figures;
    const lag = f.confirmations?.oldestWaitingSeconds;
    return {
      label: `#${r.number} ${formatDate(r.finishedAt ?? r.requestedAt, tz, locale)}`,
      open: f.openExceptions ?? 0,
      over7d: f.openByAge?.over7d ?? 0,
      mismatchRate: f.mismatchRate ?? 0,
      lagMinutes: lag === null || lag === undefined ? null : Math.round(lag / 6) / 10,
    };
  });
  const latest = trend.at(-1)?.figures as Figures | undefined;

  return (
    <>
      <PageHeader
        title={tErp("title")}
        description={t("description", { site: actor.siteName })}
        actions={<ButtonLink href="/erp/reconciliation/exceptions">{t("openExceptions")}</ButtonLink>}
      />
      <ErpTabs current="reconciliation" />
      <div className="space-y-5">
        <Card labelledBy="run-heading">
          <CardHeader id="run-heading" title={t("run.title")} description={dailyAt ? t("run.daily", { at: dailyAt, timeZone: tz }) : t("run.noDaily")} />
          <CardBody className="space-y-4">
            <RunControls activeRunId={active?.id ?? null} />
            {actor.roles.includes("admin") ? <DailyTimeForm dailyAt={dailyAt} timeZone={tz} /> : null}
          </CardBody>
        </Card>

        <Card labelledBy="latest-heading">
          <CardHeader id="latest-heading" title={t("latest.title")} description={t("latest.description")} />
          <CardBody>
            {latest ? (
              <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
                <Figure label={t("latest.open")} value={format.number(latest.openExceptions ?? 0)} />
                <Figure label={t("latest.mismatchRate")} value={t("latest.percent", { value: latest.mismatchRate ?? 0 })} />
                <Figure label={t("latest.over7d")} value={format.number(latest.openByAge?.over7d ?? 0)} />
                <Figure label={t("latest.confirmations")} value={`${format.number(latest.confirmations?.waiting ?? 0)} / ${format.number(latest.confirmations?.dead ?? 0)}`} />
                {Object.entries(latest.byCategory ?? {}).map(([c, n]) => (
                  <Figure
                    key={c}
                    label={(RECON_CATEGORIES as readonly string[]).includes(c) ? t(`categories.${c as ReconCategory}.label`) : c}
                    value={format.number(n)}
                    href={`/erp/reconciliation/exceptions?category=${c}`}
                  />
                ))}
              </dl>
            ) : (
              <EmptyState title={t("latest.empty")}>{t("latest.emptyHint")}</EmptyState>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="trend-heading">
          <CardHeader id="trend-heading" title={t("trend.title")} description={t("trend.description")} />
          <CardBody>
            {points.length >= 2 ? (
              <ReconTrendChart points={points} />
            ) : (
              <EmptyState title={t("trend.empty")}>{t("trend.emptyHint")}</EmptyState>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="runs-heading">
          <CardHeader id="runs-heading" title={t("runs.title")} description={t("runs.description")} />
          <CardBody>
            {runs.length === 0 ? (
              <EmptyState title={t("runs.empty")}>{t("runs.emptyHint")}</EmptyState>
            ) : (
              <Table caption={t("runs.caption")}>
                <THead>
                  <Tr>
                    <Th>{t("runs.colRun")}</Th>
                    <Th>{t("runs.colStartedBy")}</Th>
                    <Th>{t("runs.colRequested")}</Th>
                    <Th>{t("runs.colStatus")}</Th>
                    <Th>{t("runs.colProgress")}</Th>
                    <Th>{t("runs.colSnapshot")}</Th>
                    <Th className="text-right">{t("runs.colDifferences")}</Th>
                    <Th className="text-right">{t("runs.colNew")}</Th>
                    <Th className="text-right">{t("runs.colCleared")}</Th>
                    <Th>{t("runs.colLedger")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {runs.map((r) => {
                    const f = r.figures as Figures;
                    return (
                      <Tr key={r.id}>
                        <Td className="font-mono">
                          <Link href={`/erp/reconciliation/exceptions?status=all&runId=${r.id}`} className="font-semibold text-blue-800 underline underline-offset-2">
                            #{r.number}
                          </Link>
                        </Td>
                        <Td>{r.trigger === "scheduled" ? t("runs.daily", { day: r.scheduledDay ? formatDate(new Date(`${r.scheduledDay}T12:00:00Z`), "UTC", locale) : "" }) : t("runs.onDemand")}</Td>
                        <Td>
                          <DateTime value={r.requestedAt} timeZone={tz} />
                        </Td>
                        <Td>
                          <Badge tone={RUN_TONE[r.status] ?? "neutral"}>{t(`run.status.${r.status}`)}</Badge>
                        </Td>
                        <Td className="max-w-xs text-sm">
                          {t("runs.progress", { progress: r.progress })} — <RunPhaseText phase={r.phase} values={r.phaseValues} />
                          {r.error ? <span className="block text-red-900">{r.error}</span> : null}
                        </Td>
                        <Td className="font-mono text-xs">{r.snapshotKey ?? "—"}</Td>
                        <Td className="text-right tabular-nums">{f.differences !== undefined ? format.number(f.differences) : "—"}</Td>
                        <Td className="text-right tabular-nums">{f.merge ? format.number(f.merge.opened) : "—"}</Td>
                        <Td className="text-right tabular-nums">{f.merge ? format.number(f.merge.noLongerDiffers) : "—"}</Td>
                        <Td>{f.ledgerChecksFailed === undefined ? "—" : f.ledgerChecksFailed === 0 ? t("runs.ledgerOk") : <Badge tone="red">{t("runs.ledgerFailed", { count: f.ledgerChecksFailed })}</Badge>}</Td>
                      </Tr>
                    );
                  })}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}

function Figure({ label, value, href }: { label: string; value: string; href?: string }) {
  return (
    <div className="rounded-md border border-slate-300 bg-white px-3 py-2">
      <dt className="text-sm text-slate-700">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{href ? <Link href={href} className="text-blue-800 underline underline-offset-2">{value}</Link> : value}</dd>
    </div>
  );
}
