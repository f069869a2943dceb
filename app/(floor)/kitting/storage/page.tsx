import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { requireActor } from "@/server/auth/session";
import { StorageMoves } from "./_components/storage-moves";

export async function generateMetadata() {
  const t = await getTranslations("storage");
  return { title: t("title") };
}

/**
 * Kitting clerk: take time-sensitive material out of cold storage and put it back, by scan. Leaving its storage starts
 * a lot's out-time clock (and thawing, out of a freezer); putting it back stops it. A location that does not provide
 * the material's storage class is refused with the reason.
 */
export default async function StorageMovesPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const t = await getTranslations("storage");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            <ButtonLink href="/kitting/mix" size="lg">
              {t("mixLots")}
            </ButtonLink>
            <ButtonLink href="/kitting/stock-moves" size="lg">
              {t("stockMoves")}
            </ButtonLink>
          </>
        }
      />
      <Card labelledBy="storage-heading">
        <CardHeader id="storage-heading" title={t("cardTitle")} description={t("cardDescription")} />
        <CardBody>
          <StorageMoves timeZone={actor.timeZone} />
        </CardBody>
      </Card>
    </>
  );
}
