import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { sites, userSiteRoles, users } from "@/db/schema";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { ROLES, type Role, type SiteMembership } from "@/server/auth/types";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/i18n/locales";

export type SignInUser = {
  id: string;
  displayName: string;
  passwordHash: string | null;
  pinHash: string | null;
  isActive: boolean;
  sessionVersion: number;
  /** the language the user chose (null: the site's default) */
  locale?: string | null;
};

/** A user as sign-in and administration read them: with whether they must choose their own password / PIN now. */
export type CredentialUser = SignInUser & {
  /** an administrator chose the password / PIN: the user must choose their own at the next sign-in */
  mustChangePassword: boolean;
  mustChangePin: boolean;
};

const signInColumns = {
  id: users.id,
  displayName: users.displayName,
  passwordHash: users.passwordHash,
  pinHash: users.pinHash,
  isActive: users.isActive,
  sessionVersion: users.sessionVersion,
  mustChangePassword: users.mustChangePassword,
  mustChangePin: users.mustChangePin,
};

/** Exact match: user names are stored as the administrator typed them. */
export async function findUserByUsername(db: DbOrTx, username: string): Promise<CredentialUser | null> {
  const [row] = await db.select(signInColumns).from(users).where(eq(users.username, username)).limit(1);
  return row ?? null;
}

export async function findUserByBadge(db: DbOrTx, badgeId: string): Promise<CredentialUser | null> {
  const [row] = await db.select(signInColumns).from(users).where(eq(users.badgeId, badgeId)).limit(1);
  return row ?? null;
}

export async function findUserById(db: DbOrTx, userId: string): Promise<CredentialUser | null> {
  const [row] = await db.select(signInColumns).from(users).where(eq(users.id, userId)).limit(1);
  return row ?? null;
}

export async function lockUserForUpdate(tx: Tx, userId: string): Promise<CredentialUser | null> {
  const [row] = await tx.select(signInColumns).from(users).where(eq(users.id, userId)).for("update");
  return row ?? null;
}

