"use client";

import { useTranslations } from "next-intl";

import type { RefObject } from "react";
import { cn } from "@/components/ui/cn";

/** Large touch-friendly input style of the floor screens. */
export const FLOOR_FIELD = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

/** A field the last refusal is about: red, thick border (and aria-invalid), matching "correct the highlighted value". */
export const FAULT_FIELD = "border-red-700 bg-red-50 ring-4 ring-red-300";

/**
 * The scan field (keeps focus: the parent refocuses it after each answer) and the quantity beside it, as the floor
 * screens use them for picking and installing. Presentational: values in, changes out; `scanFault` / `quantityFault`
 * highlight the field a refusal is about, described by the answer (`answerId`).
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
  scanFault?: boolean;
  quantityFault?: boolean;
  answerId?: string;
  quantityRef?: RefObject<HTMLInputElement | null>;
}) {
  const t = useTranslations("station.console");
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
          className={cn(FLOOR_FIELD, "w-full font-mono", props.scanFault && FAULT_FIELD)}
          aria-invalid={props.scanFault || undefined}
          aria-describedby={props.scanFault ? props.answerId : undefined}
          value={props.scan}
          onChange={(e) => props.onScan(e.target.value)}
          disabled={props.disabled}
        />
      </div>
      <div className="w-44">
        <label htmlFor={`${props.id}-qty`} className="mb-1 block text-lg font-semibold">
          {t("quantity")}
        </label>
        <input
          id={`${props.id}-qty`}
          ref={props.quantityRef}
          inputMode="decimal"
          autoComplete="off"
          placeholder={props.quantityPlaceholder}
          className={cn(FLOOR_FIELD, "w-full", props.quantityFault && FAULT_FIELD)}
          aria-invalid={props.quantityFault || undefined}
          aria-describedby={props.quantityFault ? props.answerId : undefined}
          value={props.quantity}
          onChange={(e) => props.onQuantity(e.target.value)}
          disabled={props.disabled}
        />
      </div>
    </>
  );
}
