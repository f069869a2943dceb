import type { ReactNode } from "react";
import { cn } from "./cn";

export type Tone = "neutral" | "green" | "amber" | "red" | "blue" | "violet";

const TONES: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-800 border-slate-400",
  green: "bg-green-100 text-green-900 border-green-700",
  amber: "bg-amber-100 text-amber-900 border-amber-700",
  red: "bg-red-100 text-red-900 border-red-700",
  blue: "bg-blue-100 text-blue-900 border-blue-700",
  violet: "bg-violet-100 text-violet-900 border-violet-700",
};

export function Badge({ tone = "neutral", className, children, title }: { tone?: Tone; className?: string; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={cn("inline-flex items-center whitespace-nowrap rounded border px-1.5 py-0.5 text-xs font-semibold", TONES[tone], className)}
    >
      {children}
    </span>
  );
}
