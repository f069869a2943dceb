import Link from "next/link";
import { cn } from "./cn";

const link =
  "inline-flex min-h-9 items-center rounded-md border border-slate-400 bg-white px-3 text-sm font-semibold text-slate-900 hover:bg-slate-100 " +
  "focus-visible:outline focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-blue-500";
const off = "inline-flex min-h-9 items-center rounded-md border border-slate-200 bg-slate-50 px-3 text-sm font-semibold text-slate-400";

/**
 * Where this page is in the whole list, with the exact total ("51–100 of 1,234 messages"), and links to the first,
 * previous, next and last pages. `href` builds the link of a page (the current filters kept). Server-rendered links:
 * works before hydration.
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
  const first = total === 0 ? 0 : Math.min(total, (page - 1) * pageSize + 1);
  const last = Math.min(total, page * pageSize);
  const fmt = (n: number) => n.toLocaleString("en-US");
  const beyond = total > 0 && page > pageCount;
  return (
    <nav aria-label={`Pages of ${noun}`} className={cn("flex flex-wrap items-center justify-between gap-2", className)}>
      <p className="text-sm text-slate-700" role="status">
        {beyond ? (
          <>
            Page {fmt(page)} is past the end: {fmt(total)} {noun} in {fmt(pageCount)} {pageCount === 1 ? "page" : "pages"}.
          </>
        ) : total === 0 ? (
          <>No {noun}</>
        ) : (
          <>
            <span className="tabular-nums font-semibold">
              {fmt(first)}–{fmt(last)}
            </span>{" "}
            of <span className="tabular-nums font-semibold">{fmt(total)}</span> {noun}
            {pageCount > 1 ? (
              <>
                {" "}
                · page {fmt(page)} of {fmt(pageCount)}
              </>
            ) : null}
          </>
        )}
      </p>
      {pageCount > 1 || beyond ? (
        <ul className="flex gap-1">
          <li>{page > 1 ? <Link className={link} href={href(1)}>First</Link> : <span className={off}>First</span>}</li>
          <li>
            {page > 1 ? (
              <Link className={link} href={href(Math.min(page - 1, pageCount))} rel="prev">
                Previous
              </Link>
            ) : (
              <span className={off}>Previous</span>
            )}
          </li>
          <li>
            {page < pageCount ? (
              <Link className={link} href={href(page + 1)} rel="next">
                Next
              </Link>
            ) : (
              <span className={off}>Next</span>
            )}
          </li>
          <li>{page < pageCount ? <Link className={link} href={href(pageCount)}>Last</Link> : <span className={off}>Last</span>}</li>
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
