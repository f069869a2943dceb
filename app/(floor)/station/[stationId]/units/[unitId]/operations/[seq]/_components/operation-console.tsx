"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ScanQuantityFields } from "@/components/inventory/scan-quantity-fields";
import { OperationTools } from "@/components/station/operation-tools";
import { operatorMessage, SCAN_WORDS } from "@/components/errors/operator-message";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type ScrapReasonCode = inferRouterInputs<AppRouter>["station"]["scrapMaterial"]["reasonCode"];
type StationOutputs = inferRouterOutputs<AppRouter>["station"];

const field = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

export type Result = { ok: true; text: string } | { ok: false; text: string; next: string | null } | null;

export function ResultPanel({ result }: { result: Result }) {
  if (!result) return null;
  return result.ok ? (
    <div role="status" aria-live="polite" data-result="recorded" className="rounded-md border-2 border-green-700 bg-green-50 p-4 text-xl font-semibold text-green-900">
      ✔ {result.text}
    </div>
  ) : (
    <div role="status" aria-live="assertive" data-result="refused" className="rounded-md border-2 border-red-700 bg-red-50 p-4 text-xl text-red-900">
      <p className="font-bold">✖ Refused: {result.text}</p>
      {result.next ? <p className="mt-1 text-lg">{result.next}</p> : null}
    </div>
  );
}

function refused(e: unknown): Result {
  const m = operatorMessage(e, SCAN_WORDS);
  return { ok: false, text: m.message, next: m.next };
}

function useReady() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}

type Spec = { name: string; unit: string; min?: string; max?: string };

/**
 * Removal and scrap forms sit in rows that disappear when the page refreshes after they succeed; they announce their
 * result here so the console (always on screen) keeps showing it.
 */
const RESULT_EVENT = "traceline:station-result";
function announce(result: Result) {
  window.dispatchEvent(new CustomEvent<Result>(RESULT_EVENT, { detail: result }));
}

/**
 * What a removal or scrap form does with its answer: the request id is answered (a refusal the server gave too), the
 * result is shown in the form and announced to the console, and on success the form closes and the page refreshes.
 */
function rowActionCallbacks<T>(a: { req: { answered: () => void }; setResult: (r: Result) => void; close: () => void; refresh: () => void; describe: (o: T) => string }) {
  return {
    onSuccess: (o: T) => {
      a.req.answered();
      const done = { ok: true as const, text: a.describe(o) };
      a.setResult(done);
      announce(done);
      a.close();
      a.refresh();
    },
    onError: (e: unknown) => {
      if (serverAnswered(e)) a.req.answered();
      a.setResult(refused(e));
    },
  };
}

