import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { RequirementsForm } from "./_components/requirements-form";

export async function generateMetadata() {
  const t = await getTranslations("suspect");
  return { title: t("operations.title") };
}

const linkClass = "inline-flex min-h-10 items-center font-semibold text-blue-800 underline";

/** The skills and tool classes each routing operation of the site requires; editable where Traceline owns them. */
export default async function OperationRequirementsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("suspect");
  const api = await serverCaller(actor);
  const { operations, skills, owners } = await api.qualification.operationRequirements();
  const canEdit = actor.roles.includes("supervisor") || actor.roles.includes("quality_engineer");
  const skillsEditable = owners.requiredSkills === "traceline";
  const toolsEditable = owners.requiredToolClasses === "traceline";

  return (
    <>
      <PageHeader
        title={t("operations.title")}
        description={t("operations.description", { site: actor.siteName })}
        actions={
          <>
            <Link href="/quality/qualifications" className={linkClass}>
              {t("links.qualifications")}
            </Link>
            <Link href="/quality/tools" className={linkClass}>
              {t("links.tools")}
            </Link>
          </>
        }
      />
      <div className="space-y-5">
        {!skillsEditable ? <p className="rounded-md border-2 border-amber-600 bg-amber-50 px-3 py-2 text-amber-950">{t("operations.skillsOwnedByErp")}</p> : null}
        {!toolsEditable ? <p className="rounded-md border-2 border-amber-600 bg-amber-50 px-3 py-2 text-amber-950">{t("operations.toolsOwnedByErp")}</p> : null}
        <p className="text-sm text-slate-700">{skills.length > 0 ? t("operations.knownSkills", { skills: skills.map((s) => s.code).join(", ") }) : t("operations.noSkills")}</p>
        <Card labelledBy="ops-heading">
          <CardHeader id="ops-heading" title={t("operations.caption")} />
          <CardBody>
            {operations.length === 0 ? (
              <EmptyState title={t("operations.emptyTitle")}>{t("operations.empty")}</EmptyState>
            ) : (
              <Table caption={t("operations.caption")}>
                <THead>
                  <Tr>
                    <Th>{t("operations.colRouting")}</Th>
                    <Th>{t("operations.colOperation")}</Th>
                    <Th>{t("operations.colSkills")}</Th>
                    <Th>{t("operations.colTools")}</Th>
                    <Th>{t("operations.colChange")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {operations.map((o) => (
                    <Tr key={`${o.routingCode}-${o.seq}`}>
                      <Td>
                        <span className="block font-mono font-semibold">{o.routingCode}</span>
                        <span className="block text-xs text-slate-600">{t("operations.routingPart", { part: o.partNumber, revision: o.revision })}</span>
                      </Td>
                      <Td>
                        <span className="block font-mono">
                          {o.seq} {o.code}
                        </span>
                        <span className="block text-sm text-slate-700">{o.description}</span>
                      </Td>
                      <Td className="font-mono">{o.requiredSkills.length > 0 ? o.requiredSkills.join(", ") : t("operations.none")}</Td>
                      <Td className="font-mono">{o.requiredToolClasses.length > 0 ? o.requiredToolClasses.join(", ") : t("operations.none")}</Td>
                      <Td className="min-w-96">
                        {canEdit && (skillsEditable || toolsEditable) ? (
                          <RequirementsForm
                            routingCode={o.routingCode}
                            seq={o.seq}
                            skills={o.requiredSkills}
                            toolClasses={o.requiredToolClasses}
                            skillsEditable={skillsEditable}
                            toolsEditable={toolsEditable}
                          />
                        ) : (
                          <span className="text-sm text-slate-600">{t("operations.readOnly")}</span>
                        )}
                      </Td>
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
