import { useTranslations } from "next-intl";
import { RUN_PHASES, type RunPhase } from "@/server/domain/reconciliation/categories";

const num = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0));

/**
 * What a reconciliation run is doing, in the reader's language, from the phase code and its values (snapshot key, line
 * and difference counts). A phase written before codes were stored (free English text) is shown as it was written.
 */
export function RunPhaseText({ phase, values }: { phase: string; values: Record<string, unknown> }) {
  const t = useTranslations("reconciliation.phase");
  if (!(RUN_PHASES as readonly string[]).includes(phase)) return <>{phase}</>;
  const p = phase as RunPhase;
  switch (p) {
    case "comparing":
      return <>{t("comparing", { snapshot: String(values.snapshot ?? ""), lines: num(values.lines) })}</>;
    case "updating":
      return <>{t("updating", { count: num(values.differences) })}</>;
    case "done":
      return <>{t("done", { differences: num(values.differences), opened: num(values.opened), failed: num(values.failed) })}</>;
    case "doneNoSnapshot":
      return <>{t("doneNoSnapshot", { failed: num(values.failed) })}</>;
    default:
      return <>{t(p)}</>;
  }
}
