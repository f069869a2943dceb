import { Badge, type Tone } from "@/components/ui/badge";

const TONE: Record<string, Tone> = { planned: "neutral", picking: "blue", complete: "green", short: "amber", issued: "violet", closed: "neutral", cancelled: "neutral" };

export function KitStatusBadge({ status }: { status: string }) {
  return <Badge tone={TONE[status] ?? "neutral"}>{status === "short" ? "Short" : status.charAt(0).toUpperCase() + status.slice(1)}</Badge>;
}
