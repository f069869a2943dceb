import { describe, expect, it } from "vitest";
import { compareSerials, isEffective, type Effectivity } from "./effectivity";
import { localDate } from "../kitting/dates";

const open: Effectivity = { serialFrom: null, serialTo: null, effectiveFrom: null, effectiveTo: null };
const range = (serialFrom: string | null, serialTo: string | null): Effectivity => ({ ...open, serialFrom, serialTo });
const dates = (effectiveFrom: string | null, effectiveTo: string | null): Effectivity => ({ ...open, effectiveFrom, effectiveTo });

describe("isEffective: serial range (both ends inclusive, a null end open)", () => {
  it.each([
    { serial: "ACT-1001", from: "ACT-1001", to: "ACT-1004", ok: true, why: "the lower bound itself" },
    { serial: "ACT-1000", from: "ACT-1001", to: "ACT-1004", ok: false, why: "one below the lower bound" },
    { serial: "ACT-1004", from: "ACT-1001", to: "ACT-1004", ok: true, why: "the upper bound itself" },
    { serial: "ACT-1005", from: "ACT-1001", to: "ACT-1004", ok: false, why: "one above the upper bound" },
    { serial: "ACT-1003", from: "ACT-1003", to: "ACT-1003", ok: true, why: "a range of one serial" },
    { serial: "ACT-1", from: null, to: "ACT-1004", ok: true, why: "open lower end" },
    { serial: "ACT-1005", from: null, to: "ACT-1004", ok: false, why: "open lower end, above the upper bound" },
    { serial: "ACT-999999", from: "ACT-1001", to: null, ok: true, why: "open upper end" },
    { serial: "ACT-1000", from: "ACT-1001", to: null, ok: false, why: "open upper end, below the lower bound" },
    { serial: "ANY", from: null, to: null, ok: true, why: "no range at all" },
    // digit runs compare as numbers, not as text
    { serial: "ACT-999", from: "ACT-1000", to: null, ok: false, why: "fewer digits is a smaller number" },
    { serial: "ACT-10000", from: "ACT-1005", to: "ACT-9999", ok: false, why: "more digits is a larger number" },
    { serial: "ACT-100", from: "ACT-99", to: "ACT-101", ok: true, why: "ACT-99 < ACT-100 < ACT-101" },
    { serial: "ACT-0999", from: "ACT-999", to: "ACT-999", ok: true, why: "leading zeros do not count" },
    { serial: "act-1002", from: "ACT-1001", to: "ACT-1004", ok: true, why: "case does not count" },
    { serial: "ACT-1004A", from: "ACT-1001", to: "ACT-1004", ok: false, why: "a suffix sorts after the bare number" },
    { serial: "ACT-1003B", from: "ACT-1001", to: "ACT-1004", ok: true, why: "a suffixed serial inside the range" },
    // other prefixes: compared as text before the number
    { serial: "ACU-1002", from: "ACT-1001", to: "ACT-1004", ok: false, why: "a later prefix is above the range" },
    { serial: "ACS-1002", from: "ACT-1001", to: "ACT-1004", ok: false, why: "an earlier prefix is below the range" },
    { serial: "B-7", from: "A-100", to: "C-1", ok: true, why: "a range across prefixes holds what sorts between them" },
    { serial: "1002", from: "ACT-1001", to: "ACT-1004", ok: false, why: "digits sort before letters" },
  ])("$serial in [$from, $to] -> $ok ($why)", ({ serial, from, to, ok }) => {
    expect(isEffective(range(from, to), serial, "2026-06-15")).toBe(ok);
  });

  it("ignores the serial range when there is no serial (an order without unit rows), but not the dates", () => {
    expect(isEffective(range("ACT-1001", "ACT-1001"), null, "2026-06-15")).toBe(true);
    expect(isEffective({ ...range("ACT-1001", "ACT-1001"), effectiveTo: "2026-06-14" }, null, "2026-06-15")).toBe(false);
  });
});

