import { describe, expect, it } from "vitest";
import { operatorMessage, SCAN_WORDS } from "./operator-message";
import { serverAnswered } from "@/components/kitting/use-request-id";
import { kittingRefusal } from "@/components/kitting/refusal-words";

describe("operatorMessage", () => {
  it("keeps the server's words and adds what to do next for a domain refusal", () => {
    const m = operatorMessage({ message: "Not enough stock at that location.", data: { code: "CONFLICT", domain: { code: "INSUFFICIENT_STOCK" } } });
    expect(m).toEqual({
      code: "INSUFFICIENT_STOCK",
      message: "Not enough stock at that location.",
      next: expect.stringMatching(/stage more/),
      retryable: false,
      reference: null,
    });
  });
  it("never shows a stack or a technical message for a server failure, and gives the reference", () => {
    const m = operatorMessage({ message: 'relation "x" does not exist', data: { code: "INTERNAL_SERVER_ERROR", domain: null, correlationId: "9f2c41d07a6b3e58" } });
    expect(m.message).toBe("Something went wrong on the server; this action was not recorded.");
    expect(m.next).toBe("Try again. If it keeps happening, tell a supervisor. Reference: 9f2c41d07a6b3e58.");
    expect(JSON.stringify(m)).not.toContain("relation");
  });
  it("tells the operator at the station that the database did not answer and to scan again (retryable)", () => {
    const answer = {
      message: "The database did not answer; nothing was recorded. Try again in a moment.",
      data: { code: "SERVICE_UNAVAILABLE", failure: "DATABASE_UNAVAILABLE", retryable: true, correlationId: "0123456789abcdef", domain: null },
    };
    const m = operatorMessage(answer, SCAN_WORDS);
    expect(m.message).toBe("The database did not answer; your scan was not recorded.");
    expect(m.next).toBe("Scan again. Reference: 0123456789abcdef.");
    expect(m.retryable).toBe(true);
    // A retryable failure is not an answer: the same scan is sent again with the same request id.
    expect(serverAnswered(answer)).toBe(false);
  });
  it("says a lost connection may or may not have recorded the scan, and that scanning again records it once", () => {
    const m = operatorMessage({ message: "…", data: { code: "SERVICE_UNAVAILABLE", failure: "DATABASE_CONNECTION_LOST", retryable: true } }, SCAN_WORDS);
    expect(m.message).toBe("The connection to the database was lost; your scan may not have been recorded.");
    expect(m.next).toBe("Scan again. It will be recorded once.");
  });
  it("says a deadlock-like failure was the database being busy", () => {
    expect(operatorMessage({ data: { code: "SERVICE_UNAVAILABLE", failure: "DATABASE_BUSY", retryable: true } }, SCAN_WORDS).message).toBe(
      "The database was busy; your scan was not recorded.",
    );
  });
  it("tells a person whose session ended to sign in again", () => {
    expect(operatorMessage({ message: "Please sign in again.", data: { code: "UNAUTHORIZED" } }).next).toBe("Sign in again.");
  });
  it("copes with anything thrown: a failed network is not an answer", () => {
    expect(operatorMessage(undefined).code).toBe("UNKNOWN");
    const m = operatorMessage(new Error("fetch failed"), SCAN_WORDS);
    expect(m.message).toBe("The server's answer did not arrive; your scan may not have been recorded.");
    expect(m.next).toBe("Scan again. It will not be recorded twice.");
    expect(serverAnswered(new Error("fetch failed"))).toBe(false);
  });
  it("ignores a reference that is not an id", () => {
    expect(operatorMessage({ data: { code: "INTERNAL_SERVER_ERROR", correlationId: "<script>" } }).reference).toBeNull();
  });
});

describe("kitting's result panel", () => {
  it("uses the kitting next step for a refusal and the operator words for a failure", () => {
    expect(kittingRefusal({ message: "Lot L1 expired.", data: { code: "UNPROCESSABLE_CONTENT", domain: { code: "LOT_EXPIRED" } } }, SCAN_WORDS)).toEqual({
      text: "Lot L1 expired.",
      next: expect.stringMatching(/suggested lot/),
    });
    expect(kittingRefusal({ message: "x", data: { code: "SERVICE_UNAVAILABLE", failure: "DATABASE_UNAVAILABLE", retryable: true } }, SCAN_WORDS)).toEqual({
      text: "The database did not answer; your scan was not recorded.",
      next: "Scan again.",
    });
  });
});
