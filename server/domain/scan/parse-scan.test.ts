import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScan, scanIdentifiers, type ScanResult } from "./parse-scan";

const GS = "\u001d";
const RS = "\u001e";
const EOT = "\u0004";
const env = (format: string, ...elements: string[]) => `[)>${RS}${format}${GS}${elements.join(GS)}${RS}${EOT}`;

/** A fixed "today" (mid-2026) so the GS1 century rule is deterministic. */
const TODAY = new Date("2026-07-01T12:00:00Z");
const scan = (input: string, today = TODAY): ScanResult => parseScan(input, { today });

type Vector = {
  id: string;
  input: string;
  valid: boolean;
  syntax: string;
  fields: Record<string, string>;
  derived?: Record<string, unknown>;
  reason?: string;
};

/** The label contract's vectors, vendored in ./vectors (origin and checksums in vectors/SOURCES.md). */
const vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL("./vectors/label-vectors.json", import.meta.url)), "utf8"),
) as Vector[];

/**
 * The facts a vector's `reason` names that the error must name too: parenthesised AIs / data identifiers, the
 * numbers it quotes (month 42, 15 digits, should be 3, correct: ...), and the subject keywords.
 */
function keyFacts(reason: string): RegExp[] {
  const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  const facts: RegExp[] = [];
  for (const m of reason.matchAll(/\(([0-9A-Z]{1,4})\)/g)) facts.push(literal(`(${m[1]})`));
  for (const m of reason.matchAll(/month (\d+)/g)) facts.push(literal(`month ${m[1]}`));
  for (const m of reason.matchAll(/(\d+) (?:digits|characters)/g)) facts.push(new RegExp(`\\b${m[1]}\\b`));
  for (const m of reason.matchAll(/should be (\d+)/g)) facts.push(literal(`should be ${m[1]}`));
  for (const m of reason.matchAll(/correct: (\d+)/g)) facts.push(literal(m[1] ?? ""));
  const subjects = [
    /check digit/i,
    /symbology identifier/i,
    /no AI data/i,
    /scheme/i,
    /CSET 82/i,
    /\bspace\b/i,
    /\^/,
    /'\+'|"\+"/,
    /mutually exclusive/i,
    /repeated/i,
    /key qualifier/i,
    /out of order/i,
    /\bEOT\b/,
    /\bRS\b/,
    /Construct #2/,
    /lower-case/i,
    /unknown/i,
  ];
  for (const subject of subjects) if (subject.test(reason)) facts.push(subject);
  return facts;
}

describe("label-vectors.json (vectors/, the label contract)", () => {
  it("has vectors to run", () => {
    expect(vectors.length).toBeGreaterThan(30);
  });

  it.each(vectors.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const r = scan(v.input);
    expect(r.valid).toBe(v.valid);
    expect(r.syntax).toBe(v.syntax);
    expect(r.fields).toEqual(v.fields);
    for (const [key, value] of Object.entries(v.derived ?? {})) expect(r.derived[key], `derived.${key}`).toEqual(value);
    if (v.valid) {
      expect(r.error).toBeUndefined();
    } else {
      expect(r.error).toBeTruthy();
      const facts = keyFacts(v.reason ?? "");
      for (const fact of facts) expect(r.error, `the error should name ${String(fact)} like the reason does`).toMatch(fact);
    }
  });
});

