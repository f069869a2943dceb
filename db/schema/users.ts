import { boolean, integer, pgTable, primaryKey, text, uuid, index, bigserial, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { role } from "./enums";
import { ts } from "./columns";
import { sites } from "./org";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").unique("users_username_unique"),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash"),
    badgeId: text("badge_id").unique("users_badge_id_unique"),
    pinHash: text("pin_hash"),
    isActive: boolean("is_active").notNull().default(true),
    /** Bumped when a user is disabled or their credentials change: older sessions end at the next request. */
    sessionVersion: integer("session_version").notNull().default(1),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("users_has_a_credential", sql`(${t.username} is not null and ${t.passwordHash} is not null) or (${t.badgeId} is not null and ${t.pinHash} is not null)`),
  ],
);

export const userSiteRoles = pgTable(
  "user_site_roles",
  {
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    role: role("role").notNull(),
  },
  (t) => [primaryKey({ name: "user_site_roles_pk", columns: [t.userId, t.siteId, t.role] })],
);

/** Failed and successful sign-in attempts, for throttling per account and per client. */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountKey: text("account_key").notNull(),
    clientKey: text("client_key").notNull(),
    succeeded: boolean("succeeded").notNull(),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [index("sign_in_attempts_account_idx").on(t.accountKey, t.at), index("sign_in_attempts_client_idx").on(t.clientKey, t.at)],
);
