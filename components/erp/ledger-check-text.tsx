import { useTranslations } from "next-intl";

/**
 * A failed ledger check of a reconciliation exception, in the reader's language: the check's name (a code), the
 * invariant it proves, and how many violations (the stored explanation keeps them: `check: { name, invariant,
 * violations }`, violations capped at 21 meaning "more than 20"). An exception stored before that shows its detail text.
 */
export function LedgerCheckText({ detail, explanation }: { detail: string | null; explanation: Record<string, unknown> }) {
  const t = useTranslations("reconciliation");
  const check = explanation.check as { name?: unknown; invariant?: unknown; violations?: unknown } | undefined;
  if (!check || typeof check.name !== "string") return <>{detail ?? "—"}</>;
  const violations = Number(check.violations ?? 0);
  return <>{t("ledgerCheck", { name: check.name, invariant: String(check.invariant ?? ""), count: Math.min(violations, 21) })}</>;
}
