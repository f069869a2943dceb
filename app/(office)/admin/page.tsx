import type { Metadata } from "next";
import { OwnershipTable } from "@/components/admin/ownership-table";
import { UsersTable } from "@/components/admin/users-table";
import { Qty } from "@/components/inventory/qty";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "admin")) return <ForbiddenNotice siteName={actor.siteName} area="admin" />;
  const api = await serverCaller(actor);
  const users = await api.admin.users();
  const registry = await api.admin.ownershipRegistry();
  const locations = await api.plant.storageLocations();

  return (
    <>
      <PageHeader title="Admin" description="Users and their roles at every site, the ownership registry, and the storage locations of this site." />
      <div className="space-y-5">
        <Card labelledBy="users-heading">
          <CardHeader id="users-heading" title="Users and roles" description="Enterprise-wide: a user works at a site only with a role there." />
          <CardBody>
            <UsersTable users={users} />
          </CardBody>
        </Card>
        <Card labelledBy="registry-heading">
          <CardHeader id="registry-heading" title="Ownership registry" description="Which system is authoritative for each inventory attribute. Writes against it are refused." />
          <CardBody>
            <OwnershipTable rows={registry} timeZone={actor.timeZone} />
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
