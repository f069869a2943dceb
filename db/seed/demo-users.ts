import "server-only";
import type { Role } from "@/server/auth/types";

/** Every office account of the demo plant signs in with this password. */
export const DEMO_PASSWORD = "demo-password";
/** Every badge of the demo plant uses this PIN. */
export const DEMO_PIN = "1234";

export type DemoUser = {
  username?: string;
  badgeId?: string;
  password?: string;
  pin?: string;
  displayName: string;
  /** The user's home site (listed first on the sign-in page). */
  siteCode: string;
  /** Roles at the home site. */
  roles: Role[];
  /** Memberships at other sites, for the users who can switch site. */
  alsoAt?: { siteCode: string; roles: Role[] }[];
};

const office = (username: string, displayName: string, siteCode: string, roles: Role[]): DemoUser => ({
  username,
  password: DEMO_PASSWORD,
  displayName,
  siteCode,
  roles,
});
const badge = (badgeId: string, displayName: string, siteCode: string, roles: Role[]): DemoUser => ({
  badgeId,
  pin: DEMO_PIN,
  displayName,
  siteCode,
  roles,
});

/**
 * The demo plant's people: one per role at each site, plus a supervisor who works at both sites (so the site switcher
 * has something to switch) and holds the enterprise role at both (genealogy and holds across the two sites). Operators and kitting clerks sign in with badge + PIN; office users with user name +
 * password; Jamal Carter has both. The sign-in page lists these in demo mode and the README documents them.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  badge("B1001", "Maria Lopez", "WCH", ["operator"]),
  { ...badge("B1002", "Jamal Carter", "WCH", ["kitting_clerk"]), username: "jamal.carter", password: DEMO_PASSWORD },
  office("priya.raman", "Priya Raman", "WCH", ["quality_engineer"]),
  office("dan.whitaker", "Dan Whitaker", "WCH", ["supervisor"]),
  office("alex.morgan", "Alex Morgan", "WCH", ["admin"]),
  badge("B2001", "Lucas Moreau", "TLS", ["operator"]),
  badge("B2002", "Camille Durand", "TLS", ["kitting_clerk"]),
  office("sophie.martin", "Sophie Martin", "TLS", ["quality_engineer"]),
  office("julien.bernard", "Julien Bernard", "TLS", ["supervisor"]),
  office("claire.petit", "Claire Petit", "TLS", ["admin"]),
  { ...office("elena.novak", "Elena Novak", "WCH", ["supervisor", "enterprise"]), alsoAt: [{ siteCode: "TLS", roles: ["supervisor", "enterprise"] }] },
];
