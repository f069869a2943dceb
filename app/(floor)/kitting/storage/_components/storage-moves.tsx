"use client";

import { useId, useRef, useState } from "react";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, refusedOutcome, useHydrated, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import { useTranslations } from "next-intl";
import { ClockChip, useClockWords, type ClockFacts } from "@/components/inventory/clock-chip";
import type { StorageClass } from "@/server/domain/material-clock/material-clock";

type Place = {
  item: { partRevisionId: string; lotId: string | null; serialItemId: string | null };
  partNumber: string;
  revision: string;
  uom: string;
  lotNumber: string | null;
  serialNumber: string | null;
  locationId: string;
  locationCode: string;
  locationName: string;
  stationCode: string | null;
  locationClass: StorageClass | null;
  partStorageClass: StorageClass | null;
  onHand: string;
  available: string;
  clock: ClockFacts | null;
};

const field = "min-h-12 w-full rounded-md border-2 border-slate-500 bg-white px-3 text-lg focus:border-blue-600 focus:outline-none";
const keyOf = (p: Place) => `${p.locationId}/${p.item.lotId ?? ""}/${p.item.serialItemId ?? ""}/${p.item.partRevisionId}`;
const qtyText = (q: string) => String(Number(q));

/**
 * Storage moves by scan: scan the lot (or serial, or part), see where it is with its out-time, thaw state and expiry,
 * then scan the location it goes to. Out of its storage its out-time clock starts; back in, it stops.
 */
