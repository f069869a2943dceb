import { describe, expect, it } from "vitest";
import { useTestDatabase, inRollback } from "@/db/testing/test-database";
import type { Db, Tx } from "@/db/client";
import * as s from "@/db/schema";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { createPlant, createWorkOrder, type Plant } from "@/db/testing/genealogy-fixtures";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import { translatorFor } from "@/i18n/server-translate";
import type { Locale } from "@/i18n/locales";
import { detailWords, labelWords, type DetailTranslator } from "@/i18n/genealogy-detail";
import type { DetailFacts } from "@/server/repos/genealogy-search";
import { statusWord } from "@/components/genealogy/fate-words";
import { genealogyRouter } from "./genealogy";

/*
 * Issue 18: the genealogy search hits and the where-used target come back as codes and values (`facts`) that the screens
 * word in the reader's language (i18n/genealogy-detail.ts); the English `detail` line stays as it was for
 * API and file consumers.
 */

const t = useTestDatabase("empty");
const createCaller = createCallerFactory(genealogyRouter);
const api = (tx: Tx, plant: Plant) =>
  createCaller({ db: tx as unknown as Db, actor: plant.actor(["quality_engineer"]), clientKey: "test", now: () => new Date("2026-11-20T18:00:00Z") } satisfies Context);

/** What the screen shows in the Identifier and Detail columns, in this language. */
function screenWords(locale: Locale) {
  const tr = translatorFor(locale);
  const td: DetailTranslator = (key, values) => tr(`genealogy.detail.${key}`, values);
  const ts = ((key: never) => tr(`status.${key}` as never)) as Parameters<typeof statusWord>[0];
  ts.has = (key: never) => tr.has(`status.${key}` as never);
  return {
    detail: (x: { facts: DetailFacts | null }) => detailWords(td, x.facts, (code) => statusWord(ts, code)),
    label: (x: Parameters<typeof labelWords>[1]) => labelWords(td, x),
  };
}

describe("genealogy words in the reader's language", () => {
  it("search hits: the screen words the facts in French and English; the API's English detail line is unchanged", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const lotPart = await createTestPart(tx, "lot", { partNumber: "BKT-4410-07", description: "Bracket, machined" });
      const serialPart = await createTestPart(tx, "serial");
      await createTestLot(tx, plant.siteId, lotPart.revisionId, { lotNumber: "KP24-0901", supplierLot: "KS-5510" });
      await createTestLot(tx, plant.siteId, lotPart.revisionId, { lotNumber: "KP24-0902", supplierLot: "KS-5510" });
      await createTestSerial(tx, plant.siteId, serialPart.revisionId, { serialNumber: "SN-1", supplierLot: "KS-6000" });
      await createWorkOrder(tx, plant, { number: "WO-900001", serials: ["ACT-7001", "ACT-7002"] });
      await tx.insert(s.manufacturers).values({ code: "1ZZ77", name: "Kestrel Precision" });
      const q = api(tx, plant);
      const hits = async (text: string) => (await q.search({ q: text })).hits;
      const en = screenWords("en");
      const fr = screenWords("fr");

      const [unit] = await hits("ACT-7001");
      expect([unit!.detail, en.detail(unit!), fr.detail(unit!)]).toEqual(["WO-900001", "WO-900001", "WO-900001"]);

      const [lot] = await hits("KP24-0901");
      expect(lot!.detail).toBe("supplier lot KS-5510");
      expect(en.detail(lot!)).toBe("supplier lot KS-5510");
      expect(fr.detail(lot!)).toBe("lot fournisseur KS-5510");

      const [supplierLot] = await hits("KS-5510");
      expect(supplierLot!.detail).toBe("2 lot(s) or serial(s) here");
      expect(en.detail(supplierLot!)).toBe("2 lots or serials here");
      expect(fr.detail(supplierLot!)).toBe("2 lots ou numéros de série ici");
      const [one] = await hits("KS-6000");
      expect([en.detail(one!), fr.detail(one!)]).toEqual(["1 lot or serial here", "1 lot ou numéro de série ici"]);

      const [wo] = await hits("WO-900001");
      expect(wo!.detail).toBe("2 unit(s), released");
      expect(en.detail(wo!)).toBe("2 units, released");
      expect(fr.detail(wo!)).toBe("2 unités, lancé");

      const [rev, part] = await hits("BKT-4410-07");
      expect([rev!.kind, rev!.label, rev!.detail, part!.kind, part!.detail]).toEqual(["part_revision", "BKT-4410-07 rev A", "Bracket, machined", "part", "Bracket, machined"]);
      expect([en.label(rev!), en.detail(rev!), en.detail(part!)]).toEqual(["BKT-4410-07 rev A", "Bracket, machined", "Bracket, machined"]);
      expect([fr.label(rev!), fr.detail(rev!), fr.label(part!)]).toEqual(["BKT-4410-07 ind. A", "Bracket, machined", "BKT-4410-07"]);

      const [mfr] = await hits("1ZZ77");
      expect([mfr!.detail, en.detail(mfr!), fr.detail(mfr!)]).toEqual(["Kestrel Precision", "Kestrel Precision", "Kestrel Precision"]);
    });
  });

  it("where-used target: heading and detail in French and English; the API's English detail line is unchanged", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const part = await createTestPart(tx, "lot", { partNumber: "SEAL-1", description: "Sealant base" });
      const withSupplier = await createTestLot(tx, plant.siteId, part.revisionId, { lotNumber: "L-1", supplierLot: "SUP-9" });
      const without = await createTestLot(tx, plant.siteId, part.revisionId, { lotNumber: "L-2" });
      const q = api(tx, plant);
      const en = screenWords("en");
      const fr = screenWords("fr");
      const target = async (tg: Parameters<typeof q.whereUsed>[0]["target"]) => (await q.whereUsed({ target: tg })).target;

      const a = await target({ kind: "lot", id: withSupplier.id });
      expect([a.detail, en.detail(a), fr.detail(a)]).toEqual(["supplier lot SUP-9", "supplier lot SUP-9", "lot fournisseur SUP-9"]);
      const b = await target({ kind: "lot", id: without.id });
      expect([b.detail, en.detail(b), fr.detail(b)]).toEqual(["supplier lot (none)", "supplier lot (none)", "lot fournisseur (aucun)"]);
      // a lot mixed into others names them (the facts list them; mix-lots.int.test.ts mixes for real)
      expect(fr.detail({ facts: { kind: "supplier_lot", supplierLot: null, mixedInto: ["L-2-M1", "L-2-M2"] } })).toBe("lot fournisseur (aucun) ; mélangé dans les lots L-2-M1, L-2-M2");
      expect(en.detail({ facts: { kind: "supplier_lot", supplierLot: null, mixedInto: ["L-2-M1"] } })).toBe("supplier lot (none); mixed into lot L-2-M1");

      const sl = await target({ kind: "supplier_lot", supplierLot: "SUP-9" });
      expect([sl.detail, en.detail(sl), fr.detail(sl)]).toEqual(["1 lot(s) or serial(s) at this site", "1 lot or serial at this site", "1 lot ou numéro de série sur ce site"]);

      const rev = await target({ kind: "part_revision", id: part.revisionId });
      expect([rev.label, en.label(rev), fr.label(rev), fr.detail(rev)]).toEqual(["SEAL-1 rev A", "SEAL-1 rev A", "SEAL-1 ind. A", "Sealant base"]);
    });
  });
});
