import type { Metadata } from "next";
import Link from "next/link";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge, type Tone } from "@/components/ui/badge";
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

export const metadata: Metadata = { title: "Operator qualifications" };

const STATUS: Record<QualificationStatus, { words: string; tone: Tone }> = {
  current: { words: "Current", tone: "green" },
  expired: { words: "Expired", tone: "red" },
  withdrawn: { words: "Withdrawn", tone: "red" },
  not_yet_valid: { words: "Not yet valid", tone: "amber" },
};

export default async function QualificationsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const api = await serverCaller(actor);
  const { skills, people, asOf: now } = await api.qualification.board();
  const tz = actor.timeZone;
  // the last valid day of a qualification is the day before it expires (it expires at the start of a day)
  const lastDay = (expiresAt: Date) => localDate(new Date(expiresAt.getTime() - 1), tz);

  return (
    <>
      <PageHeader
        title="Operator qualifications"
        description={`Skills and certifications of the operators at ${actor.siteName}. The station refuses work at an operation that requires a skill the operator does not hold, current.`}
        actions={
          <>
            <Link href="/quality/holds" className="font-semibold text-blue-800 underline">Holds</Link>
            <Link href="/quality/tools" className="font-semibold text-blue-800 underline">Tools and gauges</Link>
          </>
        }
      />
      <div className="space-y-5">
        <Card labelledBy="record-heading">
          <CardHeader id="record-heading" title="Record a qualification" description="Grant or renew a skill with its validity; every change is in the audit trail." />
          <CardBody>
            {skills.length === 0 ? (
              <EmptyState title="No skills defined yet">Define the site&apos;s skills below (e.g. crimping, sealing, torque), then record who holds them.</EmptyState>
            ) : people.length === 0 ? (
              <EmptyState title="No operators at this site">Ask an administrator to give people the operator role at {actor.siteName}.</EmptyState>
            ) : (
              <RecordQualificationForm people={people.map((p) => ({ userId: p.userId, displayName: p.displayName }))} skills={skills} today={localDate(now, tz)} />
            )}
          </CardBody>
        </Card>

        <Card labelledBy="people-heading">
          <CardHeader id="people-heading" title={`Operators and their qualifications (${people.length})`} />
          <CardBody>
            {people.length === 0 ? (
              <EmptyState title="No operators at this site" />
            ) : (
              <Table caption="Operators and their qualifications">
                <THead>
                  <Tr>
                    <Th>Operator</Th>
                    <Th>Skill</Th>
                    <Th>Valid from</Th>
                    <Th>Valid through</Th>
                    <Th>Status</Th>
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  </Tr>
                </THead>
                <TBody>
                  {people.flatMap((p) =>
                    p.qualifications.length === 0
                      ? [
                          <Tr key={p.userId}>
                            <Td>{p.displayName}</Td>
                            <Td colSpan={5} className="text-slate-600">No qualifications recorded.</Td>
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
                              <Td>{localDate(q.qualifiedAt, tz)}</Td>
                              <Td>{q.expiresAt ? lastDay(q.expiresAt) : "no expiry"}</Td>
                              <Td>
                                <Badge tone={STATUS[status].tone}>{STATUS[status].words}</Badge>
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
          <CardHeader id="skills-heading" title={`Skills at ${actor.siteName} (${skills.length})`} description="Routing operations require skills by these codes (from ERP or set in Traceline, per the ownership registry)." />
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
