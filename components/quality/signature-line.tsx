import type { ReactNode } from "react";
import { useLocale, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/date-time";
import { SIGNATURE_MEANINGS, type SignatureMeaning } from "@/server/domain/quality/signature";

export type SignatureLineProps = {
  display: string;
  meaning: string;
  meaningDescription: string;
  authMethod: string;
  status: "valid" | "invalid";
  /** with these, the line is written in the reader's language (else `display`, the English form, is shown) */
  printedName?: string;
  signedAt?: Date;
  timeZone?: string;
};

const isMeaning = (m: string): m is SignatureMeaning => (SIGNATURE_MEANINGS as readonly string[]).includes(m);

/** "2026-11-25 10:42 CST (America/Chicago)" in English, "25/11/2026 10:42 UTC−6 (America/Chicago)" in French. */
function signedAtText(at: Date, timeZone: string, locale: string): string {
  const zone = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-US", { timeZone, timeZoneName: "short" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
  return `${formatDateTime(at, timeZone, locale)} ${zone} (${timeZone})`;
}

/**
 * One electronic signature as the record shows it: printed name, meaning, time with time zone ("Priya Raman — hold —
 * 2026-11-25 10:42 CST (America/Chicago)"), and a loud INVALID when the record changed after signing.
 */
export function SignatureLine({ signature }: { signature: SignatureLineProps }) {
  const t = useTranslations("signatures");
  const locale = useLocale();
  const invalid = signature.status === "invalid";
  const known = isMeaning(signature.meaning) ? signature.meaning : null;
  const text =
    signature.printedName && signature.signedAt && signature.timeZone
      ? t("line.display", { name: signature.printedName, meaning: known ? t(`meaning.${known}`) : signature.meaning, at: signedAtText(new Date(signature.signedAt), signature.timeZone, locale) })
      : signature.display;
  return (
    <div className={invalid ? "rounded border-2 border-red-600 bg-red-50 px-2 py-1" : "px-0 py-0.5"} data-testid="signature">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900">{text}</span>
        {invalid ? <Badge tone="red">{t("line.invalid")}</Badge> : <Badge tone="green">{t("line.valid")}</Badge>}
      </div>
      <p className="text-xs text-slate-600">
        {t("line.signedWith", { description: known ? t(`meaningDescription.${known}`) : signature.meaningDescription, method: signature.authMethod === "pin" ? "pin" : "password" })}
      </p>
    </div>
  );
}

export function SignatureList({ signatures, placedBy }: { signatures: SignatureLineProps[]; placedBy?: ReactNode }) {
  const t = useTranslations("signatures");
  if (signatures.length === 0) return placedBy ? <>{placedBy}</> : <span className="font-semibold text-red-800">{t("line.none")}</span>;
  return (
    <div className="space-y-1">
      {signatures.map((s, i) => (
        <SignatureLine key={i} signature={s} />
      ))}
    </div>
  );
}
