import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { KitDataMatrix } from "@/components/kitting/kit-barcode";
import { PrintButton } from "@/components/kitting/print-button";
import { Qty } from "@/components/inventory/qty";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("labels.kit");
  return { title: t("metaTitle") };
}

const PRINT_ONLY_LABEL = `@media print { body * { visibility: hidden; } #kit-label, #kit-label * { visibility: visible; } #kit-label { position: absolute; left: 0; top: 0; width: 4in; border: none; } }`;

export default async function KitLabelPage({ params }: { params: Promise<{ kitId: string }> }) {
  const { kitId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const t = await getTranslations("labels.kit");
  const api = await serverCaller(actor);
  const data = looksLikeId(kitId) ? await orNotFound(api.kitting.label({ kitId })) : null;
  if (!data) return <NotFoundNotice what={t("notFound")} siteName={actor.siteName} backHref="/kitting" backLabel={t("allOrders")} />;
  const { kit, content, zpl } = data;
  // The page's Content-Security-Policy allows inline styles only with this answer's nonce (proxy.ts).
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const zplHref = `data:text/plain;charset=utf-8,${encodeURIComponent(zpl)}`;

  return (
    <>
      <style nonce={nonce}>{PRINT_ONLY_LABEL}</style>
      <PageHeader
        title={t.rich("title", { number: kit.number, mono: (chunks) => <span className="font-mono">{chunks}</span> })}
        description={t("description")}
        actions={
          <span className="flex flex-wrap gap-2">
            <PrintButton />
            <a href={zplHref} download={`${kit.number}.zpl`} className="inline-flex min-h-12 items-center rounded-md border border-slate-400 bg-white px-5 font-semibold text-slate-900 hover:bg-slate-100">
              {t("downloadZpl")}
            </a>
            <ButtonLink href={`/kitting/kits/${kit.id}`} size="lg">
              {t("back")}
            </ButtonLink>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section id="kit-label" aria-label={t("region")} className="rounded-md border-2 border-slate-900 bg-white p-5 text-slate-900">
          <div className="flex items-start justify-between gap-4">
            <div>
              <p className="font-mono text-3xl font-bold">{content.kitNumber}</p>
              <p className="text-lg">{t("wo", { number: content.workOrderNumber, scope: content.scope })}</p>
              <p className="text-2xl font-semibold">{t("to", { station: content.stationCode ?? "—" })}</p>
            </div>
            <KitDataMatrix text={content.kitNumber} label={t("codeLabel", { number: content.kitNumber })} />
          </div>
          <table className="mt-4 w-full border-t-2 border-slate-900 text-left text-base">
            <caption className="sr-only">{t("caption")}</caption>
            <thead>
              <tr>
                <th className="py-1">{t("part")}</th>
                <th className="py-1">{t("item")}</th>
                <th className="py-1 text-right">{t("qty")}</th>
              </tr>
            </thead>
            <tbody>
              {content.lines.map((l, i) => (
                <tr key={i} className="border-t border-slate-300">
                  <td className="py-1 font-mono">{t("partRev", { part: l.partNumber, revision: l.revision })}</td>
                  <td className="py-1 font-mono">{l.item}</td>
                  <td className="py-1 text-right">
                    <Qty value={l.quantity} uom={l.uom} />
                  </td>
                </tr>
              ))}
              {content.shortages.map((s, i) => (
                <tr key={`s${i}`} className="border-t border-slate-300 font-semibold">
                  <td className="py-1 font-mono">{t("partRev", { part: s.partNumber, revision: s.revision })}</td>
                  <td className="py-1">{t("short", { reason: s.reason })}</td>
                  <td className="py-1 text-right">
                    <Qty value={s.quantity} uom={s.uom} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <Card labelledBy="zpl-heading">
          <CardHeader id="zpl-heading" title={t("zplTitle")} description={t("zplDescription")} />
          <CardBody>
            <pre aria-label={t("zplRegion")} className="max-h-[32rem] overflow-auto rounded bg-slate-100 p-3 font-mono text-sm">
              {zpl}
            </pre>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
