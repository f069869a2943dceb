import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

/**
 * Dense by default (office screens); `comfortable` for the floor. Wrapped so wide tables scroll, not the page; the
 * wrapper takes the keyboard focus (a scrollable region must be reachable without a pointer) and, with a text caption,
 * is a named group.
 */
export function Table({
  caption,
  children,
  comfortable = false,
  className,
}: {
  caption?: ReactNode;
  children: ReactNode;
  comfortable?: boolean;
  className?: string;
}) {
  return (
    <div
      className={cn("overflow-x-auto focus-visible:outline focus-visible:outline-3 focus-visible:outline-blue-500", className)}
      tabIndex={0}
      {...(typeof caption === "string" ? { role: "group", "aria-label": caption } : {})}
    >
      <table className={cn("w-full border-collapse text-left", comfortable ? "text-base [&_td]:py-3 [&_th]:py-2" : "text-sm")}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="border-b-2 border-slate-400 bg-slate-100 text-slate-900">{children}</thead>;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-200">{children}</tbody>;
}

export function Tr({ children, className }: { children: ReactNode; className?: string }) {
  return <tr className={cn("align-top", className)}>{children}</tr>;
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn("px-2 py-1.5 font-semibold whitespace-nowrap", className)} {...props} />;
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-2 py-1.5", className)} {...props} />;
}
