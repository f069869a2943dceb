"use client";

import { useEffect, useRef, type RefObject } from "react";
import { WedgeDetector } from "./wedge-burst";

type Snapshot = { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null;

/** Set a React-controlled field's value as typing would (the native setter, then an input event React listens to). */
function restoreValue(s: NonNullable<Snapshot>): void {
  const proto = s.el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(s.el, s.value);
  s.el.dispatchEvent(new Event("input", { bubbles: true }));
}

const isTextField = (el: Element | null): el is HTMLInputElement | HTMLTextAreaElement =>
  el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(el.type));

/**
 * A scanner's input always lands in the scan field: a keyboard-wedge burst that starts while the focus is elsewhere
 * (the quantity, a parameter, a button) is taken out of that field, and `onScan` gets the whole label when it ends
 * with Enter or Tab. A Tab ending a burst in the scan field submits it too (rather than moving the focus on). A field
 * marked `data-own-scan` (one that reads a different label, such as a tool's) keeps what is scanned into it.
 */
export function useWedgeScan(scanRef: RefObject<HTMLInputElement | null>, onScan: (text: string) => void, enabled = true): void {
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  }, [onScan]);
  useEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector();
    let snapshot: Snapshot = null;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
      const active = document.activeElement;
      // a field that takes its own scans (a tool label at the station) keeps them
      if (active instanceof HTMLElement && active.dataset.ownScan !== undefined) return;
      const k = { key: e.key, time: e.timeStamp, inScanField: active === scanRef.current };
      if (detector.startsSequence(k)) snapshot = !k.inScanField && isTextField(active) ? { el: active, value: active.value } : null;
      const d = detector.key(k);
      if (d.kind === "pass") return;
      e.preventDefault();
      e.stopPropagation();
      if (d.kind === "capture") {
        if (d.undo > 0 && snapshot) restoreValue(snapshot);
        return;
      }
      snapshot = null;
      scanRef.current?.focus();
      onScanRef.current(d.text);
    };
    window.addEventListener("keydown", onKeyDown, true);
    return () => window.removeEventListener("keydown", onKeyDown, true);
  }, [enabled, scanRef]);
}
