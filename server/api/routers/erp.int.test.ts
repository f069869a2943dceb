import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { useTestDatabase, inRollback } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import type { Db } from "@/db/client";
import { insertInboxMessages, insertOutboxMessages } from "@/db/testing/overview-fixtures";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { erpRouter } from "./erp";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(erpRouter);
let ids: DemoIds;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
});

const callerAs = (actor: Actor | null, db: Db = t.db) => createCaller({ db, actor, clientKey: "test", now: () => new Date() } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe("erp router", () => {
  it("shows the site's messages and enterprise master data, never another site's, with counts by status", async () => {
    const alex = await actorFor(t.db, "alex.morgan"); // Wichita admin
    await inRollback(t.db, async (tx) => {
      await insertInboxMessages(tx, [
        { messageId: "MSG-1", siteId: ids.site("WCH"), plant: "1000", status: "applied" },
        { messageId: "MSG-2", siteId: ids.site("WCH"), plant: "1000", status: "dead_letter", error: { code: "VALIDATION_FAILED", message: "Unknown part number XYZ-1" } },
        { messageId: "MSG-3", siteId: null, plant: "*", status: "applied" },
        { messageId: "MSG-4", siteId: ids.site("TLS"), plant: "2000", status: "applied" },
        { messageId: "MSG-5", siteId: ids.site("TLS"), plant: "2000", status: "overtaken" },
      ]);
      await insertOutboxMessages(tx, [
        { siteId: ids.site("WCH"), status: "pending" },
        { siteId: ids.site("WCH"), status: "delivered" },
        { siteId: ids.site("TLS"), status: "failed", lastError: "timeout" },
      ]);
      const api = callerAs(alex, tx as unknown as Db);
      const { inbox, outbox } = await api.messages();
      expect(inbox.map((m) => m.messageId).sort()).toEqual(["MSG-1", "MSG-2", "MSG-3"]);
      expect(inbox.find((m) => m.messageId === "MSG-3")!.enterprise).toBe(true);
      expect(inbox.find((m) => m.messageId === "MSG-2")!.error).toBe("VALIDATION_FAILED: Unknown part number XYZ-1");
      expect(outbox.map((m) => m.status).sort()).toEqual(["delivered", "pending"]);

      const counts = await api.counts();
      expect(Object.fromEntries(counts.inbox.map((c) => [c.status, c.count]))).toEqual({ applied: 2, dead_letter: 1 });
      expect(Object.fromEntries(counts.outbox.map((c) => [c.status, c.count]))).toEqual({ pending: 1, delivered: 1 });

      const claire = await actorFor(tx, "claire.petit"); // Toulouse admin
      const tls = await callerAs(claire, tx as unknown as Db).counts();
      expect(Object.fromEntries(tls.inbox.map((c) => [c.status, c.count]))).toEqual({ applied: 2, overtaken: 1 });
      expect(Object.fromEntries(tls.outbox.map((c) => [c.status, c.count]))).toEqual({ failed: 1 });
    });
  });

  it("answers empty lists when nothing has been exchanged yet", async () => {
    const alex = await actorFor(t.db, "alex.morgan");
    const { inbox, outbox } = await callerAs(alex).messages({ limit: 10 });
    expect(inbox).toEqual([]);
    expect(outbox).toEqual([]);
  });

  it("is for administrators (and supervisors, read-only); floor roles are refused", async () => {
    const dan = await actorFor(t.db, "dan.whitaker");
    expect(await codeOf(callerAs(dan).counts())).toBe("OK");
    for (const login of ["B1001", "B1002", "priya.raman"]) {
      expect(await codeOf(callerAs(await actorFor(t.db, login)).messages()), login).toBe("FORBIDDEN");
    }
  });
});
