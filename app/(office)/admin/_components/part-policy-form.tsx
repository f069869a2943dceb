"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorCode, actionErrorMessage } from "@/components/ui/action-error";

const ATTRIBUTES = [
  { key: "out_time_minutes", label: "Maximum cumulative out-time / floor life", unit: "minutes" },
  { key: "min_thaw_minutes", label: "Minimum thaw time", unit: "minutes" },
  { key: "pot_life_minutes", label: "Pot life after mixing", unit: "minutes" },
  { key: "storage_class", label: "Storage class", unit: "class" },
  { key: "shelf_life_days", label: "Shelf life", unit: "days" },
  { key: "min_remaining_shelf_life_days", label: "Minimum remaining shelf life at use", unit: "days" },
] as const;
const STORAGE_CLASS_OPTIONS = [
  { value: "freezer", label: "Freezer" },
  { value: "refrigerated", label: "Refrigerated" },
  { value: "ambient", label: "Ambient" },
  { value: "humidity_controlled", label: "Humidity-controlled" },
] as const;
type StorageClassValue = (typeof STORAGE_CLASS_OPTIONS)[number]["value"];
type Attribute = (typeof ATTRIBUTES)[number]["key"];

const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";

/**
 * Edit a part attribute that the ownership registry gives to Traceline (shelf-life and out-time policies). An
 * attribute owned by ERP is refused by the server, naming the owner: the refusal is shown as it is.
 */
export function PartPolicyForm({ owners }: { owners: Partial<Record<Attribute, "erp" | "traceline">> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [partNumber, setPartNumber] = useState("");
  const [attribute, setAttribute] = useState<Attribute>("out_time_minutes");
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const edit = useMutation(trpc.admin.editPartPolicy.mutationOptions({ onSuccess: () => router.refresh() }));
  const spec = ATTRIBUTES.find((a) => a.key === attribute)!;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || edit.isPending) return;
    setProblem(null);
    edit.reset();
    const text = value.trim();
    if (!partNumber.trim()) return setProblem("Enter the part number.");
    const isClass = attribute === "storage_class";
    if (!isClass && text && !/^\d{1,6}$/.test(text)) return setProblem(`Enter a whole number of ${spec.unit}, or leave it empty to clear the value.`);
    if (reason.trim().length < 5) return setProblem("Give a reason: it goes into the audit trail.");
    edit.mutate({ partNumber: partNumber.trim(), attribute, value: text ? (isClass ? (text as StorageClassValue) : Number(text)) : null, reason: reason.trim() });
  }

  const saved = edit.data ? ATTRIBUTES.find((a) => a.key === edit.data.attribute)! : null;
  const refusedByOwner = actionErrorCode(edit.error) === "OWNED_BY_OTHER_SYSTEM";

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Edit a part policy" className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-part`} className="mb-1 block text-sm font-semibold">
            Part number
          </label>
          <input id={`${ids}-part`} value={partNumber} onChange={(e) => setPartNumber(e.target.value)} maxLength={64} autoComplete="off" spellCheck={false} className={`${field} w-56 font-mono`} disabled={edit.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-attribute`} className="mb-1 block text-sm font-semibold">
            Attribute
          </label>
          <select
            id={`${ids}-attribute`}
            value={attribute}
            onChange={(e) => {
              setAttribute(e.target.value as Attribute);
              setValue("");
            }}
            className={field}
            disabled={edit.isPending}
          >
            {ATTRIBUTES.map((a) => (
              <option key={a.key} value={a.key}>
                {a.label} ({a.unit}){owners[a.key] ? ` — owned by ${owners[a.key] === "erp" ? "ERP" : "Traceline"}` : ""}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-value`} className="mb-1 block text-sm font-semibold">
            New value{attribute === "storage_class" ? "" : ` (${spec.unit})`}
          </label>
          {attribute === "storage_class" ? (
            <select id={`${ids}-value`} value={value} onChange={(e) => setValue(e.target.value)} className={field} disabled={edit.isPending}>
              <option value="">None</option>
              {STORAGE_CLASS_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input id={`${ids}-value`} value={value} onChange={(e) => setValue(e.target.value)} inputMode="numeric" placeholder="empty = none" className={`${field} w-32 tabular-nums`} disabled={edit.isPending} />
          )}
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor={`${ids}-reason`} className="mb-1 block text-sm font-semibold">
            Reason (for the audit trail)
          </label>
          <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder="e.g. Process spec PS-44 rev C" className={`${field} w-full`} disabled={edit.isPending} />
        </div>
        <Button type="submit" disabled={!ready || edit.isPending}>
          {edit.isPending ? "Saving…" : "Save policy"}
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {edit.data && saved ? (
          <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">
            Saved: {saved.label.toLowerCase()} of <span className="font-mono">{edit.data.partNumber}</span> is now {edit.data.value === null ? "none" : saved.key === "storage_class" ? (STORAGE_CLASS_OPTIONS.find((o) => o.value === edit.data.value)?.label ?? String(edit.data.value)) : `${edit.data.value} ${saved.unit}`}{" "}
            (recorded in the audit trail).
          </p>
        ) : null}
      </div>
      <div role="alert" className={problem || edit.error ? "rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
        {problem ?? (edit.error ? actionErrorMessage(edit.error) : "")}
        {refusedByOwner ? (
          <span className="mt-1 block font-normal">
            If Traceline should own this attribute, propose a change to its row in the ownership registry above; a second administrator must approve it.
          </span>
        ) : null}
      </div>
    </form>
  );
}
