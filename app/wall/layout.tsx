import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/components/providers/trpc-provider";

/** Wall screens: no navigation, no controls; dark, high-contrast, read from across the floor. */
export default function WallLayout({ children }: { children: ReactNode }) {
  return (
    <TRPCReactProvider>
      <div className="min-h-dvh bg-black p-6 text-white">{children}</div>
    </TRPCReactProvider>
  );
}
