import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";

type Status =
  | "released"
  | "in_progress"
  | "completed"
  | "closed"
  | "cancelled"
  | "planned"
  | "scrapped"
  | "shipped"
  | "pending"
  | "received"
  | "applied"
  | "duplicate"
  | "overtaken"
  | "held"
  | "rejected"
  | "dead_letter"
  | "delivered"
  | "failed"
  | "dead";

const STATUS: Record<Status, { label: string; tone: Tone }> = {
  released: { label: "Released", tone: "blue" },
  in_progress: { label: "In progress", tone: "amber" },
  completed: { label: "Completed", tone: "green" },
  closed: { label: "Closed", tone: "neutral" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  planned: { label: "Planned", tone: "neutral" },
  scrapped: { label: "Scrapped", tone: "red" },
  shipped: { label: "Shipped", tone: "green" },
  pending: { label: "Pending", tone: "neutral" },
  received: { label: "Received", tone: "blue" },
  applied: { label: "Applied", tone: "green" },
  duplicate: { label: "Duplicate", tone: "neutral" },
  overtaken: { label: "Overtaken", tone: "violet" },
  held: { label: "Held", tone: "amber" },
  rejected: { label: "Rejected", tone: "red" },
  dead_letter: { label: "Dead letter", tone: "red" },
  delivered: { label: "Delivered", tone: "green" },
  failed: { label: "Failed, retrying", tone: "amber" },
  dead: { label: "Dead letter", tone: "red" },
};

/** Work order, unit, operation and ERP message statuses in words, with a consistent colour. */
export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations("status");
  const s = STATUS[status as Status] ?? { label: status.replaceAll("_", " "), tone: "neutral" as const };
  return <Badge tone={s.tone}>{status in STATUS ? t(status as Status) : s.label}</Badge>;
}

export function statusLabel(status: string): string {
  return STATUS[status as Status]?.label ?? status.replaceAll("_", " ");
}
