"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { fieldsAtFault, SCAN_WORDS } from "@/components/errors/operator-message";
import { FAULT_FIELD } from "@/components/inventory/scan-quantity-fields";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ResultPanel, useReady, type Result } from "./operation-console";

const field = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-3 text-lg";
const DEFECTS = ["damaged", "failed_parameter", "refused", "other"] as const;
type Defect = (typeof DEFECTS)[number];
type About = "item" | "operation" | "unit";

/**
 * The station's "Raise NCR" (issue 19, Must 1 and 4): besides removal, an operator reports a damaged part, a failed
 * parameter or anything else that does not conform, on a scanned lot or serial (a lot at this station's point of use,
 * with its quantity), on this operation of the unit, or on the unit; the report holds the item at once.
 */
export function RaiseNcrForm({ stationId, pointOfUseId, unitId, unitSerial, operationSeq }: { stationId: string; pointOfUseId: string | null; unitId: string; unitSerial: string; operationSeq: number }) {
  const t = useTranslations("ncr");
  const { operatorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useReady();
  const id = useId();
  const req = useRequestId();
  const [open, setOpen] = useState(false);
  const [about, setAbout] = useState<About>("item");
  const [scan, setScan] = useState("");
  const [quantity, setQuantity] = useState("");
  const [defect, setDefect] = useState<Defect>("damaged");
  const [description, setDescription] = useState("");
  const [result, setResult] = useState<Result>(null);
  const [faults, setFaults] = useState<string[]>([]);
  const faulty = (f: string) => (faults.includes(f) ? { "aria-invalid": true, "aria-describedby": `${id}-answer` } : {});
  const raise = useMutation(
    trpc.ncr.raise.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        setResult({ ok: true, text: t("stationRaise.done", { number: o.number, held: o.held ?? "—" }) });
        setFaults([]);
        setOpen(false);
        setScan("");
        setQuantity("");
        setDescription("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        const m = operatorMessage(e, SCAN_WORDS);
        setResult({ ok: false, text: m.message, next: m.next });
        setFaults(fieldsAtFault(e));
      },
    }),
  );
  if (!open) {
    return (
      <div className="space-y-2">
        <Button type="button" size="lg" variant="secondary" onClick={() => (setResult(null), setOpen(true))} disabled={!ready}>
          {t("stationRaise.open")}
        </Button>
        <ResultPanel result={result} />
      </div>
    );
  }
  const target =
    about === "item" ? { kind: "scan" as const, scan: scan.trim() } : about === "operation" ? { kind: "operation" as const, unitId, operationSeq } : { kind: "unit" as const, unitId };
  return (
    <form
      className="space-y-3"
      aria-label={t("stationRaise.title")}
      onSubmit={(e) => {
        e.preventDefault();
        const payload = {
          source: "station" as const,
          defect,
          target,
          quantity: about === "item" && quantity.trim() ? quantity.trim() : null,
          locationId: about === "item" ? pointOfUseId : null,
          stationId,
          description,
        };
        raise.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      <fieldset>
        <legend className="mb-1 font-semibold">{t("stationRaise.what")}</legend>
        <div className="flex flex-col gap-2">
          {(["item", "operation", "unit"] as const).map((a) => (
            <label key={a} className="inline-flex min-h-12 items-center gap-3 text-lg">
              <input type="radio" className="h-6 w-6" name={`${id}-about`} value={a} checked={about === a} onChange={() => setAbout(a)} />
              {a === "item" ? t("stationRaise.whatItem") : a === "operation" ? t("stationRaise.whatOperation", { unit: unitSerial }) : t("stationRaise.whatUnit", { unit: unitSerial })}
            </label>
          ))}
        </div>
      </fieldset>
      {about === "item" ? (
        <div className="flex flex-wrap gap-3">
          <div className="min-w-64 flex-1">
            <label htmlFor={`${id}-scan`} className="mb-1 block font-semibold">
              {t("stationRaise.scan")}
            </label>
            <input id={`${id}-scan`} data-own-scan="" autoComplete="off" className={cn(field, "w-full font-mono", faults.includes("target") && FAULT_FIELD)} {...faulty("target")} value={scan} onChange={(e) => setScan(e.target.value)} />
          </div>
          <div>
            <label htmlFor={`${id}-qty`} className="mb-1 block font-semibold">
              {t("stationRaise.quantity")}
            </label>
            <input id={`${id}-qty`} inputMode="decimal" className={cn(field, "w-40", faults.includes("quantity") && FAULT_FIELD)} {...faulty("quantity")} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          </div>
        </div>
      ) : null}
      <div>
        <label htmlFor={`${id}-defect`} className="mb-1 block font-semibold">
          {t("stationRaise.defect")}
        </label>
        <select id={`${id}-defect`} className={cn(field, "w-full")} value={defect} onChange={(e) => setDefect(e.target.value as Defect)}>
          {DEFECTS.map((d) => (
            <option key={d} value={d}>
              {t(`defect.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-text`} className="mb-1 block font-semibold">
          {t("stationRaise.text")}
        </label>
        <textarea id={`${id}-text`} rows={2} maxLength={2000} className={cn(field, "w-full py-2", faults.includes("description") && FAULT_FIELD)} {...faulty("description")} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="flex gap-2">
        <Button type="submit" size="lg" variant="danger" disabled={!ready || raise.isPending}>
          {raise.isPending ? t("stationRaise.pending") : t("stationRaise.submit")}
        </Button>
        <Button type="button" size="lg" variant="secondary" onClick={() => setOpen(false)} disabled={raise.isPending}>
          {t("stationRaise.cancel")}
        </Button>
      </div>
      <ResultPanel result={result} id={`${id}-answer`} />
    </form>
  );
}
