import type { DetailFacts } from "@/server/repos/genealogy-search";

/*
 * The detail line of a genealogy search hit or where-used target, in the reader's language, from the facts the server
 * returns (codes and values; its English `detail` string is for API and file consumers). Identifiers and master data
 * (work order numbers, part descriptions, manufacturer names) are shown as recorded. `t` is the translator of the
 * `genealogy.detail` catalog; `status` words a work order status (the `status` catalog). Pure: the screens
 * (app/(office)/genealogy) and the printable where-used export (server/services/genealogy/export-words.ts) use it.
 */

type DetailKey = "supplierLot" | "holders" | "workOrder" | "partRevLabel";
export type DetailTranslator = (key: DetailKey, values: Record<string, string | number>) => string;

export function detailWords(t: DetailTranslator, facts: DetailFacts | null, status: (code: string) => string): string | null {
  if (!facts) return null;
  switch (facts.kind) {
    case "as_is":
      return facts.text;
    case "supplier_lot":
      return t("supplierLot", {
        hasSupplierLot: facts.supplierLot ? "yes" : "no",
        supplierLot: facts.supplierLot ?? "",
        mixedCount: facts.mixedInto.length,
        mixedInto: facts.mixedInto.join(", "),
      });
    case "holders":
      return t("holders", { count: facts.count, scope: facts.scope });
    case "work_order":
      return t("workOrder", { quantity: facts.quantity, status: status(facts.status).toLowerCase() });
  }
}

/** What a hit or target is called: a part revision reads as its part number and revision in the reader's words. */
export function labelWords(t: DetailTranslator, x: { kind: string; label: string; partNumber: string | null; revision: string | null }): string {
  return x.kind === "part_revision" && x.partNumber && x.revision ? t("partRevLabel", { part: x.partNumber, revision: x.revision }) : x.label;
}
