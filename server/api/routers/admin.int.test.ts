import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO, DEMO_USERS } from "@/db/seed/demo-plant";
import { DEFAULT_OWNERSHIP } from "@/server/domain/erp/ownership-defaults";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { adminRouter } from "./admin";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(adminRouter);

const callerAs = (actor: Actor | null) => createCaller({ db: t.db, actor, clientKey: "test", now: () => new Date() } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe("admin router", () => {
  it("lists every user with their roles per site, and never a password or PIN hash", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const users = await callerAs(alex).users();
    for (const demo of DEMO_USERS) {
      const u = users.find((x) => x.displayName === demo.displayName);
      expect(u, demo.displayName).toBeDefined();
      expect(u!.sites.find((s) => s.siteCode === demo.siteCode)?.roles).toEqual(demo.roles);
      expect(u!.signsInWithBadge).toBe(Boolean(demo.badgeId));
      expect(u!.signsInWithPassword).toBe(Boolean(demo.username));
    }
    const elena = users.find((u) => u.username === DEMO.twoSiteUser)!;
    expect(elena.sites.map((s) => s.siteCode)).toEqual(["TLS", "WCH"]);
    expect(JSON.stringify(users)).not.toMatch(/argon2/);
  });

  it("lists the ownership registry", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const rows = await callerAs(alex).ownershipRegistry();
    expect(rows).toHaveLength(DEFAULT_OWNERSHIP.length);
    expect(rows.find((r) => r.entity === "lot" && r.attribute === "expires_at")).toMatchObject({ owner: "erp", direction: "erp_to_traceline" });
    expect(rows.find((r) => r.entity === "genealogy" && r.attribute === "as_built")).toMatchObject({ owner: "traceline" });
  });

  it("is for administrators only", async () => {
    for (const login of ["B1001", "B1002", "priya.raman", "dan.whitaker"]) {
      const actor = await actorFor(t.db, login);
      expect(await codeOf(callerAs(actor).users()), login).toBe("FORBIDDEN");
      expect(await codeOf(callerAs(actor).ownershipRegistry()), login).toBe("FORBIDDEN");
    }
    expect(await codeOf(callerAs(null).users())).toBe("UNAUTHORIZED");
  });
});
