import Link from "next/link";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";

const TABS = [
  { key: "monitor", href: "/erp" },
  { key: "queues", href: "/erp/queues" },
  { key: "confirmations", href: "/erp/confirmations" },
  { key: "reconciliation", href: "/erp/reconciliation" },
  { key: "master-data", href: "/erp/master-data" },
] as const;

const LABEL = { monitor: "monitor", queues: "queues", confirmations: "confirmations", reconciliation: "reconciliation", "master-data": "masterData" } as const;

/** The views of the ERP area: inbound messages (monitor), production orders' waiting messages, outbound confirmations, and the master data ERP brought. */
export function ErpTabs({ current }: { current: (typeof TABS)[number]["key"] }) {
  const t = useTranslations("erp.tabs");
  return (
    <nav aria-label={t("label")} className="mb-4 border-b border-slate-300">
      <ul className="flex gap-1">
        {TABS.map((tab) => (
          <li key={tab.key}>
            <Link
              href={tab.href}
              aria-current={tab.key === current ? "page" : undefined}
              className={cn(
                "-mb-px inline-flex min-h-10 items-center rounded-t-md border px-4 font-semibold",
                tab.key === current ? "border-slate-300 border-b-white bg-white text-blue-800" : "border-transparent text-slate-700 hover:bg-slate-200",
              )}
            >
              {t(LABEL[tab.key])}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
