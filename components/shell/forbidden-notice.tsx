import { ButtonLink } from "@/components/ui/button";
import { AREA_LABELS, type Area } from "@/server/api/areas";

/**
 * What a role may not open (HTTP 403 semantics, rendered as a page, never a crash): says which role at which site
 * cannot open which area, and what to do.
 */
export function ForbiddenNotice({ siteName, area }: { siteName: string; area: Area }) {
  return (
    <section aria-labelledby="forbidden-heading" className="mx-auto max-w-2xl rounded-lg border-2 border-red-300 bg-white p-6">
      <p className="text-sm font-semibold tracking-wide text-red-800 uppercase">Not allowed (403)</p>
      <h1 id="forbidden-heading" className="mt-1 text-2xl font-bold text-slate-900">
        Your role at {siteName} cannot open {AREA_LABELS[area]}.
      </h1>
      <p className="mt-2 text-slate-700">
        Ask an administrator for a role that includes {AREA_LABELS[area]} at this site, or switch to a site where you have one.
      </p>
      <div className="mt-4">
        <ButtonLink href="/" variant="primary" size="lg">
          Back to my home page
        </ButtonLink>
      </div>
    </section>
  );
}

/** An object that does not exist at the active site (including one of another site: it behaves as not found). */
export function NotFoundNotice({ what, siteName, backHref, backLabel }: { what: string; siteName: string; backHref: string; backLabel: string }) {
  return (
    <section aria-labelledby="not-found-heading" className="mx-auto max-w-2xl rounded-lg border-2 border-slate-300 bg-white p-6">
      <p className="text-sm font-semibold tracking-wide text-slate-600 uppercase">Not found (404)</p>
      <h1 id="not-found-heading" className="mt-1 text-2xl font-bold text-slate-900">
        {what} was not found at {siteName}.
      </h1>
      <p className="mt-2 text-slate-700">Check the number or scan it again. Objects of other sites are not shown here.</p>
      <div className="mt-4">
        <ButtonLink href={backHref} variant="primary" size="lg">
          {backLabel}
        </ButtonLink>
      </div>
    </section>
  );
}
