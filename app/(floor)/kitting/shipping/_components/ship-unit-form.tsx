"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, useHydrated, useRefusedOutcome, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";

const field = "min-h-12 w-full rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

export type ShippableUnit = { unitId: string; label: string };

/**
 * Ship a finished unit: choose it, say to whom (customer or ship-to) and the delivery note. One result after each
 * shipment; the button is disabled while it is pending, and a retry of the same shipment reuses its request id.
 */
export function ShipUnitForm({ units }: { units: ShippableUnit[] }) {
  const t = useTranslations("kitting.shipping");
  const refusedOutcome = useRefusedOutcome();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [unitId, setUnitId] = useState(units[0]?.unitId ?? "");
  const [shipTo, setShipTo] = useState("");
  const [deliveryNote, setDeliveryNote] = useState("");
  const [outcome, setOutcome] = useState<ActionOutcome>(null);

  useEffect(() => {
    if (!units.some((u) => u.unitId === unitId)) setUnitId(units[0]?.unitId ?? "");
  }, [units, unitId]);

  const ship = useMutation(
    trpc.production.shipUnit.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        setOutcome({ ok: true, text: t("shipped", { serial: o.serial, from: o.from, to: o.shipTo, note: o.deliveryNote }) });
        setDeliveryNote("");
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
    if (!unitId) return;
    const input = { unitId, shipTo, deliveryNote };
    ship.mutate({ requestId: req.idFor(input), ...input });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label={t("form")} className="grid gap-3 md:grid-cols-2 lg:grid-cols-4 lg:items-end">
        <div>
          <label htmlFor={`${id}-unit`} className="mb-1 block text-lg font-semibold">
            {t("unit")}
          </label>
          <select id={`${id}-unit`} className={field} value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            {units.map((u) => (
              <option key={u.unitId} value={u.unitId}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-to`} className="mb-1 block text-lg font-semibold">
            {t("shipTo")}
          </label>
          <input id={`${id}-to`} autoComplete="off" maxLength={200} className={field} value={shipTo} onChange={(e) => setShipTo(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-dn`} className="mb-1 block text-lg font-semibold">
            {t("deliveryNote")}
          </label>
          <input id={`${id}-dn`} autoComplete="off" maxLength={200} className={`${field} font-mono`} value={deliveryNote} onChange={(e) => setDeliveryNote(e.target.value)} />
        </div>
        <Button type="submit" size="lg" disabled={!ready || ship.isPending || !unitId}>
          {ship.isPending ? t("shipping") : t("submit")}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
