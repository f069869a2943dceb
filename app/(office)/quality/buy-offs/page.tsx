import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { asBuiltHref } from "@/components/genealogy/links";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { BuyOffButton } from "./_components/buy-off-button";

export async function generateMetadata() {
  const t = await getTranslations("ncr");
  return { title: t("buyOff.title") };
}

/**
 * The inspector's work list (issue 19, Must 5): operations the routing asks a stamp for whose work the operator has
 * recorded; the unit goes no further until an inspector buys the operation off, signed.
 */
export default async function BuyOffsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("ncr");
  const api = await serverCaller(actor);
  const rows = await api.ncr.awaitingBuyOff();
  const inspector = actor.roles.includes("quality_engineer");
  return (
    <>
      <PageHeader title={t("buyOff.title")} description={t("buyOff.description", { site: actor.siteName })} actions={<ButtonLink href="/quality/ncrs">{t("deviations.ncrs")}</ButtonLink>} />
      <Card labelledBy="buy-off-heading">
        <CardHeader id="buy-off-heading" title={t("buyOff.waiting", { count: rows.length })} />
        <CardBody>
          {rows.length === 0 ? (
            <EmptyState title={t("buyOff.emptyTitle")}>{t("buyOff.empty")}</EmptyState>
          ) : (
            <Table caption={t("buyOff.title")}>
              <THead>
                <Tr>
                  <Th>{t("buyOff.colUnit")}</Th>
                  <Th>{t("buyOff.colOperation")}</Th>
                  <Th>{t("buyOff.colRecorded")}</Th>
                  <Th>{t("buyOff.colWorkDone")}</Th>
                  <Th>{t("buyOff.colStamp")}</Th>
                </Tr>
              </THead>
              <TBody>
                {rows.map((r) => (
                  <Tr key={`${r.unitId}-${r.seq}`}>
                    <Td>
                      <Link href={asBuiltHref(r.serialItemId)} className="font-mono text-blue-800 underline">
                        {r.unitSerial}
                      </Link>
                    </Td>
                    <Td>{t("buyOff.operation", { seq: r.seq, code: r.code, description: r.description })}</Td>
                    <Td className="font-mono text-sm">
                      {Object.entries(r.parameters)
                        .map(([k, v]) => `${k} = ${v}`)
                        .join(", ") || "—"}
                    </Td>
                    <Td>
                      {r.workDoneByName ?? "—"}
                      <span className="block text-xs">
                        <DateTime value={r.workDoneAt} timeZone={actor.timeZone} />
                      </span>
                    </Td>
                    <Td>{inspector ? <BuyOffButton unitId={r.unitId} unitSerial={r.unitSerial} seq={r.seq} signerName={actor.displayName} /> : t("buyOff.inspectorOnly")}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </CardBody>
      </Card>
    </>
  );
}
