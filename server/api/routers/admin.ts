import "server-only";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { listOwnershipRegistry, listUsersWithRoles } from "@/server/repos/admin-overview";

/** Enterprise-level administration reads: users with their roles per site, and the ownership registry. */
export const adminRouter = createRouter({
  users: siteProcedure(AREA_ROLES.admin).query(({ ctx }) => listUsersWithRoles(ctx.db)),
  ownershipRegistry: siteProcedure(AREA_ROLES.admin).query(({ ctx }) => listOwnershipRegistry(ctx.db)),
});
