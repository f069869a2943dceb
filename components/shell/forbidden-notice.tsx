import { useTranslations } from "next-intl";
import { ButtonLink } from "@/components/ui/button";
import type { Area } from "@/server/api/areas";

/**
 * What a role may not open (HTTP 403 semantics, rendered as a page, never a crash): says which role at which site
 * cannot open which area, and what to do.
 */
export function ForbiddenNotice({ siteName, area }: { siteName: string; area: Area }) {
  const t = useTranslations("shell.forbidden");
  const areaName = useTranslations("areas")(area);
  return (
    <section aria-labelledby="forbidden-heading" className="mx-auto max-w-2xl rounded-lg border-2 border-red-300 bg-white p-6">
      <p className="text-sm font-semibold tracking-wide text-red-800 uppercase">{t("kicker")}</p>
      <h1 id="forbidden-heading" className="mt-1 text-2xl font-bold text-slate-900">
        {t("title", { site: siteName, area: areaName })}
      </h1>
      <p className="mt-2 text-slate-700">{t("body", { area: areaName })}</p>
      <div className="mt-4">
        <ButtonLink href="/" variant="primary" size="lg">
          {t("home")}
        </ButtonLink>
      </div>
    </section>
  );
}

/** An object that does not exist at the active site (including one of another site: it behaves as not found). */
export function NotFoundNotice({ what, siteName, backHref, backLabel }: { what: string; siteName: string; backHref: string; backLabel: string }) {
  const t = useTranslations("shell.notFound");
  return (
    <section aria-labelledby="not-found-heading" className="mx-auto max-w-2xl rounded-lg border-2 border-slate-300 bg-white p-6">
      <p className="text-sm font-semibold tracking-wide text-slate-600 uppercase">{t("kicker")}</p>
      <h1 id="not-found-heading" className="mt-1 text-2xl font-bold text-slate-900">
        {t("title", { what, site: siteName })}
      </h1>
      <p className="mt-2 text-slate-700">{t("body")}</p>
      <div className="mt-4">
        <ButtonLink href={backHref} variant="primary" size="lg">
          {backLabel}
        </ButtonLink>
      </div>
    </section>
  );
}
