import { describe, expect, it } from "vitest";
import { WedgeDetector, type WedgeDecision } from "./wedge-burst";

/** Keys typed at a fixed interval from `start`, in or out of the scan field: the decisions, in order. */
function type(d: WedgeDetector, text: string, opts: { every: number; start?: number; inScanField?: boolean; end?: "Enter" | "Tab" | null }): WedgeDecision[] {
  const keys = [...text, ...(opts.end ? [opts.end] : [])];
  let time = opts.start ?? 1000;
  return keys.map((key) => {
    const out = d.key({ key, time, inScanField: opts.inScanField ?? false });
    time += opts.every;
    return out;
  });
}

describe("keyboard-wedge bursts", () => {
  it("a scanner's burst in the quantity field is taken out of it and handed to the scan field with Enter", () => {
    const d = new WedgeDetector();
    const out = type(d, "ADH-77-OK", { every: 8, end: "Enter" });
    expect(out.slice(0, 3)).toEqual([{ kind: "pass" }, { kind: "pass" }, { kind: "pass" }]);
    // the fourth fast key makes it a burst: the first three went into the field and are undone
    expect(out[3]).toEqual({ kind: "capture", undo: 3 });
    expect(out.slice(4, -1).every((o) => o.kind === "capture" && o.undo === 0)).toBe(true);
    expect(out.at(-1)).toEqual({ kind: "submit", text: "ADH-77-OK" });
  });

  it("a burst ending with Tab is handed over too", () => {
    expect(type(new WedgeDetector(), "SN-0042", { every: 5, end: "Tab" }).at(-1)).toEqual({ kind: "submit", text: "SN-0042" });
  });

  it("a person typing a quantity is left alone", () => {
    const out = type(new WedgeDetector(), "0.25", { every: 140, end: "Enter" });
    expect(out.every((o) => o.kind === "pass")).toBe(true);
  });

  it("in the scan field, keys and Enter do what they do (the form submits); a Tab ending a burst submits rather than moving on", () => {
    expect(type(new WedgeDetector(), "LOT-1", { every: 5, inScanField: true, end: "Enter" }).every((o) => o.kind === "pass")).toBe(true);
    expect(type(new WedgeDetector(), "LOT-1", { every: 5, inScanField: true, end: "Tab" }).at(-1)).toEqual({ kind: "submit", text: "LOT-1" });
  });

  it("Shift between the characters of a burst (capitals) does not break it", () => {
    const d = new WedgeDetector();
    let time = 0;
    const out: WedgeDecision[] = [];
    for (const key of ["Shift", "A", "Shift", "B", "-", "1", "2", "Enter"]) {
      out.push(d.key({ key, time, inScanField: false }));
      time += 6;
    }
    expect(out.at(-1)).toEqual({ kind: "submit", text: "AB-12" });
  });

  it("once recognised, a burst survives a short pause (a slow scanner, a busy tablet) and its Enter still hands it over", () => {
    const d = new WedgeDetector();
    type(d, "ABCD", { every: 5, start: 0 });
    expect(d.key({ key: "E", time: 300, inScanField: false })).toEqual({ kind: "capture", undo: 0 });
    expect(d.key({ key: "Enter", time: 600, inScanField: false })).toEqual({ kind: "submit", text: "ABCDE" });
  });

  it("an Enter long after the last key of a burst is a person's Enter, not the scanner's", () => {
    const d = new WedgeDetector();
    type(d, "ABCDEF", { every: 5, start: 0 });
    expect(d.key({ key: "Enter", time: 5_000, inScanField: false })).toEqual({ kind: "pass" });
  });

  it("a pause splits two sequences: slow keys after a burst start over", () => {
    const d = new WedgeDetector();
    type(d, "ABCDEF", { every: 5, start: 0 });
    expect(d.startsSequence({ key: "7", time: 2_000, inScanField: false })).toBe(true);
    expect(d.key({ key: "7", time: 2_000, inScanField: false })).toEqual({ kind: "pass" });
  });
});