describe("rule 1: GS1 element strings follow the syntax dictionary strictly", () => {
  it.each([
    ["GTIN (01) good check digit", "(01)09506000134352", true, null],
    ["GTIN (01) bad check digit", "(01)09506000134353", false, /\(01\).*should be 2/],
    ["SSCC (00) bad check digit", "(00)006141411234567891", false, /\(00\).*check digit/],
    ["GMN (8013) good check pair", "(8013)1987654Ad4X4bL5ttr2310c2K", true, null],
    ["GMN (8013) bad check pair", "(8013)1987654Ad4X4bL5ttr2310cXK", false, /\(8013\).*check character pair/],
    ["fixed length too short", "(01)0950600013435", false, /\(01\).*14 digits; 13 given/],
    ["variable length too long", `(01)09506000134352(21)${"A".repeat(21)}`, false, /\(21\).*at most 20.*21 given/],
    ["digits only in (17)", "(01)09506000134352(17)29A231", false, /\(17\).*not allowed; digits only/],
    ["CSET 82 in (10): '#' refused", "(01)09506000134352(10)LOT#1", false, /\(10\).*"#".*CSET 82/],
    ["country code list (422)", "(01)09506000134352(422)999", false, /\(422\).*ISO 3166/],
    ["unknown AI", "(89)ABC", false, /\(89\) is not a GS1 Application Identifier/],
    ["empty value", "(01)09506000134352(10)", false, /\(10\).*no data/],
  ] as const)("%s", (_name, input, valid, error) => {
    const r = scan(input);
    expect(r.valid).toBe(valid);
    if (error) expect(r.error).toMatch(error);
    else expect(r.error).toBeUndefined();
  });

  it("reads a raw element string without GS when the last AI is variable-length, and refuses '^' as a separator", () => {
    expect(scan("01095060001343521729123110LOT1")).toMatchObject({
      valid: true,
      syntax: "GS1",
      fields: { "01": "09506000134352", "17": "291231", "10": "LOT1" },
    });
    const caret = scan("0109506000134352^10LOT1");
    expect(caret).toMatchObject({ valid: false, syntax: "GS1" });
    expect(caret.error).toMatch(/"\^".*GS \(0x1D\)/);
  });

  it("accepts a repeated AI with the same value once; a leading FNC1 (GS) or ]C1 + GS is accepted", () => {
    expect(scan("(01)09506000134352(10)LOT1(10)LOT1").fields).toEqual({ "01": "09506000134352", "10": "LOT1" });
    expect(scan(`${GS}0109506000134352${GS}10LOT1`)).toMatchObject({ valid: true, syntax: "GS1" });
    expect(scan(`]C1${GS}010950600013435210LOT1`)).toMatchObject({ valid: true, fields: { "10": "LOT1" } });
  });

  it("reports a missing separator when a variable-length value runs past its maximum", () => {
    const r = scan(`]d2010950600013435210${"L".repeat(20)}21SN1`);
    expect(r.valid).toBe(false);
    expect(r.error).toMatch(/\(10\).*GS separator missing/);
  });

  it("derives ISO dates and date-times for date AIs", () => {
    expect(scan(`]d2010950600013435270032903311430`).derived).toEqual({ "7003_iso": "2029-03-31T14:30" });
    expect(scan(`]d201095060001343527007290301290305`).derived).toEqual({ "7007_iso": "2029-03-01/2029-03-05" });
    expect(scan(`]d20109506000134352${"7003"}2903312460`).error).toMatch(/\(7003\).*hour 24 does not exist/);
  });
});

describe("rule 4: dates (day 00, century rule)", () => {
  it.each([
    ["(17)290200", "2029-02-28"],
    ["(17)280200", "2028-02-29"],
    ["(11)291200", "2029-12-31"],
    ["(15)290400", "2029-04-30"],
  ])("day 00 means the last day of the month: %s", (ai, iso) => {
    const key = `${ai.slice(1, 3)}_iso`;
    expect(scan(`(01)09506000134352${ai}`).derived[key]).toBe(iso);
  });

  it.each([
    ["(17)290431", /day 31 does not exist in 2029-04/],
    ["(17)270229", /day 29 does not exist in 2027-02/],
    ["(7006)290200", /day 00 is not allowed/],
    ["(17)291300", /month 13 does not exist/],
  ])("refuses impossible dates: %s", (ai, error) => {
    const r = scan(`(01)09506000134352${ai}`);
    expect(r.valid).toBe(false);
    expect(r.error).toMatch(error);
  });

  it.each([
    ["2026-07-01", "760101", "2076-01-01"],
    ["2026-07-01", "770101", "1977-01-01"],
    ["2026-07-01", "000101", "2000-01-01"],
    ["2026-07-01", "991231", "1999-12-31"],
    ["2080-01-01", "300101", "2130-01-01"],
    ["2099-06-01", "490101", "2149-01-01"],
    ["2099-06-01", "500101", "2050-01-01"],
    ["2001-06-01", "510101", "2051-01-01"],
    ["2001-06-01", "520101", "1952-01-01"],
  ])("today %s: YY of %s is %s (within -49..+50 years)", (today, yymmdd, iso) => {
    const r = scan(`(01)09506000134352(17)${yymmdd}`, new Date(`${today}T12:00:00Z`));
    expect(r.derived["17_iso"]).toBe(iso);
  });
});

