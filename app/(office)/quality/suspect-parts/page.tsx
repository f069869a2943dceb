import type { Metadata } from "next";
import Link from "next/link";
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
import { alertScopeWords } from "@/server/domain/suspect-parts/suspect-alerts";
import { EnterAlertForm, ImportAlertsForm } from "./_components/suspect-alert-forms";

export const metadata: Metadata = { title: "Suspect parts" };

export default async function SuspectPartsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const api = await serverCaller(actor);
  const alerts = await api.quality.suspectAlerts();
  const canSign = actor.roles.includes("quality_engineer");

  return (
    <>
      <PageHeader
        title="Suspect parts"
        description={`Suspect and counterfeit part alerts at ${actor.siteName} (GIDEP-style): each alert puts every matching lot and serial on a signed hold and shows the units they are installed in.`}
        actions={
          <>
            <Link href="/quality/holds" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Holds
            </Link>
            <Link href="/quality/sources" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Authorised sources
            </Link>
          </>
        }
      />
      <div className="space-y-5">
        <Card labelledBy="alerts-heading">
          <CardHeader id="alerts-heading" title={`Alerts (${alerts.length})`} description="Newest first." />
          <CardBody>
            {alerts.length === 0 ? (
              <EmptyState title="No suspect-part alerts yet">
                {canSign ? "Import the latest GIDEP or customer notices below, or enter one alert by hand." : "A quality engineer enters or imports alerts here."}
              </EmptyState>
            ) : (
              <Table caption="Suspect-part alerts">
                <THead>
                  <Tr>
                    <Th>Reference</Th>
                    <Th>Suspect</Th>
                    <Th className="text-right">Holds (active)</Th>
                    <Th className="text-right">Units containing it</Th>
                    <Th>Entered</Th>
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
                        <span className="block font-mono text-sm">{alertScopeWords(a)}</span>
                        <span className="block text-sm text-slate-700">{a.description}</span>
                      </Td>
                      <Td className="text-right tabular-nums">
                        {a.holds} ({a.activeHolds}){a.holds === 0 ? <Badge className="ml-2">Nothing matched</Badge> : null}
                      </Td>
                      <Td className="text-right tabular-nums">{a.unitsNow}</Td>
                      <Td>
                        <DateTime value={a.createdAt} timeZone={actor.timeZone} />
                        <span className="block text-xs text-slate-600">
                          {a.createdByName}
                          {a.source === "imported" ? `, imported (line ${a.sourceLine})` : ""}
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
              <CardHeader id="import-heading" title="Import alerts (CSV)" description="Every line is checked first: a file with any problem imports nothing." />
              <CardBody>
                <ImportAlertsForm signerName={actor.displayName} />
              </CardBody>
            </Card>
            <Card labelledBy="enter-heading">
              <CardHeader id="enter-heading" title="Enter one alert" />
              <CardBody>
                <EnterAlertForm signerName={actor.displayName} />
              </CardBody>
            </Card>
          </>
        ) : (
          <p className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">Supervisors see alerts read-only; a quality engineer enters, imports and signs them.</p>
        )}
      </div>
    </>
  );
}
