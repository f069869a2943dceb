import type { Metadata } from "next";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { StationCard } from "@/components/production/station-card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Stations" };

export default async function StationsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "station")) return <ForbiddenNotice siteName={actor.siteName} area="station" />;
  const api = await serverCaller(actor);
  const stations = await api.station.list();

  return (
    <>
      <PageHeader title="Stations" description={`Pick your station at ${actor.siteName} to see the units queued there and the material at hand.`} />
      {stations.length === 0 ? (
        <EmptyState title={`${actor.siteName} has no stations yet`}>
          Stations belong to work centers in the plant set-up. Ask an administrator to add the stations of your line.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2">
          {stations.map((s) => (
            <li key={s.id}>
              <StationCard station={s} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
