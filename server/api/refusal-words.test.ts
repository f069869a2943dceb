import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/domain/shared/errors";
import { assertMaterialEligible, type MaterialFacts } from "@/server/domain/material-eligibility/material-eligibility";
import { installQuantity, type BomLine } from "@/server/domain/station/station-rules";
import { nextStep } from "@/server/domain/vocabulary/next-step";
import { refusalWords } from "./refusal-words";

const now = new Date("2026-11-20T15:00:00Z");
const lot = (over: Partial<MaterialFacts>): MaterialFacts => ({
  lotId: "x",
  lotNumber: "AC24-0331",
  serialNumber: null,
  expiresAt: null,
  inspectionStatus: "accepted",
  manufacturerCode: "7P3S1",
  manufacturerName: "Parker Aerospace",
  aml: "approved",
  holdReasons: [],
  ...over,
});

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const eligible = (facts: Partial<MaterialFacts>) => () => assertMaterialEligible(lot(facts), { plannedUseAt: now, minRemainingShelfLifeDays: 30, allowedLotIds: null, timeZone: "Europe/Paris" });

describe("a refusal in the asker's language", () => {
  it("English keeps the refusal's own message and the domain's next step", () => {
    const e = refusal(eligible({ holdReasons: ["SEN-24-118"] }));
    expect(refusalWords(e, "station", "en", "Europe/Paris")).toEqual({ message: e.message, next: nextStep("LOT_ON_HOLD", "station") });
  });

  it("French: a held lot, with its hold, and the station's next step", () => {
    const e = refusal(eligible({ holdReasons: ["SEN-24-118"] }));
    expect(e.code).toBe("LOT_ON_HOLD");
    expect(refusalWords(e, "station", "fr", "Europe/Paris")).toEqual({
      message: "Le lot AC24-0331 est inutilisable : en blocage qualité (SEN-24-118).",
      next: "Mettez-le de côté et scannez un autre lot ; la qualité doit d’abord lever le blocage.",
    });
    // kitting says its own next step
    expect(refusalWords(e, "kitting", "fr", "Europe/Paris").next).toBe("Remettez-le en place et scannez un lot proposé ; la qualité doit d’abord lever le blocage.");
  });

  it("French: an expired lot with its date in the site's time zone, French order", () => {
    const e = refusal(eligible({ expiresAt: new Date("2026-11-18T23:30:00Z") }));
    expect(refusalWords(e, "station", "fr", "Europe/Paris").message).toBe("Le lot AC24-0331 est inutilisable : périmé depuis le 19/11/2026.");
  });

  it("French: a disqualified manufacturer by name and code; a serial is named as a serial", () => {
    const e = refusal(eligible({ aml: "disqualified", lotNumber: null, serialNumber: "SV-0042" }));
    expect(refusalWords(e, "station", "fr", "UTC").message).toBe(
      "Le numéro de série SV-0042 est inutilisable : fabricant non approuvé (Parker Aerospace (7P3S1) est disqualifié dans la liste des fabricants approuvés de cet article).",
    );
  });

  it("French: the quantity question and its own next step (details.nextKey)", () => {
    const line: BomLine = { id: "l1", findNumber: 20, componentRevisionId: "r1", partId: "p1", partNumber: "PR-1422-B2", revision: "-", uom: "ML", tracking: "lot", quantityPerUnit: "0.25", operationSeq: 10, serialFrom: null, serialTo: null, effectiveFrom: null, effectiveTo: null, backflush: false, shelfLifeDays: null, outTimeMinutes: null };
    const e = refusal(() => installQuantity(line, "lot", "", { l1: "0.05" }));
    expect(refusalWords(e, "station", "fr", "UTC")).toEqual({
      message: "Quelle quantité de PR-1422-B2 montez-vous ? Il manque encore 0,2 ML sur cette ligne (repère 20).",
      next: "Vérifiez la quantité pré-remplie et appuyez sur Monter.",
    });
  });

  it("French: a refusal without its own catalog message says the code's sentence, never English", () => {
    const e = new DomainError("KIT_CLOSED", "Kit K-1 is issued: nothing more can be picked into it.");
    expect(refusalWords(e, "kitting", "fr", "UTC")).toEqual({ message: "Ce kit est clôturé.", next: "Créez un nouveau kit depuis l’ordre de fabrication pour ce qui manque encore." });
  });
});
