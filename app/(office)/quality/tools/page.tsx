import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { localDate } from "@/server/domain/kitting/dates";
import { toolRefusal } from "@/server/domain/tools/tool-rules";
import { CalibrateToolForm, RegisterToolForm } from "./_components/tool-forms";
import { ToolHoldForm } from "./_components/tool-hold-form";

export const metadata: Metadata = { title: "Tools and gauges" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

export default async function ToolsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const sp = await searchParams;
  const ts = await getTranslations("suspect");
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
        title="Tools and gauges"
        description={`The tool register of ${actor.siteName}: an uncalibrated, overdue, held or out-of-service tool is refused at the station. Where-used finds every unit a tool touched.`}
        actions={
          <>
            <Link href="/quality/holds" className="font-semibold text-blue-800 underline">Holds</Link>
            <Link href="/quality/qualifications" className="font-semibold text-blue-800 underline">Qualifications</Link>
          </>
        }
      />
      <div className="space-y-5">
        <Card labelledBy="register-heading">
          <CardHeader id="register-heading" title={`Register (${register.length})`} />
          <CardBody>
            {register.length === 0 ? (
              <EmptyState title="No tools registered yet">Register the site&apos;s torque wrenches, crimpers and gauges below, with their calibration.</EmptyState>
            ) : (
              <Table caption="Tool register">
                <THead>
                  <Tr>
                    <Th>Code</Th>
                    <Th>Class</Th>
                    <Th>Description</Th>
                    <Th>Calibrated</Th>
                    <Th>Due</Th>
                    <Th>Usable</Th>
                    <Th>
                      <span className="sr-only">Where used</span>
                    </Th>
                  </Tr>
                </THead>
                <TBody>
                  {register.map((t) => {
                    const why = toolRefusal({ ...t, holdReason: t.holdReason }, now, tz);
                    return (
                      <Tr key={t.id}>
                        <Td className="font-mono">{t.code}</Td>
                        <Td className="font-mono">{t.toolClass}</Td>
                        <Td>{t.description}</Td>
                        <Td>{t.calibratedAt ? localDate(t.calibratedAt, tz) : "—"}</Td>
                        <Td>{t.calibrationDueAt ? localDate(t.calibrationDueAt, tz) : "—"}</Td>
                        <Td>{why ? <Badge tone="red" title={why}>No: {why.replace(/^tool \S+ /, "")}</Badge> : <Badge tone="green">Yes</Badge>}</Td>
                        <Td>
                          <Link href={`/quality/tools?tool=${encodeURIComponent(t.code)}`} className="text-blue-800 underline">Where used</Link>
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
          <CardHeader id="where-heading" title="Where used by tool" description="Every install a tool touched (optionally since its last good calibration), with the unit and its status; exact totals, CSV export." />
          <CardBody>
            <form method="get" action="/quality/tools" className="mb-3 flex flex-wrap items-end gap-3" aria-label="Where used by tool">
              <div>
                <label htmlFor="wu-tool" className="mb-1 block text-sm font-semibold">Tool code</label>
                <input id="wu-tool" name="tool" defaultValue={toolCode} className="min-h-10 w-40 rounded-md border-2 border-slate-400 px-2 font-mono" />
              </div>
              <label className="flex items-center gap-2 text-sm font-semibold">
                <input type="checkbox" name="since" value="calibration" defaultChecked={sinceCalibration} /> Since its last good calibration
              </label>
              <button type="submit" className="min-h-10 rounded-md bg-blue-700 px-3 font-semibold text-white">Find</button>
            </form>
            {!toolCode ? (
              <p className="text-slate-700">Enter a tool code, or choose &quot;Where used&quot; in the register.</p>
            ) : !found ? (
              <p role="alert" className="font-semibold text-red-900">Tool {toolCode} is not in the register of {actor.siteName}.</p>
            ) : (
              <>
                <p className="mb-2">
                  Tool <span className="font-mono">{found.tool.code}</span>{found.since ? ` since ${localDate(found.since, tz)}` : ""}: <strong>{found.totalInstalls}</strong> installs in{" "}
                  <strong>{found.totalUnits}</strong> units; operations worked with it on {new Set(found.readings.map((r) => r.unitId)).size} units.{" "}
                  <a className="text-blue-800 underline" href={`/api/tools/where-used/export?tool=${encodeURIComponent(found.tool.code)}${sinceCalibration ? "&since=calibration" : ""}`}>Export CSV</a>
                  {found.totalInstalls > found.installs.length ? ` (the first ${found.installs.length} shown; the export holds all ${found.totalInstalls})` : ""}
                </p>
                {found.installs.length === 0 ? (
                  <EmptyState title="No installs with this tool">Nothing was installed with it{found.since ? " since its last calibration" : ""}.</EmptyState>
                ) : (
                  <Table caption="Installs with the tool">
                    <THead>
                      <Tr>
                        <Th>Installed</Th>
                        <Th>Unit</Th>
                        <Th>Status</Th>
                        <Th>Order</Th>
                        <Th>Op</Th>
                        <Th>Component</Th>
                        <Th>Operator</Th>
                      </Tr>
                    </THead>
                    <TBody>
                      {found.installs.map((i) => (
                        <Tr key={i.edgeId}>
                          <Td>{localDate(i.installedAt, tz)}</Td>
                          <Td className="font-mono">{i.unitSerial}</Td>
                          <Td>{i.unitStatus.replaceAll("_", " ")}</Td>
                          <Td className="font-mono">{i.workOrder}</Td>
                          <Td>{i.operationSeq}</Td>
                          <Td>
                            {i.partNumber} rev {i.revision} {i.serialNumber ?? i.lotNumber ?? ""}
                            {i.removedAt ? " (removed)" : ""}
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
          <CardHeader id="operator-heading" title="Where used by operator" description="Every install by one person in a range of days, as CSV." />
          <CardBody>
            <form method="get" action="/api/tools/where-used/export" className="flex flex-wrap items-end gap-3" aria-label="Where used by operator">
              <div>
                <label htmlFor="wu-op" className="mb-1 block text-sm font-semibold">Operator</label>
                <select id="wu-op" name="operator" className="min-h-10 w-56 rounded-md border-2 border-slate-400 px-2">
                  {board.people.map((p) => (
                    <option key={p.userId} value={p.userId}>{p.displayName}</option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="wu-from" className="mb-1 block text-sm font-semibold">From</label>
                <input id="wu-from" name="from" type="date" required defaultValue={localDate(new Date(now.getTime() - 30 * 86_400_000), tz)} className="min-h-10 rounded-md border-2 border-slate-400 px-2" />
              </div>
              <div>
                <label htmlFor="wu-to" className="mb-1 block text-sm font-semibold">To</label>
                <input id="wu-to" name="to" type="date" required defaultValue={localDate(now, tz)} className="min-h-10 rounded-md border-2 border-slate-400 px-2" />
              </div>
              <button type="submit" className="min-h-10 rounded-md bg-blue-700 px-3 font-semibold text-white">Export CSV</button>
            </form>
          </CardBody>
        </Card>

        <Card labelledBy="add-heading">
          <CardHeader id="add-heading" title="Register a tool" />
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
            <CardHeader id="cal-heading" title="Record a calibration" />
            <CardBody>
              <CalibrateToolForm codes={register.map((t) => t.code)} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