describe("rule 1: associative rules req= / ex=", () => {
  it.each([
    ["(10) needs a GTIN", "(10)LOT1", /\(10\).*needs \(01\), \(02\), \(03\), \(8006\) or \(8026\)/],
    ["(02) needs (37)", "(02)09506000134352", /\(02\).*needs \(37\)/],
    ["(01) and (02) are mutually exclusive", "(01)09506000134352(02)09506000134352", /\(02\) CONTENT and \(01\) GTIN are mutually exclusive/],
    ["(01) and (37) are mutually exclusive", "(00)006141411234567890(01)09506000134352(37)5", /\(01\) GTIN and \(37\) COUNT are mutually exclusive/],
    ["(3100) and (3101) exclude each other by pattern 310n", "(01)09506000134352(3100)000100(3101)000010", /\(3100\).*\(3101\).*mutually exclusive/],
    ["(7004) needs (01) together with (10)", "(01)09506000134352(7004)12", /\(7004\).*needs \(01\) with \(10\)/],
    ["(250) needs (21) as well as (01)", "(01)09506000134352(250)SEC1", /\(250\).*needs \(21\)/],
  ])("%s", (_name, input, error) => {
    const r = scan(input);
    expect(r.valid).toBe(false);
    expect(r.error).toMatch(error);
  });

  it.each([
    ["(00)+(02)+(37)", "(00)006141411234567890(02)09506000134352(37)10"],
    ["(3100)+(3200): different measures", "(01)09506000134352(3100)000100(3200)000220"],
    ["(7004) with (01)+(10)", "(01)09506000134352(10)L1(7004)12"],
    ["(250) with (01)+(21)", "(01)09506000134352(21)S1(250)SEC1"],
  ])("satisfied: %s", (_name, input) => {
    expect(scan(input)).toMatchObject({ valid: true, syntax: "GS1" });
  });
});

