import { describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors";
import { answersFor, confirmationOrderingKey, decodeCursor, encodeCursor, isDeadLetter, nextAttemptAt, type PushOutcome } from "./outbound";

const NOW = new Date("2026-11-25T16:00:00Z");
const POLICY = { baseMs: 2_000, capMs: 60_000, maxAttempts: 5 };

describe("confirmationOrderingKey", () => {
  it.each([
    [{ order: "WO-1", material: "P", batch: "L1", serial: null }, "order:WO-1"],
    [{ order: null, material: "P", batch: "L1", serial: null }, "item:P|L1|"],
    [{ order: null, material: "P", batch: null, serial: "S9" }, "item:P||S9"],
    [{ order: "", material: "P", batch: null, serial: null }, "item:P||"],
    // a finished unit's shipment or scrap follows its order's receipt 101
    [{ order: null, builtOnOrder: "WO-1", material: "ASSY", batch: null, serial: "U1" }, "order:WO-1"],
    // hold status: a lot hold is ordered with the lot; a manufacturer hold with its target
    [{ material: "P", batch: "L1", serial: null, target: { type: "lot", key: "L1" } }, "item:P|L1|"],
    [{ material: null, batch: null, serial: null, target: { type: "manufacturer", key: "3AB71" } }, "manufacturer:3AB71"],
    [{ material: null, batch: null, serial: null, target: { type: "supplier", key: "S-01" } }, "supplier:S-01"],
  ])("%j -> %s", (payload, key) => expect(confirmationOrderingKey(payload)).toBe(key));
});

describe("nextAttemptAt: exponential backoff with jitter", () => {
  it.each([
    [1, 0, 1_000],
    [1, 0.999999, 2_000],
    [2, 0, 2_000],
    [3, 0.5, 6_000],
    [6, 0, 30_000],
    [6, 0.999999, 60_000],
    [40, 0.5, 45_000],
  ])("after %i failed attempt(s), random %d: %i ms later", (failed, random, ms) => {
    expect(nextAttemptAt(failed, NOW, POLICY, random).getTime() - NOW.getTime()).toBe(ms);
  });
  it("a dead letter after maxAttempts failures", () => {
    expect(isDeadLetter(4, POLICY)).toBe(false);
    expect(isDeadLetter(5, POLICY)).toBe(true);
  });
});

describe("answersFor: what an ERP's answer means per message", () => {
  const ids = ["a", "b", "c"];
  const results = (m: Record<string, string>) => new Map(Object.entries(m).map(([id, status]) => [id, { status }]));
  it.each<[string, PushOutcome, Record<string, string>]>([
    ["refused connection: retry, not ambiguous", { kind: "not_sent", error: "ECONNREFUSED" }, { a: "retry:clear", b: "retry:clear", c: "retry:clear" }],
    ["timeout: retry, ambiguous", { kind: "ambiguous", error: "timeout" }, { a: "retry:ambiguous", b: "retry:ambiguous", c: "retry:ambiguous" }],
    ["500: ambiguous (may have been applied)", { kind: "answered", httpStatus: 500, results: null }, { a: "retry:ambiguous", b: "retry:ambiguous", c: "retry:ambiguous" }],
    ["429: retry later", { kind: "answered", httpStatus: 429, results: null }, { a: "retry:clear", b: "retry:clear", c: "retry:clear" }],
    ["401: retry (credentials), not a dead letter", { kind: "answered", httpStatus: 401, results: null }, { a: "retry:clear", b: "retry:clear", c: "retry:clear" }],
    ["bare 204: all delivered", { kind: "answered", httpStatus: 204, results: null }, { a: "delivered", b: "delivered", c: "delivered" }],
    [
      "per-message results",
      { kind: "answered", httpStatus: 200, results: results({ a: "applied", b: "duplicate", c: "rejected" }) },
      { a: "delivered", b: "delivered", c: "rejected" },
    ],
    ["skipped and unmentioned", { kind: "answered", httpStatus: 200, results: results({ a: "applied", b: "skipped" }) }, { a: "delivered", b: "retry:clear", c: "retry:ambiguous" }],
    ["400: the batch refused", { kind: "answered", httpStatus: 400, results: null }, { a: "rejected", b: "rejected", c: "rejected" }],
  ])("%s", (_, outcome, expected) => {
    const got = Object.fromEntries(
      [...answersFor(ids, outcome)].map(([id, a]) => [id, a.kind === "retry" ? `retry:${a.ambiguous ? "ambiguous" : "clear"}` : a.kind]),
    );
    expect(got).toEqual(expected);
  });
});

describe("pull cursors", () => {
  it("round-trips a position", () => {
    expect(decodeCursor(encodeCursor(123456789012))).toBe(123456789012);
    expect(decodeCursor(null)).toBeNull();
  });
  it.each(["garbage", Buffer.from("feed:x").toString("base64url"), Buffer.from("1.2").toString("base64url")])("refuses %s", (c) => {
    expect(() => decodeCursor(c)).toThrow(DomainError);
  });
});
