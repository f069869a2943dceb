import { getTranslations } from "next-intl/server";
import { LoadingPanel } from "@/components/ui/loading-panel";

export default async function Loading() {
  const t = await getTranslations("suspect");
  return <LoadingPanel label={t("sources.loading")} />;
}
