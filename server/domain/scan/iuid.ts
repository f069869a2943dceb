/**
 * MIL-STD-130N unique item identifier (UII) derivation, from ANSI MH10.8.2 data identifiers (Table A-II), ATA
 * Spec 2000 / DoD text element identifiers (Table A-I) or GS1 AIs. Construct #1: issuing agency code + enterprise id
 * + serial within the enterprise. Construct #2: issuing agency code + enterprise id + original part number (or lot)
 * + serial within it. The UII is upper case (A-Z, 0-9, "-", "/") and at most 50 characters.
 * An enterprise identifier in the data marks it as an IUID data set, which must then be complete.
 */
import { ScanRejection } from "./scan-errors";

export type Uii = { UII: string; construct?: "1" | "2"; IAC?: string };

export const UII_MAX_LENGTH = 50;

type EnterpriseKind = "CAGE" | "DUNS" | "GS1" | "DODAAC" | "IAC_EID";
type Element = { name: string; value: string };

const incomplete = (what: string) => new ScanRejection(`IUID data set is incomplete: ${what}, so no UII can be derived`, { keepFields: true });

/** Every data element that goes into the UII: A-Z, 0-9, "-" and "/" only. */
function checkElements(elements: Element[]) {
  for (const { name, value } of elements) {
    if (/[a-z]/.test(value)) {
      throw new ScanRejection(`lower-case letters are not allowed in UII data elements: ${name} "${value}"`, { keepFields: true });
    }
    const bad = [...value].find((ch) => !/[A-Z0-9\-/]/.test(ch));
    if (bad !== undefined) {
      const shown = bad === " " ? "a space" : `"${bad}"`;
      throw new ScanRejection(`${shown} is not allowed in UII data elements (A-Z, 0-9, "-" and "/" only): ${name} "${value}"`, {
        keepFields: true,
      });
    }
  }
}

function checkEnterprise(kind: EnterpriseKind, e: Element) {
  const rules: Record<EnterpriseKind, [RegExp, string] | null> = {
    CAGE: [/^[A-Z0-9]{5}$/, "a CAGE code is 5 letters or digits"],
    DUNS: [/^(\d{9}|\d{13})$/, "a DUNS number is 9 digits (or 13 with the +4 suffix)"],
    GS1: [/^\d{4,12}$/, "a GS1 Company Prefix is 4 to 12 digits"],
    DODAAC: [/^[A-Z0-9]{6}$/, "a DoDAAC is 6 letters or digits"],
    IAC_EID: null,
  };
  const rule = rules[kind];
  if (rule && !rule[0].test(e.value)) {
    throw new ScanRejection(`${e.name} "${e.value}" is not a valid enterprise identifier: ${rule[1]}`, { keepFields: true });
  }
}

function agency(kind: EnterpriseKind, id: string): { prefix: string; iac?: string } {
  switch (kind) {
    case "CAGE":
      return { prefix: "D", iac: "D" };
    case "DUNS":
      return { prefix: "UN", iac: "UN" };
    case "DODAAC":
      return { prefix: "LD", iac: "LD" };
    case "GS1":
      return { prefix: "", iac: id.charAt(0) }; // the GS1 Company Prefix carries its own IAC (0-9)
    case "IAC_EID":
      return { prefix: "" }; // the value already starts with its issuing agency code
  }
}

function finish(uii: string, extra: Omit<Uii, "UII"> = {}): Uii {
  if (uii.length > UII_MAX_LENGTH) {
    throw new ScanRejection(`UII "${uii}" has ${uii.length} characters; MIL-STD-130 allows at most ${UII_MAX_LENGTH}`, { keepFields: true });
  }
  return { UII: uii, ...extra };
}

function complete(e: Element): Uii {
  checkElements([e]);
  return finish(e.value);
}

function build(kind: EnterpriseKind, enterprise: Element, rest: Element[], construct: "1" | "2"): Uii {
  checkElements([enterprise, ...rest]);
  checkEnterprise(kind, enterprise);
  const { prefix, iac } = agency(kind, enterprise.value);
  const uii = prefix + enterprise.value + rest.map((e) => e.value).join("");
  return finish(uii, iac === undefined ? { construct } : { construct, IAC: iac });
}

