"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FAULT_FIELD, FLOOR_FIELD, ScanQuantityFields } from "@/components/inventory/scan-quantity-fields";
import { SoundToggle, useScanSound } from "@/components/inventory/scan-sound";
import { useWedgeScan } from "@/components/inventory/use-wedge-scan";
import { fieldsAtFault, SCAN_WORDS } from "@/components/errors/operator-message";
import { useErrorWords } from "@/components/errors/use-error-words";
import { formatQty } from "@/components/inventory/qty";
import { useLocale } from "next-intl";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import { RESULT_EVENT, ResultPanel, useReady, type Result } from "./operation-console";
import { KitPanel, type KitInstall } from "./kit-panel";
import { OperationTools } from "@/components/station/operation-tools";

type Spec = { name: string; unit: string; min?: string; max?: string };

type ConsumeItem = { scan: string } | { lotId: string } | { serialItemId: string } | { partRevisionId: string };

/** What a refusal carries for the console: the fields at fault, a quantity to pre-fill, a kit to show. */
function refusalFacts(e: unknown): { faults: string[]; suggested: string | null; kitId: string | null; code: string } {
  const data = (e as { data?: { domain?: { code?: unknown; details?: Record<string, unknown> } | null } | null } | null)?.data;
  const details = data?.domain?.details ?? {};
  return {
    faults: fieldsAtFault(e),
    suggested: typeof details.suggested === "string" ? details.suggested : null,
    kitId: typeof details.kitId === "string" ? details.kitId : null,
    code: typeof data?.domain?.code === "string" ? data.domain.code : "",
  };
}

/**
 * The operator's console for one unit at one operation: a scan field that always has focus and takes a scanner's
 * input wherever the focus is (keyboard-wedge bursts), a quantity that resets after each answer (pre-filled with what
 * the line still needs when a lot is scanned without one), the operation's parameters, and an answer bar fixed at the
 * bottom of the screen with one clear result after each scan (the field at fault highlighted), a distinct sound for
 * recorded and refused, and the complete button. A kit label shows the kit's content, each item installable by a tap.
 * Buttons are disabled while a request is pending; a retry of the same action reuses its request id.
 */
