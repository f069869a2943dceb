import type { Metadata } from "next";
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

export const metadata: Metadata = { title: "Admin" };

const POLICY_ATTRIBUTES = ["out_time_minutes", "min_thaw_minutes", "pot_life_minutes", "storage_class", "shelf_life_days", "min_remaining_shelf_life_days"] as const;

export default async function AdminPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "admin")) return <ForbiddenNotice siteName={actor.siteName} area="admin" />;
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
        title="Admin"
        description="Users and their roles at every site, ERP connections, the ownership registry with its change control, part policies, and the storage locations of this site."
      />
      <div className="space-y-5">
        <Card labelledBy="users-heading">
          <CardHeader id="users-heading" title="Users and roles" description="Enterprise-wide: a user works at a site only with a role there." />
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
                      <summary className="min-h-10 cursor-pointer py-2 font-semibold text-blue-800 underline">Roles and reset…</summary>
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
            title={`Create a user at ${actor.siteName}`}
            description="The first password or PIN you give is temporary: the person chooses their own at their first sign-in. Roles at other sites are given by their administrators."
          />
          <CardBody>
            <CreateUserForm siteName={actor.siteName} />
          </CardBody>
        </Card>

        <Card labelledBy="badge-import-heading">
          <CardHeader
            id="badge-import-heading"
            title="Import badges"
            description="Floor users from a CSV file: one row per person with name, badge, first PIN and roles. Every row is checked; if any is wrong, nothing is imported and each problem is listed."
          />
          <CardBody>
            <BadgeImportForm siteName={actor.siteName} />
          </CardBody>
        </Card>

        <Card labelledBy="hold-rule-heading">
          <CardHeader id="hold-rule-heading" title="Hold release" description="Whether a hold placed by one quality engineer must be released by another." />
          <CardBody>
            <HoldReleaseRuleForm twoPerson={holdRule.twoPerson} siteName={actor.siteName} />
          </CardBody>
        </Card>

        <Card labelledBy="connections-heading">
          <CardHeader
            id="connections-heading"
            title="ERP connections"
            description="Each ERP (or ERP client) sends its messages with its own API key, for the plants mapped here. Revoke a key that leaked or is no longer used."
          />
          <CardBody>
            <ConnectionsPanel connections={connections} adminSites={adminSites} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="registry-heading">
          <CardHeader
            id="registry-heading"
            title="Ownership registry"
            description="Which system is authoritative for each inventory attribute, and which way updates flow. Writes against it are refused. A change is proposed with a reason and takes effect when a second administrator approves it."
          />
          <CardBody>
            <OwnershipRegistryPanel rows={registry} pending={changes.pending} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="pending-heading">
          <CardHeader id="pending-heading" title="Changes waiting for approval" description="Another administrator than the proposer approves or rejects; both are recorded in the audit trail." />
          <CardBody>
            <PendingChanges pending={changes.pending} timeZone={tz} signerName={actor.displayName} />
          </CardBody>
        </Card>

        <Card labelledBy="decided-heading">
          <CardHeader id="decided-heading" title="Decided changes" description={`The latest ${changes.decided.length === 50 ? "50 " : ""}decisions, newest first.`} />
          <CardBody>
            <DecidedChanges decided={changes.decided} timeZone={tz} />
          </CardBody>
        </Card>

        <MrbRolesCard siteName={actor.siteName} />

        <Card labelledBy="policy-heading">
          <CardHeader
            id="policy-heading"
            title="Part policies"
            description="Shelf-life and out-time values of a part, where the ownership registry gives them to Traceline. Attributes owned by ERP are changed in ERP."
          />
          <CardBody>
            <PartPolicyForm owners={owners} signerName={actor.displayName} timeZone={tz} />
          </CardBody>
        </Card>

        <Card labelledBy="gtin-heading">
          <CardHeader
            id="gtin-heading"
            title="Part GTINs"
            description="The GTIN a part's GS1 labels carry: every scan of the part's labels is checked against it. Set here where the ownership registry gives part.gtin to Traceline."
          />
          <CardBody>
            <PartGtinForm owner={registry.find((r) => r.entity === "part" && r.attribute === "gtin")?.owner ?? null} />
          </CardBody>
        </Card>

        <Card labelledBy="locations-heading">
          <CardHeader id="locations-heading" title={`Storage locations at ${actor.siteName}`} description="Physical and virtual locations with their on-hand totals per unit of measure." />
          <CardBody>
            {locations.length === 0 ? (
              <EmptyState title="No storage locations are set up at this site">
                Every site needs stores, kitting and point-of-use locations, plus the virtual ERP supply, consumed, scrap and returned locations.
              </EmptyState>
            ) : (
              <Table caption="Storage locations">
                <THead>
                  <Tr>
                    <Th>Code</Th>
                    <Th>Name</Th>
                    <Th>Kind</Th>
                    <Th>Station</Th>
                    <Th className="text-right">Stock lines</Th>
                    <Th>On hand</Th>
                  </Tr>
                </THead>
                <TBody>
                  {locations.map((l) => (
                    <Tr key={l.id}>
                      <Td className="font-mono">{l.code}</Td>
                      <Td>{l.name}</Td>
                      <Td>
                        {l.kind.replaceAll("_", " ")}
                        {l.isPhysical ? "" : " (virtual)"}
                      </Td>
                      <Td className="font-mono">{l.stationCode ?? "—"}</Td>
                      <Td className="text-right tabular-nums">{l.lines}</Td>
                      <Td>
                        {l.totals.length === 0 ? (
                          <span className="text-slate-600">Empty</span>
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
