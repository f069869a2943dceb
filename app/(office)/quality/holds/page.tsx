import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignatureList } from "@/components/quality/signature-line";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { PlaceHoldForm } from "./_components/place-hold-form";

export async function generateMetadata() {
  const t = await getTranslations("holds");
  return { title: t("list.title") };
}

type Api = Awaited<ReturnType<typeof serverCaller>>;
type HoldRow = Awaited<ReturnType<Api["quality"]["holds"]>>["active"][number];
type T = Awaited<ReturnType<typeof getTranslations<"holds">>>;

const linkClass = "inline-flex min-h-10 items-center font-semibold text-blue-800 underline";

export default async function HoldsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("holds");
  const api = await serverCaller(actor);
  const { active, released } = await api.quality.holds();
  const canSign = actor.roles.includes("quality_engineer");

  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description", { site: actor.siteName })}
        actions={
          <>
            <Link href="/quality/suspect-parts" className={linkClass}>
              {t("list.suspectParts")}
            </Link>
            <Link href="/quality/sources" className={linkClass}>
              {t("list.sources")}
            </Link>
            <Link href="/quality/tools" className={linkClass}>
              {t("list.tools")}
            </Link>
            <Link href="/quality/qualifications" className={linkClass}>
              {t("list.qualifications")}
            </Link>
            {canSign && actor.roles.includes("enterprise") ? <ButtonLink href="/quality/holds/enterprise">{t("list.everySite")}</ButtonLink> : null}
            <Link href="/quality/operations" className={linkClass}>
              {t("list.operations")}
            </Link>
          </>
        }
      />
      <div className="space-y-5">
        {canSign ? (
          <Card labelledBy="place-heading">
            <CardHeader id="place-heading" title={t("list.placeTitle")} description={t("list.placeDescription")} />
            <CardBody>
              <PlaceHoldForm signerName={actor.displayName} />
            </CardBody>
          </Card>
        ) : (
          <p className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">{t("list.readOnly")}</p>
        )}
        <Card labelledBy="active-heading">
          <CardHeader id="active-heading" title={t("list.activeTitle", { count: active.length })} />
          <CardBody>
            {active.length === 0 ? (
              <EmptyState title={t("list.noActive")}>{t("list.nothingHeld", { site: actor.siteName })}</EmptyState>
            ) : (
              <HoldTable rows={active} timeZone={actor.timeZone} released={false} t={t} />
            )}
          </CardBody>
        </Card>
        <Card labelledBy="released-heading">
          <CardHeader id="released-heading" title={t("list.releasedTitle")} description={t("list.releasedDescription")} />
          <CardBody>
            {released.length === 0 ? <EmptyState title={t("list.noReleased")} /> : <HoldTable rows={released} timeZone={actor.timeZone} released t={t} />}
          </CardBody>
        </Card>
      </div>
    </>
  );
}

function HoldTable({ rows, timeZone, released, t }: { rows: HoldRow[]; timeZone: string; released: boolean; t: T }) {
  return (
    <Table caption={released ? t("list.releasedCaption") : t("list.activeCaption")}>
      <THead>
        <Tr>
          <Th>{t("list.held")}</Th>
          <Th>{t("list.reason")}</Th>
          <Th>{t("list.placed")}</Th>
          {released ? <Th>{t("list.released")}</Th> : null}
          <Th>{t("list.signatures")}</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((h) => (
          <Tr key={h.id} className={h.tampered ? "bg-red-50" : undefined}>
            <Td>
              <span className="block text-xs text-slate-600">{t(`targetKinds.${h.targetType}`)}</span>
              <Link href={`/quality/holds/${h.id}`} className="font-semibold text-blue-800 underline">
                {h.targetLabel}
              </Link>
              {h.active ? (
                <Badge tone="red" className="ml-2">
                  {t("list.onHold")}
                </Badge>
              ) : null}
              {h.enterpriseHoldId ? <Badge className="ml-2">{t("list.enterpriseBadge")}</Badge> : null}
            </Td>
            <Td className="max-w-xs">{h.reason}</Td>
            <Td>
              <DateTime value={h.placedAt} timeZone={timeZone} />
              <span className="block text-xs text-slate-600">{h.placedByName}</span>
            </Td>
            {released ? (
              <Td className="max-w-xs">
                <DateTime value={h.releasedAt} timeZone={timeZone} />
                <span className="block text-xs text-slate-600">{h.releasedByName}</span>
                <span className="block">{h.releaseReason}</span>
              </Td>
            ) : null}
            <Td className="min-w-80">
              <SignatureList
                signatures={h.signatures}
                placedBy={
                  h.ncr ? (
                    <Link href={`/quality/ncrs/${h.ncr.id}`} className="text-blue-800 underline">
                      {t("placedByNcr", { number: h.ncr.number })}
                    </Link>
                  ) : undefined
                }
              />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
