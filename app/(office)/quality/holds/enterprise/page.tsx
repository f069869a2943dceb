import { getTranslations } from "next-intl/server";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/server/auth/session";
import { PlaceHoldForm } from "../_components/place-hold-form";

export async function generateMetadata() {
  const t = await getTranslations("holds");
  return { title: t("enterprise.title") };
}

/** Enterprise-wide holds: a quality engineer with the enterprise role holds material at every site of their scope at once. */
export default async function EnterpriseHoldPage() {
  const actor = await requireActor();
  const t = await getTranslations("holds");
  const sites = actor.sites.filter((s) => s.roles.includes("enterprise") && s.roles.includes("quality_engineer"));
  const allowed = actor.roles.includes("enterprise") && actor.roles.includes("quality_engineer");
  return (
    <>
      <PageHeader
        title={t("enterprise.title")}
        description={t("enterprise.description")}
        actions={<ButtonLink href="/quality/holds">{t("enterprise.siteHolds", { site: actor.siteCode })}</ButtonLink>}
      />
      {!allowed ? (
        <EmptyState title={t("enterprise.notAllowed", { site: actor.siteName })} action={<ButtonLink href="/quality/holds">{t("enterprise.thisSiteHolds")}</ButtonLink>}>
          {t("enterprise.notAllowedBody")}
        </EmptyState>
      ) : (
        <Card labelledBy="enterprise-hold-heading">
          <CardHeader id="enterprise-hold-heading" title={t("enterprise.holdAt", { sites: sites.map((s) => s.code).join(", ") })} />
          <CardBody>
            <PlaceHoldForm signerName={actor.displayName} enterprise />
          </CardBody>
        </Card>
      )}
    </>
  );
}