/** Disable the account and end its sessions (the next request of any session sees the new version and stops). */
export async function markUserDisabled(tx: Tx, userId: string): Promise<{ sessionVersion: number } | null> {
  const [row] = await tx
    .update(users)
    .set({ isActive: false, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  return row ?? null;
}

/**
 * Give a user a badge and PIN (hash), ending their sessions (session_version bumped: credentials changed). Null when
 * the badge id belongs to someone else (unique constraint).
 */
export async function setUserBadge(tx: Tx, userId: string, badgeId: string, pinHash: string): Promise<{ sessionVersion: number } | "badge_taken" | null> {
  const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.badgeId, badgeId)).limit(1);
  if (taken && taken.id !== userId) return "badge_taken";
  const [row] = await tx
    .update(users)
    .set({ badgeId, pinHash, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  return row ?? null;
}

/** Every site the user has a role at, by site code, with the roles in their fixed order. */
export async function siteMembershipsOf(db: DbOrTx, userId: string): Promise<SiteMembership[]> {
  const rows = await db
    .select({ id: sites.id, code: sites.code, name: sites.name, timeZone: sites.timeZone, defaultLocale: sites.defaultLocale, role: userSiteRoles.role })
    .from(userSiteRoles)
    .innerJoin(sites, eq(sites.id, userSiteRoles.siteId))
    .where(eq(userSiteRoles.userId, userId))
    .orderBy(asc(sites.code), asc(sites.id));
  return membershipsOf(rows);
}

/** The user and every site they have a role at, in one statement (read on every request to resolve the actor). */
export async function findUserWithMemberships(db: DbOrTx, userId: string): Promise<{ user: SignInUser; memberships: SiteMembership[] } | null> {
  const rows = await queryRows<MembershipRow>(
    db,
    sql`select u.id, u.display_name, u.password_hash, u.pin_hash, u.is_active, u.session_version, u.locale,
               s.id as site_id, s.code, s.name, s.time_zone, s.default_locale, r.role::text as role
        from users u
        left join user_site_roles r on r.user_id = u.id
        left join sites s on s.id = r.site_id
        where u.id = ${userId}::uuid
        order by s.code, s.id`,
  );
  return userFromRows(rows);
}

/** How often a live session's last_seen_at is moved forward (so that most requests only read it). */
export const SESSION_TOUCH_INTERVAL_S = 60;

/**
 * The user, every site they have a role at, and whether their session is live, in ONE statement (read on every request):
 * the session must belong to the user, not be ended, not be past its lifetime, and have seen a request within its idle
 * timeout. A live session whose last_seen_at is older than SESSION_TOUCH_INTERVAL_S is moved to `now` in the same
 * statement (a data-modifying CTE), so that an active tablet stays signed in and an idle one ends.
 */
export async function findSessionActor(
  db: DbOrTx,
  ids: { userId: string; sessionId: string },
  now: Date,
): Promise<{ user: SignInUser; memberships: SiteMembership[]; sessionLive: boolean } | null> {
  const at = now.toISOString();
  const rows = await queryRows<MembershipRow & { session_live: boolean }>(
    db,
    sql`with live as (
          select s.id, s.last_seen_at
          from user_sessions s
          where s.id = ${ids.sessionId}::uuid and s.user_id = ${ids.userId}::uuid and s.ended_at is null
            and s.expires_at > ${at}::timestamptz
            and s.last_seen_at > ${at}::timestamptz - make_interval(secs => s.idle_timeout_s)
        ), touched as (
          update user_sessions t set last_seen_at = ${at}::timestamptz
          from live
          where t.id = live.id and live.last_seen_at < ${at}::timestamptz - make_interval(secs => ${SESSION_TOUCH_INTERVAL_S})
          returning t.id
        )
        select u.id, u.display_name, u.password_hash, u.pin_hash, u.is_active, u.session_version, u.locale,
               s.id as site_id, s.code, s.name, s.time_zone, s.default_locale, r.role::text as role,
               exists (select 1 from live) as session_live
        from users u
        left join user_site_roles r on r.user_id = u.id
        left join sites s on s.id = r.site_id
        where u.id = ${ids.userId}::uuid
        order by s.code, s.id`,
  );
  const found = userFromRows(rows);
  return found ? { ...found, sessionLive: rows[0]!.session_live } : null;
}

/**
 * The same read without moving last_seen_at, for a request that reads its actor inside its own transaction (whose
 * refusal would roll a touch back): `touchDue` says the session is live and was last seen longer than
 * SESSION_TOUCH_INTERVAL_S ago, and the caller moves it with touchSession after its transaction.
 */
export async function readSessionActor(
  db: DbOrTx,
  ids: { userId: string; sessionId: string },
  now: Date,
): Promise<{ user: SignInUser; memberships: SiteMembership[]; sessionLive: boolean; touchDue: boolean } | null> {
  const at = now.toISOString();
  const rows = await queryRows<MembershipRow & { session_live: boolean; touch_due: boolean }>(
    db,
    sql`with live as materialized (
          select s.last_seen_at
          from user_sessions s
          where s.id = ${ids.sessionId}::uuid and s.user_id = ${ids.userId}::uuid and s.ended_at is null
            and s.expires_at > ${at}::timestamptz
            and s.last_seen_at > ${at}::timestamptz - make_interval(secs => s.idle_timeout_s)
        )
        select u.id, u.display_name, u.password_hash, u.pin_hash, u.is_active, u.session_version, u.locale,
               s.id as site_id, s.code, s.name, s.time_zone, s.default_locale, r.role::text as role,
               exists (select 1 from live) as session_live,
               exists (select 1 from live where live.last_seen_at < ${at}::timestamptz - make_interval(secs => ${SESSION_TOUCH_INTERVAL_S})) as touch_due
        from users u
        left join user_site_roles r on r.user_id = u.id
        left join sites s on s.id = r.site_id
        where u.id = ${ids.userId}::uuid
        order by s.code, s.id`,
  );
  const found = userFromRows(rows);
  return found ? { ...found, sessionLive: rows[0]!.session_live, touchDue: rows[0]!.touch_due } : null;
}

/** Move a live session's last_seen_at to `now` (never back, never on an ended one): the request counts as activity. */
export async function touchSession(db: DbOrTx, ids: { userId: string; sessionId: string }, now: Date): Promise<void> {
  await queryRows(
    db,
    sql`update user_sessions set last_seen_at = ${now.toISOString()}::timestamptz
        where id = ${ids.sessionId}::uuid and user_id = ${ids.userId}::uuid and ended_at is null and last_seen_at < ${now.toISOString()}::timestamptz`,
  );
}

type MembershipRow = {
  id: string;
  display_name: string;
  password_hash: string | null;
  pin_hash: string | null;
  is_active: boolean;
  session_version: number;
  locale: string | null;
  site_id: string | null;
  code: string | null;
  name: string | null;
  time_zone: string | null;
  default_locale: string | null;
  role: Role | null;
};

function userFromRows(rows: MembershipRow[]): { user: SignInUser; memberships: SiteMembership[] } | null {
  const first = rows[0];
  if (!first) return null;
  const user: SignInUser = { id: first.id, displayName: first.display_name, passwordHash: first.password_hash, pinHash: first.pin_hash, isActive: first.is_active, sessionVersion: first.session_version, locale: first.locale };
  const memberships = membershipsOf(
    rows.flatMap((r) => (r.site_id && r.code && r.name && r.time_zone && r.role ? [{ id: r.site_id, code: r.code, name: r.name, timeZone: r.time_zone, defaultLocale: r.default_locale, role: r.role }] : [])),
  );
  return { user, memberships };
}

function membershipsOf(rows: { id: string; code: string; name: string; timeZone: string; defaultLocale: string | null; role: Role }[]): SiteMembership[] {
  const bySite = new Map<string, SiteMembership>();
  for (const r of rows) {
    const defaultLocale: Locale = isLocale(r.defaultLocale) ? r.defaultLocale : DEFAULT_LOCALE;
    const site = bySite.get(r.id) ?? { id: r.id, code: r.code, name: r.name, timeZone: r.timeZone, defaultLocale, roles: [] as Role[] };
    site.roles.push(r.role);
    bySite.set(r.id, site);
  }
  const order = (role: Role) => ROLES.indexOf(role);
  return [...bySite.values()].map((s) => ({ ...s, roles: [...s.roles].sort((a, b) => order(a) - order(b)) }));
}

export async function hasRoleAtSite(db: DbOrTx, userId: string, siteId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(userSiteRoles)
    .where(and(eq(userSiteRoles.userId, userId), eq(userSiteRoles.siteId, siteId)))
    .limit(1);
  return row !== undefined;
}

/** The user's own language (null: the active site's default). False when there is no such user. */
export async function setUserLocale(db: DbOrTx, userId: string, locale: Locale | null): Promise<boolean> {
  const rows = await db.update(users).set({ locale }).where(eq(users.id, userId)).returning({ id: users.id });
  return rows.length > 0;
}
