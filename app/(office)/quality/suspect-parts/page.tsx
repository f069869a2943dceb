import Link from "next/link";
import { getTranslations } from "next-intl/server";
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
import { EnterAlertForm, ImportAlertsForm } from "./_components/suspect-alert-forms";
import { scopeWords } from "./scope-words";

export async function generateMetadata() {
  const t = await getTranslations("suspect");
  return { title: t("list.title") };
}

const linkClass = "inline-flex min-h-10 items-center font-semibold text-blue-800 underline";

export default async function SuspectPartsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("suspect");
  const api = await serverCaller(actor);
  const alerts = await api.quality.suspectAlerts();
  const canSign = actor.roles.includes("quality_engineer");

  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description", { site: actor.siteName })}
        actions={
          <>
            <Link href="/quality/holds" className={linkClass}>
              {t("links.holds")}
            </Link>
            <Link href="/quality/sources" className={linkClass}>
              {t("links.sources")}
            </Link>
          </>
        }
      />
      <div className="space-y-5">
        <Card labelledBy="alerts-heading">
          <CardHeader id="alerts-heading" title={t("list.alerts", { count: alerts.length })} description={t("list.newestFirst")} />
          <CardBody>
            {alerts.length === 0 ? (
              <EmptyState title={t("list.emptyTitle")}>{canSign ? t("list.emptyQuality") : t("list.emptyOthers")}</EmptyState>
            ) : (
              <Table caption={t("list.caption")}>
                <THead>
                  <Tr>
                    <Th>{t("list.colReference")}</Th>
                    <Th>{t("list.colSuspect")}</Th>
                    <Th className="text-right">{t("list.colHolds")}</Th>
                    <Th className="text-right">{t("list.colUnits")}</Th>
                    <Th>{t("list.colEntered")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {alerts.map((a) => (
                    <Tr key={a.id}>
                      <Td>
                        <Link href={`/quality/suspect-parts/${a.id}`} className="inline-flex min-h-10 items-center font-mono font-semibold text-blue-800 underline">
                          {a.reference}
                        </Link>
                      </Td>
                      <Td className="max-w-md">
                        <span className="block font-mono text-sm">{scopeWords(t, a)}</span>
                        <span className="block text-sm text-slate-700">{a.description}</span>
                      </Td>
                      <Td className="text-right tabular-nums">
                        {t("list.holdsCount", { holds: a.holds, active: a.activeHolds })}
                        {a.holds === 0 ? <Badge className="ml-2">{t("list.nothingMatched")}</Badge> : null}
                      </Td>
                      <Td className="text-right tabular-nums">{a.unitsNow}</Td>
                      <Td>
                        <DateTime value={a.createdAt} timeZone={actor.timeZone} />
                        <span className="block text-xs text-slate-600">
                          {a.source === "imported" ? t("list.importedLine", { name: a.createdByName, line: a.sourceLine ?? 0 }) : a.createdByName}
                        </span>
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
        {canSign ? (
          <>
            <Card labelledBy="import-heading">
              <CardHeader id="import-heading" title={t("list.importTitle")} description={t("list.importDescription")} />
              <CardBody>
                <ImportAlertsForm signerName={actor.displayName} />
              </CardBody>
            </Card>
            <Card labelledBy="enter-heading">
              <CardHeader id="enter-heading" title={t("list.enterTitle")} />
              <CardBody>
                <EnterAlertForm signerName={actor.displayName} />
              </CardBody>
            </Card>
          </>
        ) : (
          <p className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">{t("list.readOnly")}</p>
        )}
      </div>
    </>
  );
}
