import { LoadingPanel } from "@/components/ui/loading-panel";

export default function Loading() {
  return <LoadingPanel label="Tracing where it was used…" rows={6} />;
}
