/**
 * The one clock of the test suite. The demo template database is seeded at TEST_NOW (db/testing/templates.ts), and
 * every test that works on seeded data takes its time from here (or from an offset of it), so that no test depends on
 * the day it runs: CI also runs the suite with the machine's clock a year ahead to prove it.
 */
export const TEST_NOW = new Date("2026-11-25T16:42:07Z");

/** TEST_NOW moved by a number of minutes (negative: earlier). */
export function testTime(minutes: number): Date {
  return new Date(TEST_NOW.getTime() + minutes * 60_000);
}
