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
    /** Set when an administrator chose the password or PIN (new user, reset): the user must choose their own at next sign-in. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    mustChangePin: boolean("must_change_pin").notNull().default(false),
    /** The language the user chose for the screens (en, fr); null: the active site's default language. */
    locale: text("locale"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("users_locale_known", sql`${t.locale} is null or ${t.locale} in ('en', 'fr')`),
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

/**
 * One row per sign-in: the session cookie names its row, and every request checks it in the same statement that reads
 * the actor (server/repos/auth-users.ts findSessionActor). Signing out ends it (ended_at), so the old cookie no longer
 * works anywhere; a session idle longer than its idle limit (decided at sign-in by method and roles) or past its
 * lifetime ends too. last_seen_at is moved at most once a minute.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    method: text("method").notNull(),
    signedInAt: ts("signed_in_at").notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
    /** Seconds without a request after which the session ends. */
    idleTimeoutS: integer("idle_timeout_s").notNull(),
    expiresAt: ts("expires_at").notNull(),
    /** The client's network address at sign-in. */
    clientKey: text("client_key").notNull(),
    endedAt: ts("ended_at"),
    endReason: text("end_reason"),
  },
  (t) => [
    index("user_sessions_user_idx").on(t.userId),
    check("user_sessions_method", sql`${t.method} in ('badge', 'password')`),
    check("user_sessions_idle_positive", sql`${t.idleTimeoutS} > 0`),
    check("user_sessions_end_reason", sql`(${t.endedAt} is null) = (${t.endReason} is null) and (${t.endReason} is null or ${t.endReason} in ('signed_out', 'idle', 'expired'))`),
  ],
);
