import { useTranslations } from "next-intl";
import { LoadingPanel } from "@/components/ui/loading-panel";

export default function Loading() {
  const t = useTranslations("kitting.shipping");
  return <LoadingPanel label={t("loading")} />;
}