describe("isEffective: date range (calendar dates, both ends inclusive, a null end open)", () => {
  it.each([
    { date: "2026-03-01", from: "2026-03-01", to: "2026-03-31", ok: true, why: "the first day" },
    { date: "2026-02-28", from: "2026-03-01", to: "2026-03-31", ok: false, why: "the day before" },
    { date: "2026-03-31", from: "2026-03-01", to: "2026-03-31", ok: true, why: "the last day" },
    { date: "2026-04-01", from: "2026-03-01", to: "2026-03-31", ok: false, why: "the day after" },
    { date: "2026-03-15", from: "2026-03-15", to: "2026-03-15", ok: true, why: "a one-day range" },
    { date: "1999-01-01", from: null, to: "2026-03-31", ok: true, why: "open start" },
    { date: "2099-12-31", from: "2026-03-01", to: null, ok: true, why: "open end" },
    { date: "2026-12-31", from: "2026-01-01", to: "2027-01-01", ok: true, why: "across a year end" },
  ])("$date in [$from, $to] -> $ok ($why)", ({ date, from, to, ok }) => {
    expect(isEffective(dates(from, to), "ACT-1", date)).toBe(ok);
  });

  // The date is the calendar date in the site's time zone, as the callers derive it (localDate): in Chicago a line
  // effective from 2026-03-01 does not apply at 05:59 UTC on March 1st (still February 28th there), but at 06:00.
  it.each([
    { at: "2026-03-01T05:59:59Z", zone: "America/Chicago", from: "2026-03-01", to: null, ok: false },
    { at: "2026-03-01T06:00:00Z", zone: "America/Chicago", from: "2026-03-01", to: null, ok: true },
    { at: "2026-04-01T04:59:59Z", zone: "America/Chicago", from: null, to: "2026-03-31", ok: true }, // CDT: UTC-5
    { at: "2026-04-01T05:00:00Z", zone: "America/Chicago", from: null, to: "2026-03-31", ok: false },
    { at: "2026-02-28T23:00:00Z", zone: "Europe/Berlin", from: "2026-03-01", to: null, ok: true }, // already March 1st there
    { at: "2026-02-28T22:59:59Z", zone: "Europe/Berlin", from: "2026-03-01", to: null, ok: false },
  ])("at $at in $zone, effective [$from, $to] -> $ok", ({ at, zone, from, to, ok }) => {
    expect(isEffective(dates(from, to), "ACT-1", localDate(new Date(at), zone))).toBe(ok);
  });
});

describe("isEffective: serial and date together (both must hold)", () => {
  const line: Effectivity = { serialFrom: "ACT-1001", serialTo: "ACT-1004", effectiveFrom: "2026-03-01", effectiveTo: "2026-03-31" };
  it.each([
    { serial: "ACT-1004", date: "2026-03-31", ok: true, why: "both upper bounds" },
    { serial: "ACT-1001", date: "2026-03-01", ok: true, why: "both lower bounds" },
    { serial: "ACT-1005", date: "2026-03-15", ok: false, why: "serial out, date in" },
    { serial: "ACT-1002", date: "2026-04-01", ok: false, why: "serial in, date out" },
    { serial: "ACT-1000", date: "2026-02-28", ok: false, why: "both out" },
  ])("$serial on $date -> $ok ($why)", ({ serial, date, ok }) => {
    expect(isEffective(line, serial, date)).toBe(ok);
  });
});

describe("compareSerials", () => {
  it.each([
    { a: "ACT-99", b: "ACT-100", sign: -1 },
    { a: "ACT-100", b: "ACT-99", sign: 1 },
    { a: "ACT-0999", b: "ACT-999", sign: 0 },
    { a: "act-1001", b: "ACT-1001", sign: 0 },
    { a: "A-5", b: "B-1", sign: -1 },
    { a: "X-2-10", b: "X-2-9", sign: 1 },
  ])("$a vs $b -> $sign", ({ a, b, sign }) => {
    expect(Math.sign(compareSerials(a, b))).toBe(sign);
  });
});
