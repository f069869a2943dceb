import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { asBuiltHref, whereUsedHref } from "@/components/genealogy/links";
import { formatQty } from "@/components/inventory/qty";
import { ItemDataMatrix } from "@/components/labels/item-data-matrix";
import { PrintButton } from "@/components/kitting/print-button";
import { ButtonLink, buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatDate, formatDateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen } from "@/server/api/areas";
import type { Actor } from "@/server/auth/types";
import type { ItemLabel } from "@/server/services/labels/item-label";
import { durationText } from "@/components/inventory/time-left";

const PRINT_ONLY_LABEL = `@media print { body * { visibility: hidden; } #item-label, #item-label * { visibility: visible; } #item-label { position: absolute; left: 0; top: 0; width: 4in; border: none; } }`;

/**
 * A lot's or serial's label page: the label as printed (part, revision, lot or serial in text and as a 2D code, expiry,
 * out-time and thaw state at print time), print, the ZPL (shown and as a download from the ZPL endpoint), where the
 * item is, and its trace.
 */
export async function ItemLabelPage({ actor, data }: { actor: Actor; data: ItemLabel }) {
  const t = await getTranslations("labels");
  const tAlerts = await getTranslations("alerts");
  const locale = await getLocale();
  const when = (iso: string) => formatDateTime(new Date(iso), actor.timeZone, locale);
  const bare = (m: number) => durationText(tAlerts as unknown as Parameters<typeof durationText>[0], m, "bare");
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const { item, content, clock, code } = data;
  const itemName = item.kind === "lot" ? t("lot", { number: item.number }) : t("serial", { number: item.number });
  const zplHref = `/api/labels/${item.kind}/${item.id}/zpl`;
  const canTrace = canOpen(actor.roles, "genealogy");
  const expiresAt = data.expiresAt ? new Date(data.expiresAt) : null;
  const o = content.outTime;
  return (
    <>
      <style nonce={nonce}>{PRINT_ONLY_LABEL}</style>
      <PageHeader
        title={item.kind === "lot" ? t("lotTitle", { number: item.number }) : t("serialTitle", { number: item.number })}
        description={t("description", { at: when(data.printedAt) })}
        actions={
          <span className="flex flex-wrap gap-2">
            <PrintButton />
            <a href={zplHref} download className={buttonClasses("secondary", "lg")}>
              {t("downloadZpl")}
            </a>
            {canTrace ? (
              <ButtonLink href={whereUsedHref({ kind: item.kind, id: item.id })} size="lg">
                {t("trace")}
              </ButtonLink>
            ) : null}
            {canTrace && item.kind === "serial" && item.builtHere ? (
              <ButtonLink href={asBuiltHref(item.id)} size="lg">
                {t("asBuilt")}
              </ButtonLink>
            ) : null}
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section id="item-label" aria-label={t("labelRegion", { item: itemName })} className="rounded-md border-2 border-slate-900 bg-white p-5 text-slate-900">
          <div className="flex items-start justify-between gap-4">
            <div>
              <p className="font-mono text-3xl font-bold">{content.partNumber}</p>
              <p className="text-lg">
                {t("partRev", { revision: content.revision })} · {content.description}
              </p>
              <p className="mt-2 font-mono text-2xl font-semibold">{itemName}</p>
              <p className="mt-2 text-xl font-semibold">{expiresAt ? t("expires", { date: formatDate(expiresAt, actor.timeZone, locale) }) : t("noExpiry")}</p>
            </div>
            <ItemDataMatrix code={code} label={t("codeLabel", { item: itemName })} />
          </div>
          {o && clock ? (
            <p className={o.spent ? "mt-3 text-lg font-bold text-red-800" : "mt-3 text-lg"}>
              {o.spent ? (
                t("outTime.spent", { limit: o.limitMinutes })
              ) : o.running && clock.outTimeEndsAt ? (
                t("outTime.running", { left: bare(o.remainingMinutes), limit: o.limitMinutes, at: when(clock.outTimeEndsAt) })
              ) : (
                t("outTime.stopped", { left: bare(o.remainingMinutes), limit: o.limitMinutes })
              )}
            </p>
          ) : null}
          {content.thaw && content.thaw.state !== "not_frozen" && clock ? (
            <p className="text-lg">
              {content.thaw.state === "thawing" && clock.thawCompleteAt
                ? t("thaw.thawing", { at: when(clock.thawCompleteAt) })
                : content.thaw.state === "frozen"
                  ? t("thaw.frozen")
                  : t("thaw.thawed")}
            </p>
          ) : null}
          <p className="mt-3 text-sm text-slate-700">{t("printed", { at: when(data.printedAt), site: actor.siteCode })}</p>
          {code.syntax === "gs1" ? <p className="font-mono text-sm">{code.bracketed}</p> : null}
        </section>
        <div className="space-y-6">
          <Card labelledBy="where-heading">
            <CardHeader id="where-heading" title={t("where.heading")} />
            <CardBody>
              {item.places.length === 0 ? (
                <p>{t("where.none")}</p>
              ) : (
                <ul className="space-y-1">
                  {item.places.map((p) => (
                    <li key={p.code}>
                      {t("where.row", { location: p.code, qty: `${formatQty(p.onHand, locale)} ${item.uom}` })}
                    </li>
                  ))}
                </ul>
              )}
            </CardBody>
          </Card>
          <Card labelledBy="zpl-heading">
            <CardHeader id="zpl-heading" title={t("zpl.heading")} description={t("zpl.description")} />
            <CardBody>
              <pre aria-label={t("zpl.region")} className="max-h-[32rem] overflow-auto rounded bg-slate-100 p-3 font-mono text-sm">
                {data.zpl}
              </pre>
            </CardBody>
          </Card>
        </div>
      </div>
    </>
  );
}
