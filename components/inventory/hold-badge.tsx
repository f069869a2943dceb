import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";

export function HoldBadge({ onHold }: { onHold: boolean }) {
  const t = useTranslations("ui.hold");
  return onHold ? <Badge tone="red">{t("onHold")}</Badge> : null;
}

const INSPECTION_TONE = { pending: "amber", accepted: "green", rejected: "red" } as const;

export function InspectionBadge({ status }: { status: "pending" | "accepted" | "rejected" | null }) {
  const t = useTranslations("ui.inspection");
  if (!status) return null;
  return <Badge tone={INSPECTION_TONE[status]}>{t(status)}</Badge>;
}
