import { getTranslations } from "next-intl/server";
import { UsersTable } from "@/components/admin/users-table";
import { DisableUserButton } from "./_components/disable-user-button";
import { Qty } from "@/components/inventory/qty";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { ConnectionsPanel } from "./_components/connections-panel";
import { DecidedChanges, OwnershipRegistryPanel, PendingChanges } from "./_components/ownership-panel";
import { MrbRolesCard } from "./_components/mrb-roles-form";
import { PartPolicyForm } from "./_components/part-policy-form";
import { PartGtinForm } from "./_components/part-gtin-form";
import { BadgeImportForm } from "./_components/badge-import-form";
import { CreateUserForm } from "./_components/create-user-form";
import { HoldReleaseRuleForm } from "./_components/hold-release-rule-form";
import { EditRolesForm, ResetSecretForm } from "./_components/user-admin-actions";

export async function generateMetadata() {
  const t = await getTranslations("admin");
  return { title: t("title") };
}

const POLICY_ATTRIBUTES = ["out_time_minutes", "min_thaw_minutes", "pot_life_minutes", "storage_class", "shelf_life_days", "min_remaining_shelf_life_days"] as const;

export default async function AdminPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "admin")) return <ForbiddenNotice siteName={actor.siteName} area="admin" />;
  const t = await getTranslations("admin");
  const api = await serverCaller(actor);
  const [users, registry, changes, connections, locations, holdRule] = await Promise.all([
    api.admin.users(),
    api.admin.ownershipRegistry(),
    api.admin.ownershipChanges({ decidedLimit: 50 }),
    api.admin.connections(),
    api.plant.storageLocations(),
    api.admin.holdReleaseRule(),
  ]);
  const tz = actor.timeZone;
  const adminSites = actor.sites.filter((s) => s.roles.includes("admin")).map((s) => ({ code: s.code, name: s.name }));
  const owners = Object.fromEntries(
    POLICY_ATTRIBUTES.map((a) => [a, registry.find((r) => r.entity === "part" && r.attribute === a)?.owner]).filter(([, o]) => o !== undefined),
  );

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
      />
      <div className="space-y-5">
        <Card labelledBy="users-heading">
          <CardHeader id="users-heading" title={t("users.title")} description={t("users.description")} />
          <CardBody>
            <UsersTable
              users={users}
              actions={(u) => {
                const here = u.sites.find((x) => x.siteId === actor.siteId);
                if (!u.isActive || !here) return null;
                return (
                  <>
                    {u.id !== actor.userId ? <DisableUserButton userId={u.id} displayName={u.displayName} /> : null}
                    <details className="text-sm">
                      <summary className="min-h-10 cursor-pointer py-2 font-semibold text-blue-800 underline">{t("users.rolesAndReset")}</summary>
                      <div className="mt-2 w-72 space-y-4">
                        <EditRolesForm userId={u.id} displayName={u.displayName} roles={here.roles} />
                        {u.id !== actor.userId ? (
                          <ResetSecretForm userId={u.id} displayName={u.displayName} hasPassword={u.signsInWithPassword} hasPin={u.signsInWithBadge} signerName={actor.displayName} />
                        ) : null}
                      </div>
                    </details>
                  </>
                );
              }}
            />
          </CardBody>
        </Card>

        <Card labelledBy="create-user-heading">
          <CardHeader
            id="create-user-heading"
            title={t("create.title", { site: actor.siteName })}
            description={t("create.description")}
          />
          <CardBody>
            <CreateUserForm siteName={actor.siteName} />
          </CardBody>
        </Card>

        <Card labelledBy="badge-import-heading">
          <CardHeader
            id="badge-import-heading"
            title={t("badges.title")}
            description={t("badges.description")}
          />
          <CardBody>
            <BadgeImportForm siteName={actor.siteName} />
          </CardBody>
        </Card>

        <Card labelledBy="hold-rule-heading">
          <CardHeader id="hold-rule-heading" title={t("holdRule.title")} description={t("holdRule.description")} />
          <CardBody>
            <HoldReleaseRuleForm twoPerson={holdRule.twoPerson} siteName={actor.siteName} />
          </CardBody>
        </Card>

        <Card labelledBy="connections-heading">
          <CardHeader
            id="connections-heading"
            title={t("connections.title")}
            description={t("connections.description")}
          />
          <CardBody>
            <ConnectionsPanel connections={connections} adminSites={adminSites} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="registry-heading">
          <CardHeader
            id="registry-heading"
            title={t("registry.title")}
            description={t("registry.description")}
          />
          <CardBody>
            <OwnershipRegistryPanel rows={registry} pending={changes.pending} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="pending-heading">
          <CardHeader id="pending-heading" title={t("pending.title")} description={t("pending.description")} />
          <CardBody>
            <PendingChanges pending={changes.pending} timeZone={tz} signerName={actor.displayName} />
          </CardBody>
        </Card>

        <Card labelledBy="decided-heading">
          <CardHeader id="decided-heading" title={t("decided.title")} description={t("decided.description", { full: changes.decided.length === 50 ? "yes" : "no" })} />
          <CardBody>
            <DecidedChanges decided={changes.decided} timeZone={tz} />
          </CardBody>
        </Card>

        <MrbRolesCard siteName={actor.siteName} />

        <Card labelledBy="policy-heading">
          <CardHeader
            id="policy-heading"
            title={t("policies.title")}
            description={t("policies.description")}
          />
          <CardBody>
            <PartPolicyForm owners={owners} signerName={actor.displayName} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="gtin-heading">
          <CardHeader
            id="gtin-heading"
            title={t("gtin.title")}
            description={t("gtin.description")}
          />
          <CardBody>
            <PartGtinForm owner={registry.find((r) => r.entity === "part" && r.attribute === "gtin")?.owner ?? null} />
          </CardBody>
        </Card>

        <Card labelledBy="locations-heading">
          <CardHeader id="locations-heading" title={t("locations.title", { site: actor.siteName })} description={t("locations.description")} />
          <CardBody>
            {locations.length === 0 ? (
              <EmptyState title={t("locations.emptyTitle")}>{t("locations.empty")}</EmptyState>
            ) : (
              <Table caption={t("locations.caption")}>
                <THead>
                  <Tr>
                    <Th>{t("locations.colCode")}</Th>
                    <Th>{t("locations.colName")}</Th>
                    <Th>{t("locations.colKind")}</Th>
                    <Th>{t("locations.colStation")}</Th>
                    <Th className="text-right">{t("locations.colLines")}</Th>
                    <Th>{t("locations.colOnHand")}</Th>
                  </Tr>
                </THead>
                <TBody>
                  {locations.map((l) => (
                    <Tr key={l.id}>
                      <Td className="font-mono">{l.code}</Td>
                      <Td>{l.name}</Td>
                      <Td>
                        {l.isPhysical ? t(`locations.kinds.${l.kind}`) : t("locations.virtual", { kind: t(`locations.kinds.${l.kind}`) })}
                      </Td>
                      <Td className="font-mono">{l.stationCode ?? "—"}</Td>
                      <Td className="text-right tabular-nums">{l.lines}</Td>
                      <Td>
                        {l.totals.length === 0 ? (
                          <span className="text-slate-600">{t("locations.noStock")}</span>
                        ) : (
                          <span className="flex flex-wrap gap-x-3">
                            {l.totals.map((t) => (
                              <Qty key={t.uom} value={t.quantity} uom={t.uom} />
                            ))}
                          </span>
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
