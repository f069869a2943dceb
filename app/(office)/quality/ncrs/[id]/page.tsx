import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignatureLine } from "@/components/quality/signature-line";
import { ForbiddenNotice, NotFoundNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { asBuiltHref, whereUsedHref } from "@/components/genealogy/links";
import { canOpen } from "@/server/api/areas";
import { looksLikeId, orNotFound, serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import type { Role } from "@/server/auth/types";
import type { Disposition, NcrDefect, NcrSource, NcrStatus } from "@/server/domain/quality/nonconformance";
import { AttachmentUpload } from "./_components/attachment-upload";
import { MrbSignForm } from "./_components/mrb-sign-form";
import { WithdrawDispositionForm } from "./_components/withdraw-disposition-form";

export async function generateMetadata() {
  const t = await getTranslations("ncr");
  return { title: t("list.title") };
}

/** One NCR: what, where, the hold, photos, where-used in one click, and the MRB's signatures (verified) with its form. */
export default async function NcrPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("ncr");
  const tRoles = await getTranslations("roles");
  const roleWord = (r: Role) => tRoles(r as Exclude<Role, "enterprise">);
  const notFound = <NotFoundNotice what={t("detail.notFound")} siteName={actor.siteName} backHref="/quality/ncrs" backLabel={t("detail.back")} />;
  if (!looksLikeId(id)) return notFound;
  const api = await serverCaller(actor);
  const n = await orNotFound(api.ncr.detail({ ncrId: id }));
  const withdrawn = n ? await api.ncr.withdrawals({ ncrId: n.id }) : [];
  if (!n) return notFound;
  const signedBy = new Set(n.signoffs.map((s) => s.role));
  const mySigned = n.signoffs.some((s) => s.signerUserId === actor.userId);
  const myRoles = n.missingRoles.filter((r) => actor.roles.includes(r));
  const whereUsed = n.lotId ? whereUsedHref({ kind: "lot", id: n.lotId }) : n.serialItemId ? whereUsedHref({ kind: "serial", id: n.serialItemId }) : null;
  const fact = (label: string, value: React.ReactNode) => (
    <div>
      <dt className="text-sm font-semibold text-slate-600">{label}</dt>
      <dd className="text-slate-900">{value}</dd>
    </div>
  );
  return (
    <>
      <PageHeader
        title={t("detail.title", { number: n.numberText })}
        description={n.what}
        actions={
          <>
            {whereUsed ? <ButtonLink href={whereUsed}>{t("detail.whereUsed")}</ButtonLink> : null}
            {n.unitSerialItemId && n.unitSerial ? <ButtonLink href={asBuiltHref(n.unitSerialItemId)}>{t("detail.asBuilt", { serial: n.unitSerial })}</ButtonLink> : null}
            <ButtonLink href="/quality/ncrs">{t("detail.back")}</ButtonLink>
          </>
        }
      />
      <div className="space-y-5">
        <Card labelledBy="facts-heading">
          <CardHeader id="facts-heading" title={t("detail.facts")} actions={<Badge tone={n.status === "closed" ? "neutral" : "amber"}>{t(`status.${n.status as NcrStatus}`)}</Badge>} />
          <CardBody>
            <dl className="grid gap-3 sm:grid-cols-3">
              {fact(t("detail.what"), n.what)}
              {fact(t("detail.defect"), t(`defect.${n.defect as NcrDefect}`))}
              {fact(t("detail.quantity"), `${n.quantity.replace(/\.?0+$/, "")} ${n.uom ?? ""}`)}
              {fact(t("detail.location"), n.locationCode ?? "—")}
              {fact(t("detail.source"), t(`source.${n.source as NcrSource}`))}
              {fact(t("detail.raisedBy"), n.raisedByName)}
              {fact(t("detail.raisedAt"), <DateTime value={n.raisedAt} timeZone={actor.timeZone} />)}
              {fact(t("detail.workOrder"), n.workOrderNumber ?? "—")}
              {fact(
                t("detail.hold"),
                n.holdId ? (
                  <Link href={`/quality/holds/${n.holdId}`} className="text-blue-800 underline">
                    {n.holdActive ? t("detail.holdActive") : t("detail.holdReleased")}
                  </Link>
                ) : (
                  t("detail.noHold")
                ),
              )}
            </dl>
            <h3 className="mt-4 text-sm font-semibold text-slate-600">{t("detail.description")}</h3>
            <p className="whitespace-pre-wrap text-slate-900">{n.description}</p>
          </CardBody>
        </Card>
        <Card labelledBy="mrb-heading">
          <CardHeader id="mrb-heading" title={t("detail.mrb")} description={t("detail.mrbRoles", { roles: n.requiredRoles.map(roleWord).join(", ") })} />
          <CardBody>
            <div className="space-y-3">
              {n.dispositionText ? <p className="font-semibold">{t("detail.decided", { disposition: t(`disposition.${n.disposition as Disposition}`), reason: n.dispositionReason ?? "" })}</p> : null}
              {n.tampered ? <p className="rounded border-2 border-red-600 bg-red-50 px-2 py-1 font-semibold text-red-900">{t("detail.tampered")}</p> : null}
              {n.signoffs.length === 0 ? (
                <p className="text-slate-700">{t("detail.noSignatures")}</p>
              ) : (
                <ul className="space-y-1">
                  {n.signoffs.map((s) => (
                    <li key={s.role}>
                      <span className="text-sm font-semibold">{roleWord(s.role)}</span>
                      {s.signature ? <SignatureLine signature={s.signature} /> : null}
                    </li>
                  ))}
                </ul>
              )}
              {n.missingRoles.length > 0 ? <p className="text-slate-700">{t("detail.mrbMissing", { roles: n.missingRoles.filter((r) => !signedBy.has(r)).map(roleWord).join(", ") })}</p> : null}
              {n.status === "pending_signoff" && actor.roles.some((r) => n.requiredRoles.includes(r) || r === "quality_engineer") ? (
                <WithdrawDispositionForm ncrId={n.id} signerName={actor.displayName} />
              ) : null}
              {withdrawn.length > 0 ? (
                <div>
                  <h3 className="text-sm font-semibold text-slate-600">{t("withdraw.history")}</h3>
                  <ul className="space-y-1">
                    {withdrawn.map((w) => (
                      <li key={w.id}>
                        <p className="text-sm">{t("withdraw.item", { round: w.round, disposition: t(`disposition.${w.disposition}`), name: w.withdrawnByName, reason: w.reason })}</p>
                        {w.signature ? <SignatureLine signature={w.signature} /> : null}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {n.status !== "closed" && myRoles.length > 0 && !mySigned ? (
                <MrbSignForm ncrId={n.id} signerName={actor.displayName} proposed={(n.disposition as Disposition | null) ?? null} dispositions={n.dispositions.map((d) => d.value)} roles={myRoles} />
              ) : null}
            </div>
          </CardBody>
        </Card>
        <Card labelledBy="files-heading">
          <CardHeader id="files-heading" title={t("detail.attachments")} />
          <CardBody>
            {n.attachments.length === 0 ? (
              <p className="mb-3 text-slate-700">{t("detail.noAttachments")}</p>
            ) : (
              <ul className="mb-3 space-y-1">
                {n.attachments.map((a) => (
                  <li key={a.id}>
                    <a href={`/api/quality/attachments/${a.id}`} className="text-blue-800 underline">
                      {a.fileName}
                    </a>{" "}
                    <span className="text-sm text-slate-600">
                      {t("detail.attachmentFacts", { kb: Math.ceil(a.sizeBytes / 1024), by: a.uploadedByName })} <DateTime value={a.uploadedAt} timeZone={actor.timeZone} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {n.status !== "closed" ? <AttachmentUpload ncrId={n.id} /> : null}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
