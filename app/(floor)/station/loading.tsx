import { useTranslations } from "next-intl";
import { LoadingPanel } from "@/components/ui/loading-panel";

export default function Loading() {
  const t = useTranslations("station");
  return <LoadingPanel label={t("loadingList")} />;
}
