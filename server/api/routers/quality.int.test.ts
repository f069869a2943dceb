import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO_PASSWORD } from "@/db/seed/demo-plant";
import type { Db } from "@/db/client";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import { canOpen, navEntries, openableAreas } from "@/server/api/areas";
import type { Actor } from "@/server/auth/types";
import { qualityRouter } from "./quality";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(qualityRouter);

const callerAs = (db: Db, actor: Actor | null) => createCaller({ db, actor, clientKey: `test-${randomUUID()}`, now: () => TEST_NOW } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

async function domainOf(p: Promise<unknown>): Promise<{ code: string; domain: string | null; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) {
      const cause = e.cause as { code?: string } | undefined;
      return { code: e.code, domain: cause?.code ?? null, message: e.message };
    }
    throw e;
  }
  throw new Error("expected a refusal");
}

const place = (secret = DEMO_PASSWORD) => ({
  requestId: randomUUID(),
  target: { kind: "lot" as const, lotNumber: "KP24-0901" },
  reason: "Supplier notice 24-118",
  signature: { method: "password" as const, secret, meaning: "hold" as const },
});

let actors: Record<"priya" | "dan" | "jamal" | "maria" | "alex", Actor>;

beforeAll(async () => {
  actors = {
    priya: await actorFor(t.db, "priya.raman"),
    dan: await actorFor(t.db, "dan.whitaker"),
    jamal: await actorFor(t.db, "B1002"),
    maria: await actorFor(t.db, "B1001"),
    alex: await actorFor(t.db, "alex.morgan"),
  };
});

describe("quality router", () => {
  it("lets quality engineers place and release holds, supervisors read them, and nobody else in", async () => {
    await inRollback(t.db, async (tx) => {
      const db = tx as unknown as Db;
      const placed = await callerAs(db, actors.priya).placeHold(place());
      // supervisors read, but cannot sign holds
      const list = await callerAs(db, actors.dan).holds();
      expect(list.active.find((h) => h.id === placed.holdId)?.signatures.map((s) => s.status)).toEqual(["valid"]);
      const detail = await callerAs(db, actors.dan).hold({ holdId: placed.holdId });
      expect(detail.hold.targetLabel).toMatch(/KP24-0901/);
      expect(await codeOf(callerAs(db, actors.dan).placeHold(place()))).toBe("FORBIDDEN");
      expect(
        await codeOf(callerAs(db, actors.dan).releaseHold({ requestId: randomUUID(), holdId: placed.holdId, reason: "ok", signature: { method: "password", secret: DEMO_PASSWORD, meaning: "release" } })),
      ).toBe("FORBIDDEN");
      for (const who of [actors.jamal, actors.maria, actors.alex]) {
        expect(await codeOf(callerAs(db, who).holds())).toBe("FORBIDDEN");
        expect(await codeOf(callerAs(db, who).hold({ holdId: placed.holdId }))).toBe("FORBIDDEN");
        expect(await codeOf(callerAs(db, who).placeHold(place()))).toBe("FORBIDDEN");
      }
      expect(await codeOf(callerAs(db, null).holds())).toBe("UNAUTHORIZED");
      const released = await callerAs(db, actors.priya).releaseHold({
        requestId: randomUUID(),
        holdId: placed.holdId,
        reason: "Certificates verified",
        signature: { method: "password", secret: DEMO_PASSWORD, meaning: "release" },
      });
      expect(released.holdId).toBe(placed.holdId);
    });
  });

  it("maps refusals: wrong password 422 SIGNATURE_REFUSED, unknown hold 404, bad input 400", async () => {
    await inRollback(t.db, async (tx) => {
      const db = tx as unknown as Db;
      expect(await domainOf(callerAs(db, actors.priya).placeHold(place("not-it")))).toMatchObject({ code: "UNPROCESSABLE_CONTENT", domain: "SIGNATURE_REFUSED" });
      expect(await domainOf(callerAs(db, actors.priya).hold({ holdId: randomUUID() }))).toMatchObject({ code: "NOT_FOUND", domain: "NOT_FOUND" });
      expect(await codeOf(callerAs(db, actors.priya).placeHold({ ...place(), signature: { method: "password", secret: "", meaning: "hold" } }))).toBe("BAD_REQUEST");
      expect(await codeOf(callerAs(db, actors.priya).hold({ holdId: "not-a-uuid" }))).toBe("BAD_REQUEST");
    });
  });

  it("shows Quality in the navigation of quality engineers and supervisors only", () => {
    expect(canOpen(["quality_engineer"], "quality")).toBe(true);
    expect(canOpen(["supervisor"], "quality")).toBe(true);
    for (const r of ["operator", "kitting_clerk", "admin"] as const) expect(canOpen([r], "quality")).toBe(false);
    expect(openableAreas(["quality_engineer"])).toEqual(["genealogy", "quality"]);
  });

  it("gives quality engineers an Allowed lots entry to the kitting work orders, where the lists are kept; clerks keep Kitting", () => {
    expect(navEntries(["quality_engineer"]).map((e) => e.label)).toEqual(["Genealogy", "Allowed lots", "Quality"]);
    expect(navEntries(["quality_engineer"]).find((e) => e.label === "Allowed lots")?.href).toBe("/kitting");
    expect(navEntries(["kitting_clerk"]).map((e) => e.label)).toEqual(["Kitting"]);
    expect(navEntries(["supervisor"]).map((e) => e.label)).not.toContain("Allowed lots");
    expect(navEntries(["operator"]).map((e) => e.label)).toEqual(["Station"]);
  });
});
