"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useTranslations } from "next-intl";
import { fieldsAtFault, operatorMessage, SCAN_WORDS, type ErrorWords } from "@/components/errors/operator-message";
import { FAULT_FIELD } from "@/components/inventory/scan-quantity-fields";
import { cn } from "@/components/ui/cn";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type ScrapReasonCode = inferRouterInputs<AppRouter>["station"]["scrapMaterial"]["reasonCode"];
type StationOutputs = inferRouterOutputs<AppRouter>["station"];

const field = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

export type Result = { ok: true; text: string } | { ok: false; text: string; next: string | null } | { ok: "notice"; text: string; next: string | null } | null;

/** One clear answer: green (recorded), red (refused: the reason and the one next step) or blue (shown, nothing recorded). */
export function ResultPanel({ result, id }: { result: Result; id?: string }) {
  const t = useTranslations("station.answer");
  if (!result) return null;
  if (result.ok === true) {
    return (
      <div id={id} role="status" aria-live="polite" data-result="recorded" className="rounded-md border-2 border-green-700 bg-green-50 p-3 text-xl font-semibold text-green-900">
        ✔ {result.text}
      </div>
    );
  }
  if (result.ok === "notice") {
    return (
      <div id={id} role="status" aria-live="polite" data-result="shown" className="rounded-md border-2 border-blue-700 bg-blue-50 p-3 text-xl text-blue-950">
        <p className="font-bold">{result.text}</p>
        {result.next ? <p className="mt-1 text-lg">{result.next}</p> : null}
      </div>
    );
  }
  return (
    <div id={id} role="status" aria-live="assertive" data-result="refused" className="rounded-md border-2 border-red-700 bg-red-50 p-3 text-xl text-red-900">
      <p className="font-bold">{t("refused", { text: result.text })}</p>
      {result.next ? <p className="mt-1 text-lg">{result.next}</p> : null}
    </div>
  );
}

export function refused(e: unknown, t?: ErrorWords): Result {
  const m = operatorMessage(e, SCAN_WORDS, t);
  return { ok: false, text: m.message, next: m.next };
}

export function useReady() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}

/**
 * Removal and scrap forms sit in rows that disappear when the page refreshes after they succeed; they announce their
 * result here so the console (always on screen) keeps showing it.
 */
export const RESULT_EVENT = "traceline:station-result";
function announce(result: Result) {
  window.dispatchEvent(new CustomEvent<Result>(RESULT_EVENT, { detail: result }));
}

/**
 * What a removal or scrap form does with its answer: the request id is answered (a refusal the server gave too), the
 * result is shown in the form and announced to the console, and on success the form closes and the page refreshes.
 */
function rowActionCallbacks<T>(a: {
  req: { answered: () => void };
  setResult: (r: Result) => void;
  setFaults: (f: string[]) => void;
  errorWords: ErrorWords;
  close: () => void;
  refresh: () => void;
  describe: (o: T) => string;
}) {
  return {
    onSuccess: (o: T) => {
      a.req.answered();
      const done = { ok: true as const, text: a.describe(o) };
      a.setResult(done);
      a.setFaults([]);
      announce(done);
      a.close();
      a.refresh();
    },
    onError: (e: unknown) => {
      if (serverAnswered(e)) a.req.answered();
      a.setResult(refused(e, a.errorWords));
      a.setFaults(fieldsAtFault(e));
    },
  };
}

/** Take one installed component out in rework: reason and destination; the material moves, the as-built keeps the history. */
export function RemoveComponentForm({ edgeId, label }: { edgeId: string; label: string }) {
  const t = useTranslations("station.remove");
  const errorWords = useTranslations("errors") as unknown as ErrorWords;
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const req = useRequestId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [destination, setDestination] = useState<"stores" | "quarantine" | "scrap">("quarantine");
  const [result, setResult] = useState<Result>(null);
  const [faults, setFaults] = useState<string[]>([]);
  const faulty = (f: string) => (faults.includes(f) ? { "aria-invalid": true, "aria-describedby": `${id}-answer` } : {});
  const remove = useMutation(
    trpc.station.removeComponent.mutationOptions(
      rowActionCallbacks<StationOutputs["removeComponent"]>({
        req,
        setResult,
        setFaults,
        errorWords,
        close: () => setOpen(false),
        refresh: () => router.refresh(),
        describe: (o) =>
          o.serialNumber
            ? t("removedSerial", { serial: o.serialNumber, unit: o.unitSerial, location: o.locationName ?? o.locationCode })
            : t("removedQuantity", { quantity: o.quantity, part: o.partNumber, unit: o.unitSerial, location: o.locationName ?? o.locationCode }),
      }),
    ),
  );
  if (!open) {
    return (
      <div className="space-y-2">
        <Button type="button" variant="secondary" size="lg" onClick={() => setOpen(true)} disabled={!ready} aria-label={t("removeItem", { item: label })}>
          {t("open")}
        </Button>
        <ResultPanel result={result} />
      </div>
    );
  }
  return (
    <form
      className="space-y-2"
      aria-label={t("removeItem", { item: label })}
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { edgeId, reason, destination };
        remove.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      <label htmlFor={`${id}-reason`} className="block font-semibold">
        {t("why")}
      </label>
      <input id={`${id}-reason`} className={cn(field, "w-full", faults.includes("reason") && FAULT_FIELD)} {...faulty("reason")} value={reason} onChange={(e) => setReason(e.target.value)} />
      <label htmlFor={`${id}-dest`} className="block font-semibold">
        {t("where")}
      </label>
      <select id={`${id}-dest`} className={cn(field, "w-full", faults.includes("destination") && FAULT_FIELD)} {...faulty("destination")} value={destination} onChange={(e) => setDestination(e.target.value as typeof destination)}>
        <option value="quarantine">{t("toQuarantine")}</option>
        <option value="stores">{t("toStores")}</option>
        <option value="scrap">{t("toScrap")}</option>
      </select>
      <div className="flex gap-2">
        <Button type="submit" size="lg" variant="danger" disabled={!ready || remove.isPending}>
          {remove.isPending ? t("removing") : t("submit")}
        </Button>
        <Button type="button" size="lg" variant="secondary" onClick={() => setOpen(false)} disabled={remove.isPending}>
          {t("cancel")}
        </Button>
      </div>
      <ResultPanel result={result} id={`${id}-answer`} />
    </form>
  );
}

