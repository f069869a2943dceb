import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { useTestDatabase } from "@/db/testing/test-database";
import type { Actor } from "@/server/auth/types";
import type { Locale } from "@/i18n/locales";

/*
 * Issue 18: the genealogy exports' plain-text refusals are in the asker's language (the signed-in actor's, else the
 * browser's Accept-Language); English is unchanged; the status, the code and the reference (X-Correlation-Id) never
 * change with the language.
 */

const t = useTestDatabase("empty");
const saved = { ...process.env };
type Handlers = typeof import("./export-handlers");
let h: Handlers;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  process.env.TRACELINE_DEMO = "0";
  h = await import("./export-handlers");
});

afterAll(async () => {
  const { getDatabase } = await import("@/db/app-database");
  await (await getDatabase()).close();
  process.env = saved;
});

const actor = (locale: Locale, roles: Actor["roles"] = ["quality_engineer"]): Actor => ({
  userId: randomUUID(),
  displayName: "Quinn",
  siteId: randomUUID(),
  siteCode: "TLS",
  siteName: "Toulouse",
  timeZone: "Europe/Paris",
  locale,
  roles,
  sites: [],
});

async function answer(route: (req: Request) => Promise<Response>, query: string, headers: Record<string, string> = {}) {
  const res = await route(new Request(`http://127.0.0.1/api/genealogy/export?${query}`, { headers }));
  const text = await res.text();
  const reference = res.headers.get("x-correlation-id");
  expect(reference).toBeTruthy();
  return { status: res.status, text, reference: reference! };
}

describe("genealogy export refusals in the asker's language", () => {
  it("nobody signed in: the browser's language; English unchanged", async () => {
    const anon = h.whereUsedExport(async () => null);
    const fr = await answer(anon, "kind=lot", { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" });
    expect(fr.status).toBe(401);
    expect(fr.text).toBe(`Connectez-vous pour exporter la généalogie.\n\nCode : UNAUTHENTICATED. Référence : ${fr.reference}.\n`);
    const en = await answer(anon, "kind=lot", { "accept-language": "en-GB" });
    expect(en.text).toBe(`Sign in to export genealogy.\n\nCode: UNAUTHENTICATED. Reference: ${en.reference}.\n`);
    const none = await answer(h.asBuiltExport(async () => null), "item=x");
    expect([none.status, none.text.split("\n")[0]]).toEqual([401, "Sign in to export genealogy."]);
  });

  it("signed in: the actor's language for the role, parameter and service refusals", async () => {
    const operator = await answer(h.asBuiltExport(async () => actor("fr", ["operator"])), "item=x", { "accept-language": "en" });
    expect([operator.status, operator.text.split("\n")[0]]).toEqual([403, "Les exports de généalogie sont réservés aux ingénieurs qualité et aux chefs d’équipe de Toulouse."]);
    const operatorEn = await answer(h.asBuiltExport(async () => actor("en", ["operator"])), "item=x");
    expect(operatorEn.text.split("\n")[0]).toBe("Exports of genealogy are for quality engineers and supervisors at Toulouse.");

    const cases: [Handlers["asBuiltExport"] | Handlers["whereUsedExport"], string, number, string, string, string][] = [
      [h.asBuiltExport, "item=nope", 404, "NOT_FOUND", "That serial does not exist at Toulouse.", "Ce numéro de série n’existe pas sur Toulouse."],
      [h.asBuiltExport, `item=${randomUUID()}&format=xml`, 400, "VALIDATION_FAILED", "The export format is csv, pdf or json.", "Le format d’export est csv, pdf ou json."],
      [h.asBuiltExport, `item=${randomUUID()}&at=tomorrow`, 400, "VALIDATION_FAILED", "\"tomorrow\" is not a date and time (YYYY-MM-DDTHH:mm).", "« tomorrow » n’est pas une date et heure (AAAA-MM-JJTHH:mm)."],
      [h.whereUsedExport, "kind=rocket", 404, "NOT_FOUND", "That material was not found at Toulouse.", "Cette matière est introuvable sur Toulouse."],
      [h.whereUsedExport, `kind=lot&id=${randomUUID()}&format=doc`, 400, "VALIDATION_FAILED", "The export format is csv, pdf or json.", "Le format d’export est csv, pdf ou json."],
      // the export services' own refusals (material or serial of no site here), answered through the handler
      [h.asBuiltExport, `item=${randomUUID()}`, 404, "NOT_FOUND", "That serial does not exist at this site.", "Ce numéro de série n’existe pas sur ce site."],
      [h.whereUsedExport, `kind=lot&id=${randomUUID()}`, 404, "NOT_FOUND", "That lot does not exist at this site.", "Ce lot n’existe pas sur ce site."],
      [h.whereUsedExport, "kind=supplier_lot&supplierLot=SUP-404", 404, "NOT_FOUND", "That supplier lot does not exist at this site.", "Ce lot fournisseur n’existe pas sur ce site."],
    ];
    for (const [make, query, status, code, english, french] of cases) {
      const fr = await answer(make(async () => actor("fr")), query, { "accept-language": "en" });
      expect([fr.status, fr.text]).toEqual([status, `${french}\n\nCode : ${code}. Référence : ${fr.reference}.\n`]);
      const en = await answer(make(async () => actor("en")), query, { "accept-language": "fr" });
      expect([en.status, en.text]).toEqual([status, `${english}\n\nCode: ${code}. Reference: ${en.reference}.\n`]);
    }
  });
});

describe("unstorable export parameters in the browser's language", () => {
  it("names the parameter in French for a French browser; English unchanged; nothing else read", async () => {
    const route = h.whereUsedExport(async () => {
      throw new Error("the session must not be read");
    });
    const query = `kind=supplier_lot&supplierLot=${encodeURIComponent("L\u0000T")}`;
    const fr = await answer(route, query, { "accept-language": "fr" });
    expect([fr.status, fr.text]).toEqual([400, `Le champ « query.supplierLot » contient un caractère NUL, qui ne peut pas être enregistré. Supprimez-le et réessayez.\n\nCode : INVALID_INPUT. Référence : ${fr.reference}.\n`]);
    const en = await answer(route, query);
    expect([en.status, en.text]).toEqual([400, `The field "query.supplierLot" contains a NUL character, which cannot be stored. Remove it and try again.\n\nCode: INVALID_INPUT. Reference: ${en.reference}.\n`]);
  });
});
