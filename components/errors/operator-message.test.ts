import { describe, expect, it } from "vitest";
import { operatorMessage } from "./operator-message";

describe("operatorMessage", () => {
  it("keeps the server's words and adds what to do next for a domain refusal", () => {
    const m = operatorMessage({ message: "Not enough stock at that location.", data: { code: "CONFLICT", domain: { code: "INSUFFICIENT_STOCK" } } });
    expect(m).toEqual({ code: "INSUFFICIENT_STOCK", message: "Not enough stock at that location.", next: expect.stringMatching(/stage more/) });
  });
  it("never shows a stack or a technical message for a server failure", () => {
    const m = operatorMessage({ message: "relation \"x\" does not exist", data: { code: "INTERNAL_SERVER_ERROR", domain: null } });
    expect(m.message).toBe("Something went wrong on the server; nothing was recorded.");
  });
  it("tells a person whose session ended to sign in again", () => {
    expect(operatorMessage({ message: "Please sign in again.", data: { code: "UNAUTHORIZED" } }).next).toBe("Sign in again.");
  });
  it("copes with anything thrown", () => {
    expect(operatorMessage(undefined).code).toBe("UNKNOWN");
    expect(operatorMessage(new Error("fetch failed")).message).toMatch(/nothing was recorded/);
  });
});
