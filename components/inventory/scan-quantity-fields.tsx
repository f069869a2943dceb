"use client";

import type { RefObject } from "react";

/** Large touch-friendly input style of the floor screens. */
export const FLOOR_FIELD = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

/**
 * The scan field (keeps focus: the parent refocuses it after each answer) and the quantity beside it, as the floor
 * screens use them for picking and installing. Presentational: values in, changes out.
 */
export function ScanQuantityFields(props: {
  id: string;
  scanLabel: string;
  scanRef: RefObject<HTMLInputElement | null>;
  scan: string;
  onScan: (value: string) => void;
  quantity: string;
  onQuantity: (value: string) => void;
  quantityPlaceholder: string;
  disabled: boolean;
}) {
  return (
    <>
      <div className="min-w-64 flex-1">
        <label htmlFor={`${props.id}-scan`} className="mb-1 block text-lg font-semibold">
          {props.scanLabel}
        </label>
        <input
          id={`${props.id}-scan`}
          ref={props.scanRef}
          autoFocus
          autoComplete="off"
          className={`${FLOOR_FIELD} w-full font-mono`}
          value={props.scan}
          onChange={(e) => props.onScan(e.target.value)}
          disabled={props.disabled}
        />
      </div>
      <div className="w-40">
        <label htmlFor={`${props.id}-qty`} className="mb-1 block text-lg font-semibold">
          Quantity
        </label>
        <input
          id={`${props.id}-qty`}
          inputMode="decimal"
          autoComplete="off"
          placeholder={props.quantityPlaceholder}
          className={`${FLOOR_FIELD} w-full`}
          value={props.quantity}
          onChange={(e) => props.onQuantity(e.target.value)}
          disabled={props.disabled}
        />
      </div>
    </>
  );
}
