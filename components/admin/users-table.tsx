import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { ROLE_LABELS, type Role } from "@/server/auth/types";

export type UserRow = {
  id: string;
  username: string | null;
  displayName: string;
  badgeId: string | null;
  signsInWithPassword: boolean;
  signsInWithBadge: boolean;
  isActive: boolean;
  sites: { siteId: string; siteCode: string; siteName: string; roles: Role[] }[];
};

/** Users and their roles at each site (enterprise-wide). */
export function UsersTable({ users, actions }: { users: UserRow[]; actions?: (user: UserRow) => ReactNode }) {
  if (users.length === 0) {
    return <EmptyState title="No users yet">Users are created by an administrator with a role at one or more sites.</EmptyState>;
  }
  return (
    <Table caption="Users and roles">
      <THead>
        <Tr>
          <Th>Name</Th>
          <Th>Signs in with</Th>
          <Th>Roles per site</Th>
          <Th>Account</Th>
        </Tr>
      </THead>
      <TBody>
        {users.map((u) => (
          <Tr key={u.id} className={u.isActive ? undefined : "text-slate-500"}>
            <Td className="font-semibold">{u.displayName}</Td>
            <Td>
              <span className="flex flex-col">
                {u.signsInWithPassword ? <span>User name <span className="font-mono">{u.username}</span></span> : null}
                {u.signsInWithBadge ? <span>Badge <span className="font-mono">{u.badgeId}</span> + PIN</span> : null}
              </span>
            </Td>
            <Td>
              {u.sites.length === 0 ? (
                <span className="text-amber-900">No role at any site: cannot work anywhere</span>
              ) : (
                <ul>
                  {u.sites.map((s) => (
                    <li key={s.siteId}>
                      <span className="font-mono font-semibold">{s.siteCode}</span>: {s.roles.map((r) => ROLE_LABELS[r]).join(", ")}
                    </li>
                  ))}
                </ul>
              )}
            </Td>
            <Td>
              <span className="flex flex-col items-start gap-2">
                {u.isActive ? <Badge tone="green">Active</Badge> : <Badge tone="neutral">Disabled</Badge>}
                {actions?.(u)}
              </span>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
