import { describe, expect, it } from "vitest";
import { normalizeHistoryDetail, normalizeMessageError } from "./message-error";

describe("normalizeMessageError", () => {
  it("reads the stored { code, message, fields } shape", () => {
    const e = normalizeMessageError({ code: "MESSAGE_INVALID", message: "The bom payload is not valid.", fields: [{ field: "payload.lines.0.quantity", reason: "a positive decimal" }] });
    expect(e).toEqual({ code: "MESSAGE_INVALID", message: "The bom payload is not valid.", fields: [{ field: "payload.lines.0.quantity", reason: "a positive decimal" }] });
  });

  it("keeps free text and unknown shapes readable instead of dropping them", () => {
    expect(normalizeMessageError("timeout")).toEqual({ code: null, message: "timeout", fields: [] });
    expect(normalizeMessageError({ what: 1 })).toEqual({ code: null, message: '{"what":1}', fields: [] });
    expect(normalizeMessageError({ code: "X", fields: "nope" })).toEqual({ code: "X", message: "", fields: [] });
    expect(normalizeMessageError(null)).toBeNull();
    expect(normalizeMessageError("  ")).toBeNull();
  });

  it("reads a history event's note, error and warnings", () => {
    expect(normalizeHistoryDetail({ note: "replayed", warnings: ["part.out_time_minutes is owned by Traceline: ignored", 3] })).toEqual({
      note: "replayed",
      error: null,
      warnings: ["part.out_time_minutes is owned by Traceline: ignored"],
    });
    expect(normalizeHistoryDetail(null)).toEqual({ note: null, error: null, warnings: [] });
    expect(normalizeHistoryDetail({ error: { code: "HELD_TOO_LONG", message: "Gave up" } }).error).toEqual({ code: "HELD_TOO_LONG", message: "Gave up", fields: [] });
  });
});
