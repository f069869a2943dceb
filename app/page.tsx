import type { Metadata } from "next";
import { Suspense, type ReactNode } from "react";
import { AppShell } from "@/app/_components/app-shell";
import { LoadingPanel } from "@/components/ui/loading-panel";
import { PageHeader } from "@/components/ui/page-header";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { ROLE_LABELS, ROLES, type Role } from "@/server/auth/types";
import { getTranslations } from "next-intl/server";
import { ALERT_ROLES } from "@/server/api/areas";
import { AdminHome, AlertsHome, EnterpriseHome, KittingHome, OperatorHome, QualityHome, SupervisorHome } from "./_components/home-sections";

export const metadata: Metadata = { title: "Home" };

const LOADING: Record<Role, string> = {
  operator: "Loading your stations…",
  kitting_clerk: "Loading work orders…",
  quality_engineer: "Loading holds and lots…",
  supervisor: "Loading work in progress…",
  admin: "Loading users and ERP messages…",
  enterprise: "Loading your sites…",
};

/** The home for the actor's roles at the active site: one section per role, in the fixed role order. */
export default async function HomePage() {
  const actor = await requireActor();
  const api = await serverCaller(actor);
  const sections: Record<Role, ReactNode> = {
    operator: <OperatorHome api={api} actor={actor} />,
    kitting_clerk: <KittingHome api={api} actor={actor} />,
    quality_engineer: <QualityHome api={api} actor={actor} />,
    supervisor: <SupervisorHome api={api} actor={actor} />,
    admin: <AdminHome api={api} actor={actor} />,
    enterprise: <EnterpriseHome api={api} actor={actor} />,
  };
  const roles = ROLES.filter((r) => actor.roles.includes(r));
  const floorOnly = roles.every((r) => r === "operator" || r === "kitting_clerk");
  const tAlerts = await getTranslations("wip.home.alerts");

  return (
    <AppShell actor={actor} variant={floorOnly ? "floor" : "office"}>
      <PageHeader
        title={`${actor.siteName}`}
        description={`Signed in as ${actor.displayName}, ${roles.map((r) => ROLE_LABELS[r]).join(", ")}.`}
      />
      <div className="space-y-8">
        {actor.roles.some((r) => ALERT_ROLES.includes(r)) ? (
          <Suspense fallback={<LoadingPanel label={tAlerts("loading")} />}>
            <AlertsHome api={api} actor={actor} />
          </Suspense>
        ) : null}
        {roles.map((r) => (
          <Suspense key={r} fallback={<LoadingPanel label={LOADING[r]} />}>
            {sections[r]}
          </Suspense>
        ))}
      </div>
    </AppShell>
  );
}
