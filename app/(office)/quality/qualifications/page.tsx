import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge, type Tone } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { localDate } from "@/server/domain/kitting/dates";
import { qualificationStatus, type QualificationStatus } from "@/server/domain/qualification/operator-qualification";
import { DefineSkillForm, RecordQualificationForm, WithdrawQualificationButton } from "./_components/qualification-forms";

export async function generateMetadata() {
  const t = await getTranslations("quality.qualifications");
  return { title: t("title") };
}

const TONE: Record<QualificationStatus, Tone> = { current: "green", expired: "red", withdrawn: "red", not_yet_valid: "amber" };

export default async function QualificationsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("quality.qualifications");
  const ts = await getTranslations("suspect.links");
  const tt = await getTranslations("quality.tools");
  const api = await serverCaller(actor);
  const { skills, people, asOf: now } = await api.qualification.board();
  const tz = actor.timeZone;
  // the last valid day of a qualification is the day before it expires (it expires at the start of a day)
  const lastDay = (expiresAt: Date) => new Date(expiresAt.getTime() - 1);

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { site: actor.siteName })}
        actions={
          <>
            <Link href="/quality/holds" className="font-semibold text-blue-800 underline">{ts("holds")}</Link>
            <Link href="/quality/tools" className="font-semibold text-blue-800 underline">{tt("title")}</Link>
          </>
        }
      />
      <div className="space-y-5">
        <Card labelledBy="record-heading">
          <CardHeader id="record-heading" title={t("recordTitle")} description={t("recordDescription")} />
          <CardBody>
            {skills.length === 0 ? (
              <EmptyState title={t("noSkillsTitle")}>{t("noSkills")}</EmptyState>
            ) : people.length === 0 ? (
              <EmptyState title={t("noOperatorsTitle")}>{t("noOperators", { site: actor.siteName })}</EmptyState>
            ) : (
              <RecordQualificationForm people={people.map((p) => ({ userId: p.userId, displayName: p.displayName }))} skills={skills} today={localDate(now, tz)} />
            )}
          </CardBody>
        </Card>

        <Card labelledBy="people-heading">
          <CardHeader id="people-heading" title={t("people", { count: people.length })} />
          <CardBody>
            {people.length === 0 ? (
              <EmptyState title={t("noOperatorsTitle")} />
            ) : (
              <Table caption={t("peopleCaption")}>
                <THead>
                  <Tr>
                    <Th>{t("colOperator")}</Th>
                    <Th>{t("colSkill")}</Th>
                    <Th>{t("colFrom")}</Th>
                    <Th>{t("colThrough")}</Th>
                    <Th>{t("colStatus")}</Th>
                    <Th>
                      <span className="sr-only">{t("colActions")}</span>
                    </Th>
                  </Tr>
                </THead>
                <TBody>
                  {people.flatMap((p) =>
                    p.qualifications.length === 0
                      ? [
                          <Tr key={p.userId}>
                            <Td>{p.displayName}</Td>
                            <Td colSpan={5} className="text-slate-600">{t("noneRecorded")}</Td>
                          </Tr>,
                        ]
                      : p.qualifications.map((q, i) => {
                          const status = qualificationStatus(q, now);
                          return (
                            <Tr key={`${p.userId}-${q.skillCode}`}>
                              <Td>{i === 0 ? p.displayName : <span className="sr-only">{p.displayName}</span>}</Td>
                              <Td>
                                <span className="font-mono">{q.skillCode}</span> <span className="text-slate-600">{q.skillName}</span>
                              </Td>
                              <Td>
                                <DateTime value={q.qualifiedAt} timeZone={tz} dateOnly />
                              </Td>
                              <Td>{q.expiresAt ? <DateTime value={lastDay(q.expiresAt)} timeZone={tz} dateOnly /> : t("noExpiry")}</Td>
                              <Td>
                                <Badge tone={TONE[status]}>{t(`status.${status}`)}</Badge>
                              </Td>
                              <Td>{status === "withdrawn" ? null : <WithdrawQualificationButton userId={p.userId} skillCode={q.skillCode} who={p.displayName} />}</Td>
                            </Tr>
                          );
                        }),
                  )}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card labelledBy="skills-heading">
          <CardHeader id="skills-heading" title={t("skills", { site: actor.siteName, count: skills.length })} description={t("skillsDescription")} />
          <CardBody>
            {skills.length > 0 ? (
              <ul className="mb-4 flex flex-wrap gap-2">
                {skills.map((s) => (
                  <li key={s.code}>
                    <Badge tone="blue">
                      <span className="font-mono">{s.code}</span>&nbsp;{s.name}
                    </Badge>
                  </li>
                ))}
              </ul>
            ) : null}
            <DefineSkillForm />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
