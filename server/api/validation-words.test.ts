import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import enValidation from "@/messages/en/validation.json";
import frValidation from "@/messages/fr/validation.json";
import { serverSentence, validationWords } from "./validation-words";

/*
 * Input refused at the edge reads in the sender's language: the routers' own sentences by their English text, zod's
 * own messages by the kind. No router sentence may be missing from the catalog (it would reach French readers
 * in English), so the routers' source is read for them.
 */

const ROUTERS = join(process.cwd(), "server/api/routers");
const SOURCES = [
  ...readdirSync(ROUTERS)
    .filter((f) => f.endsWith(".ts") && !f.includes(".test.") && !f.includes(".testing."))
    .map((f) => join(ROUTERS, f)),
  join(process.cwd(), "server/api/trpc.ts"),
];
/** A sentence for people in a router: a double-quoted literal that starts with a capital, has a space and ends a sentence. */
const SENTENCE = /"([A-Z][^"\n]*\s[^"\n]*[.?!])"/g;

describe("the routers' own sentences", () => {
  const catalog = new Set(Object.values(enValidation.sentences));
  it.each(SOURCES.map((f) => [f.slice(process.cwd().length + 1), f]))("%s: every sentence is in messages/<locale>/validation.json", (_, file) => {
    const missing = [...readFileSync(file, "utf8").matchAll(SENTENCE)].map((m) => m[1]!).filter((s) => !catalog.has(s));
    expect(missing).toEqual([]);
  });
});

const schema = z.object({
  name: z.string().trim().min(1, "Give the connection a name.").max(100, "The name is at most 100 characters."),
  badgeId: z.string().max(64),
  userId: z.uuid(),
  count: z.number().int().min(1),
  role: z.enum(["operator", "admin"]),
  plants: z.array(z.string()).min(1).max(2),
});

function refusal(input: unknown) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error("expected a refusal");
  return r.error;
}

describe("validationWords", () => {
  const bad = { name: "", badgeId: "x".repeat(65), userId: "nope", count: 1.5, role: "boss", plants: [] };

  it("English keeps a router's own sentence and says zod's in the catalog's words", () => {
    const { message, flattened } = validationWords(refusal(bad), "en");
    expect(message).toBe("Some of what was sent is not valid: name: Give the connection a name.");
    expect(flattened.fieldErrors).toEqual({
      name: ["Give the connection a name."],
      badgeId: ["At most 64 characters."],
      userId: ["That is not a valid id."],
      count: ["Enter a whole number."],
      role: ["Choose one of the offered values."],
      plants: ["Choose at least one."],
    });
  });

  it("French says every issue in French, with its limits, and the field paths (the codes) unchanged", () => {
    const { message, flattened } = validationWords(refusal(bad), "fr");
    expect(message).toBe(`Une partie de ce qui a été envoyé n’est pas valide : name : ${frValidation.sentences.giveConnectionName}`);
    expect(flattened.fieldErrors).toEqual({
      name: ["Donnez un nom à la connexion."],
      badgeId: ["64 caractères au plus."],
      userId: ["Cet identifiant n’est pas valide."],
      count: ["Saisissez un nombre entier."],
      role: ["Choisissez l’une des valeurs proposées."],
      plants: ["Choisissez-en au moins un."],
    });
  });

  it("a missing field reads as one to fill in", () => {
    expect(validationWords(refusal({ ...bad, name: undefined }), "fr").flattened.fieldErrors.name).toEqual(["Saisissez une valeur."]);
    expect(validationWords(refusal({ ...bad, name: undefined }), "en").flattened.fieldErrors.name).toEqual(["Enter a value."]);
  });

  it("too many items, in both languages", () => {
    expect(validationWords(refusal({ ...bad, plants: ["a", "b", "c"] }), "en").flattened.fieldErrors.plants).toEqual(["At most 2 items."]);
    expect(validationWords(refusal({ ...bad, plants: ["a", "b", "c"] }), "fr").flattened.fieldErrors.plants).toEqual(["2 éléments au plus."]);
  });
});

describe("serverSentence", () => {
  it("says a router's own sentence in French, leaves English and unknown text as they are", () => {
    expect(serverSentence("That serial does not exist at this site.", "fr")).toBe("Ce numéro de série n’existe pas sur ce site.");
    expect(serverSentence("That serial does not exist at this site.", "en")).toBe("That serial does not exist at this site.");
    expect(serverSentence("Something else entirely.", "fr")).toBe("Something else entirely.");
  });
});
