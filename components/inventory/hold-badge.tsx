import { Badge } from "@/components/ui/badge";

export function HoldBadge({ onHold }: { onHold: boolean }) {
  return onHold ? <Badge tone="red">On hold</Badge> : null;
}

const INSPECTION: Record<"pending" | "accepted" | "rejected", { label: string; tone: "amber" | "green" | "red" }> = {
  pending: { label: "Inspection pending", tone: "amber" },
  accepted: { label: "Accepted", tone: "green" },
  rejected: { label: "Rejected", tone: "red" },
};

export function InspectionBadge({ status }: { status: "pending" | "accepted" | "rejected" | null }) {
  if (!status) return null;
  const i = INSPECTION[status];
  return <Badge tone={i.tone}>{i.label}</Badge>;
}