/**
 * The operator's console for one unit at one operation: a scan field that always has focus, a quantity, the
 * operation's parameters, one clear result after each scan, and the complete button (which says what is missing).
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
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const consumeReq = useRequestId();
  const completeReq = useRequestId();
  const scanRef = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState("");
  const [quantity, setQuantity] = useState("");
  const [params, setParams] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Result>(null);
  const [tools, setTools] = useState<string[]>([]);
  useEffect(() => {
    const show = (e: Event) => setResult((e as CustomEvent<Result>).detail);
    window.addEventListener(RESULT_EVENT, show);
    return () => window.removeEventListener(RESULT_EVENT, show);
  }, []);

  const consume = useMutation(
    trpc.station.consumeComponent.mutationOptions({
      onSuccess: (o) => {
        consumeReq.answered();
        const what = o.serialNumber ? `serial ${o.serialNumber}` : o.lotNumber ? `${o.quantity} ${o.uom} of lot ${o.lotNumber}` : `${o.quantity} ${o.uom}`;
        setResult({ ok: true, text: `Installed ${what} (${o.partNumber} rev ${o.revision}, find ${o.findNumber}) in unit ${o.unitSerial}. Left on this line: ${o.lineLeft} ${o.uom}.` });
        setScan("");
        setQuantity("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) consumeReq.answered();
        setResult(refused(e));
        setScan("");
      },
      onSettled: () => scanRef.current?.focus(),
    }),
  );
  const complete = useMutation(
    trpc.station.completeOperation.mutationOptions({
      onSuccess: (o) => {
        completeReq.answered();
        const flushed = o.backflushed.map((b) => `${b.quantity} ${b.uom} ${b.partNumber}${b.lotNumber ? ` lot ${b.lotNumber}` : ""}`).join(", ");
        setResult({
          ok: true,
          text: `Operation ${o.operationSeq} of unit ${o.unitSerial} complete.${flushed ? ` Backflushed: ${flushed}.` : ""}${o.unitCompleted ? ` Unit finished and put into ${o.finishedTo}.` : ""}`,
        });
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) completeReq.answered();
        setResult(refused(e));
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

  function submitScan(e: React.FormEvent) {
    e.preventDefault();
    if (scan.trim() === "") return;
    const payload = {
      stationId,
      unitId,
      operationSeq,
      item: { scan: scan.trim() },
      quantity: quantity.trim() === "" ? null : quantity.trim(),
      parameters: enteredParams(),
      ...(tools.length > 0 ? { toolCodes: tools } : {}),
    };
    consume.mutate({ requestId: consumeReq.idFor(payload), ...payload });
  }

  function submitComplete() {
    const payload = { stationId, unitId, operationSeq, parameters: enteredParams(), ...(tools.length > 0 ? { toolCodes: tools } : {}) };
    complete.mutate({ requestId: completeReq.idFor(payload), ...payload });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submitScan} className="space-y-3" aria-label="Install by scanning">
        <div className="flex flex-wrap items-end gap-3">
          <ScanQuantityFields
            id={id}
            scanLabel="Scan serial, lot or part"
            scanRef={scanRef}
            scan={scan}
            onScan={setScan}
            quantity={quantity}
            onQuantity={setQuantity}
            quantityPlaceholder="1 for a serial"
            disabled={closed}
          />
          <Button type="submit" size="lg" disabled={!ready || closed || pending}>
            {consume.isPending ? "Recording…" : "Install"}
          </Button>
        </div>
        {specs.length > 0 ? (
          <fieldset className="flex flex-wrap gap-4 rounded-md border border-slate-300 p-3">
            <legend className="px-1 text-lg font-semibold">Process parameters</legend>
            {specs.map((s) => (
              <div key={s.name}>
                <label htmlFor={`${id}-p-${s.name}`} className="mb-1 block font-semibold">
                  {s.name} ({s.unit})
                </label>
                <input
                  id={`${id}-p-${s.name}`}
                  inputMode="decimal"
                  autoComplete="off"
                  className={`${field} w-40`}
                  placeholder={recorded[s.name] ?? ""}
                  value={params[s.name] ?? ""}
                  onChange={(e) => setParams((p) => ({ ...p, [s.name]: e.target.value }))}
                  disabled={closed}
                />
                <p className="text-sm text-slate-700">
                  {s.min != null && s.max != null ? `${s.min} to ${s.max}` : s.min != null ? `at least ${s.min}` : s.max != null ? `at most ${s.max}` : "any value"}
                  {recorded[s.name] !== undefined ? ` · recorded ${recorded[s.name]}` : ""}
                </p>
              </div>
            ))}
          </fieldset>
        ) : null}
        <OperationTools id={id} requiredSkills={requiredSkills} requiredToolClasses={requiredToolClasses} tools={tools} onTools={setTools} disabled={closed} />
      </form>
      <ResultPanel result={result} />
      <div>
        <Button type="button" size="lg" variant="secondary" onClick={submitComplete} disabled={!ready || closed || pending}>
          {complete.isPending ? "Completing…" : `Complete operation ${operationSeq}`}
        </Button>
      </div>
    </div>
  );
}

/** Take one installed component out in rework: reason and destination; the material moves, the as-built keeps the history. */
export function RemoveComponentForm({ edgeId, label }: { edgeId: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const req = useRequestId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [destination, setDestination] = useState<"stores" | "quarantine" | "scrap">("quarantine");
  const [result, setResult] = useState<Result>(null);
  const remove = useMutation(
    trpc.station.removeComponent.mutationOptions(
      rowActionCallbacks<StationOutputs["removeComponent"]>({
        req,
        setResult,
        close: () => setOpen(false),
        refresh: () => router.refresh(),
        describe: (o) => `Removed ${o.serialNumber ? `serial ${o.serialNumber}` : `${o.quantity} of ${o.partNumber}`} from unit ${o.unitSerial} to ${o.locationCode}.`,
      }),
    ),
  );
  if (!open) {
    return (
      <div className="space-y-2">
        <Button type="button" variant="secondary" size="lg" onClick={() => setOpen(true)} disabled={!ready} aria-label={`Remove ${label}`}>
          Remove…
        </Button>
        <ResultPanel result={result} />
      </div>
    );
  }
  return (
    <form
      className="space-y-2"
      aria-label={`Remove ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { edgeId, reason, destination };
        remove.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      <label htmlFor={`${id}-reason`} className="block font-semibold">
        Why does it come out?
      </label>
      <input id={`${id}-reason`} className={`${field} w-full`} value={reason} onChange={(e) => setReason(e.target.value)} />
      <label htmlFor={`${id}-dest`} className="block font-semibold">
        Where does it go?
      </label>
      <select id={`${id}-dest`} className={`${field} w-full`} value={destination} onChange={(e) => setDestination(e.target.value as typeof destination)}>
        <option value="quarantine">Quarantine (MRB)</option>
        <option value="stores">Back to stores</option>
        <option value="scrap">Scrap</option>
      </select>
      <div className="flex gap-2">
        <Button type="submit" size="lg" variant="danger" disabled={!ready || remove.isPending}>
          {remove.isPending ? "Removing…" : "Remove"}
        </Button>
        <Button type="button" size="lg" variant="secondary" onClick={() => setOpen(false)} disabled={remove.isPending}>
          Cancel
        </Button>
      </div>
      <ResultPanel result={result} />
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
  const scrap = useMutation(
    trpc.station.scrapMaterial.mutationOptions(
      rowActionCallbacks<StationOutputs["scrapMaterial"]>({
        req,
        setResult,
        close: () => setOpen(false),
        refresh: () => router.refresh(),
        describe: (o) => `Scrapped ${o.quantity} ${o.uom} of ${o.serialNumber ?? o.lotNumber ?? o.partNumber} from ${o.fromCode}.`,
      }),
    ),
  );
  if (!open) {
    return (
      <div className="space-y-2">
        <Button type="button" variant="secondary" onClick={() => setOpen(true)} disabled={!ready} aria-label={`Scrap ${label}`}>
          Scrap…
        </Button>
        <ResultPanel result={result} />
      </div>
    );
  }
  return (
    <form
      className="space-y-2"
      aria-label={`Scrap ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { locationId, item, quantity: quantity.trim() || null, reasonCode, note: note.trim() || null };
        scrap.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      {!isSerial ? (
        <>
          <label htmlFor={`${id}-q`} className="block font-semibold">
            Quantity to scrap
          </label>
          <input id={`${id}-q`} inputMode="decimal" className={`${field} w-40`} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </>
      ) : null}
      <label htmlFor={`${id}-r`} className="block font-semibold">
        Reason
      </label>
      <select id={`${id}-r`} className={`${field} w-full`} value={reasonCode} onChange={(e) => setReasonCode(e.target.value as ScrapReasonCode)}>
        {reasons.map((r) => (
          <option key={r.code} value={r.code}>
            {r.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-n`} className="block font-semibold">
        Note (optional)
      </label>
      <input id={`${id}-n`} className={`${field} w-full`} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="flex gap-2">
        <Button type="submit" size="lg" variant="danger" disabled={!ready || scrap.isPending}>
          {scrap.isPending ? "Scrapping…" : "Scrap"}
        </Button>
        <Button type="button" size="lg" variant="secondary" onClick={() => setOpen(false)} disabled={scrap.isPending}>
          Cancel
        </Button>
      </div>
      <ResultPanel result={result} />
    </form>
  );
}
