import type { Metadata } from "next";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { requireActor } from "@/server/auth/session";
import { StorageMoves } from "./_components/storage-moves";

export const metadata: Metadata = { title: "Storage moves" };

/**
 * Kitting clerk: take time-sensitive material out of cold storage and put it back, by scan. Leaving its storage starts
 * a lot's out-time clock (and thawing, out of a freezer); putting it back stops it. A location that does not provide
 * the material's storage class is refused with the reason.
 */
export default async function StorageMovesPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  return (
    <>
      <PageHeader
        title="Storage moves"
        description="Scan material out of the freezer, the refrigerator or the dry cabinet, and back in. Its out-time clock runs only while it is out; frozen material must thaw before use."
        actions={
          <ButtonLink href="/kitting/stock-moves" size="lg">
            Stock moves
          </ButtonLink>
        }
      />
      <Card labelledBy="storage-heading">
        <CardHeader id="storage-heading" title="Move by scan" description="Scan the lot, then the label of the location it goes to." />
        <CardBody>
          <StorageMoves timeZone={actor.timeZone} />
        </CardBody>
      </Card>
    </>
  );
}
