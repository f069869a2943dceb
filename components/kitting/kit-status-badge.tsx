import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";

const TONE = { planned: "neutral", picking: "blue", complete: "green", short: "amber", issued: "violet", closed: "neutral", cancelled: "neutral" } as const satisfies Record<string, Tone>;

export function KitStatusBadge({ status }: { status: string }) {
  const t = useTranslations("kitting.kitStatus");
  const known = status in TONE ? (status as keyof typeof TONE) : null;
  return <Badge tone={known ? TONE[known] : "neutral"}>{known ? t(known) : status}</Badge>;
}
