import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import superjson from "superjson";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { TEST_NOW } from "@/db/testing/clock";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import type { Actor } from "@/server/auth/types";
import { nextStep } from "@/server/domain/vocabulary/next-step";
import { createKit } from "@/server/services/kitting/create-kit";
import { DEMO_PIN } from "@/db/seed/demo-plant";
import { signInWithBadge } from "@/server/auth/sign-in";
import frRefusals from "@/messages/fr/refusals.json";

/**
 * A refusal over the tRPC wire carries its one next step (data.domain.next) in the words of the procedure's workplace,
 * or the refusal's own when it brings one; the message itself says only what is wrong.
 */
const t = useTestDatabase("demo");
let ids: DemoIds;
let maria: Actor;
let jamal: Actor;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  maria = await actorFor(t.db, "B1001");
  jamal = await actorFor(t.db, "B1002");
});

type Refusal = { message: string; data: { domain: { code: string; next: string; details: Record<string, unknown> } | null } };

async function post(actor: Actor, path: string, input: unknown): Promise<Refusal> {
  const req = new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "POST", body: JSON.stringify(superjson.serialize(input)), headers: { "content-type": "application/json" } });
  const res = await handleTrpcRequest(req, "test-next-step", async () => ({ db: t.db, actor, clientKey: "test", now: () => TEST_NOW, correlationId: "test-next-step" }));
  const body = (await res.json()) as { error?: { json: Refusal } };
  if (!body.error) throw new Error(`expected a refusal from ${path}`);
  return body.error.json;
}

describe("a refusal's next step over tRPC", () => {
  it("at the station: the station's words for the code", async () => {
    const e = await post(maria, "station.consumeComponent", {
      requestId: randomUUID(),
      stationId: ids.station("WCH", "FA-01"),
      unitId: ids.unit("WCH", "ACT-1007"),
      operationSeq: 10,
      item: { scan: "NOPE-4711" },
    });
    expect(e.data.domain?.code).toBe("SCAN_NOT_RECOGNISED");
    expect(e.data.domain?.next).toBe(nextStep("SCAN_NOT_RECOGNISED", "station"));
    expect(e.message).not.toContain(e.data.domain!.next);
  });

  it("in kitting: the kitting words for the same code", async () => {
    const kit = await createKit(t.db, jamal, { requestId: randomUUID(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "operation", operationSeq: 30 }, stationId: ids.station("WCH", "FA-01") }, TEST_NOW);
    const e = await post(jamal, "kitting.pickToKit", { requestId: randomUUID(), kitId: kit.kitId, scan: "NOPE-4711" });
    expect(e.data.domain?.code).toBe("SCAN_NOT_RECOGNISED");
    expect(e.data.domain?.next).toBe(nextStep("SCAN_NOT_RECOGNISED", "kitting"));
    expect(nextStep("SCAN_NOT_RECOGNISED", "kitting")).not.toBe(nextStep("SCAN_NOT_RECOGNISED", "station"));
  });

  it("a refusal with its own next step keeps it: a lot without a quantity is pre-filled for the operator to confirm", async () => {
    const e = await post(maria, "station.consumeComponent", {
      requestId: randomUUID(),
      stationId: ids.station("WCH", "FA-01"),
      unitId: ids.unit("WCH", "ACT-1007"),
      operationSeq: 10,
      item: { scan: "KP24-0901" },
    });
    expect(e.data.domain).toMatchObject({ code: "VALIDATION_FAILED", next: "Check the pre-filled quantity and press Install.", details: { field: "quantity", suggested: "2" } });
  });

  it("in the asker's language even when the procedure reads the actor in its own transaction (a Toulouse operator's scan over HTTP)", async () => {
    const signedIn = await signInWithBadge(t.db, { badgeId: "B2001", pin: DEMO_PIN }, { clientKey: `fr-${randomUUID()}`, now: TEST_NOW });
    const lucas = await actorFor(t.db, "B2001");
    expect(lucas.locale).toBe("fr");
    const session = { claims: { userId: lucas.userId, sessionId: signedIn.sessionId, sessionVersion: 1, activeSiteId: lucas.siteId }, now: TEST_NOW };
    const input = { requestId: randomUUID(), stationId: ids.station("TLS", "FA-21"), unitId: randomUUID(), operationSeq: 10, item: { scan: "NOPE-4711" } };
    const req = new Request("http://127.0.0.1/api/trpc/station.consumeComponent", { method: "POST", body: JSON.stringify(superjson.serialize(input)), headers: { "content-type": "application/json" } });
    const res = await handleTrpcRequest(req, "test-fr", async () => ({ db: t.db, actor: null, session, clientKey: "test", now: () => TEST_NOW, correlationId: "test-fr" }));
    const e = ((await res.json()) as { error: { json: Refusal } }).error.json;
    expect(e.data.domain?.code).toBe("NOT_FOUND");
    expect(e.message).toBe(frRefusals.codes.NOT_FOUND);
  });
});
