import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/components/ui/date-time";

/** Expiry of a lot or serial in the site's time zone; `expired` is decided by the server against the current time. */
export function ExpiryChip({ expiresAt, expired, timeZone }: { expiresAt: Date | null; expired: boolean; timeZone: string }) {
  if (!expiresAt) return <span className="text-sm text-slate-600">No expiry</span>;
  const date = formatDate(expiresAt, timeZone);
  if (expired) {
    return (
      <Badge tone="red" title={`Expired ${date}`}>
        Expired {date}
      </Badge>
    );
  }
  return (
    <span className="whitespace-nowrap text-sm tabular-nums" title={`Expires ${date}`}>
      Exp. {date}
    </span>
  );
}