export function OperationConsole({
  stationId,
  unitId,
  operationSeq,
  specs,
  recorded,
  closed,
  requiredSkills = [],
  requiredToolClasses = [],
}: {
  stationId: string;
  unitId: string;
  operationSeq: number;
  specs: Spec[];
  recorded: Record<string, string>;
  closed: boolean;
  requiredSkills?: string[];
  requiredToolClasses?: string[];
}) {
  const t = useTranslations("station.console");
  const tNcr = useTranslations("ncr");
  const locale = useLocale();
  const { operatorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const answerId = `${id}-answer`;
  const consumeReq = useRequestId();
  const completeReq = useRequestId();
  const scanRef = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState("");
  const [quantity, setQuantity] = useState("");
  /** the scan a pre-filled quantity belongs to (null: the quantity was typed, or is empty) */
  const [prefillFor, setPrefillFor] = useState<string | null>(null);
  const [params, setParams] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Result>(null);
  const [faults, setFaults] = useState<string[]>([]);
  const [kitId, setKitId] = useState<string | null>(null);
  const [kitVersion, setKitVersion] = useState(0);
  const [tools, setTools] = useState<string[]>([]);
  /** a scan that arrived while the previous one was being recorded: sent as soon as that one is answered */
  const queued = useRef<string | null>(null);
  const sound = useScanSound();
  useEffect(() => {
    const show = (e: Event) => setResult((e as CustomEvent<Result>).detail);
    window.addEventListener(RESULT_EVENT, show);
    return () => window.removeEventListener(RESULT_EVENT, show);
  }, []);

  const resetQuantity = () => {
    setQuantity("");
    setPrefillFor(null);
  };

  const consume = useMutation(
    trpc.station.consumeComponent.mutationOptions({
      onSuccess: (o) => {
        consumeReq.answered();
        const facts = { part: o.partNumber, revision: o.revision, find: o.findNumber, unit: o.unitSerial, left: formatQty(o.lineLeft, locale), uom: o.uom };
        const text = o.serialNumber
          ? t("installedSerial", { ...facts, serial: o.serialNumber })
          : o.lotNumber
            ? t("installedLot", { ...facts, quantity: formatQty(o.quantity, locale), lot: o.lotNumber })
            : t("installedQuantity", { ...facts, quantity: formatQty(o.quantity, locale) });
        setResult({ ok: true, text });
        sound.play("accepted");
        setFaults([]);
        setScan("");
        resetQuantity();
        setKitVersion((v) => v + 1);
        router.refresh();
      },
      onError: (e, vars) => {
        if (serverAnswered(e)) consumeReq.answered();
        const f = refusalFacts(e);
        const m = operatorMessage(e, SCAN_WORDS);
        if (f.code === "KIT_LABEL_SCANNED" && f.kitId) {
          setResult({ ok: "notice", text: m.message, next: m.next });
          sound.play("notice");
          setKitId(f.kitId);
          setKitVersion((v) => v + 1);
          setFaults([]);
          setScan("");
          resetQuantity();
          return;
        }
        setResult({ ok: false, text: m.message, next: m.next });
        sound.play("refused");
        setFaults(f.faults);
        const scanned = "scan" in vars.item ? vars.item.scan : null;
        if (f.suggested && scanned) {
          // a lot scanned without a quantity: keep the scan, pre-fill what the line still needs, the operator confirms
          setScan(scanned);
          setQuantity(f.suggested);
          setPrefillFor(scanned);
        } else {
          setScan("");
          resetQuantity();
        }
      },
      onSettled: () => scanRef.current?.focus(),
    }),
  );
  const complete = useMutation(
    trpc.station.completeOperation.mutationOptions({
      onSuccess: (o) => {
        completeReq.answered();
        const flushed = o.backflushed
          .map((b) => (b.lotNumber ? t("flushedLot", { quantity: formatQty(b.quantity, locale), uom: b.uom, part: b.partNumber, lot: b.lotNumber }) : t("flushed", { quantity: formatQty(b.quantity, locale), uom: b.uom, part: b.partNumber })))
          .join(", ");
        const sentences = [o.awaitingInspection ? tNcr("stationStamp.completeAwaiting", { seq: o.operationSeq, unit: o.unitSerial }) : t("completed", { seq: o.operationSeq, unit: o.unitSerial })];
        if (flushed) sentences.push(t("backflushed", { list: flushed }));
        if (o.unitCompleted) sentences.push(t("unitFinished", { location: o.finishedTo ?? "" }));
        setResult({ ok: true, text: sentences.join(" ") });
        sound.play("accepted");
        setFaults([]);
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) completeReq.answered();
        const m = operatorMessage(e, SCAN_WORDS);
        setResult({ ok: false, text: m.message, next: m.next });
        sound.play("refused");
        setFaults(fieldsAtFault(e));
      },
      onSettled: () => scanRef.current?.focus(),
    }),
  );
  const pending = consume.isPending || complete.isPending;

  // The scan field keeps focus whenever focus falls back to the page (after a result, a tap on empty space).
  useEffect(() => {
    const timer = window.setInterval(() => {
      const active = document.activeElement;
      if (!active || active === document.body) scanRef.current?.focus();
    }, 400);
    return () => window.clearInterval(timer);
  }, []);

  const enteredParams = () => Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()]));

  function send(item: ConsumeItem, qty: string) {
    const payload = { stationId, unitId, operationSeq, item, quantity: qty.trim() === "" ? null : qty.trim(), parameters: enteredParams(), ...(tools.length > 0 ? { toolCodes: tools } : {}) };
    consume.mutate({ requestId: consumeReq.idFor(payload), ...payload });
  }

  /** Send a scan: a quantity pre-filled for another scan does not go with it. */
  function sendScan(text: string) {
    const t = text.trim();
    if (t === "" || closed) return;
    if (pending) {
      // never dropped: shown in the scan field and sent when the answer to the previous scan is in
      queued.current = t;
      setScan(t);
      return;
    }
    setScan(t);
    const qty = prefillFor !== null && prefillFor !== t ? "" : quantity;
    if (qty !== quantity) resetQuantity();
    send({ scan: t }, qty);
  }

  useWedgeScan(scanRef, sendScan, ready && !closed);
  // the scan queued while the previous one was recorded goes as soon as that answer is in
  useEffect(() => {
    if (pending || queued.current === null) return;
    const next = queued.current;
    queued.current = null;
    sendScan(next);
  });

  function submitScan(e: React.FormEvent) {
    e.preventDefault();
    sendScan(scan);
  }

  const installFromKit = (i: KitInstall) => {
    if (closed || pending) return;
    send(i.serialItemId ? { serialItemId: i.serialItemId } : i.lotId ? { lotId: i.lotId } : { partRevisionId: i.partRevisionId }, i.serialItemId ? "" : i.quantity);
  };

  function submitComplete() {
    const payload = { stationId, unitId, operationSeq, parameters: enteredParams(), ...(tools.length > 0 ? { toolCodes: tools } : {}) };
    complete.mutate({ requestId: completeReq.idFor(payload), ...payload });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submitScan} className="space-y-3" aria-label={t("formLabel")}>
        <div className="flex flex-wrap items-end gap-3">
          <ScanQuantityFields
            id={id}
            scanLabel={t("scanLabel")}
            scanRef={scanRef}
            scan={scan}
            onScan={setScan}
            quantity={quantity}
            onQuantity={(v) => {
              setQuantity(v);
              setPrefillFor(null);
            }}
            quantityPlaceholder={t("quantityPlaceholder")}
            disabled={closed}
            scanFault={faults.includes("scan")}
            quantityFault={faults.includes("quantity")}
            answerId={answerId}
          />
          <Button type="submit" size="lg" disabled={!ready || closed || pending}>
            {consume.isPending ? t("recording") : t("install")}
          </Button>
        </div>
        {specs.length > 0 ? (
          <fieldset className="flex flex-wrap gap-4 rounded-md border border-slate-300 p-3">
            <legend className="px-1 text-lg font-semibold">{t("parameters")}</legend>
            {specs.map((s) => {
              const fault = faults.includes(`parameter:${s.name}`);
              return (
                <div key={s.name}>
                  <label htmlFor={`${id}-p-${s.name}`} className="mb-1 block font-semibold">
                    {s.name} ({s.unit})
                  </label>
                  <input
                    id={`${id}-p-${s.name}`}
                    inputMode="decimal"
                    autoComplete="off"
                    className={cn(FLOOR_FIELD, "w-40", fault && FAULT_FIELD)}
                    aria-invalid={fault || undefined}
                    aria-describedby={fault ? answerId : undefined}
                    placeholder={recorded[s.name] ?? ""}
                    value={params[s.name] ?? ""}
                    onChange={(e) => setParams((p) => ({ ...p, [s.name]: e.target.value }))}
                    disabled={closed}
                  />
                  <p className="text-lg text-slate-800">
                    {s.min != null && s.max != null
                      ? t("limitsBetween", { min: formatQty(s.min, locale), max: formatQty(s.max, locale) })
                      : s.min != null
                        ? t("limitsAtLeast", { min: formatQty(s.min, locale) })
                        : s.max != null
                          ? t("limitsAtMost", { max: formatQty(s.max, locale) })
                          : t("limitsAny")}
                    {recorded[s.name] !== undefined ? ` · ${t("recorded", { value: recorded[s.name]! })}` : null}
                  </p>
                </div>
              );
            })}
          </fieldset>
        ) : null}
        <OperationTools id={id} requiredSkills={requiredSkills} requiredToolClasses={requiredToolClasses} tools={tools} onTools={setTools} disabled={closed} />
      </form>
      {kitId ? (
        <KitPanel stationId={stationId} unitId={unitId} seq={operationSeq} kitId={kitId} version={kitVersion} disabled={!ready || closed || pending} onInstall={installFromKit} onClose={() => setKitId(null)} />
      ) : null}
      {/* the answer bar: fixed at the bottom of the screen, so the answer and Complete are always in view */}
      <section aria-label={t("answer")} className="fixed inset-x-0 bottom-0 z-20 border-t-2 border-slate-400 bg-white shadow-[0_-4px_12px_rgba(15,23,42,0.18)]">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-2">
          <div className="max-h-[28vh] min-w-0 flex-1 overflow-y-auto">
            {result ? <ResultPanel result={result} id={answerId} /> : <p className="text-lg text-slate-800">{t("answerEmpty")}</p>}
          </div>
          <div className="flex shrink-0 flex-col gap-2">
            <Button type="button" size="lg" variant="primary" onClick={submitComplete} disabled={!ready || closed || pending}>
              {complete.isPending ? t("completing") : t("complete", { seq: operationSeq })}
            </Button>
            <SoundToggle enabled={sound.enabled} onChange={sound.setEnabled} />
          </div>
        </div>
      </section>
    </div>
  );
}
