"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, useHydrated, useRefusedOutcome, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import { itemKey, type StationItem } from "@/components/kitting/station-item";
import { formatQty } from "@/components/inventory/qty";

const field = "min-h-12 w-full rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

type Place = { id: string; label: string };


/**
 * Move material away from a station's point of use: scan (or choose) the lot, serial or part, say how much and where
 * to (a stores location: return; another station: transfer) and why. One result after each move; the button is
 * disabled while the move is pending, and a retry of the same move reuses its request id.
 */
export function StationStockMoves({ stationId, stationCode, items, stores, stations }: { stationId: string; stationCode: string; items: StationItem[]; stores: Place[]; stations: Place[] }) {
  const t = useTranslations("kitting.moves");
  const locale = useLocale();
  const refusedOutcome = useRefusedOutcome();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const scanRef = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState("");
  const [finding, setFinding] = useState(false);
  const [key, setKey] = useState(items[0]?.key ?? "");
  const [quantity, setQuantity] = useState(items[0]?.quantity ?? "");
  const [destination, setDestination] = useState(stores[0] ? `stores:${stores[0].id}` : stations[0] ? `station:${stations[0].id}` : "");
  const [reason, setReason] = useState("");
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  const item = items.find((i) => i.key === key);
  const toStores = destination.startsWith("stores:");
  const targetId = destination.slice(destination.indexOf(":") + 1);

  // a new list after a move: keep the chosen item if it is still there, else the first one
  useEffect(() => {
    if (!items.some((i) => i.key === key)) {
      setKey(items[0]?.key ?? "");
      setQuantity(items[0]?.quantity ?? "");
    }
  }, [items, key]);

  function choose(next: string) {
    setKey(next);
    setQuantity(items.find((i) => i.key === next)?.quantity ?? "");
  }

  async function find(e: React.FormEvent) {
    e.preventDefault();
    if (scan.trim() === "") return;
    setFinding(true);
    try {
      const rows = await queryClient.fetchQuery({ ...trpc.kitting.findStationItem.queryOptions({ stationId, scan }), staleTime: 0 });
      const keys = rows.map(itemKey).filter((k) => items.some((i) => i.key === k));
      const first = keys[0];
      if (!first) {
        setOutcome({ ok: false, text: t("notInList", { scan: scan.trim(), station: stationCode }) });
      } else {
        choose(first);
        const found = items.find((i) => i.key === first)!;
        setOutcome(
          keys.length === 1
            ? { ok: true, text: t("found", { item: found.label, station: stationCode, quantity: found.shownQuantity ?? found.quantity, uom: found.uom }) }
            : { ok: true, text: t("foundMany", { scan: scan.trim(), station: stationCode, count: keys.length }) },
        );
      }
      setScan("");
    } catch (error) {
      setOutcome(refusedOutcome(error));
      setScan("");
    } finally {
      setFinding(false);
      scanRef.current?.focus();
    }
  }

  const onSuccess = (o: { quantity: string; from: string; to: string }) => {
    req.answered();
    const words = { quantity: formatQty(o.quantity, locale), uom: item?.uom ?? "", item: item?.label ?? t("theMaterial"), from: o.from, to: o.to };
    setOutcome({ ok: true, text: toStores ? t("returned", words) : t("transferred", words) });
    setReason("");
    router.refresh();
  };
  const onError = (e: unknown) => {
    if (serverAnswered(e)) req.answered();
    setOutcome(refusedOutcome(e));
  };
  const back = useMutation(trpc.kitting.returnToStores.mutationOptions({ onSuccess, onError }));
  const transfer = useMutation(trpc.kitting.transferBetweenStations.mutationOptions({ onSuccess, onError }));
  const pending = back.isPending || transfer.isPending;

  function move(e: React.FormEvent) {
    e.preventDefault();
    if (!item) return;
    const moved = { partRevisionId: item.partRevisionId, lotId: item.lotId, serialItemId: item.serialItemId };
    if (toStores) {
      const input = { stationId, toLocationId: targetId, item: moved, quantity: quantity.trim(), reason };
      back.mutate({ requestId: req.idFor({ move: "return", ...input }), ...input });
    } else {
      const input = { fromStationId: stationId, toStationId: targetId, item: moved, quantity: quantity.trim(), reason };
      transfer.mutate({ requestId: req.idFor({ move: "transfer", ...input }), ...input });
    }
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
      <form onSubmit={move} aria-label={t("moveForm")} className="grid gap-3 md:grid-cols-2 lg:grid-cols-4 lg:items-end">
        <div className="lg:col-span-2">
          <label htmlFor={`${id}-item`} className="mb-1 block text-lg font-semibold">
            {t("material")}
          </label>
          <select id={`${id}-item`} className={field} value={key} onChange={(e) => choose(e.target.value)}>
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
          <label htmlFor={`${id}-to`} className="mb-1 block text-lg font-semibold">
            {t("moveTo")}
          </label>
          <select id={`${id}-to`} className={field} value={destination} onChange={(e) => setDestination(e.target.value)}>
            {stores.length > 0 ? (
              <optgroup label={t("returnToStores")}>
                {stores.map((s) => (
                  <option key={s.id} value={`stores:${s.id}`}>
                    {s.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {stations.length > 0 ? (
              <optgroup label={t("transferToStation")}>
                {stations.map((s) => (
                  <option key={s.id} value={`station:${s.id}`}>
                    {s.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        <div className="md:col-span-2 lg:col-span-3">
          <label htmlFor={`${id}-why`} className="mb-1 block text-lg font-semibold">
            {t("reason")}
          </label>
          <input id={`${id}-why`} autoComplete="off" className={field} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <Button type="submit" size="lg" disabled={!ready || pending || !item || destination === ""}>
          {pending ? (toStores ? t("returning") : t("transferring")) : toStores ? t("returnToStores") : t("transferToStation")}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
