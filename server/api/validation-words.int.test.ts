import { beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { TEST_NOW } from "@/db/testing/clock";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import type { Actor } from "@/server/auth/types";
import frValidation from "@/messages/fr/validation.json";

/**
 * Input refused at the edge over the tRPC wire: the Toulouse administrator (French by the site's default) reads it in
 * French, the Wichita one in English; the codes (BAD_REQUEST, data.zod's fields) are the same for both.
 */
const t = useTestDatabase("demo");
let claire: Actor;
let alex: Actor;

beforeAll(async () => {
  claire = await actorFor(t.db, "claire.petit");
  alex = await actorFor(t.db, "alex.morgan");
});

type Answer = { message: string; data: { code: string; zod: { fieldErrors: Record<string, string[]> } | null } };

async function post(actor: Actor, path: string, input: unknown): Promise<Answer> {
  const req = new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "POST", body: JSON.stringify(superjson.serialize(input)), headers: { "content-type": "application/json" } });
  const res = await handleTrpcRequest(req, "test-validation", async () => ({ db: t.db, actor, clientKey: "test", now: () => TEST_NOW, correlationId: "test-validation" }));
  const body = (await res.json()) as { error?: { json: Answer } };
  if (!body.error) throw new Error(`expected a refusal from ${path}`);
  return body.error.json;
}

describe("input refused at the edge, in the asker's language", () => {
  const input = { partNumber: " ", gtin: "123456789012345", reason: "r" };

  it("French for the Toulouse administrator", async () => {
    expect(claire.locale).toBe("fr");
    const e = await post(claire, "admin.setPartGtin", input);
    expect(e.data.code).toBe("BAD_REQUEST");
    expect(e.message).toBe(`Une partie de ce qui a été envoyé n’est pas valide : partNumber : ${frValidation.sentences.enterPartNumber}`);
    expect(e.data.zod?.fieldErrors).toMatchObject({ partNumber: [frValidation.sentences.enterPartNumber], gtin: [frValidation.sentences.gtinMax14] });
  });

  it("English for the Wichita administrator, the same code and fields", async () => {
    expect(alex.locale).toBe("en");
    const e = await post(alex, "admin.setPartGtin", input);
    expect(e.data.code).toBe("BAD_REQUEST");
    expect(e.message).toBe("Some of what was sent is not valid: partNumber: Enter the part number.");
    expect(e.data.zod?.fieldErrors).toMatchObject({ partNumber: ["Enter the part number."], gtin: ["A GTIN has at most 14 digits."] });
  });
});
