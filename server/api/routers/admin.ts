import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { listOwnershipRegistry, listUsersWithRoles } from "@/server/repos/admin-overview";
import { listConnections } from "@/server/repos/erp-connections";
import { listDecidedOwnershipChanges, listPendingOwnershipChanges } from "@/server/repos/ownership-read";
import { createConnectionAsAdmin, revokeConnectionAsAdmin } from "@/server/services/erp/manage-connections";
import { configureOutbound } from "@/server/services/erp/outbound-confirmations";
import { disableUser } from "@/server/auth/actor";
import { setBadgePin } from "@/server/auth/credentials";
import { decideOwnershipChange, proposeOwnershipChange, withDecisionSignatures } from "@/server/services/ownership/change-ownership";
import { signatureInput } from "@/server/api/signature-input";
import { setPartGtin } from "@/server/services/ownership/set-part-gtin";
import { STORAGE_CLASSES } from "@/server/domain/material-clock/material-clock";
import { editPartPolicy, listPartPolicyChanges, PART_POLICY_ATTRIBUTES, type PartPolicyAttribute } from "@/server/services/ownership/edit-part-policy";
import { createUser, importBadges, resetSecret, setHoldReleaseRule, setUserRoles } from "@/server/services/admin/manage-users";
import { siteHoldReleaseRule } from "@/server/repos/admin-users";
import { ROLES } from "@/server/auth/types";

