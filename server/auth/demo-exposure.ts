import "server-only";
import { isIP } from "node:net";
import type { DbOrTx } from "@/db/client";
import { DEMO_ERP_API_KEY } from "@/db/seed/demo-erp-messages";
import { DEMO_PASSWORD, DEMO_PIN, DEMO_USERS } from "@/db/seed/demo-users";
import { findUserByBadge, findUserByUsername } from "@/server/repos/auth-users";
import { authenticateConnection } from "@/server/services/erp/connections";
import { verifySecret } from "./passwords";

/*
 * The embedded quick start loads a demo plant whose passwords, PIN and ERP API key are published (README). That is fine
 * on 127.0.0.1; on an address other machines can reach, anyone could sign in or post ERP messages. Checked at start-up
 * (instrumentation.ts) against the database itself, so a demo database later served without TRACELINE_DEMO still counts.
 */

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (h.startsWith("::ffff:")) return isLoopbackHost(h.slice(7));
  return isIP(h) === 4 && h.startsWith("127.");
}

/** Which published demo credentials still work in this database (each checked as a sign-in would check it). */
export async function activeDemoCredentials(db: DbOrTx): Promise<string[]> {
  const active: string[] = [];
  const office = DEMO_USERS.find((u) => u.username && u.password);
  const floor = DEMO_USERS.find((u) => u.badgeId && u.pin);
  const officeUser = office?.username ? await findUserByUsername(db, office.username) : null;
  if (officeUser?.passwordHash && (await verifySecret(officeUser.passwordHash, DEMO_PASSWORD))) active.push(`the demo password "${DEMO_PASSWORD}"`);
  const floorUser = floor?.badgeId ? await findUserByBadge(db, floor.badgeId) : null;
  if (floorUser?.pinHash && (await verifySecret(floorUser.pinHash, DEMO_PIN))) active.push(`the demo badge PIN "${DEMO_PIN}"`);
  if (await authenticateConnection(db, `Bearer ${DEMO_ERP_API_KEY}`)) active.push("the published demo ERP API key");
  return active;
}

/**
 * The start-up warning, or null: demo credentials work and the server listens on an address other machines may reach
 * (`host` is the address scripts/serve.mjs listens on; null when the app was started some other way, e.g. `next start`,
 * which listens on every interface unless told otherwise).
 */
export function demoExposureWarning(host: string | null, active: readonly string[]): string | null {
  if (active.length === 0) return null;
  if (host !== null && isLoopbackHost(host)) return null;
  const where = host === null ? "an address this process does not know (not started with `npm start`; `next start` listens on every interface)" : `${host}, which other machines can reach`;
  return [
    "WARNING: demo credentials are active and Traceline is listening on " + where + ".",
    `Anyone who can reach it can sign in or send ERP messages with ${active.join(", ")}.`,
    "Listen on 127.0.0.1 (unset HOST / TRACELINE_HOST), or remove the demo plant: use your own database (DATABASE_URL without TRACELINE_DEMO), change the demo users' credentials and revoke the demo ERP connection.",
  ].join("\n");
}
