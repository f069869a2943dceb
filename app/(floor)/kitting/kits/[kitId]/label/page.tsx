import type { Metadata } from "next";
import { headers } from "next/headers";
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

export const metadata: Metadata = { title: "Kit label" };

const PRINT_ONLY_LABEL = `@media print { body * { visibility: hidden; } #kit-label, #kit-label * { visibility: visible; } #kit-label { position: absolute; left: 0; top: 0; width: 4in; border: none; } }`;

export default async function KitLabelPage({ params }: { params: Promise<{ kitId: string }> }) {
  const { kitId } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "kitting")) return <ForbiddenNotice siteName={actor.siteName} area="kitting" />;
  const api = await serverCaller(actor);
  const data = looksLikeId(kitId) ? await orNotFound(api.kitting.label({ kitId })) : null;
  if (!data) return <NotFoundNotice what="That kit" siteName={actor.siteName} backHref="/kitting" backLabel="All work orders" />;
  const { kit, content, zpl } = data;
  // The page's Content-Security-Policy allows inline styles only with this answer's nonce (proxy.ts).
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const zplHref = `data:text/plain;charset=utf-8,${encodeURIComponent(zpl)}`;

  return (
    <>
      <style nonce={nonce}>{PRINT_ONLY_LABEL}</style>
      <PageHeader
        title={
          <>
            Label of kit <span className="font-mono">{kit.number}</span>
          </>
        }
        description="Print it on a 4 × 6 in label, or send the ZPL to a label printer."
        actions={
          <span className="flex flex-wrap gap-2">
            <PrintButton />
            <a href={zplHref} download={`${kit.number}.zpl`} className="inline-flex min-h-12 items-center rounded-md border border-slate-400 bg-white px-5 font-semibold text-slate-900 hover:bg-slate-100">
              Download ZPL
            </a>
            <ButtonLink href={`/kitting/kits/${kit.id}`} size="lg">
              Back to the kit
            </ButtonLink>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section id="kit-label" aria-label="Kit label" className="rounded-md border-2 border-slate-900 bg-white p-5 text-slate-900">
          <div className="flex items-start justify-between gap-4">
            <div>
              <p className="font-mono text-3xl font-bold">{content.kitNumber}</p>
              <p className="text-lg">
                WO {content.workOrderNumber} · {content.scope}
              </p>
              <p className="text-2xl font-semibold">To: {content.stationCode ?? "—"}</p>
            </div>
            <KitDataMatrix text={content.kitNumber} label={`Data Matrix of kit number ${content.kitNumber}`} />
          </div>
          <table className="mt-4 w-full border-t-2 border-slate-900 text-left text-base">
            <caption className="sr-only">Kit content</caption>
            <thead>
              <tr>
                <th className="py-1">Part</th>
                <th className="py-1">Lot / serial</th>
                <th className="py-1 text-right">Qty</th>
              </tr>
            </thead>
            <tbody>
              {content.lines.map((l, i) => (
                <tr key={i} className="border-t border-slate-300">
                  <td className="py-1 font-mono">
                    {l.partNumber} rev {l.revision}
                  </td>
                  <td className="py-1 font-mono">{l.item}</td>
                  <td className="py-1 text-right">
                    <Qty value={l.quantity} uom={l.uom} />
                  </td>
                </tr>
              ))}
              {content.shortages.map((s, i) => (
                <tr key={`s${i}`} className="border-t border-slate-300 font-semibold">
                  <td className="py-1 font-mono">
                    {s.partNumber} rev {s.revision}
                  </td>
                  <td className="py-1">SHORT: {s.reason}</td>
                  <td className="py-1 text-right">
                    <Qty value={s.quantity} uom={s.uom} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <Card labelledBy="zpl-heading">
          <CardHeader id="zpl-heading" title="ZPL for a label printer" description="203 dpi, 4 × 6 in. The same content as the printed label." />
          <CardBody>
            <pre aria-label="ZPL" className="max-h-[32rem] overflow-auto rounded bg-slate-100 p-3 font-mono text-sm">
              {zpl}
            </pre>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
