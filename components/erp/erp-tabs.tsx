import Link from "next/link";
import { cn } from "@/components/ui/cn";

const TABS = [
  { key: "monitor", href: "/erp", label: "Interface monitor" },
  { key: "queues", href: "/erp/queues", label: "Order queues" },
  { key: "confirmations", href: "/erp/confirmations", label: "Confirmations" },
  { key: "reconciliation", href: "/erp/reconciliation", label: "Reconciliation" },
  { key: "master-data", href: "/erp/master-data", label: "Master data" },
] as const;

/** The views of the ERP area: inbound messages (monitor), production orders' waiting messages, outbound confirmations, and the master data ERP brought. */
export function ErpTabs({ current }: { current: (typeof TABS)[number]["key"] }) {
  return (
    <nav aria-label="ERP interface views" className="mb-4 border-b border-slate-300">
      <ul className="flex gap-1">
        {TABS.map((t) => (
          <li key={t.key}>
            <Link
              href={t.href}
              aria-current={t.key === current ? "page" : undefined}
              className={cn(
                "-mb-px inline-flex min-h-10 items-center rounded-t-md border px-4 font-semibold",
                t.key === current ? "border-slate-300 border-b-white bg-white text-blue-800" : "border-transparent text-slate-700 hover:bg-slate-200",
              )}
            >
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
