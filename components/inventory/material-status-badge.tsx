import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { REJECTED_WORDS, type MaterialStatus } from "@/server/domain/vocabulary/material-status";

/**
 * The status of material in the floor's one vocabulary (server/domain/vocabulary/material-status.ts): "Usable", or
 * "Not usable: <reasons>" in the words the refusal of a scan uses (wrapping, so every reason stays readable), in the
 * reader's language (messages/<locale>/material.json, from the reasons' codes).
 */
export function MaterialStatusBadge({ status }: { status: MaterialStatus }) {
  const t = useTranslations("material");
  if (status.usable) return <Badge tone="green">{t("usable")}</Badge>;
  const reasons = status.reasons.map((r) => (r.words === REJECTED_WORDS ? t("reasons.REJECTED") : t(`reasons.${r.code}`))).join(", ");
  return (
    <span className="inline-block min-w-32 max-w-64 rounded border border-red-700 bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-900">
      {t("notUsableBecause", { reasons })}
    </span>
  );
}
