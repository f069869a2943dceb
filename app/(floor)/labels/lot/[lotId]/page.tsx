import { getTranslations } from "next-intl/server";
import { NotFoundNotice } from "@/components/shell/forbidden-notice";
import { EmptyState } from "@/components/ui/empty-state";
import { LABEL_ROLES } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { ItemLabelPage } from "../../_components/item-label-page";

export async function generateMetadata({ params }: { params: Promise<{ lotId: string }> }) {
  const t = await getTranslations("labels");
  await params;
  return { title: t("lotTitle", { number: "" }).trim() };
}

/** The label of a lot (issue 21, Must 7): print, ZPL, its state at print time. */
export default async function LotLabelPage({ params }: { params: Promise<{ lotId: string }> }) {
  const { lotId } = await params;
  const actor = await requireActor();
  const t = await getTranslations("labels");
  if (!actor.roles.some((r) => LABEL_ROLES.includes(r))) return <EmptyState title={t("forbiddenTitle", { site: actor.siteName })}>{t("forbiddenBody")}</EmptyState>;
  const api = await serverCaller(actor);
  const data = looksLikeId(lotId) ? await orNotFound(api.labels.lot({ lotId })) : null;
  if (!data) return <NotFoundNotice what={t("notFoundLot")} siteName={actor.siteName} backHref="/" backLabel={t("back")} />;
  return <ItemLabelPage actor={actor} data={data} />;
}