describe("rule 2: raw digits are plain text; AIM identifiers; bracketed form", () => {
  it.each([
    ["16 raw digits that would read as (01)+AI", "0109506000134352"],
    ["a 14-digit GTIN without identifier", "09506000134352"],
    ["12 digits failing the UPC-A check", "541234500016"],
    ["13 digits failing the EAN-13 check", "2112345678901"],
    ["a short number", "4711"],
  ])("%s", (_name, input) => {
    expect(scan(input)).toEqual({ valid: true, syntax: "plain-text", fields: { text: input }, derived: {} });
  });

  it("treats raw AI data as GS1 only when it is unmistakable (GS separator, or SSCC/GTIN with its full value)", () => {
    expect(scan("10ABC")).toMatchObject({ valid: true, syntax: "plain-text" });
    expect(scan("21SN000123")).toMatchObject({ valid: true, syntax: "plain-text" });
    expect(scan(`10ABC${GS}21X`)).toMatchObject({ valid: false, syntax: "GS1" });
    expect(scan("010950600013435310LOT1")).toMatchObject({ valid: false, syntax: "GS1" });
  });

  it.each([
    ["]", /incomplete AIM symbology identifier/],
    ["]d", /incomplete AIM symbology identifier/],
    ["]X0ABC", /unknown or unsupported AIM symbology identifier "\]X0"/],
    ["]Q3", /no AI data/],
    ["]e0", /no AI data/],
  ])("%s is refused", (input, error) => {
    const r = scan(input);
    expect(r.valid).toBe(false);
    expect(r.error).toMatch(error);
  });

  it("reads non-GS1 carriers (]d1, ]Q1, ]C0, ]A0) as envelope, URI or plain text", () => {
    expect(scan("]A0PN-7734-A1")).toMatchObject({ valid: true, syntax: "plain-text", fields: { text: "PN-7734-A1" } });
    expect(scan("]C00109506000134352")).toMatchObject({ valid: true, syntax: "plain-text" });
    expect(scan("]Q1https://id.gs1.org/01/09506000134352")).toMatchObject({ valid: true, syntax: "GS1-DigitalLink" });
    expect(scan(`]d1${env("DD", "MFR 0CVA5", "SER 674A36458")}`).derived).toMatchObject({ UII: "D0CVA5674A36458" });
  });

  it("reads the bracketed form with an escaped parenthesis", () => {
    expect(scan("(01)09506000134352(10)A\\(1)").fields).toEqual({ "01": "09506000134352", "10": "A(1)" });
    expect(scan("(spare) PN-1")).toMatchObject({ valid: true, syntax: "plain-text" });
  });
});

describe("rule 5: GS1 Digital Link", () => {
  it.each([
    ["all qualifiers in order", "https://id.gs1.org/01/09506000134352/22/V1/10/L1/21/S1", { "01": "09506000134352", "22": "V1", "10": "L1", "21": "S1" }],
    ["a subset in order", "https://id.gs1.org/01/09506000134352/10/L1/21/S1", { "01": "09506000134352", "10": "L1", "21": "S1" }],
    ["the alternative qualifier 235", "https://id.gs1.org/01/09506000134352/235/T1", { "01": "09506000134352", "235": "T1" }],
    ["a stem before the key", "https://brand.example.com/some/stem/01/09506000134352", { "01": "09506000134352" }],
    ["percent-decoding and ignored non-AI parameters", "http://a.example/01/09506000134352/10/A%2FB?x=1&flag&17=291231#frag", { "01": "09506000134352", "10": "A/B", "17": "291231" }],
  ])("valid: %s", (_name, uri, fields) => {
    expect(scan(uri)).toMatchObject({ valid: true, syntax: "GS1-DigitalLink", fields });
  });

  it.each([
    ["qualifiers out of order", "https://id.gs1.org/01/09506000134352/10/L1/22/V1", /out of order; after \(01\) the order is 22, 10, 21/],
    ["mixed qualifier sequences", "https://id.gs1.org/01/09506000134352/22/V1/235/T1", /cannot be mixed/],
    ["a non-qualifier in the path", "https://id.gs1.org/01/09506000134352/17/291231", /\(17\) is not a key qualifier of \(01\)/],
    ["a 13-digit GTIN in the path", "https://id.gs1.org/01/9506000134352", /\(01\).*14 digits; 13 given.*pad/],
    ["an upper-case scheme", "HTTPS://id.gs1.org/01/09506000134352", /scheme "HTTPS"/],
    ["a duplicate AI", "https://id.gs1.org/01/09506000134352/10/L1?99=X&10=L1", /\(10\).*more than once/],
    ["a key qualifier in the query", "https://id.gs1.org/01/09506000134352?21=S1", /\(21\).*(not permitted as a data attribute|must be in the path)/],
    ["an unknown numeric query parameter", "https://id.gs1.org/01/09506000134352?999=X", /"999" is not a GS1 Application Identifier/],
    ["a query attribute validated like an element string", "https://id.gs1.org/01/09506000134352?17=291331", /\(17\).*month 13/],
    ["a trailing slash", "https://id.gs1.org/01/09506000134352/", /must not end with '\/'/],
    ["no primary key", "https://example.com/products/4711", /no primary key/],
    ["a space in the URI", "https://id.gs1.org/01/09506000134352/10/A B", /a space.*not allowed in a URI/],
    ["an unknown AI after the key", "https://id.gs1.org/01/09506000134352/89/X", /"89" after \(01\) is not a GS1 Application Identifier/],
    ["a key without its value", "https://id.gs1.org/01", /\(01\) GTIN has no value/],
  ])("invalid: %s", (_name, uri, error) => {
    const r = scan(uri);
    expect(r).toMatchObject({ valid: false, syntax: "GS1-DigitalLink", fields: {} });
    expect(r.error).toMatch(error);
  });
});

