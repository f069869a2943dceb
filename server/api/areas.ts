import type { Role } from "@/server/auth/types";

/**
 * The areas of the app and the roles that may open each one at the active site (deny by default). One table, used by
 * the routers (siteProcedure roles), the pages (the "cannot open" notice) and the navigation (only what the user may
 * open). Supervisors see every shop-floor and office area read-only; users and the ownership registry stay with admins.
 */
export const AREAS = ["station", "kitting", "genealogy", "quality", "wip", "erp", "admin"] as const;
export type Area = (typeof AREAS)[number];

export const AREA_ROLES: Record<Area, readonly Role[]> = {
  station: ["operator", "supervisor"],
  kitting: ["kitting_clerk", "supervisor"],
  genealogy: ["quality_engineer", "supervisor"],
  quality: ["quality_engineer", "supervisor"],
  wip: ["supervisor"],
  erp: ["admin", "supervisor"],
  admin: ["admin"],
};

export const AREA_LABELS: Record<Area, string> = {
  station: "Station",
  kitting: "Kitting",
  genealogy: "Genealogy",
  quality: "Quality",
  wip: "WIP board",
  erp: "ERP interface",
  admin: "Admin",
};

export const AREA_PATHS: Record<Area, string> = {
  station: "/station",
  kitting: "/kitting",
  genealogy: "/genealogy",
  quality: "/quality/holds",
  wip: "/wip",
  erp: "/erp",
  admin: "/admin",
};

/**
 * The kitting work orders (list and one order with its BOM and allowed-lot list): the kitting area's roles, plus the
 * quality engineer, who keeps the allowed-lot lists there. Reading only: picks, kits and issues stay the clerk's.
 */
export const KITTING_WORK_ORDER_ROLES: readonly Role[] = [...AREA_ROLES.kitting, "quality_engineer"];

/** Quality reads (holds, lots needing attention, recent installs): the quality engineer's, and the supervisor's read-only. */
export const QUALITY_ROLES: readonly Role[] = ["quality_engineer", "supervisor"];
/** Storage locations with on-hand totals: whoever moves or oversees material. */
export const LOCATION_ROLES: readonly Role[] = ["kitting_clerk", "supervisor", "admin"];

/** Across sites (enterprise genealogy and holds): the enterprise role, granted per site by an administrator. */
export const ENTERPRISE_ROLES: readonly Role[] = ["enterprise"];

export function canOpen(roles: readonly Role[], area: Area): boolean {
  return roles.some((r) => AREA_ROLES[area].includes(r));
}

export function openableAreas(roles: readonly Role[]): Area[] {
  return AREAS.filter((a) => canOpen(roles, a));
}

/**
 * The navigation of a signed-in user: the areas they may open, and for whoever keeps allowed-lot lists without the
 * kitting area (the quality engineer) the kitting work orders, where those lists are, as "Allowed lots".
 */
export function navEntries(roles: readonly Role[]): { href: string; label: string; key: Area | "allowedLots" }[] {
  const entries: { href: string; label: string; key: Area | "allowedLots" }[] = openableAreas(roles).map((a) => ({ href: AREA_PATHS[a], label: AREA_LABELS[a], key: a }));
  if (!canOpen(roles, "kitting") && roles.some((r) => KITTING_WORK_ORDER_ROLES.includes(r))) {
    entries.splice(entries.findIndex((e) => e.href === AREA_PATHS.genealogy) + 1, 0, { href: AREA_PATHS.kitting, label: "Allowed lots", key: "allowedLots" });
  }
  return entries;
}

/** Material alerts (expiry, out-time): whoever moves, oversees or dispositions time-sensitive material. */
export const ALERT_ROLES: readonly Role[] = ["kitting_clerk", "supervisor", "quality_engineer"];
/** Who sets the site's alert horizons. */
export const ALERT_SETTING_ROLES: readonly Role[] = ["supervisor", "quality_engineer"];
/** Lot and serial labels (print, ZPL) and the label page: every floor and office role that handles material. */
export const LABEL_ROLES: readonly Role[] = ["kitting_clerk", "supervisor", "quality_engineer", "operator"];
