import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ErpTabs } from "@/components/erp/erp-tabs";
import { MessageErrorView } from "@/components/erp/message-error-view";
import { StatusBadge } from "@/components/production/status-badge";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { QueueActions } from "./_components/queue-actions";
import { PolicyForm } from "./_components/policy-form";

export async function generateMetadata() {
  const t = await getTranslations("erp.queues");
  return { title: t("metaTitle") };
}

type T = Awaited<ReturnType<typeof getTranslations<"erp.queues">>>;

/** Versions from 10^12 on are change times (ms since 1970), not counters. */
const versionText = (v: number | null, t: T) => (v === null ? t("versionNone") : v >= 1e12 ? t("versionChanged", { at: new Date(v).toISOString() }) : String(v));

export default async function ErpQueuesPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "erp")) return <ForbiddenNotice siteName={actor.siteName} area="erp" />;
  const api = await serverCaller(actor);
  const t = await getTranslations("erp.queues");
  const [queues, policy] = await Promise.all([api.erp.orderedQueues(), api.erp.unapprovedMaterialPolicy()]);
  const isAdmin = actor.roles.includes("admin");
  const tz = actor.timeZone;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { site: actor.siteName })}
      />
      <ErpTabs current="queues" />
      <div className="space-y-5">
        {queues.length === 0 ? (
          <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
        ) : (
          queues.map((q) => {
            const held = q.waiting.filter((w) => w.status === "held" || (w.status === "dead_letter" && w.error?.code === "HELD_TOO_LONG"));
            const next = (q.appliedVersion ?? 0) + 1;
            const canSkip = held.length > 0 && held[0]!.version > next && held[0]!.version < 1e12;
            const headingId = `queue-${q.plant}-${q.objectKey}`.replace(/[^A-Za-z0-9_-]/g, "_");
            return (
              <Card key={`${q.plant}|${q.objectKey}`} labelledBy={headingId}>
                <CardHeader
                  id={headingId}
                  title={t("order", { order: q.objectKey, plant: q.plant })}
                  description={`${t("applied", { version: versionText(q.appliedVersion, t) })} ${held.length > 0 && held[0]!.version < 1e12 ? t("waitingFor", { version: next }) : held.length > 0 ? t("waitingRelease") : t("blocked")}`}
                />
                <CardBody className="space-y-4">
                  <Table caption={t("caption", { order: q.objectKey })}>
                    <THead>
                      <Tr>
                        <Th className="text-right">{t("colVersion")}</Th>
                        <Th>{t("colStatus")}</Th>
                        <Th>{t("colReceived")}</Th>
                        <Th>{t("colMessageId")}</Th>
                        <Th>{t("colWhy")}</Th>
                      </Tr>
                    </THead>
                    <TBody>
                      {q.waiting.map((w) => (
                        <Tr key={w.id}>
                          <Td className="text-right tabular-nums">{versionText(w.version, t)}</Td>
                          <Td>
                            <StatusBadge status={w.status} />
                          </Td>
                          <Td>
                            <DateTime value={w.receivedAt} timeZone={tz} />
                          </Td>
                          <Td className="font-mono text-xs">
                            <Link href={`/erp/messages/${w.id}`} className="font-semibold text-blue-800 underline underline-offset-2">
                              {w.messageId}
                            </Link>
                          </Td>
                          <Td className="max-w-md">{w.error ? <MessageErrorView error={w.error} compact /> : null}</Td>
                        </Tr>
                      ))}
                    </TBody>
                  </Table>
                  {isAdmin ? (
                    <QueueActions objectKey={q.objectKey} plant={q.plant} canSkip={canSkip} />
                  ) : (
                    <p className="text-sm text-slate-700">{t("adminCan")}</p>
                  )}
                </CardBody>
              </Card>
            );
          })
        )}

        <Card labelledBy="policy-heading">
          <CardHeader
            id="policy-heading"
            title={t("policy.title")}
            description={t("policy.description")}
          />
          <CardBody>
            <p className="mb-3">
              {t.rich("policy.current", { site: actor.siteName, policy, strong: (c) => <strong>{c}</strong> })}
            </p>
            {isAdmin ? <PolicyForm current={policy} /> : null}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
