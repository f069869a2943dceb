import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { Role } from "@/server/auth/types";

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
  const t = useTranslations("admin.users");
  const roleName = useTranslations("roles");
  const mono = (chunks: ReactNode) => <span className="font-mono">{chunks}</span>;
  if (users.length === 0) {
    return <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>;
  }
  return (
    <Table caption={t("caption")}>
      <THead>
        <Tr>
          <Th>{t("colName")}</Th>
          <Th>{t("colSignsIn")}</Th>
          <Th>{t("colRoles")}</Th>
          <Th>{t("colAccount")}</Th>
        </Tr>
      </THead>
      <TBody>
        {users.map((u) => (
          <Tr key={u.id} className={u.isActive ? undefined : "text-slate-500"}>
            <Td className="font-semibold">{u.displayName}</Td>
            <Td>
              <span className="flex flex-col">
                {u.signsInWithPassword ? <span>{t.rich("userName", { username: u.username ?? "", mono })}</span> : null}
                {u.signsInWithBadge ? <span>{t.rich("badge", { badge: u.badgeId ?? "", mono })}</span> : null}
              </span>
            </Td>
            <Td>
              {u.sites.length === 0 ? (
                <span className="text-amber-900">{t("noRole")}</span>
              ) : (
                <ul>
                  {u.sites.map((s) => (
                    <li key={s.siteId}>
                      {t.rich("siteRoles", { site: s.siteCode, roles: s.roles.map((r) => roleName(r)).join(", "), mono: (chunks) => <span className="font-mono font-semibold">{chunks}</span> })}
                    </li>
                  ))}
                </ul>
              )}
            </Td>
            <Td>
              <span className="flex flex-col items-start gap-2">
                {u.isActive ? <Badge tone="green">{t("active")}</Badge> : <Badge tone="neutral">{t("disabled")}</Badge>}
                {actions?.(u)}
              </span>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
