import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { MIX_ROLES } from "@/server/api/routers/kitting";
import { requireActor } from "@/server/auth/session";
import { MixLots } from "./_components/mix-lots";

export async function generateMetadata() {
  const t = await getTranslations("mixing");
  return { title: t("title") };
}

/**
 * Kitting clerk or operator: mix a two-part material (base + activator) or open a lot into a new lot, by scan. The
 * inputs are consumed; the mixed lot carries its pot life (its use-by is the earliest of its inputs' expiries and the
 * end of its pot life) and is in the genealogy of every unit that uses it.
 */
export default async function MixLotsPage() {
  const actor = await requireActor();
  if (!actor.roles.some((r) => MIX_ROLES.includes(r))) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const t = await getTranslations("mixing");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          actor.roles.includes("kitting_clerk") ? (
            <ButtonLink href="/kitting/storage" size="lg">
              {t("storageMoves")}
            </ButtonLink>
          ) : null
        }
      />
      <Card labelledBy="mix-heading">
        <CardHeader id="mix-heading" title={t("cardTitle")} description={t("cardDescription")} />
        <CardBody>
          <MixLots timeZone={actor.timeZone} />
        </CardBody>
      </Card>
    </>
  );
}
