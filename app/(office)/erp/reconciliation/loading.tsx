import { useTranslations } from "next-intl";
import { LoadingPanel } from "@/components/ui/loading-panel";

export default function Loading() {
  const t = useTranslations("reconciliation.loading");
  return <LoadingPanel label={t("runs")} />;
}
