import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { StationCard } from "@/components/production/station-card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("station.list"))("title") };
}

export default async function StationsPage() {
  const actor = await requireActor();
  const t = await getTranslations("station.list");
  if (!canOpen(actor.roles, "station")) return <ForbiddenNotice siteName={actor.siteName} area="station" />;
  const api = await serverCaller(actor);
  const stations = await api.station.list();

  return (
    <>
      <PageHeader title={t("title")} description={t("description", { site: actor.siteName })} />
      {stations.length === 0 ? (
        <EmptyState title={t("emptyTitle", { site: actor.siteName })}>{t("empty")}</EmptyState>
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
