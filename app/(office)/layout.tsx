import type { ReactNode } from "react";
import { AppShell } from "@/app/_components/app-shell";
import { requireActor } from "@/server/auth/session";

/** Office areas (genealogy, ERP interface, admin): dense tables. */
export default async function OfficeLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  return (
    <AppShell actor={actor} variant="office">
      {children}
    </AppShell>
  );
}
