import Link from "next/link";
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

type Variant = "primary" | "secondary" | "ghost" | "danger";
type Size = "md" | "lg";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-blue-700 text-white hover:bg-blue-800 border border-blue-800",
  secondary: "bg-white text-slate-900 hover:bg-slate-100 border border-slate-400",
  ghost: "bg-transparent text-inherit hover:bg-white/10 border border-transparent",
  danger: "bg-red-700 text-white hover:bg-red-800 border border-red-800",
};

/** md for office screens; lg (min-h-12) for gloved hands on a tablet. */
const SIZES: Record<Size, string> = {
  md: "min-h-9 px-3 text-sm",
  lg: "min-h-12 px-5 text-base",
};

const BASE =
  "inline-flex items-center justify-center gap-2 rounded-md font-semibold focus-visible:outline focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:cursor-not-allowed disabled:opacity-50";

export function buttonClasses(variant: Variant = "primary", size: Size = "md", className?: string): string {
  return cn(BASE, VARIANTS[variant], SIZES[size], className);
}

export function Button({
  variant = "primary",
  size = "md",
  className,
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: Size }) {
  return <button type={type} className={buttonClasses(variant, size, className)} {...props} />;
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({
  href,
  variant = "secondary",
  size = "md",
  className,
  children,
}: {
  href: string;
  variant?: Variant;
  size?: Size;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Link href={href} className={buttonClasses(variant, size, className)}>
      {children}
    </Link>
  );
}
