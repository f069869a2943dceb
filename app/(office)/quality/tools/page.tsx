import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { DateTime, formatDate } from "@/components/ui/date-time";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { localDate } from "@/server/domain/kitting/dates";
import { toolRefusal } from "@/server/domain/tools/tool-rules";
import type { Locale } from "@/i18n/locales";
import { CalibrateToolForm, RegisterToolForm } from "./_components/tool-forms";
import { ToolHoldForm } from "./_components/tool-hold-form";

export async function generateMetadata() {
  const t = await getTranslations("quality.tools");
  return { title: t("title") };
}

type T = Awaited<ReturnType<typeof getTranslations<"quality.tools">>>;
type ToolRow = { code: string; holdReason: string | null; status: string; calibrationDueAt: Date | null };

/** Why a tool is refused at the station, in the reader's words (the same order of checks as toolRefusal). */
function notUsable(t: T, tool: ToolRow, tz: string, locale: Locale): { badge: string; title: string } {
  if (tool.holdReason !== null) return { badge: t("notUsable.onHold", { reason: tool.holdReason }), title: t("why.onHold", { code: tool.code, reason: tool.holdReason }) };
  if (tool.status !== "in_service") return { badge: t("notUsable.outOfService"), title: t("why.outOfService", { code: tool.code }) };
  if (tool.calibrationDueAt === null) return { badge: t("notUsable.noCalibration"), title: t("why.noCalibration", { code: tool.code }) };
  const date = formatDate(tool.calibrationDueAt, tz, locale);
  return { badge: t("notUsable.overdue", { date }), title: t("why.overdue", { code: tool.code, date }) };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

export default async function ToolsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const sp = await searchParams;
  const ts = await getTranslations("suspect");
  const t = await getTranslations("quality.tools");
  const tl = await getTranslations("suspect.links");
  const tst = await getTranslations("status");
  const locale = (await getLocale()) as Locale;
  const api = await serverCaller(actor);
  const toolCode = first(sp.tool);
  const sinceCalibration = first(sp.since) === "calibration";
  const [register, board] = await Promise.all([api.tools.register(), api.qualification.board()]);
  const now = board.asOf;
  const tz = actor.timeZone;
  const found = toolCode ? await api.tools.whereUsedByTool({ toolCode, sinceLastCalibration: sinceCalibration, offset: 0, limit: 200 }).catch((e: unknown) => {
        // a tool not in the register is said so on the page; anything else fails the page (its error boundary)
        if ((e as { code?: string })?.code === "NOT_FOUND") return null;
        throw e;
      }) : null;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { site: actor.siteName })}
        actions={
          <>
            <Link href="/quality/holds" className="font-semibold text-blue-800 underline">{tl("holds")}</Link>
            <Link href="/quality/qualifications" className="font-semibold text-blue-800 underline">{tl("qualifications")}</Link>
          </>
        }
      />
      <div className="space-y-5">
        <Card labelledBy="register-heading">
          <CardHeader id="register-heading" title={t("register", { count: register.length })} />
          <CardBody>
            {register.length === 0 ? (
              <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>
            ) : (
              <Table caption={t("caption")}>
                <THead>
                  <Tr>
                    <Th>{t("colCode")}</Th>
                    <Th>{t("colClass")}</Th>
                    <Th>{t("colDescription")}</Th>
                    <Th>{t("colCalibrated")}</Th>
                    <Th>{t("colDue")}</Th>
                    <Th>{t("colUsable")}</Th>
                    <Th>
                      <span className="sr-only">{t("whereUsed")}</span>
                    </Th>
                  </Tr>
                </THead>
                <TBody>
                  {register.map((tool) => {
                    const why = toolRefusal({ ...tool, holdReason: tool.holdReason }, now, tz) ? notUsable(t, tool, tz, locale) : null;
                    return (
                      <Tr key={tool.id}>
                        <Td className="font-mono">{tool.code}</Td>
                        <Td className="font-mono">{tool.toolClass}</Td>
                        <Td>{tool.description}</Td>
                        <Td>
                          <DateTime value={tool.calibratedAt} timeZone={tz} dateOnly />
                        </Td>
                        <Td>
                          <DateTime value={tool.calibrationDueAt} timeZone={tz} dateOnly />
                        </Td>
                        <Td>{why ? <Badge tone="red" title={why.title}>{why.badge}</Badge> : <Badge tone="green">{t("usable")}</Badge>}</Td>
                        <Td>
                          <Link href={`/quality/tools?tool=${encodeURIComponent(tool.code)}`} className="text-blue-800 underline">{t("whereUsed")}</Link>
                        </Td>
                      </Tr>
                    );
                  })}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="where-heading">
          <CardHeader id="where-heading" title={t("whereTitle")} description={t("whereDescription")} />
          <CardBody>
            <form method="get" action="/quality/tools" className="mb-3 flex flex-wrap items-end gap-3" aria-label={t("whereTitle")}>
              <div>
                <label htmlFor="wu-tool" className="mb-1 block text-sm font-semibold">{t("toolCode")}</label>
                <input id="wu-tool" name="tool" defaultValue={toolCode} className="min-h-10 w-40 rounded-md border-2 border-slate-400 px-2 font-mono" />
              </div>
              <label className="flex items-center gap-2 text-sm font-semibold">
                <input type="checkbox" name="since" value="calibration" defaultChecked={sinceCalibration} /> {t("since")}
              </label>
              <button type="submit" className="min-h-10 rounded-md bg-blue-700 px-3 font-semibold text-white">{t("find")}</button>
            </form>
            {!toolCode ? (
              <p className="text-slate-700">{t("enterCode")}</p>
            ) : !found ? (
              <p role="alert" className="font-semibold text-red-900">{t("notInRegister", { code: toolCode, site: actor.siteName })}</p>
            ) : (
              <>
                <p className="mb-2">
                  {t.rich(found.since ? "summarySince" : "summary", {
                    code: found.tool.code,
                    since: found.since ? formatDate(found.since, tz, locale) : "",
                    installs: found.totalInstalls,
                    units: found.totalUnits,
                    worked: new Set(found.readings.map((r) => r.unitId)).size,
                    mono: (chunks) => <span className="font-mono">{chunks}</span>,
                    strong: (chunks) => <strong>{chunks}</strong>,
                  })}{" "}
                  <a className="text-blue-800 underline" href={`/api/tools/where-used/export?tool=${encodeURIComponent(found.tool.code)}${sinceCalibration ? "&since=calibration" : ""}`}>{t("exportCsv")}</a>
                  {found.totalInstalls > found.installs.length ? <> {t("firstShown", { shown: found.installs.length, total: found.totalInstalls })}</> : null}
                </p>
                {found.installs.length === 0 ? (
                  <EmptyState title={t("noInstallsTitle")}>{found.since ? t("noInstallsSince") : t("noInstalls")}</EmptyState>
                ) : (
                  <Table caption={t("installsCaption")}>
                    <THead>
                      <Tr>
                        <Th>{t("colInstalled")}</Th>
                        <Th>{t("colUnit")}</Th>
                        <Th>{t("colStatus")}</Th>
                        <Th>{t("colOrder")}</Th>
                        <Th>{t("colOp")}</Th>
                        <Th>{t("colComponent")}</Th>
                        <Th>{t("colOperator")}</Th>
                      </Tr>
                    </THead>
                    <TBody>
                      {found.installs.map((i) => (
                        <Tr key={i.edgeId}>
                          <Td>
                            <DateTime value={i.installedAt} timeZone={tz} dateOnly />
                          </Td>
                          <Td className="font-mono">{i.unitSerial}</Td>
                          <Td>{tst.has(i.unitStatus as never) ? tst(i.unitStatus as never) : i.unitStatus}</Td>
                          <Td className="font-mono">{i.workOrder}</Td>
                          <Td>{i.operationSeq}</Td>
                          <Td>
                            {t(i.removedAt ? "componentRemoved" : "component", { part: i.partNumber, revision: i.revision, item: i.serialNumber ?? i.lotNumber ?? "" })}
                          </Td>
                          <Td>{i.operatorName}</Td>
                        </Tr>
                      ))}
                    </TBody>
                  </Table>
                )}
              </>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="operator-heading">
          <CardHeader id="operator-heading" title={t("byOperatorTitle")} description={t("byOperatorDescription")} />
          <CardBody>
            <form method="get" action="/api/tools/where-used/export" className="flex flex-wrap items-end gap-3" aria-label={t("byOperatorTitle")}>
              <div>
                <label htmlFor="wu-op" className="mb-1 block text-sm font-semibold">{t("operator")}</label>
                <select id="wu-op" name="operator" className="min-h-10 w-56 rounded-md border-2 border-slate-400 px-2">
                  {board.people.map((p) => (
                    <option key={p.userId} value={p.userId}>{p.displayName}</option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="wu-from" className="mb-1 block text-sm font-semibold">{t("from")}</label>
                <input id="wu-from" name="from" type="date" required defaultValue={localDate(new Date(now.getTime() - 30 * 86_400_000), tz)} className="min-h-10 rounded-md border-2 border-slate-400 px-2" />
              </div>
              <div>
                <label htmlFor="wu-to" className="mb-1 block text-sm font-semibold">{t("to")}</label>
                <input id="wu-to" name="to" type="date" required defaultValue={localDate(now, tz)} className="min-h-10 rounded-md border-2 border-slate-400 px-2" />
              </div>
              <button type="submit" className="min-h-10 rounded-md bg-blue-700 px-3 font-semibold text-white">{t("exportCsv")}</button>
            </form>
          </CardBody>
        </Card>

        <Card labelledBy="add-heading">
          <CardHeader id="add-heading" title={t("registerTitle")} />
          <CardBody>
            <RegisterToolForm />
          </CardBody>
        </Card>
        {register.length > 0 && actor.roles.includes("quality_engineer") ? (
          <Card labelledBy="tool-hold-heading">
            <CardHeader
              id="tool-hold-heading"
              title={ts("toolHold.title")}
              description={ts("toolHold.description")}
            />
            <CardBody>
              <ToolHoldForm tools={register.map((t) => ({ code: t.code, held: t.holdReason !== null }))} signerName={actor.displayName} />
            </CardBody>
          </Card>
        ) : null}
        {register.length > 0 ? (
          <Card labelledBy="cal-heading">
            <CardHeader id="cal-heading" title={t("calibrateTitle")} />
            <CardBody>
              <CalibrateToolForm codes={register.map((t) => t.code)} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
