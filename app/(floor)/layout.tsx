import type { ReactNode } from "react";
import { AppShell } from "@/app/_components/app-shell";
import { requireActor } from "@/server/auth/session";

/** Shop-floor areas (station, kitting, WIP board): tablet-sized type and targets. */
export default async function FloorLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  return (
    <AppShell actor={actor} variant="floor">
      {children}
    </AppShell>
  );
}