describe("rule 6: EAN-13 and UPC-A become GTIN-14 after the check digit passes", () => {
  it.each([
    ["raw EAN-13", "2112345678900", "EAN-13", "02112345678900"],
    ["raw UPC-A", "416000336108", "UPC-A", "00416000336108"],
    ["]E0 EAN-13", "]E04006381333931", "EAN-13", "04006381333931"],
    ["]E0 carrying a UPC-A", "]E00416000336108", "EAN-13", "00416000336108"],
    ["]E4 EAN-8", "]E402345673", "EAN-8", "00000002345673"],
  ])("%s", (_name, input, syntax, gtin) => {
    expect(scan(input)).toEqual({ valid: true, syntax, fields: { "01": gtin }, derived: {} });
  });

  it.each([
    ["]E0123456789012", /13 digits; 12 given/],
    ["]E01234ABC890123", /digits only/],
    ["]E402345674", /EAN-8 check digit is 4 but should be 3/],
  ])("%s is refused", (input, error) => {
    expect(scan(input).error).toMatch(error);
  });

  it("reads an EAN-13 composite (|]e0) and applies the associative rules over both parts", () => {
    expect(scan(`]E02112345678900|]e099COMPOSITE${GS}10L1`).fields).toEqual({ "01": "02112345678900", "99": "COMPOSITE", "10": "L1" });
  });
});

describe("rule 3: ISO/IEC 15434 format 05 reports GS1 associative violations as warnings", () => {
  const mil130 = env("05", "800406141419999960MH80312", "21MH80312", "950614141", "24099999");

  it("accepts the MIL-STD-130N figure with warnings naming the missing companions", () => {
    const r = scan(mil130);
    expect(r).toMatchObject({ valid: true, syntax: "ISO15434-05 (GS1 AI)", derived: { UII: "06141419999960MH80312" } });
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings?.[0]).toMatch(/\(21\).*needs \(01\)/);
    expect(r.warnings?.[1]).toMatch(/\(240\).*needs \(01\)/);
  });

  it("refuses the same data outside the envelope, and other errors stay errors inside it", () => {
    expect(scan(`]d2800406141419999960MH80312${GS}21MH80312`).valid).toBe(false);
    const bad = scan(env("05", "0109506000134353", "21S1"));
    expect(bad.valid).toBe(false);
    expect(bad.error).toMatch(/\(01\).*check digit/);
  });

  it("builds the UII from GTIN + serial, and has no warnings when the rules hold", () => {
    const r = scan(env("05", "0109506000134352", "21SN1"));
    expect(r).toMatchObject({ valid: true, derived: { UII: "09506000134352SN1" } });
    expect(r.warnings).toBeUndefined();
  });
});

