"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ScanQuantityFields } from "@/components/inventory/scan-quantity-fields";
import { SoundToggle, useScanSound } from "@/components/inventory/scan-sound";
import { useWedgeScan } from "@/components/inventory/use-wedge-scan";
import { fieldsAtFault } from "@/components/errors/operator-message";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import { kittingRefusal } from "@/components/kitting/refusal-words";
import { PICK_WORDS, SCAN_WORDS, type ErrorWords } from "@/components/errors/operator-message";
import { useErrorWords } from "@/components/errors/use-error-words";
import { formatQty } from "@/components/inventory/qty";

const field = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

function useReady() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}

type Result = { ok: true; text: string } | { ok: false; text: string; next: string } | null;

function ResultPanel({ result, id }: { result: Result; id?: string }) {
  const t = useTranslations("kitting.pick");
  if (!result) return null;
  return result.ok ? (
    <div id={id} role="status" aria-live="polite" className="rounded-md border-2 border-green-700 bg-green-50 p-4 text-xl font-semibold text-green-900">
      ✔ {result.text}
    </div>
  ) : (
    <div id={id} role="status" aria-live="assertive" className="rounded-md border-2 border-red-700 bg-red-50 p-4 text-xl text-red-900">
      <p className="font-bold">{t("refused", { text: result.text })}</p>
      {result.next ? <p className="mt-1 text-lg">{result.next}</p> : null}
    </div>
  );
}

/**
 * The scan field (always focused, and a scanner's burst lands in it wherever the focus is), an optional quantity that
 * resets after each answer (empty: what the line still needs), and one clear result after each scan with the field at
 * fault highlighted and a distinct sound for recorded and refused.
 */
export function ScanToPick({ kitId, disabled }: { kitId: string; disabled: boolean }) {
  const t = useTranslations("kitting.pick");
  const errorWords = useTranslations("errors") as unknown as ErrorWords;
  const locale = useLocale();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const req = useRequestId();
  const scanRef = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState("");
  const [quantity, setQuantity] = useState("");
  const [result, setResult] = useState<Result>(null);
  const [faults, setFaults] = useState<string[]>([]);
  const sound = useScanSound();
  const answerId = `${id}-answer`;
  const pick = useMutation(
    trpc.kitting.pickToKit.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        const words = { part: o.partNumber, revision: o.revision, from: o.locationName ?? o.locationCode, left: formatQty(o.lineOutstanding, locale), uom: o.uom, quantity: formatQty(o.quantity, locale) };
        setResult({
          ok: true,
          text: o.serialNumber
            ? t("recordedSerial", { ...words, serial: o.serialNumber })
            : o.lotNumber
              ? t("recordedLot", { ...words, lot: o.lotNumber })
              : t("recordedQuantity", words),
        });
        sound.play("accepted");
        setFaults([]);
        setScan("");
        setQuantity("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setResult({ ok: false, ...kittingRefusal(e, SCAN_WORDS, errorWords) });
        sound.play("refused");
        setFaults(fieldsAtFault(e));
        setScan("");
        setQuantity("");
      },
      onSettled: () => scanRef.current?.focus(),
    }),
  );

  // The scan field keeps focus: after each result, and whenever focus falls back to the page.
  useEffect(() => {
    const refocus = () => {
      const active = document.activeElement;
      if (!active || active === document.body) scanRef.current?.focus();
    };
    const timer = window.setInterval(refocus, 500);
    return () => window.clearInterval(timer);
  }, []);

  function send(text: string) {
    if (text.trim() === "" || disabled) return;
    setScan(text);
    // a scan that arrives while the previous pick is recorded stays in the field, to be sent with Enter
    if (pick.isPending) return;
    const payload = { kitId, scan: text, quantity: quantity.trim() === "" ? null : quantity.trim() };
    pick.mutate({ requestId: req.idFor(payload), ...payload });
  }
  useWedgeScan(scanRef, send, ready && !disabled);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    send(scan);
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label={t("form")}>
      <div className="flex flex-wrap items-end gap-3">
        <ScanQuantityFields
          id={id}
          scanLabel={t("scanLabel")}
          scanRef={scanRef}
          scan={scan}
          onScan={setScan}
          quantity={quantity}
          onQuantity={setQuantity}
          quantityPlaceholder={t("quantityPlaceholder")}
          disabled={disabled}
          scanFault={faults.includes("scan")}
          quantityFault={faults.includes("quantity")}
          answerId={answerId}
        />
        <Button type="submit" size="lg" disabled={!ready || disabled || pick.isPending}>
          {pick.isPending ? t("recording") : t("submit")}
        </Button>
        <SoundToggle enabled={sound.enabled} onChange={sound.setEnabled} />
      </div>
      <ResultPanel result={result} id={answerId} />
    </form>
  );
}

