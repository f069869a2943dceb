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
import { ReceiveTransferForm, ShipTransferForm } from "./_components/transfer-forms";

export async function generateMetadata() {
  const t = await getTranslations("transfers");
  return { title: t("title") };
}

type TransferRow = Awaited<ReturnType<Awaited<ReturnType<typeof serverCaller>>["transfers"]["incoming"]>>[number];
type T = Awaited<ReturnType<typeof getTranslations<"transfers">>>;

function TransfersTable({ rows, direction, timeZone, t }: { rows: TransferRow[]; direction: "incoming" | "outgoing"; timeZone: string; t: T }) {
  return (
    <Table caption={direction === "incoming" ? t("table.incomingCaption") : t("table.outgoingCaption")}>
      <THead>
        <Tr>
          <Th>{t("table.transfer")}</Th>
          <Th>{direction === "incoming" ? t("table.from") : t("table.to")}</Th>
          <Th>{t("table.part")}</Th>
          <Th>{t("table.item")}</Th>
          <Th>{t("table.quantity")}</Th>
          <Th>{t("table.shipped")}</Th>
          <Th>{t("table.state")}</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.id}>
            <Td className="font-mono text-lg font-bold">{r.number}</Td>
            <Td>
              {r.otherSiteCode} · {r.otherSiteName}
            </Td>
            <Td>
              <PartRev partNumber={r.partNumber} revision={r.revision} description={r.description} />
            </Td>
            <Td className="font-mono">{r.itemNumber}</Td>
            <Td>
              {r.quantity} {r.uom}
            </Td>
            <Td>
              <DateTime value={r.shippedAt} timeZone={timeZone} />
            </Td>
            <Td>
              {r.status === "in_transit" ? (
                <Badge tone="amber">{t("table.inTransit")}</Badge>
              ) : (
                <Badge tone="green">
                  {t("table.received", {
                    into: direction === "incoming" && r.locationCode ? r.locationCode : "none",
                    pending: r.receivedInspection === "pending" ? "yes" : "no",
                  })}
                </Badge>
              )}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

/**
 * Kitting clerk or supervisor: ship a lot quantity, a serial or a finished sub-assembly to another site, and receive by
 * scan what other sites shipped here. The item keeps its numbers and its as-built; both ERP plants are told once. A site
 * that re-inspects transferred material holds each receipt under the receiver's signature.
 */
export default async function TransfersPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const t = await getTranslations("transfers");
  const api = await serverCaller(actor);
  const [options, incoming, outgoing] = await Promise.all([api.transfers.options(), api.transfers.incoming({}), api.transfers.outgoing({})]);
  const waiting = incoming.filter((r) => r.status === "in_transit");

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            <ButtonLink href="/kitting/shipping" size="lg">
              {t("shipToCustomers")}
            </ButtonLink>
            <ButtonLink href="/kitting/stock-moves" size="lg">
              {t("stockMoves")}
            </ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <Card labelledBy="receive-heading">
          <CardHeader id="receive-heading" title={t("receiveTitle")} description={t("receiveDescription", { count: waiting.length, site: actor.siteName })} />
          <CardBody className="space-y-4">
            {options.reinspect ? (
              <p className="rounded-md border-2 border-amber-600 bg-amber-50 px-3 py-2 text-amber-950" data-testid="reinspect-note">
                {t("reinspectNote", { site: actor.siteName })}
              </p>
            ) : null}
            {options.receivingLocations.length === 0 ? (
              <EmptyState title={t("noReceivingLocation")}>{t("noReceivingLocationBody")}</EmptyState>
            ) : (
              <ReceiveTransferForm locations={options.receivingLocations} reinspect={options.reinspect} signerName={actor.displayName} />
            )}
            {incoming.length === 0 ? (
              <EmptyState title={t("nothingIncoming")}>{t("nothingIncomingBody")}</EmptyState>
            ) : (
              <TransfersTable rows={incoming} direction="incoming" timeZone={actor.timeZone} t={t} />
            )}
          </CardBody>
        </Card>
        <Card labelledBy="ship-transfer-heading">
          <CardHeader id="ship-transfer-heading" title={t("shipTitle")} description={t("shipDescription")} />
          <CardBody className="space-y-4">
            {options.sites.length === 0 ? (
              <EmptyState title={t("noOtherSite")}>{t("noOtherSiteBody")}</EmptyState>
            ) : (
              <ShipTransferForm sites={options.sites} locations={options.receivingLocations} />
            )}
            {outgoing.length === 0 ? (
              <EmptyState title={t("nothingOutgoing")}>{t("nothingOutgoingBody")}</EmptyState>
            ) : (
              <TransfersTable rows={outgoing} direction="outgoing" timeZone={actor.timeZone} t={t} />
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