describe("rule 7: IUID unique item identifier", () => {
  it.each([
    ["CAG + SER (construct 1)", env("12", "CAG 1ABC2", "SER 9876"), { UII: "D1ABC29876", construct: "1", IAC: "D" }],
    ["DUN + SER", env("DD", "DUN 123456789", "SER 55"), { UII: "UN12345678955", construct: "1", IAC: "UN" }],
    ["EUC + SER (GS1 company prefix carries its IAC)", env("DD", "EUC 0614141", "SER 77"), { UII: "061414177", construct: "1", IAC: "0" }],
    ["MFR + LOT + SEQ (construct 2 by lot)", env("12", "MFR 0CVA5", "LOT L-7", "SEQ 001"), { UII: "D0CVA5L-7001", construct: "2", IAC: "D" }],
    ["UID (complete UII)", env("DD", "UID D0CVA5674A36458"), { UII: "D0CVA5674A36458" }],
    ["18S: CAGE + serial", env("06", "18S0CVA5674A36458"), { UII: "D0CVA5674A36458", construct: "1", IAC: "D" }],
    ["25S: complete UII", env("06", "25SUN12345678955"), { UII: "UN12345678955" }],
    ["7L DoDAAC + 1T lot + S", env("06", "7LW12345", "1TLOT9", "S12"), { UII: "LDW12345LOT912", construct: "2", IAC: "LD" }],
  ])("%s", (_name, input, derived) => {
    const r = scan(input);
    expect(r.valid).toBe(true);
    expect(r.derived).toEqual(derived);
  });

  it("allows a UII of exactly 50 characters and refuses 51", () => {
    const ok = scan(env("DD", "MFR 0CVA5", `SER ${"9".repeat(44)}`));
    expect(ok).toMatchObject({ valid: true, derived: { construct: "1" } });
    expect(String(ok.derived.UII)).toHaveLength(50);
    const long = scan(env("DD", "MFR 0CVA5", `SER ${"9".repeat(45)}`));
    expect(long.valid).toBe(false);
    expect(long.error).toMatch(/51 characters.*at most 50/);
    expect(long.fields).toEqual({ MFR: "0CVA5", SER: "9".repeat(45) });
  });

  it.each([
    ["enterprise without serial", env("DD", "MFR 0CVA5", "PNR 123"), /incomplete.*SER.*SEQ/],
    ["SEQ without PNO or LOT", env("12", "MFR 0CVA5", "SEQ 1"), /Construct #2.*PNO.*LOT/],
    ["both SER and SEQ", env("12", "MFR 0CVA5", "SER 1", "SEQ 1"), /ambiguous/],
    ["CAGE of 4 characters", env("DD", "MFR 0CVA", "SER 1"), /MFR "0CVA".*CAGE code is 5/],
    ["DUNS with a letter", env("06", "12V12345678X", "1PA", "S1"), /\(12V\).*DUNS/],
    ["17V + S without 1P/1T", env("06", "17V0CVA5", "S1"), /Construct #2.*\(1P\).*\(1T\)/],
    ["a space in a UII element", env("DD", "MFR 0CVA5", "SER 12 34"), /a space is not allowed in UII data elements/],
  ])("refuses %s and keeps the fields it read", (_name, input, error) => {
    const r = scan(input);
    expect(r.valid).toBe(false);
    expect(r.error).toMatch(error);
    expect(Object.keys(r.fields).length).toBeGreaterThan(0);
  });

  it("needs no UII when the data names no enterprise (a plain part label)", () => {
    expect(scan(env("12", "PNR 123-45", "SER 6789"))).toEqual({
      valid: true,
      syntax: "ISO15434-12 (ATA Spec 2000 TEI)",
      fields: { PNR: "123-45", SER: "6789" },
      derived: {},
    });
  });
});

describe("ISO/IEC 15434 envelopes", () => {
  it.each([
    ["missing EOT", `[)>${RS}06${GS}1PA${RS}`, /trailer EOT.*missing/],
    ["missing RS before EOT", `[)>${RS}06${GS}1PA${EOT}`, /format trailer RS is missing/],
    ["no RS after the header", `[)>06${GS}1PA${RS}${EOT}`, /must be followed by RS/],
    ["an unsupported format", env("07", "free text"), /format "07" is not supported/],
    ["two format envelopes", `[)>${RS}06${GS}1PA${RS}06${GS}SB${RS}${EOT}`, /more than one format envelope/],
    ["an empty data element", env("06", "1PA", "", "S1"), /data element 2 is empty/],
    ["a TEI without its space", env("DD", "MFR0CVA5"), /MFR must be followed by a space/],
    ["a bad data identifier", env("06", "1234"), /does not start with a data identifier/],
    ["an impossible D date", env("06", "1PA", "D290230"), /\(D\).*day 30 does not exist/],
    ["a wrong PPN check", env("06", "9N112097776021"), /\(9N\).*PPN check digits are 21 but should be 20/],
    ["a repeated data identifier", env("06", "SA", "SB"), /\(S\) is repeated/],
  ])("refuses %s", (_name, input, error) => {
    const r = scan(input);
    expect(r.valid).toBe(false);
    expect(r.syntax).toMatch(/^ISO15434/);
    expect(r.error).toMatch(error);
  });

  it("checks the GTIN of (8P)", () => {
    expect(scan(env("06", "8P09506000134352", "S1"))).toMatchObject({ valid: true, fields: { "8P": "09506000134352" } });
    expect(scan(env("06", "8P09506000134353")).error).toMatch(/\(8P\).*check digit/);
  });

  it("reads YYYYMMDD dates of data identifiers", () => {
    expect(scan(env("06", "1PA", "14D20291231")).derived).toEqual({ "14D_iso": "2029-12-31" });
  });
});

describe("plain text", () => {
  it("trims what the wedge adds and keeps the text", () => {
    expect(scan("  LOT 42  \r\n")).toEqual({ valid: true, syntax: "plain-text", fields: { text: "LOT 42" }, derived: {} });
    expect(scan(`]d2010950600013435210L1\r\n`)).toMatchObject({ valid: true, fields: { "10": "L1" } });
    expect(scan(`${env("DD", "MFR 0CVA5", "SER 1")}\n`)).toMatchObject({ valid: true, derived: { UII: "D0CVA51" } });
  });

  it.each([
    ["", "none", /empty/],
    ["   ", "none", /empty/],
    [`PN${RS}1`, "plain-text", /control character RS/],
    ["X".repeat(101), "plain-text", /101 characters.*at most 100/],
  ])("refuses %j", (input, syntax, error) => {
    const r = scan(input);
    expect(r).toMatchObject({ valid: false, syntax, fields: {}, derived: {} });
    expect(r.error).toMatch(error);
  });
});

describe("scanIdentifiers", () => {
  it.each([
    [`]d2010950600013435210LOT-4711${GS}17291231${GS}21SN000123${GS}240PN-7734`, { gtin: "09506000134352", lot: "LOT-4711", serial: "SN000123", expiry: "2029-12-31", partNumber: "PN-7734" }],
    ["https://id.gs1.org/01/09506000134352/10/L1?17=290200", { gtin: "09506000134352", lot: "L1", expiry: "2029-02-28" }],
    ["541234500015", { gtin: "00541234500015" }],
    [env("06", "17V0CVA5", "1P1234", "S674A36458", "1TLOT1", "14D20290101"), { cage: "0CVA5", partNumber: "1234", serial: "674A36458", lot: "LOT1", expiry: "2029-01-01", uii: "D0CVA51234674A36458" }],
    [env("12", "MFR 0CVA5", "PNO 1234", "PNR 1234-B", "SEQ 674A36458"), { cage: "0CVA5", partNumber: "1234-B", serial: "674A36458", uii: "D0CVA51234674A36458" }],
    ["PN-7734-A1", { text: "PN-7734-A1" }],
  ])("%j", (input, ids) => {
    expect(scanIdentifiers(scan(input))).toEqual(ids);
  });

  it("gives nothing for an invalid scan", () => {
    expect(scanIdentifiers(scan("(01)09506000134353"))).toEqual({});
  });
});
