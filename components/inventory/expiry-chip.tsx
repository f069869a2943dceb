import { useLocale, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/components/ui/date-time";

/** Expiry of a lot or serial in the site's time zone; `expired` is decided by the server against the current time. */
export function ExpiryChip({ expiresAt, expired, timeZone }: { expiresAt: Date | null; expired: boolean; timeZone: string }) {
  const t = useTranslations("material.expiry");
  const locale = useLocale();
  if (!expiresAt) return <span className="text-sm text-slate-600">{t("none")}</span>;
  const date = formatDate(expiresAt, timeZone, locale);
  if (expired) {
    return (
      <Badge tone="red" title={t("expired", { date })}>
        {t("expired", { date })}
      </Badge>
    );
  }
  return (
    <span className="whitespace-nowrap text-sm tabular-nums" title={t("expires", { date })}>
      {t("short", { date })}
    </span>
  );
}
