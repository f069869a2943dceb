import type { Metadata } from "next";
import Link from "next/link";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { ReconTrendChart, type TrendPoint } from "@/components/erp/recon-trend-chart";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge, type Tone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime, formatDateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { CATEGORY_INFO, type ReconCategory } from "@/server/domain/reconciliation/categories";
import { DailyTimeForm } from "./_components/daily-time-form";
import { RunControls } from "./_components/run-controls";

export const metadata: Metadata = { title: "Reconciliation with the ERP" };

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
  const [{ runs, dailyAt }, trend] = await Promise.all([api.reconciliation.runs({ limit: 20 }), api.reconciliation.trend({ limit: 60 })]);
  const tz = actor.timeZone;
  const active = runs.find((r) => r.status === "queued" || r.status === "running") ?? null;
  const points: TrendPoint[] = trend.map((r) => {
    const f = r.figures as Figures;
    const lag = f.confirmations?.oldestWaitingSeconds;
    return {
      label: `#${r.number} ${formatDateTime(r.finishedAt ?? r.requestedAt, tz).slice(0, 10)}`,
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
        title="ERP interface"
        description={`Reconciliation of ${actor.siteName} with the ERP: the floor against ERP's latest stock snapshot, confirmations sent against those acknowledged, and the ledger's own checks.`}
        actions={<ButtonLink href="/erp/reconciliation/exceptions">Open exceptions</ButtonLink>}
      />
      <ErpTabs current="reconciliation" />
      <div className="space-y-5">
        <Card labelledBy="run-heading">
          <CardHeader id="run-heading" title="Run" description={dailyAt ? `Runs every day at ${dailyAt} (${tz}), and whenever you start one here.` : "No daily run: start one here."} />
          <CardBody className="space-y-4">
            <RunControls activeRunId={active?.id ?? null} />
            {actor.roles.includes("admin") ? <DailyTimeForm dailyAt={dailyAt} timeZone={tz} /> : null}
          </CardBody>
        </Card>

        <Card labelledBy="latest-heading">
          <CardHeader id="latest-heading" title="Where it stands" description="After the latest completed run." />
          <CardBody>
            {latest ? (
              <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
                <Figure label="Open exceptions" value={String(latest.openExceptions ?? 0)} />
                <Figure label="Mismatch rate" value={`${latest.mismatchRate ?? 0} %`} />
                <Figure label="Open > 7 days" value={String(latest.openByAge?.over7d ?? 0)} />
                <Figure label="Confirmations waiting / dead" value={`${latest.confirmations?.waiting ?? 0} / ${latest.confirmations?.dead ?? 0}`} />
                {Object.entries(latest.byCategory ?? {}).map(([c, n]) => (
                  <Figure key={c} label={CATEGORY_INFO[c as ReconCategory]?.label ?? c} value={String(n)} href={`/erp/reconciliation/exceptions?category=${c}`} />
                ))}
              </dl>
            ) : (
              <EmptyState title="No reconciliation has completed yet">Start one above; it compares the floor with the latest stock snapshot ERP sent.</EmptyState>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="trend-heading">
          <CardHeader id="trend-heading" title="Trend" description="Open exceptions, those older than a week, the mismatch rate and the confirmation lag, per completed run." />
          <CardBody>
            {points.length >= 2 ? (
              <ReconTrendChart points={points} />
            ) : (
              <EmptyState title="Not enough runs for a trend yet">The chart appears after two completed runs; the daily run adds one point a day.</EmptyState>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="runs-heading">
          <CardHeader id="runs-heading" title="Runs" description="Newest first. A run's exceptions are those it found or saw again." />
          <CardBody>
            {runs.length === 0 ? (
              <EmptyState title="No runs yet">Start a reconciliation above, or wait for the daily run.</EmptyState>
            ) : (
              <Table caption="Reconciliation runs">
                <THead>
                  <Tr>
                    <Th>Run</Th>
                    <Th>Started by</Th>
                    <Th>Requested</Th>
                    <Th>Status</Th>
                    <Th>Progress</Th>
                    <Th>ERP snapshot</Th>
                    <Th className="text-right">Differences</Th>
                    <Th className="text-right">New</Th>
                    <Th className="text-right">Cleared</Th>
                    <Th>Ledger</Th>
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
                        <Td>{r.trigger === "scheduled" ? `daily (${r.scheduledDay})` : "on demand"}</Td>
                        <Td>
                          <DateTime value={r.requestedAt} timeZone={tz} />
                        </Td>
                        <Td>
                          <Badge tone={RUN_TONE[r.status] ?? "neutral"}>{r.status}</Badge>
                        </Td>
                        <Td className="max-w-xs text-sm">
                          {r.progress}% — {r.phase}
                          {r.error ? <span className="block text-red-900">{r.error}</span> : null}
                        </Td>
                        <Td className="font-mono text-xs">{r.snapshotKey ?? "—"}</Td>
                        <Td className="text-right tabular-nums">{f.differences ?? "—"}</Td>
                        <Td className="text-right tabular-nums">{f.merge?.opened ?? "—"}</Td>
                        <Td className="text-right tabular-nums">{f.merge ? f.merge.noLongerDiffers : "—"}</Td>
                        <Td>{f.ledgerChecksFailed === undefined ? "—" : f.ledgerChecksFailed === 0 ? "all checks pass" : <Badge tone="red">{f.ledgerChecksFailed} failed</Badge>}</Td>
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
