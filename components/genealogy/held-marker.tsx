import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";

export type HeldMark = { holdId: string; reason: string; targetLabel: string };

/** Holds by item key: "lot:<id>", "serial:<id>", or "rev:<id>" for untracked material. */
export type HeldMarks = Record<string, HeldMark[]>;

/** The key of a genealogy node's material in HeldMarks. */
export function heldKey(n: { lotId: string | null; serialItemId: string | null; partRevisionId?: string | null }): string | null {
  if (n.serialItemId) return `serial:${n.serialItemId}`;
  if (n.lotId) return `lot:${n.lotId}`;
  return n.partRevisionId ? `rev:${n.partRevisionId}` : null;
}

/** A held node in a genealogy table: "On hold" with each hold's reason, linked to the hold. */
export function HeldMarker({ holds }: { holds: HeldMark[] | undefined }) {
  const t = useTranslations("ui.hold");
  if (!holds || holds.length === 0) return null;
  return (
    <span className="mt-1 block font-sans" data-testid="held-marker">
      {holds.map((h) => (
        <span key={h.holdId} className="block">
          <Badge tone="red">{t("onHold")}</Badge>{" "}
          <Link href={`/quality/holds/${h.holdId}`} prefetch={false} className="text-xs text-red-900 underline" title={h.targetLabel}>
            {h.reason}
          </Link>
        </span>
      ))}
    </span>
  );
}

/** The banner over an as-built: the unit contains held material, so it is contained (no completion, no shipping). */
export function ContainmentBanner({ serial, holds }: { serial: string; holds: { holdId: string; reason: string; itemLabel: string }[] }) {
  const t = useTranslations("genealogy.containment");
  if (holds.length === 0) return null;
  return (
    <div role="alert" className="mb-3 rounded border-2 border-red-700 bg-red-50 px-3 py-2 text-sm text-red-950">
      <p className="font-semibold">
        {t("banner", { serial })}
      </p>
      <ul className="mt-1 list-disc pl-5">
        {holds.map((h) => (
          <li key={h.holdId}>
            <span className="font-mono">{h.itemLabel}</span>: {" "}
            <Link href={`/quality/holds/${h.holdId}`} className="underline">
              {h.reason}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