const pick = (fields: Record<string, string>, names: string[], show: (n: string) => string): Element | undefined => {
  const name = names.find((n) => fields[n] !== undefined);
  return name === undefined ? undefined : { name: show(name), value: fields[name] ?? "" };
};

const ENTERPRISE_DIS: [string, EnterpriseKind][] = [
  ["17V", "CAGE"],
  ["12V", "DUNS"],
  ["3V", "GS1"],
  ["7L", "DODAAC"],
  ["18V", "IAC_EID"],
];

/** ISO/IEC 15434 format 06 (MH10.8.2 data identifiers), MIL-STD-130N Table A-II. */
export function uiiFromDataIdentifiers(fields: Record<string, string>): Uii | null {
  const di = (n: string) => `(${n})`;
  const full = pick(fields, ["25S"], di);
  if (full) return complete(full);
  const cageSerial = pick(fields, ["18S"], di);
  if (cageSerial) {
    checkElements([cageSerial]);
    return finish(`D${cageSerial.value}`, { construct: "1", IAC: "D" });
  }
  const equivalent = pick(fields, ["I", "22S"], di);
  const entry = ENTERPRISE_DIS.find(([name]) => fields[name] !== undefined);
  if (!entry) return equivalent ? complete(equivalent) : null;
  const [entName, kind] = entry;
  const enterprise = { name: di(entName), value: fields[entName] ?? "" };
  const original = pick(fields, ["1P", "1T"], di);
  const serial = pick(fields, ["S"], di);
  if (!original) {
    throw incomplete(
      `Construct #2 needs the original part number (1P) or the lot/batch number (1T) with ${enterprise.name}` +
        (serial ? " (for Construct #1 mark (18S) or (25S) instead)" : " and a serial number (S)"),
    );
  }
  if (!serial) throw incomplete(`Construct #2 requires a serial number (S) with ${enterprise.name} and ${original.name}`);
  return build(kind, enterprise, [original, serial], "2");
}

const ENTERPRISE_TEIS: [string, EnterpriseKind][] = [
  ["MFR", "CAGE"],
  ["CAG", "CAGE"],
  ["SPL", "CAGE"],
  ["DUN", "DUNS"],
  ["EUC", "GS1"],
];

/** ISO/IEC 15434 formats 12 and DD (text element identifiers), MIL-STD-130N Table A-I. */
export function uiiFromTextElements(fields: Record<string, string>): Uii | null {
  const tei = (n: string) => n;
  const full = pick(fields, ["UID"], tei);
  if (full) return complete(full);
  const entry = ENTERPRISE_TEIS.find(([name]) => fields[name] !== undefined);
  if (!entry) return null;
  const [entName, kind] = entry;
  const enterprise = { name: entName, value: fields[entName] ?? "" };
  const ser = pick(fields, ["SER"], tei);
  const seq = pick(fields, ["SEQ"], tei);
  if (ser && seq) {
    throw new ScanRejection("IUID data set is ambiguous: both SER (Construct #1) and SEQ (Construct #2) are given", { keepFields: true });
  }
  if (ser) return build(kind, enterprise, [ser], "1");
  if (!seq) {
    throw incomplete(`${enterprise.name} needs a serial number: SER (Construct #1), or SEQ with PNO or LOT (Construct #2)`);
  }
  const original = pick(fields, ["PNO", "LOT", "LTN"], tei);
  if (!original) throw incomplete(`Construct #2 (SEQ) requires the original part number (PNO) or the lot/batch number (LOT)`);
  return build(kind, enterprise, [original, seq], "2");
}

/** ISO/IEC 15434 format 05 (GS1 AIs): GIAI (8004), or GTIN (01) + serial (21). */
export function uiiFromGs1(fields: Record<string, string>): Uii | null {
  const giai = fields["8004"];
  if (giai !== undefined) return complete({ name: "(8004)", value: giai });
  const gtin = fields["01"];
  const serial = fields["21"];
  if (gtin !== undefined && serial !== undefined) {
    checkElements([
      { name: "(01)", value: gtin },
      { name: "(21)", value: serial },
    ]);
    return finish(gtin + serial);
  }
  return null;
}