/** Record a line as short: how much is missing and why. */
export function ShortPickForm({ kitId, kitLineId, open, uom, label }: { kitId: string; kitLineId: string; open: string; uom: string; label: string }) {
  const t = useTranslations("kitting.pick");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const req = useRequestId();
  const [shown, setShown] = useState(false);
  const [quantity, setQuantity] = useState(open);
  const [reason, setReason] = useState("");
  const short = useMutation(
    trpc.kitting.recordShortPick.mutationOptions({
      onSuccess: () => {
        req.answered();
        setShown(false);
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
      },
    }),
  );
  if (!shown) {
    return (
      <Button variant="secondary" size="lg" disabled={!ready} onClick={() => setShown(true)} aria-label={t("shortAria", { item: label })}>
        {t("shortOpen")}
      </Button>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      aria-label={t("shortForm", { item: label })}
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { kitId, kitLineId, quantity, reason };
        short.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      <label className="block">
        <span className="block text-sm font-semibold">{t("missing", { uom })}</span>
        <input id={`${id}-q`} className={`${field} w-28`} inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      </label>
      <label className="block">
        <span className="block text-sm font-semibold">{t("why")}</span>
        <input id={`${id}-r`} className={`${field} w-64`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <Button type="submit" size="lg" disabled={!ready || short.isPending}>
        {t("recordShort")}
      </Button>
      <Button variant="secondary" size="lg" onClick={() => setShown(false)}>
        {t("cancel")}
      </Button>
      {short.error ? (
        <p role="alert" className="w-full font-semibold text-red-800">
          {actionErrorMessage(short.error)}
        </p>
      ) : null}
    </form>
  );
}

/** Issue the kit to a station's point of use (one movement, all lines or none). */
export function IssueKitForm({ kitId, stations, stationId, canIssue }: { kitId: string; stations: { id: string; label: string }[]; stationId: string | null; canIssue: boolean }) {
  const t = useTranslations("kitting.pick");
  const errorWords = useTranslations("errors") as unknown as ErrorWords;
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const req = useRequestId();
  const [station, setStation] = useState(stationId ?? stations[0]?.id ?? "");
  const [result, setResult] = useState<Result>(null);
  const issue = useMutation(
    trpc.kitting.issueKit.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        setResult({ ok: true, text: t("issuedTo", { kit: o.kitNumber, station: o.stationCode, location: o.locationCode }) });
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setResult({ ok: false, ...kittingRefusal(e, PICK_WORDS, errorWords) });
      },
    }),
  );
  return (
    <form
      className="space-y-3"
      aria-label={t("issueForm")}
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { kitId, stationId: station };
        issue.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-st`} className="mb-1 block text-lg font-semibold">
            {t("toStation")}
          </label>
          <select id={`${id}-st`} className={field} value={station} onChange={(e) => setStation(e.target.value)}>
            {stations.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" size="lg" disabled={!ready || !canIssue || issue.isPending}>
          {issue.isPending ? t("issuing") : t("issue")}
        </Button>
      </div>
      <ResultPanel result={result} />
    </form>
  );
}
