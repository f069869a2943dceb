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

/** The quality flags of a stock line: on hold, inspection not accepted, and (optionally) "Usable" when neither applies nor expiry. */
export function StockFlags({
  onHold,
  inspectionStatus,
  expired,
  showUsable = false,
}: {
  onHold: boolean;
  inspectionStatus: "pending" | "accepted" | "rejected" | null;
  expired: boolean;
  showUsable?: boolean;
}) {
  return (
    <span className="flex flex-wrap gap-1">
      <HoldBadge onHold={onHold} />
      {inspectionStatus && inspectionStatus !== "accepted" ? <InspectionBadge status={inspectionStatus} /> : null}
      {showUsable && !onHold && !expired && (inspectionStatus ?? "accepted") === "accepted" ? <span className="text-green-800">Usable</span> : null}
    </span>
  );
}
