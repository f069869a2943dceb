import { describe, expect, it } from "vitest";
import { fieldsAtFault, operatorMessage, SCAN_WORDS } from "./operator-message";
import { serverAnswered } from "@/components/kitting/use-request-id";
import { kittingRefusal } from "@/components/kitting/refusal-words";

describe("operatorMessage", () => {
  it("keeps the server's words and its one next step for a domain refusal", () => {
    const next = "Ask kitting to stage more here, or scan other material.";
    const m = operatorMessage({ message: "Not enough stock at that location.", data: { code: "CONFLICT", domain: { code: "INSUFFICIENT_STOCK", next } } });
    expect(m).toEqual({ code: "INSUFFICIENT_STOCK", message: "Not enough stock at that location.", next, retryable: false, reference: null });
  });
  it("gives no next step of its own to a refusal that came without one, rather than a wrong one", () => {
    expect(operatorMessage({ message: "Lot L1 is not usable: expired on 2026-11-19.", data: { code: "UNPROCESSABLE_CONTENT", domain: { code: "LOT_EXPIRED" } } }).next).toBeNull();
  });
  it("names the fields a refusal is about, for the screen to highlight", () => {
    expect(fieldsAtFault({ data: { domain: { code: "VALIDATION_FAILED", details: { field: "quantity" } } } })).toEqual(["quantity"]);
    expect(fieldsAtFault({ data: { domain: { code: "PARAMETER_OUT_OF_LIMITS", details: { parameter: "Torque" } } } })).toEqual(["parameter:Torque"]);
    expect(fieldsAtFault({ data: { domain: { code: "PARAMETER_MISSING", details: { missing: ["Torque", "Cure"] } } } })).toEqual(["parameter:Torque", "parameter:Cure"]);
    expect(fieldsAtFault({ data: { domain: { code: "OVER_INSTALL", details: {} } } })).toEqual(["quantity"]);
    expect(fieldsAtFault({ data: { domain: { code: "LOT_EXPIRED", details: {} } } })).toEqual([]);
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
  it("uses the server's next step for a refusal and the operator words for a failure", () => {
    const next = "Set it aside for quality and scan a suggested lot.";
    expect(kittingRefusal({ message: "Lot L1 is not usable: expired.", data: { code: "UNPROCESSABLE_CONTENT", domain: { code: "LOT_EXPIRED", next } } }, SCAN_WORDS)).toEqual({
      text: "Lot L1 is not usable: expired.",
      next,
    });
    expect(kittingRefusal({ message: "x", data: { code: "SERVICE_UNAVAILABLE", failure: "DATABASE_UNAVAILABLE", retryable: true } }, SCAN_WORDS)).toEqual({
      text: "The database did not answer; your scan was not recorded.",
      next: "Scan again.",
    });
  });
});
