"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorCode, actionErrorMessage } from "@/components/ui/action-error";

const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";

/**
 * Set the GTIN a part's GS1 labels carry (scans are checked against it), where the ownership registry gives
 * `part.gtin` to Traceline. Owned by ERP, the server refuses naming the owner, and the refusal is shown as it is.
 */
export function PartGtinForm({ owner }: { owner: "erp" | "traceline" | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [partNumber, setPartNumber] = useState("");
  const [gtin, setGtin] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(trpc.admin.setPartGtin.mutationOptions({ onSuccess: () => router.refresh() }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || save.isPending) return;
    setProblem(null);
    save.reset();
    const text = gtin.trim();
    if (!partNumber.trim()) return setProblem("Enter the part number.");
    if (text && !/^(\d{8}|\d{12,14})$/.test(text)) return setProblem("A GTIN is 8, 12, 13 or 14 digits; leave it empty to clear it.");
    if (reason.trim().length < 5) return setProblem("Give a reason: it goes into the audit trail.");
    save.mutate({ partNumber: partNumber.trim(), gtin: text || null, reason: reason.trim() });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Set a part's GTIN" className="space-y-3">
      <p className="text-sm text-slate-700">
        part.gtin is owned by <strong>{owner === "traceline" ? "Traceline" : owner === "erp" ? "ERP" : "nobody (not in the registry)"}</strong>
        {owner === "traceline" ? "." : ": it is set in ERP and arrives with the part master."}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-part`} className="mb-1 block text-sm font-semibold">
            Part number
          </label>
          <input id={`${ids}-part`} value={partNumber} onChange={(e) => setPartNumber(e.target.value)} maxLength={64} autoComplete="off" spellCheck={false} className={`${field} w-56 font-mono`} disabled={save.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-gtin`} className="mb-1 block text-sm font-semibold">
            GTIN
          </label>
          <input id={`${ids}-gtin`} value={gtin} onChange={(e) => setGtin(e.target.value)} inputMode="numeric" maxLength={14} placeholder="empty = none" className={`${field} w-44 font-mono`} disabled={save.isPending} />
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor={`${ids}-reason`} className="mb-1 block text-sm font-semibold">
            Reason (for the audit trail)
          </label>
          <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder="e.g. Supplier label change notice 2026-14" className={`${field} w-full`} disabled={save.isPending} />
        </div>
        <Button type="submit" disabled={!ready || save.isPending}>
          {save.isPending ? "Saving…" : "Save GTIN"}
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {save.data ? (
          <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">
            Saved: the GTIN of <span className="font-mono">{save.data.partNumber}</span> is now {save.data.gtin ?? "none"} (recorded in the audit trail).
          </p>
        ) : null}
      </div>
      <div role="alert" className={problem || save.error ? "rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
        {problem ?? (save.error ? actionErrorMessage(save.error) : "")}
        {actionErrorCode(save.error) === "OWNED_BY_OTHER_SYSTEM" ? (
          <span className="mt-1 block font-normal">If Traceline should own GTINs, propose a change to the part.gtin row of the ownership registry above.</span>
        ) : null}
      </div>
    </form>
  );
}
