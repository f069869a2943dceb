"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, useHydrated, useRefusedOutcome, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import type { StationItem } from "@/components/kitting/station-item";
import { formatQty } from "@/components/inventory/qty";

const field = "min-h-12 w-full rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

/** A balance that can go back to ERP: the stock-moves item, with the location it is at. */
export type ReturnableItem = StationItem & { locationId: string; onHold: boolean };

/**
 * Send material back to the ERP warehouse from one location: choose the lot, serial or part, the quantity and why.
 * Held material may go back (ERP receives it as blocked stock, with the hold's reasons). One result after each return;
 * the button is disabled while it is pending, and a retry of the same return reuses its request id.
 */
export function ReturnToErpForm({ locationCode, items }: { locationCode: string; items: ReturnableItem[] }) {
  const t = useTranslations("kitting.moves");
  const locale = useLocale();
  const refusedOutcome = useRefusedOutcome();
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
        const words = { quantity: formatQty(o.quantity, locale), uom: o.uom, item: item?.label ?? t("theMaterial"), from: o.from };
        setOutcome({ ok: true, text: o.onHold ? t("returnedToErpHeld", words) : t("returnedToErp", words) });
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
      <form onSubmit={submit} aria-label={t("erpForm")} className="grid gap-3 md:grid-cols-2 lg:grid-cols-4 lg:items-end">
        <div className="lg:col-span-2">
          <label htmlFor={`${id}-item`} className="mb-1 block text-lg font-semibold">
            {t("materialAt", { location: locationCode })}
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
                {i.flags.length > 0
                  ? t("optionFlags", { item: i.label, quantity: i.shownQuantity ?? i.quantity, uom: i.uom, flags: i.flags.join(", ") })
                  : t("option", { item: i.label, quantity: i.shownQuantity ?? i.quantity, uom: i.uom })}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-qty`} className="mb-1 block text-lg font-semibold">
            {item ? t("quantityUom", { uom: item.uom }) : t("quantity")}
          </label>
          <input id={`${id}-qty`} inputMode="decimal" autoComplete="off" className={field} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-why`} className="mb-1 block text-lg font-semibold">
            {t("reason")}
          </label>
          <input id={`${id}-why`} autoComplete="off" className={field} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        {item?.onHold ? (
          <p className="text-base text-amber-900 md:col-span-2 lg:col-span-3">{t("erpOnHold")}</p>
        ) : null}
        <Button type="submit" size="lg" disabled={!ready || back.isPending || !item}>
          {back.isPending ? t("returning") : t("returnToErp")}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