/** Scrap staged material where it lies, with a reason code. */
export function ScrapForm({
  locationId,
  item,
  label,
  isSerial,
  reasons,
}: {
  locationId: string;
  item: { lotId: string } | { serialItemId: string } | { partRevisionId: string };
  label: string;
  isSerial: boolean;
  reasons: { code: ScrapReasonCode; label: string }[];
}) {
  const t = useTranslations("station.scrap");
  const errorWords = useTranslations("errors") as unknown as ErrorWords;
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const req = useRequestId();
  const [open, setOpen] = useState(false);
  const [quantity, setQuantity] = useState(isSerial ? "1" : "");
  const [reasonCode, setReasonCode] = useState<ScrapReasonCode>(reasons[0]?.code ?? "DAMAGED");
  const [note, setNote] = useState("");
  const [result, setResult] = useState<Result>(null);
  const [faults, setFaults] = useState<string[]>([]);
  const faulty = (f: string) => (faults.includes(f) ? { "aria-invalid": true, "aria-describedby": `${id}-answer` } : {});
  const scrap = useMutation(
    trpc.station.scrapMaterial.mutationOptions(
      rowActionCallbacks<StationOutputs["scrapMaterial"]>({
        req,
        setResult,
        setFaults,
        errorWords,
        close: () => setOpen(false),
        refresh: () => router.refresh(),
        describe: (o) => t("scrapped", { quantity: o.quantity, uom: o.uom, item: o.serialNumber ?? o.lotNumber ?? o.partNumber, from: o.fromName ?? o.fromCode }),
      }),
    ),
  );
  if (!open) {
    return (
      <div className="space-y-2">
        <Button type="button" variant="secondary" onClick={() => setOpen(true)} disabled={!ready} aria-label={t("scrapItem", { item: label })}>
          {t("open")}
        </Button>
        <ResultPanel result={result} />
      </div>
    );
  }
  return (
    <form
      className="space-y-2"
      aria-label={t("scrapItem", { item: label })}
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { locationId, item, quantity: quantity.trim() || null, reasonCode, note: note.trim() || null };
        scrap.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      {!isSerial ? (
        <>
          <label htmlFor={`${id}-q`} className="block font-semibold">
            {t("quantity")}
          </label>
          <input id={`${id}-q`} inputMode="decimal" className={cn(field, "w-40", faults.includes("quantity") && FAULT_FIELD)} {...faulty("quantity")} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </>
      ) : null}
      <label htmlFor={`${id}-r`} className="block font-semibold">
        {t("reason")}
      </label>
      <select id={`${id}-r`} className={cn(field, "w-full", faults.includes("reasonCode") && FAULT_FIELD)} {...faulty("reasonCode")} value={reasonCode} onChange={(e) => setReasonCode(e.target.value as ScrapReasonCode)}>
        {reasons.map((r) => (
          <option key={r.code} value={r.code}>
            {r.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-n`} className="block font-semibold">
        {t("note")}
      </label>
      <input id={`${id}-n`} className={`${field} w-full`} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="flex gap-2">
        <Button type="submit" size="lg" variant="danger" disabled={!ready || scrap.isPending}>
          {scrap.isPending ? t("scrapping") : t("submit")}
        </Button>
        <Button type="button" size="lg" variant="secondary" onClick={() => setOpen(false)} disabled={scrap.isPending}>
          {t("cancel")}
        </Button>
      </div>
      <ResultPanel result={result} id={`${id}-answer`} />
    </form>
  );
}
