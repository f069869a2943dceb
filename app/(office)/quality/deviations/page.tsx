import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterSearch, FilterSelect } from "@/components/ui/filter-fields";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { CreateDeviationForm } from "./_components/create-deviation-form";
import { RevokeDeviationForm } from "./_components/revoke-deviation-form";

export async function generateMetadata() {
  const t = await getTranslations("ncr");
  return { title: t("deviations.title") };
}

const STATES = ["valid", "expired", "used_up", "revoked"] as const;
type State = (typeof STATES)[number];
type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.trim() : "");
const STATE_OF: Record<string, State> = { valid: "valid", expired: "expired", "used up": "used_up", revoked: "revoked" };

/** Deviations (concessions): filters in the URL, CSV export, and the quality engineer's signed approval form. */
export default async function DeviationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("ncr");
  const state = (STATES as readonly string[]).includes(one(sp.state)) ? (one(sp.state) as State) : null;
  const q = one(sp.q).slice(0, 100) || null;
  const api = await serverCaller(actor);
  const rows = await api.ncr.deviations({ state, q });
  const engineer = actor.roles.includes("quality_engineer");
  const exportQuery = new URLSearchParams({ ...(state ? { state } : {}), ...(q ? { q } : {}) });
  return (
    <>
      <PageHeader
        title={t("deviations.title")}
        description={t("deviations.description", { site: actor.siteName })}
        actions={
          <>
            <ButtonLink href="/quality/ncrs">{t("deviations.ncrs")}</ButtonLink>
            <ButtonLink href={`/api/quality/deviations/export?${exportQuery.toString()}`}>{t("list.export")}</ButtonLink>
          </>
        }
      />
      <div className="space-y-5">
        {actor.roles.includes("quality_engineer") ? (
          <Card labelledBy="create-heading">
            <CardHeader id="create-heading" title={t("deviations.create")} />
            <CardBody>
              <CreateDeviationForm signerName={actor.displayName} />
            </CardBody>
          </Card>
        ) : null}
        <Card labelledBy="dev-heading">
          <CardHeader id="dev-heading" title={t("deviations.title")} />
          <CardBody>
            <form method="get" action="/quality/deviations" className="mb-3 flex flex-wrap items-end gap-3" aria-label={t("list.filter")}>
              <FilterSelect id="f-state" name="state" label={t("deviations.state")} anyLabel={t("deviations.anyState")} value={state ?? undefined} options={STATES.map((s) => ({ value: s, label: t(`deviations.${s}`) }))} />
              <FilterSearch id="f-q" name="q" label={t("list.search")} value={q ?? undefined} placeholder={t("list.searchPlaceholder")} />
              <Button type="submit">{t("list.filter")}</Button>
            </form>
            {rows.length === 0 ? (
              <EmptyState title={t("deviations.empty")}>{t("deviations.emptyHint")}</EmptyState>
            ) : (
              <Table>
                <THead>
                  <Tr>
                    <Th>{t("deviations.colNumber")}</Th>
                    <Th>{t("deviations.colState")}</Th>
                    <Th>{t("deviations.colDesigned")}</Th>
                    <Th>{t("deviations.colSubstitute")}</Th>
                    <Th>{t("deviations.colScope")}</Th>
                    <Th>{t("deviations.colUntil")}</Th>
                    <Th>{t("deviations.colUsed")}</Th>
                    <Th>{t("deviations.colSignature")}</Th>
                    {engineer ? <Th>{t("deviations.colRevoke")}</Th> : null}
                  </Tr>
                </THead>
                <TBody>
                  {rows.map((r) => (
                    <Tr key={r.id}>
                      <Td className="font-mono font-semibold">{r.numberText}</Td>
                      <Td>
                        <Badge tone={r.state === "valid" ? "green" : "neutral"}>{t(`deviations.${STATE_OF[r.state] ?? "valid"}`)}</Badge>
                      </Td>
                      <Td>
                        {r.designedPart} {r.designedRevision}
                      </Td>
                      <Td>
                        {r.substitute}
                        <div className="text-sm text-slate-600">{r.reason}</div>
                      </Td>
                      <Td>{r.scope}</Td>
                      <Td>
                        <DateTime value={r.expiresAt} timeZone={actor.timeZone} />
                      </Td>
                      <Td>
                        {r.quantityUsed.replace(/\.?0+$/, "") || "0"} / {r.quantityLimit.replace(/\.?0+$/, "")}
                      </Td>
                      <Td>{r.signature === "valid" ? <Badge tone="green">{t("deviations.signatureValid")}</Badge> : <Badge tone="red">{t("deviations.signatureInvalid")}</Badge>}</Td>
                      {engineer ? <Td>{r.state !== "revoked" ? <RevokeDeviationForm deviationId={r.id} number={r.numberText} signerName={actor.displayName} /> : null}</Td> : null}
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
