import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PartRev } from "@/components/inventory/lot-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { ShipUnitForm } from "./_components/ship-unit-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("kitting.shipping"))("metaTitle") };
}

/** Kitting clerk or supervisor: completed units in stores, shipped one by one to a customer with the delivery note. */
export default async function ShippingPage() {
  const actor = await requireActor();
  const t = await getTranslations("kitting.shipping");
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const units = await api.production.finishedUnits();
  const shippable = units.filter((u) => u.holdReasons.length === 0);

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            <ButtonLink href="/kitting/stock-moves" size="lg">
              {t("stockMoves")}
            </ButtonLink>
            <ButtonLink href="/kitting" size="lg">
              {t("allWorkOrders")}
            </ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <Card labelledBy="finished-heading">
          <CardHeader id="finished-heading" title={t("finishedTitle")} />
          <CardBody>
            {units.length === 0 ? (
              <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>
            ) : (
              <Table caption={t("caption")}>
                <THead>
                  <Tr>
                    <Th>{t("colSerial")}</Th>
                    <Th>{t("colPart")}</Th>
                    <Th>{t("colWorkOrder")}</Th>
                    <Th>{t("colCompleted")}</Th>
                    <Th>{t("colLocation")}</Th>
                    <Th>{t("colState")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {units.map((u) => (
                    <Tr key={u.unitId}>
                      <Td className="font-mono text-lg font-bold">{u.serial}</Td>
                      <Td>
                        <PartRev partNumber={u.partNumber} revision={u.revision} description={u.description} />
                      </Td>
                      <Td className="font-mono">{u.workOrderNumber}</Td>
                      <Td>
                        <DateTime value={u.completedAt} timeZone={actor.timeZone} />
                      </Td>
                      <Td className="font-mono">{u.locationCode}</Td>
                      <Td>{u.holdReasons.length > 0 ? <Badge tone="red">{t("onHold", { reasons: u.holdReasons.join("; ") })}</Badge> : <Badge tone="green">{t("ready")}</Badge>}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
        {shippable.length > 0 ? (
          <Card labelledBy="ship-heading">
            <CardHeader id="ship-heading" title={t("shipTitle")} description={t("shipDescription")} />
            <CardBody>
              <ShipUnitForm units={shippable.map((u) => ({ unitId: u.unitId, label: t("unitOption", { serial: u.serial, part: u.partNumber, revision: u.revision, location: u.locationCode }) }))} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
