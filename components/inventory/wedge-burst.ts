/*
 * Keyboard-wedge scanners type a label as keystrokes, much faster than a person (a few milliseconds apart), and end it
 * with Enter or Tab. This decides, key by key, whether a burst is under way outside the scan field, so that the floor
 * screens route a scan into the scan field wherever the focus is (the operator may have tapped Quantity just before).
 * Pure: keys and their times in, a decision out; use-wedge-scan.ts applies it to the page.
 */

export type WedgeKey = { key: string; time: number; inScanField: boolean };

export type WedgeDecision =
  /** let the key do what it does */
  | { kind: "pass" }
  /** a burst outside the scan field: swallow the key; `undo` counts the burst's first keys that went into the focused field */
  | { kind: "capture"; undo: number }
  /** the burst ended (Enter or Tab): swallow the key and hand `text` to the scan field */
  | { kind: "submit"; text: string };

export type WedgeOptions = {
  /** keys closer than this (ms) belong to one burst; people type 80-250 ms apart, scanners 2-30 ms */
  maxGapMs: number;
  /** how many fast keys in a row make a burst */
  minBurst: number;
  /** once a burst is recognised, a pause up to this long (ms) does not end it (a slow scanner, a busy tablet) */
  holdMs: number;
};

export const WEDGE_DEFAULTS: WedgeOptions = { maxGapMs: 60, minBurst: 4, holdMs: 400 };

const MODIFIERS = new Set(["Shift", "Control", "Alt", "Meta", "CapsLock", "AltGraph"]);

export class WedgeDetector {
  private chars: string[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private capturing = false;

  constructor(private readonly opts: WedgeOptions = WEDGE_DEFAULTS) {}

  /** The keys of the burst so far (for tests and for the field snapshot). */
  get length(): number {
    return this.chars.length;
  }

  /** Whether this key starts a new sequence (the screen snapshots the focused field's value before it goes in). */
  startsSequence(k: WedgeKey): boolean {
    const gap = k.time - this.last;
    return k.key.length === 1 && gap > this.opts.maxGapMs && !(this.capturing && gap <= this.opts.holdMs);
  }

  key(k: WedgeKey): WedgeDecision {
    if (MODIFIERS.has(k.key)) return { kind: "pass" };
    const gap = k.time - this.last;
    const fast = gap <= this.opts.maxGapMs || (this.capturing && gap <= this.opts.holdMs);
    if (k.key.length === 1) {
      if (!fast) {
        this.chars = [];
        this.capturing = false;
      }
      this.chars.push(k.key);
      this.last = k.time;
      if (this.capturing) return { kind: "capture", undo: 0 };
      if (!k.inScanField && this.chars.length >= this.opts.minBurst) {
        this.capturing = true;
        return { kind: "capture", undo: this.chars.length - 1 };
      }
      return { kind: "pass" };
    }
    if (k.key === "Enter" || k.key === "Tab") {
      const burst = fast && (this.capturing || (k.key === "Tab" && k.inScanField && this.chars.length >= this.opts.minBurst));
      const text = this.chars.join("");
      this.reset();
      return burst && text.trim() !== "" ? { kind: "submit", text } : { kind: "pass" };
    }
    this.reset();
    return { kind: "pass" };
  }

  reset(): void {
    this.chars = [];
    this.capturing = false;
    this.last = Number.NEGATIVE_INFINITY;
  }
}
