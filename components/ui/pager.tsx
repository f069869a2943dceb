import type { ReactNode } from "react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { cn } from "./cn";

const link =
  "inline-flex min-h-9 items-center rounded-md border border-slate-400 bg-white px-3 text-sm font-semibold text-slate-900 hover:bg-slate-100 " +
  "focus-visible:outline focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-blue-500";
const off = "inline-flex min-h-9 items-center rounded-md border border-slate-200 bg-slate-50 px-3 text-sm font-semibold text-slate-400";

/**
 * Where this page is in the whole list, with the exact total ("51–100 of 1,234 messages"), and links to the first,
 * previous, next and last pages. `href` builds the link of a page (the current filters kept); `noun` is the plural of
 * what is listed, in the reader's language (the caller translates it). Server-rendered links: works before hydration.
 */
export function Pager({
  page,
  pageSize,
  total,
  pageCount,
  noun,
  href,
  className,
}: {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
  noun: string;
  href: (page: number) => string;
  className?: string;
}) {
  const t = useTranslations("ui.pager");
  const locale = useLocale();
  const first = total === 0 ? 0 : Math.min(total, (page - 1) * pageSize + 1);
  const last = Math.min(total, page * pageSize);
  const fmt = (n: number) => n.toLocaleString(locale === "fr" ? "fr-FR" : "en-US");
  const beyond = total > 0 && page > pageCount;
  const strong = (chunks: ReactNode) => <span className="tabular-nums font-semibold">{chunks}</span>;
  return (
    <nav aria-label={t("nav", { noun })} className={cn("flex flex-wrap items-center justify-between gap-2", className)}>
      <p className="text-sm text-slate-700" role="status">
        {beyond ? (
          t("beyond", { page: fmt(page), total: fmt(total), noun, pageCount })
        ) : total === 0 ? (
          t("none", { noun })
        ) : (
          <>
            {t.rich("range", { first: fmt(first), last: fmt(last), total: fmt(total), noun, strong })}
            {pageCount > 1 ? t("page", { page: fmt(page), pageCount: fmt(pageCount) }) : null}
          </>
        )}
      </p>
      {pageCount > 1 || beyond ? (
        <ul className="flex gap-1">
          <li>{page > 1 ? <Link className={link} href={href(1)}>{t("first")}</Link> : <span className={off}>{t("first")}</span>}</li>
          <li>
            {page > 1 ? (
              <Link className={link} href={href(Math.min(page - 1, pageCount))} rel="prev">
                {t("previous")}
              </Link>
            ) : (
              <span className={off}>{t("previous")}</span>
            )}
          </li>
          <li>
            {page < pageCount ? (
              <Link className={link} href={href(page + 1)} rel="next">
                {t("next")}
              </Link>
            ) : (
              <span className={off}>{t("next")}</span>
            )}
          </li>
          <li>{page < pageCount ? <Link className={link} href={href(pageCount)}>{t("last")}</Link> : <span className={off}>{t("last")}</span>}</li>
        </ul>
      ) : null}
    </nav>
  );
}

/** A URL with these query parameters (empty ones left out), for filter and page links. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