const code = (what: string) =>
  z
    .string({ error: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(64, `The ${what} is at most 64 characters.`)
    .regex(/^[A-Za-z0-9._:-]+$/, `The ${what} may use letters, digits and . _ : - only.`);

export const createConnectionInput = z.object({
  name: z.string().trim().min(1, "Give the connection a name.").max(100, "The name is at most 100 characters."),
  source: code("ERP source name"),
  plants: z
    .array(z.object({ plant: code("ERP plant code"), siteCode: z.string().trim().min(1, "Choose the site for each plant.").max(64) }))
    .min(1, "Map at least one ERP plant to a site.")
    .max(50, "At most 50 plants per connection."),
});

const OWNERS = ["erp", "traceline"] as const;
const DIRECTIONS = ["erp_to_traceline", "traceline_to_erp", "none"] as const;
const POLICY_ATTRIBUTES = Object.keys(PART_POLICY_ATTRIBUTES) as [PartPolicyAttribute, ...PartPolicyAttribute[]];

/**
 * Enterprise-level administration: users with their roles per site, ERP connections (API keys), the ownership registry
 * with its change control (proposed with a reason, approved by a second administrator), and part policies owned by
 * Traceline. Administrators only.
 */
export const adminRouter = createRouter({
  /** The people of the sites the actor administers, with their roles there (never other sites' badges or people). */
  users: siteProcedure(AREA_ROLES.admin).query(({ ctx }) =>
    listUsersWithRoles(
      ctx.db,
      ctx.actor.sites.filter((s) => s.roles.includes("admin")).map((s) => s.id),
    ),
  ),

  /** Give a user of this site a badge and PIN (the PIN policy: TRACELINE_PIN_LENGTH); their sessions end; audited. */
  setBadgePin: siteProcedure(["admin"])
    .input(z.object({ userId: z.uuid("Choose a user."), badgeId: z.string().max(64, "A badge id is at most 64 characters."), pin: z.string().max(64) }))
    .mutation(async ({ ctx, input }) => {
      const { sessionVersion } = await setBadgePin(ctx.db, ctx.actor, input, ctx.now());
      return { userId: input.userId, sessionVersion };
    }),

  /** Disable a user of this site: their sessions end at their next request (session version bumped), audited. */
  disableUser: siteProcedure(["admin"])
    .input(z.object({ userId: z.uuid("Choose a user."), reason: z.string().max(500, "The reason is too long (500 characters at most).") }))
    .mutation(({ ctx, input }) => disableUser(ctx.db, ctx.actor, input.userId, input.reason, ctx.now())),
  /** Create a user with roles at this site; their first password / PIN must be changed at their first sign-in. */
  createUser: siteProcedure(["admin"])
    .input(
      z.object({
        requestId: z.guid(),
        displayName: z.string().max(100, "A name is at most 100 characters."),
        username: z.string().max(64).nullish(),
        password: z.string().max(1024).nullish(),
        badgeId: z.string().max(64, "A badge id is at most 64 characters.").nullish(),
        pin: z.string().max(64).nullish(),
        roles: z.array(z.enum(ROLES, { error: "Choose a known role." })).max(ROLES.length),
      }),
    )
    .mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input, ctx.now())),

  /** Replace a user's roles at this site (audited with the reason). */
  setUserRoles: siteProcedure(["admin"])
    .input(z.object({ userId: z.uuid("Choose a user."), roles: z.array(z.enum(ROLES)).max(ROLES.length), reason: z.string().max(500, "The reason is too long (500 characters at most).") }))
    .mutation(({ ctx, input }) => setUserRoles(ctx.db, ctx.actor, input, ctx.now())),

  /** Reset a user's password or PIN to a temporary one, signed by the administrator; the user must change it at next sign-in. */
  resetSecret: siteProcedure(["admin"])
    .input(
      z.object({
        requestId: z.guid(),
        userId: z.uuid("Choose a user."),
        kind: z.enum(["password", "pin"]),
        temporary: z.string().min(1, "Enter the temporary password or PIN.").max(1024),
        reason: z.string().max(500, "The reason is too long (500 characters at most)."),
        signature: z.object({
          method: z.enum(["password", "pin"]),
          secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
          meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
        }),
      }),
    )
    .mutation(({ ctx, input }) => resetSecret(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey })),

  /** Import floor users from CSV (display_name, badge_id, pin, roles): all rows or none, with every problem by line. */
  importBadges: siteProcedure(["admin"])
    .input(z.object({ requestId: z.guid(), csv: z.string().max(600_000, "The file is too large: split it.") }))
    .mutation(({ ctx, input }) => importBadges(ctx.db, ctx.actor, input, ctx.now())),

  /** The site's hold release rule (two-person rule on or off). */
  holdReleaseRule: siteProcedure(AREA_ROLES.admin).query(async ({ ctx }) => ({ twoPerson: (await siteHoldReleaseRule(ctx.db, ctx.actor.siteId))?.twoPerson ?? false })),

  setHoldReleaseRule: siteProcedure(["admin"])
    .input(z.object({ twoPerson: z.boolean(), reason: z.string().max(500, "The reason is too long (500 characters at most).") }))
    .mutation(({ ctx, input }) => setHoldReleaseRule(ctx.db, ctx.actor, input, ctx.now())),

  ownershipRegistry: siteProcedure(AREA_ROLES.admin).query(({ ctx }) => listOwnershipRegistry(ctx.db)),

  /** Pending changes (each saying whether the actor proposed it, so cannot decide it) and the latest decided ones. */
  ownershipChanges: siteProcedure(AREA_ROLES.admin)
    .input(z.object({ decidedLimit: z.number().int().min(1).max(500).default(50) }).default({ decidedLimit: 50 }))
    .query(async ({ ctx, input }) => ({
      pending: (await listPendingOwnershipChanges(ctx.db)).map((c) => ({ ...c, proposedByMe: c.proposedBy === ctx.actor.userId })),
      decided: await withDecisionSignatures(ctx.db, await listDecidedOwnershipChanges(ctx.db, input.decidedLimit)),
    })),

  proposeOwnershipChange: siteProcedure(AREA_ROLES.admin)
    .input(
      z.object({
        entity: z.string().trim().min(1).max(64),
        attribute: z.string().trim().min(1).max(64),
        owner: z.enum(OWNERS, { error: "Choose the owning system." }),
        direction: z.enum(DIRECTIONS, { error: "Choose which way updates flow." }),
        reason: z.string().max(1000, "Keep the reason under 1000 characters."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const change = await proposeOwnershipChange(ctx.db, ctx.actor, input, ctx.now());
      return { id: change.id, status: change.status };
    }),

  decideOwnershipChange: siteProcedure(AREA_ROLES.admin)
    .input(z.object({ changeId: z.uuid(), approve: z.boolean(), reason: z.string().trim().max(1000).optional(), signature: signatureInput }))
    .mutation(({ ctx, input }) => decideOwnershipChange(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey })),

  /** Edit a Traceline-owned part attribute; refused (OWNED_BY_OTHER_SYSTEM, naming the owner) for ERP-owned ones. */
  editPartPolicy: siteProcedure(AREA_ROLES.admin)
    .input(
      z.object({
        partNumber: z.string().trim().min(1, "Enter the part number.").max(64),
        attribute: z.enum(POLICY_ATTRIBUTES, { error: "Choose the attribute to change." }),
        value: z.union([z.number().int("Enter a whole number."), z.enum(STORAGE_CLASSES)]).nullable(),
        reason: z.string().max(1000, "Keep the reason under 1000 characters."),
        signature: signatureInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { signatureId } = await editPartPolicy(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey });
      return { partNumber: input.partNumber, attribute: input.attribute, value: input.value, signatureId };
    }),

  /** The latest part policy changes, each with its signature verified against the change's record. */
  partPolicyChanges: siteProcedure(AREA_ROLES.admin).query(({ ctx }) => listPartPolicyChanges(ctx.db, 20)),

  /** Set or clear a part's GTIN where the registry gives part.gtin to Traceline (OWNED_BY_OTHER_SYSTEM otherwise). */
  setPartGtin: siteProcedure(AREA_ROLES.admin)
    .input(
      z.object({
        partNumber: z.string().trim().min(1, "Enter the part number.").max(64),
        gtin: z.string().trim().max(14, "A GTIN has at most 14 digits.").nullable(),
        reason: z.string().max(1000, "Keep the reason under 1000 characters."),
      }),
    )
    .mutation(({ ctx, input }) => setPartGtin(ctx.db, ctx.actor, input, ctx.now())),

  connections: siteProcedure(AREA_ROLES.admin).query(async ({ ctx }) => {
    const administered = new Set(ctx.actor.sites.filter((s) => s.roles.includes("admin")).map((s) => s.id));
    return (await listConnections(ctx.db)).map((c) => ({ ...c, manageable: c.plants.every((p) => administered.has(p.siteId)) }));
  }),

  /** Create a connection; the clear API key is in this answer only (never stored, never shown again). */
  createConnection: siteProcedure(AREA_ROLES.admin)
    .input(createConnectionInput)
    .mutation(({ ctx, input }) => createConnectionAsAdmin(ctx.db, ctx.actor, input)),

  /** How a connection receives confirmations: not at all, pushed to its endpoint, or pulled by the ERP. Audited. */
  configureOutbound: siteProcedure(AREA_ROLES.admin)
    .input(
      z.object({
        connectionId: z.uuid(),
        mode: z.enum(["none", "push", "pull"]),
        format: z.enum(["json", "b2mml", "sap"]),
        url: z.string().trim().max(2000, "Keep the address under 2000 characters.").nullable(),
        dedupes: z.boolean(),
        /** absent: keep the stored credential; null or "": remove it */
        credential: z.string().max(4000).nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await configureOutbound(ctx.db, ctx.actor, input.connectionId, { mode: input.mode, format: input.format, url: input.url, dedupes: input.dedupes, secret: input.credential }, ctx.now());
      return { connectionId: input.connectionId };
    }),

  revokeConnection: siteProcedure(AREA_ROLES.admin)
    .input(z.object({ connectionId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await revokeConnectionAsAdmin(ctx.db, ctx.actor, input.connectionId, ctx.now());
      return { connectionId: input.connectionId, revoked: true };
    }),
});
