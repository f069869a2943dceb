import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import superjson from "superjson";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { TEST_NOW } from "@/db/testing/clock";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import type { Actor } from "@/server/auth/types";
import { describeInputProblem, SCREEN_INPUT_LIMITS, type InputProblemReason } from "@/server/domain/shared/storable-input";
import { inputProblemWords } from "./input-problem-words";

/*
 * Issue 18 over the tRPC wire: input the database cannot store (NUL, lone surrogates) names the field in the asker's
 * language (the Toulouse administrator reads French, the Wichita one English, unchanged); and a user-administration
 * refusal (a password rule) reads as its specific reason in French, not the general VALIDATION_FAILED sentence. The
 * codes and the field never change.
 */
const t = useTestDatabase("demo");
let claire: Actor;
let alex: Actor;

beforeAll(async () => {
  claire = await actorFor(t.db, "claire.petit");
  alex = await actorFor(t.db, "alex.morgan");
});

type Answer = { message: string; data: { code: string; field: string | null; domain: { code: string } | null } };

async function call(actor: Actor, path: string, input: unknown, method: "GET" | "POST"): Promise<Answer> {
  const json = JSON.stringify(superjson.serialize(input));
  const req =
    method === "GET"
      ? new Request(`http://127.0.0.1/api/trpc/${path}?input=${encodeURIComponent(json)}`)
      : new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "POST", body: json, headers: { "content-type": "application/json" } });
  const res = await handleTrpcRequest(req, "test-unstorable", async () => ({ db: t.db, actor, clientKey: "test", now: () => TEST_NOW, correlationId: "test-unstorable" }));
  const body = (await res.json()) as { error?: { json: Answer } };
  if (!body.error) throw new Error(`expected a refusal from ${path}`);
  return body.error.json;
}

describe("unstorable input in the reader's language", () => {
  it("words every reason: English is the domain's sentence, French names the same field", () => {
    const reasons: InputProblemReason[] = ["nul", "lone_surrogate", "too_long", "too_deep", "too_many_values"];
    for (const reason of reasons) {
      for (const path of ["lines.3.note", ""]) {
        const problem = { path, reason };
        expect(inputProblemWords(problem, SCREEN_INPUT_LIMITS, "en")).toBe(describeInputProblem(problem, SCREEN_INPUT_LIMITS));
        const fr = inputProblemWords(problem, SCREEN_INPUT_LIMITS, "fr");
        expect(fr).not.toBe(describeInputProblem(problem, SCREEN_INPUT_LIMITS));
        if (path && reason !== "too_many_values") expect(fr).toContain("« lines.3.note »");
      }
    }
    expect(inputProblemWords({ path: "q", reason: "nul" }, SCREEN_INPUT_LIMITS, "fr")).toBe("Le champ « q » contient un caractère NUL, qui ne peut pas être enregistré. Supprimez-le et réessayez.");
    expect(inputProblemWords({ path: "q", reason: "too_long" }, SCREEN_INPUT_LIMITS, "fr")).toMatch(/^Le champ « q » dépasse 10\s000 caractères\.$/);
    expect(inputProblemWords({ path: "", reason: "too_deep" }, SCREEN_INPUT_LIMITS, "fr")).toBe("La saisie est imbriquée sur plus de 32 niveaux.");
  });

  it("a NUL in a query over tRPC: French for Toulouse, English unchanged for Wichita, the same code and field", async () => {
    expect([claire.locale, alex.locale]).toEqual(["fr", "en"]);
    const fr = await call(claire, "genealogy.search", { q: "LOT\u0000X" }, "GET");
    expect([fr.data.code, fr.data.field, fr.message]).toEqual(["BAD_REQUEST", "q", "Le champ « q » contient un caractère NUL, qui ne peut pas être enregistré. Supprimez-le et réessayez."]);
    const en = await call(alex, "genealogy.search", { q: "LOT\uD800X" }, "GET");
    expect([en.data.code, en.data.field, en.message]).toEqual([
      "BAD_REQUEST",
      "q",
      'The field "q" contains a broken character (an unpaired UTF-16 surrogate), which cannot be stored. Retype it and try again.',
    ]);
  });

  it("an administrator's password rule over tRPC: the specific reason in French, English unchanged", async () => {
    const input = { requestId: randomUUID(), displayName: "Jo Test", username: `jo.${randomUUID().slice(0, 6)}`, password: "short", roles: ["operator"] };
    const fr = await call(claire, "admin.createUser", input, "POST");
    expect(fr.data.domain?.code).toBe("VALIDATION_FAILED");
    expect(fr.message).toMatch(/^Premier mot de passe : Un mot de passe compte au moins \d+ caractères\.$/);
    const en = await call(alex, "admin.createUser", { ...input, requestId: randomUUID() }, "POST");
    expect(en.data.domain?.code).toBe("VALIDATION_FAILED");
    expect(en.message).toMatch(/^First password: A password has at least \d+ characters\.$/);
  });
});
