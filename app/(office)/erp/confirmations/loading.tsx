import { useTranslations } from "next-intl";
import { LoadingPanel } from "@/components/ui/loading-panel";

export default function Loading() {
  const t = useTranslations("erp.loading");
  return <LoadingPanel label={t("confirmations")} />;
}
