"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, refusedOutcome, useHydrated, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import type { StationItem } from "@/components/kitting/station-item";

const field = "min-h-12 w-full rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

/** A balance that can go back to ERP: the stock-moves item, with the location it is at. */
export type ReturnableItem = StationItem & { locationId: string; onHold: boolean };

/**
 * Send material back to the ERP warehouse from one location: choose the lot, serial or part, the quantity and why.
 * Held material may go back (ERP receives it as blocked stock, with the hold's reasons). One result after each return;
 * the button is disabled while it is pending, and a retry of the same return reuses its request id.
 */
export function ReturnToErpForm({ locationCode, items }: { locationCode: string; items: ReturnableItem[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [key, setKey] = useState(items[0]?.key ?? "");
  const [quantity, setQuantity] = useState(items[0]?.quantity ?? "");
  const [reason, setReason] = useState("");
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  const item = items.find((i) => i.key === key);

  useEffect(() => {
    if (!items.some((i) => i.key === key)) {
      setKey(items[0]?.key ?? "");
      setQuantity(items[0]?.quantity ?? "");
    }
  }, [items, key]);

  const back = useMutation(
    trpc.kitting.returnToErp.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        setOutcome({ ok: true, text: `Returned ${o.quantity} ${o.uom} of ${item?.label ?? "the material"} from ${o.from} to ERP${o.onHold ? " as blocked stock (on hold)" : ""}.` });
        setReason("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setOutcome(refusedOutcome(e));
      },
    }),
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!item) return;
    const input = {
      fromLocationId: item.locationId,
      item: { partRevisionId: item.partRevisionId, lotId: item.lotId, serialItemId: item.serialItemId },
      quantity: quantity.trim(),
      reason,
    };
    back.mutate({ requestId: req.idFor({ move: "return-to-erp", ...input }), ...input });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label="Return material to ERP" className="grid gap-3 md:grid-cols-2 lg:grid-cols-4 lg:items-end">
        <div className="lg:col-span-2">
          <label htmlFor={`${id}-item`} className="mb-1 block text-lg font-semibold">
            Material at {locationCode}
          </label>
          <select
            id={`${id}-item`}
            className={field}
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              setQuantity(items.find((i) => i.key === e.target.value)?.quantity ?? "");
            }}
          >
            {items.map((i) => (
              <option key={i.key} value={i.key}>
                {i.label} · {i.quantity} {i.uom}
                {i.flags.length > 0 ? ` · ${i.flags.join(", ")}` : ""}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-qty`} className="mb-1 block text-lg font-semibold">
            Quantity{item ? ` (${item.uom})` : ""}
          </label>
          <input id={`${id}-qty`} inputMode="decimal" autoComplete="off" className={field} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-why`} className="mb-1 block text-lg font-semibold">
            Reason
          </label>
          <input id={`${id}-why`} autoComplete="off" className={field} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        {item?.onHold ? (
          <p className="text-base text-amber-900 md:col-span-2 lg:col-span-3">On quality hold: it goes back to ERP as blocked stock, with the hold&apos;s reasons.</p>
        ) : null}
        <Button type="submit" size="lg" disabled={!ready || back.isPending || !item}>
          {back.isPending ? "Returning…" : "Return to ERP"}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
