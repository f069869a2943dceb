import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/server/auth/session";
import { PlaceHoldForm } from "../_components/place-hold-form";

export const metadata: Metadata = { title: "Hold at every site" };

/** Enterprise-wide holds: a quality engineer with the enterprise role holds material at every site of their scope at once. */
export default async function EnterpriseHoldPage() {
  const actor = await requireActor();
  const sites = actor.sites.filter((s) => s.roles.includes("enterprise") && s.roles.includes("quality_engineer"));
  const allowed = actor.roles.includes("enterprise") && actor.roles.includes("quality_engineer");
  return (
    <>
      <PageHeader
        title="Hold at every site"
        description="Hold a manufacturer, supplier, part revision, lot or serial at every site where you are a quality engineer with the enterprise role. A lot or serial that reaches one of them later by transfer is held on arrival."
        actions={<ButtonLink href="/quality/holds">Holds of {actor.siteCode}</ButtonLink>}
      />
      {!allowed ? (
        <EmptyState title={`You cannot place enterprise holds from ${actor.siteName}.`} action={<ButtonLink href="/quality/holds">Holds of this site</ButtonLink>}>
          It takes the quality engineer and enterprise roles at this site; an administrator grants the enterprise role.
        </EmptyState>
      ) : (
        <Card labelledBy="enterprise-hold-heading">
          <CardHeader id="enterprise-hold-heading" title={`Hold at ${sites.map((s) => s.code).join(", ")}`} />
          <CardBody>
            <PlaceHoldForm signerName={actor.displayName} enterprise />
          </CardBody>
        </Card>
      )}
    </>
  );
}
