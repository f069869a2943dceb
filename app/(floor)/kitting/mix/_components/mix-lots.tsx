"use client";

import { useId, useRef, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, refusedOutcome, useHydrated, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import { ClockChip, type ClockFacts } from "@/components/inventory/clock-chip";
import { formatDateTime } from "@/components/ui/date-time";
import { formatQty } from "@/i18n/format";

type Place = {
  item: { partRevisionId: string; lotId: string | null; serialItemId: string | null };
  partNumber: string;
  revision: string;
  uom: string;
  lotNumber: string | null;
  serialNumber: string | null;
  locationId: string;
  locationCode: string;
  available: string;
  clock: ClockFacts | null;
};

type Input = { place: Place & { item: { lotId: string } }; quantity: string };

const field = "min-h-12 w-full rounded-md border-2 border-slate-500 bg-white px-3 text-lg focus:border-blue-600 focus:outline-none";

/**
 * Mixing by scan: scan each lot (base, activator), give the quantity of each that goes in, scan where the mixed lot
 * goes, and mix. The answer names the new lot and its use-by (pot life or the input that expires first).
 */
export function MixLots({ timeZone }: { timeZone: string }) {
  const t = useTranslations("mixing");
  const locale = useLocale();
  const qtyText = (q: string) => formatQty(q, locale);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const ready = useHydrated();
  const req = useRequestId();
  const scanRef = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState("");
  const [inputs, setInputs] = useState<Input[]>([]);
  const [to, setTo] = useState("");
  const [finding, setFinding] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome>(null);

  async function add(e: React.FormEvent) {
    e.preventDefault();
    const text = scan.trim();
    if (!text) return;
    setFinding(true);
    try {
      const rows = (await queryClient.fetchQuery({ ...trpc.kitting.findMixInput.queryOptions({ scan: text }), staleTime: 0 })) as Place[];
      const lot = rows.find((r) => r.item.lotId !== null);
      if (!lot) {
        setOutcome({ ok: false, text: t("notALot", { item: rows[0]?.serialNumber ?? rows[0]?.partNumber ?? text }) });
      } else if (inputs.some((i) => i.place.item.lotId === lot.item.lotId)) {
        setOutcome({ ok: false, text: t("alreadyAdded", { lot: lot.lotNumber ?? "" }) });
      } else {
        setInputs((now) => [...now, { place: lot as Input["place"], quantity: "" }]);
        setOutcome({ ok: true, text: t("added", { lot: lot.lotNumber ?? "", part: lot.partNumber, location: lot.locationCode }) });
      }
    } catch (error) {
      setOutcome(refusedOutcome(error));
    } finally {
      setScan("");
      setFinding(false);
      scanRef.current?.focus();
    }
  }

  const mix = useMutation(
    trpc.kitting.mixLots.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        const made = t("mixed", { lot: o.childLotNumber, part: o.partNumber, revision: o.revision, quantity: qtyText(o.quantity), uom: o.uom, location: o.location });
        const useBy = !o.expiresAt
          ? t("noExpiry")
          : o.expiryCause === "input"
            ? t("useByInput", { at: formatDateTime(new Date(o.expiresAt), timeZone, locale), input: o.expiryInputLot ?? "" })
            : t("useByPotLife", { at: formatDateTime(new Date(o.expiresAt), timeZone, locale) });
        setOutcome({ ok: true, text: `${made} ${useBy}` });
        setInputs([]);
        setTo("");
        scanRef.current?.focus();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setOutcome(refusedOutcome(e));
      },
    }),
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (inputs.length === 0) return;
    const input = {
      inputs: inputs.map((i) => ({ partRevisionId: i.place.item.partRevisionId, lotId: i.place.item.lotId, fromLocationId: i.place.locationId, quantity: i.quantity.trim() })),
      toLocation: to.trim(),
    };
    mix.mutate({ requestId: req.idFor(input), ...input });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={add} aria-label={t("scanForm")} className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor={`${id}-scan`} className="mb-1 block text-lg font-semibold">
            {t("scanLabel")}
          </label>
          <input id={`${id}-scan`} ref={scanRef} autoFocus autoComplete="off" className={`${field} font-mono`} value={scan} onChange={(e) => setScan(e.target.value)} />
        </div>
        <Button type="submit" variant="secondary" size="lg" disabled={!ready || finding || scan.trim() === ""}>
          {finding ? t("adding") : t("add")}
        </Button>
      </form>
      <form onSubmit={submit} aria-label={t("mixForm")} className="space-y-3">
        <fieldset className="space-y-2">
          <legend className="mb-1 text-lg font-semibold">{t("inputs")}</legend>
          {inputs.length === 0 ? <p className="text-lg text-slate-700">{t("noInputs")}</p> : null}
          {inputs.map((i, n) => {
            const lot = i.place.lotNumber ?? "";
            return (
              <div key={i.place.item.lotId} className="flex flex-wrap items-end gap-3 rounded-md border-2 border-slate-300 bg-white p-3">
                <div className="min-w-64 flex-1 space-y-1">
                  <p className="text-lg font-semibold">
                    {t("lotAt", { lot, part: i.place.partNumber, revision: i.place.revision, location: i.place.locationCode, available: qtyText(i.place.available), uom: i.place.uom })}
                  </p>
                  <ClockChip clock={i.place.clock} timeZone={timeZone} />
                </div>
                <div className="w-48">
                  <label htmlFor={`${id}-qty-${n}`} className="mb-1 block font-semibold">
                    {t("quantityOf", { lot, uom: i.place.uom })}
                  </label>
                  <input
                    id={`${id}-qty-${n}`}
                    inputMode="decimal"
                    autoComplete="off"
                    className={`${field} tabular-nums`}
                    value={i.quantity}
                    onChange={(e) => setInputs((now) => now.map((x, k) => (k === n ? { ...x, quantity: e.target.value } : x)))}
                  />
                </div>
                <Button type="button" variant="secondary" size="lg" onClick={() => setInputs((now) => now.filter((_, k) => k !== n))}>
                  {t("remove", { lot })}
                </Button>
              </div>
            );
          })}
        </fieldset>
        <div className="grid gap-3 md:grid-cols-2 md:items-end">
          <div>
            <label htmlFor={`${id}-to`} className="mb-1 block text-lg font-semibold">
              {t("toLabel")}
            </label>
            <input id={`${id}-to`} autoComplete="off" className={`${field} font-mono`} value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          <Button type="submit" size="lg" disabled={!ready || inputs.length === 0 || mix.isPending || to.trim() === "" || inputs.some((i) => i.quantity.trim() === "")}>
            {mix.isPending ? t("mixing") : t("mix")}
          </Button>
        </div>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
