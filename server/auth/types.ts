import type { Locale } from "@/i18n/locales";

export const ROLES = ["operator", "kitting_clerk", "quality_engineer", "supervisor", "admin", "enterprise"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  operator: "Operator",
  kitting_clerk: "Kitting clerk",
  quality_engineer: "Quality engineer",
  supervisor: "Supervisor",
  admin: "Administrator",
  enterprise: "Enterprise genealogy and holds",
};

export type SiteMembership = { id: string; code: string; name: string; timeZone: string; /** the site's language for users who chose none (absent: English) */ defaultLocale?: Locale; roles: Role[] };

/** Who is acting, at which site, with which roles there. Built from the session and the database on every request. */
export type Actor = {
  userId: string;
  displayName: string;
  siteId: string;
  siteCode: string;
  siteName: string;
  timeZone: string;
  /**
   * The language of the actor's screens: their own choice, else the active site's default (i18n/locales.ts). Always
   * set on a signed-in actor (server/auth/actor.ts); absent (hand-built actors of tests and scripts) reads as English.
   */
  locale?: Locale;
  /** The language the user chose themselves (null: the site's default). */
  chosenLocale?: Locale | null;
  roles: Role[];
  sites: SiteMembership[];
};