export function StorageMoves({ timeZone }: { timeZone: string }) {
  const t = useTranslations("storage");
  const tLabels = useTranslations("labels");
  const clockWords = useClockWords();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const ready = useHydrated();
  const req = useRequestId();
  const scanRef = useRef<HTMLInputElement>(null);
  const toRef = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState("");
  const [lastScan, setLastScan] = useState("");
  const [places, setPlaces] = useState<Place[]>([]);
  const [key, setKey] = useState("");
  const [to, setTo] = useState("");
  const [quantity, setQuantity] = useState("");
  const [finding, setFinding] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  const place = places.find((p) => keyOf(p) === key) ?? null;

  async function load(text: string): Promise<Place[]> {
    return (await queryClient.fetchQuery({ ...trpc.kitting.findStock.queryOptions({ scan: text }), staleTime: 0 })) as Place[];
  }

  async function find(e: React.FormEvent) {
    e.preventDefault();
    const text = scan.trim();
    if (!text) return;
    setFinding(true);
    try {
      const rows = await load(text);
      setPlaces(rows);
      setLastScan(text);
      const first = rows[0]!;
      setKey(keyOf(first));
      setQuantity(qtyText(first.available));
      setOutcome({ ok: true, text: t("found", { item: first.lotNumber ?? first.serialNumber ?? first.partNumber, count: rows.length, location: first.locationCode }) });
      setScan("");
      toRef.current?.focus();
    } catch (error) {
      setOutcome(refusedOutcome(error));
      setScan("");
      scanRef.current?.focus();
    } finally {
      setFinding(false);
    }
  }

  const move = useMutation(
    trpc.kitting.storageMove.mutationOptions({
      onSuccess: async (o) => {
        req.answered();
        const values = { quantity: o.quantity, uom: place?.uom ?? "", from: o.from, to: o.to };
        const c = o.clock?.clock;
        const words = c ? clockWords({ ...c, thaw: { state: c.thaw, completeAt: c.thawCompleteAt }, effectiveExpiry: { at: c.effectiveExpiry, cause: c.effectiveExpiryCause } }, timeZone) : "";
        setOutcome({ ok: true, text: !o.clock ? t("moved", values) : o.clock.event === "check_out" ? t("movedClockStarted", { ...values, clock: words }) : t("movedClockStopped", { ...values, clock: words }) });
        setTo("");
        try {
          const rows = await load(lastScan);
          setPlaces(rows);
        } catch {
          setPlaces([]);
        }
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
    if (!place) return;
    const input = { item: place.item, fromLocationId: place.locationId, toLocation: to.trim(), quantity: quantity.trim() };
    move.mutate({ requestId: req.idFor(input), ...input });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={find} aria-label={t("findForm")} className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor={`${id}-scan`} className="mb-1 block text-lg font-semibold">
            {t("scanLabel")}
          </label>
          <input id={`${id}-scan`} ref={scanRef} autoFocus autoComplete="off" className={`${field} font-mono`} value={scan} onChange={(e) => setScan(e.target.value)} />
        </div>
        <Button type="submit" variant="secondary" size="lg" disabled={!ready || finding || scan.trim() === ""}>
          {finding ? t("finding") : t("find")}
        </Button>
      </form>
      {places.length > 0 ? (
        <fieldset className="space-y-2">
          <legend className="mb-1 text-lg font-semibold">{t("whereItIs")}</legend>
          {places.map((p) => (
            <label key={keyOf(p)} className="flex min-h-12 cursor-pointer flex-wrap items-center gap-3 rounded-md border-2 border-slate-300 bg-white p-3 has-checked:border-blue-700">
              <input
                type="radio"
                name={`${id}-place`}
                className="size-6"
                checked={keyOf(p) === key}
                onChange={() => {
                  setKey(keyOf(p));
                  setQuantity(qtyText(p.available));
                }}
              />
              <span className="font-mono font-semibold">{p.lotNumber ?? p.serialNumber ?? p.partNumber}</span>
              <span>{t("partRev", { part: p.partNumber, revision: p.revision })}</span>
              <span className="font-semibold">
                {p.stationCode
                  ? t("atStation", { location: p.locationCode, station: p.stationCode })
                  : p.locationClass
                    ? t("atStorage", { location: p.locationCode, storageClass: t(`classes.${p.locationClass}`) })
                    : t("at", { location: p.locationCode })}
              </span>
              <span className="tabular-nums">
                {qtyText(p.onHand)} {p.uom}
              </span>
              {p.partStorageClass ? <span>{t("keep", { storageClass: t(`classes.${p.partStorageClass}`) })}</span> : null}
              <ClockChip clock={p.clock} timeZone={timeZone} />
              {p.item.lotId || p.item.serialItemId ? (
                <Link
                  href={p.item.lotId ? `/labels/lot/${p.item.lotId}` : `/labels/serial/${p.item.serialItemId}`}
                  className="inline-flex min-h-12 items-center text-blue-800 underline"
                  aria-label={tLabels("printLabelOf", { item: p.lotNumber ?? p.serialNumber ?? p.partNumber })}
                >
                  {tLabels("printLabel")}
                </Link>
              ) : null}
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="text-lg text-slate-700">{t("emptyHint")}</p>
      )}
      <form onSubmit={submit} aria-label={t("moveForm")} className="grid gap-3 md:grid-cols-3 md:items-end">
        <div>
          <label htmlFor={`${id}-to`} className="mb-1 block text-lg font-semibold">
            {t("toLabel")}
          </label>
          <input id={`${id}-to`} ref={toRef} autoComplete="off" className={`${field} font-mono`} value={to} onChange={(e) => setTo(e.target.value)} disabled={!place} />
        </div>
        <div>
          <label htmlFor={`${id}-qty`} className="mb-1 block text-lg font-semibold">
            {place ? t("quantityWithUom", { uom: place.uom }) : t("quantityLabel")}
          </label>
          <input id={`${id}-qty`} inputMode="decimal" autoComplete="off" className={`${field} tabular-nums`} value={quantity} onChange={(e) => setQuantity(e.target.value)} disabled={!place} />
        </div>
        <Button type="submit" size="lg" disabled={!ready || !place || move.isPending || to.trim() === ""}>
          {move.isPending ? t("moving") : t("move")}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
