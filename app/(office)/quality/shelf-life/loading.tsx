import { getTranslations } from "next-intl/server";
import { LoadingPanel } from "@/components/ui/loading-panel";

export default async function Loading() {
  const t = await getTranslations("mixing.shelfLife");
  return <LoadingPanel label={t("loading")} />;
}
