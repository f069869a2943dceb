import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { formatQty } from "@/components/inventory/qty";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("erp.routing");
  return { title: t("metaTitle") };
}

type T = Awaited<ReturnType<typeof getTranslations<"erp.routing">>>;

/** A parameter's limits with its unit (limits are exact decimal strings: shown in the reader's decimal mark). */
function limits(t: T, locale: string, unit: string, min?: string, max?: string): string {
  const n = (v: string) => formatQty(v, locale);
  if (min !== undefined && max !== undefined) return t("limits.range", { min: n(min), max: n(max), unit });
  if (min !== undefined) return t("limits.atLeast", { min: n(min), unit });
  if (max !== undefined) return t("limits.atMost", { max: n(max), unit });
  return t("limits.none", { unit });
}

export default async function RoutingPage({ params }: { params: Promise<{ routingId: string }> }) {
  const { routingId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.routing");
  const tMd = await getTranslations("erp.masterData");
  const locale = await getLocale();
  const routing = looksLikeId(routingId) ? await orNotFound(api.erp.masterData.routing({ routingId })) : null;
  if (!routing) return <NotFoundNotice what={t("notFound")} siteName={actor.siteName} backHref="/erp/master-data?view=routings" backLabel={tMd("views.routings")} />;

  return (
    <>
      <PageHeader
        title={t.rich("title", { code: routing.code, mono: (c) => <span className="font-mono">{c}</span> })}
        description={t.rich("description", {
          revision: routing.revision,
          site: actor.siteName,
          version: routing.erpVersion,
          part: () => (
            <Link href={`/erp/master-data/parts/${routing.partId}`} className="font-mono font-semibold text-blue-800 underline underline-offset-2">
              {routing.partNumber}
            </Link>
          ),
        })}
        actions={<ButtonLink href="/erp/master-data?view=routings">{t("all")}</ButtonLink>}
      />
      <ErpTabs current="master-data" />
      <Card labelledBy="ops-heading">
        <CardHeader id="ops-heading" title={t("operations")} description={t("operationsDescription")} />
        <CardBody>
          <Table caption={t("caption")}>
            <THead>
              <Tr>
                <Th className="text-right">{t("colOp")}</Th>
                <Th>{t("colCode")}</Th>
                <Th>{t("colDescription")}</Th>
                <Th>{t("colWorkCenter")}</Th>
                <Th>{t("colParameters")}</Th>
              </Tr>
            </THead>
            <TBody>
              {routing.operationList.map((o) => (
                <Tr key={o.seq}>
                  <Td className="text-right tabular-nums font-semibold">{o.seq}</Td>
                  <Td className="font-mono">{o.code}</Td>
                  <Td>{o.description}</Td>
                  <Td>
                    <span className="font-mono">{o.workCenterCode}</span>
                    <span className="block text-xs text-slate-600">{o.workCenterName}</span>
                  </Td>
                  <Td>
                    {o.parameters.length === 0 ? (
                      <span className="text-slate-600">{t("noParameters")}</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {o.parameters.map((p) => (
                          <li key={p.name}>
                            <span className="font-semibold">{p.name}</span>: {limits(t, locale, p.unit ?? "", p.min, p.max)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </CardBody>
      </Card>
    </>
  );
}
