import { useTranslations } from "next-intl";

/** Which physical material: a serial, a lot, or untracked bulk. */
export function LotBadge({ lotNumber, serialNumber }: { lotNumber: string | null; serialNumber: string | null }) {
  const t = useTranslations("material.item");
  if (serialNumber) {
    return (
      <span className="whitespace-nowrap font-mono text-sm">
        <span className="mr-1 text-xs font-sans font-semibold uppercase text-slate-600">{t("serialTag")}</span>
        {serialNumber}
      </span>
    );
  }
  if (lotNumber) {
    return (
      <span className="whitespace-nowrap font-mono text-sm">
        <span className="mr-1 text-xs font-sans font-semibold uppercase text-slate-600">{t("lotTag")}</span>
        {lotNumber}
      </span>
    );
  }
  return <span className="text-sm text-slate-600">{t("untracked")}</span>;
}

export function PartRev({ partNumber, revision, description }: { partNumber: string; revision: string; description?: string }) {
  const t = useTranslations("material.item");
  return (
    <span>
      <span className="whitespace-nowrap font-mono font-semibold">{partNumber}</span>
      <span className="ml-1 whitespace-nowrap text-slate-700">{t("rev", { revision })}</span>
      {description ? <span className="block text-xs text-slate-600">{description}</span> : null}
    </span>
  );
}
