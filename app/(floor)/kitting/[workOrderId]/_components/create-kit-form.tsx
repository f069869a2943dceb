"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";
import { useErrorWords } from "@/components/errors/use-error-words";

export type Option = { id: string; label: string };

const field = "min-h-12 w-full rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

/** Create a kit for the whole order, one operation or one unit, to a station's point of use. */
export function CreateKitForm({ workOrderId, operations, units, stations }: { workOrderId: string; operations: number[]; units: Option[]; stations: Option[] }) {
  const t = useTranslations("kitting.create");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const req = useRequestId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [kind, setKind] = useState<"work_order" | "operation" | "unit">("work_order");
  const [op, setOp] = useState(String(operations[0] ?? ""));
  const [unit, setUnit] = useState(units[0]?.id ?? "");
  const [station, setStation] = useState(stations[0]?.id ?? "");
  const create = useMutation(
    trpc.kitting.createKit.mutationOptions({
      onSuccess: (out) => {
        req.answered();
        router.push(`/kitting/kits/${out.kitId}`);
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
      },
    }),
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const scope = kind === "operation" ? { kind, operationSeq: Number(op) } : kind === "unit" ? { kind, unitId: unit } : { kind };
    const payload = { workOrderId, scope, stationId: station };
    create.mutate({ requestId: req.idFor(payload), ...payload });
  }

  return (
    <form onSubmit={submit} className="grid gap-4 md:grid-cols-4" aria-label={t("form")}>
      <div>
        <label htmlFor={`${id}-scope`} className="mb-1 block font-semibold">
          {t("kitFor")}
        </label>
        <select id={`${id}-scope`} className={field} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="work_order">{t("wholeWorkOrder")}</option>
          <option value="operation">{t("oneOperation")}</option>
          <option value="unit">{t("oneUnit")}</option>
        </select>
      </div>
      {kind === "operation" ? (
        <div>
          <label htmlFor={`${id}-op`} className="mb-1 block font-semibold">
            {t("operation")}
          </label>
          <select id={`${id}-op`} className={field} value={op} onChange={(e) => setOp(e.target.value)}>
            {operations.map((o) => (
              <option key={o} value={o}>
                {t("op", { seq: o })}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {kind === "unit" ? (
        <div>
          <label htmlFor={`${id}-unit`} className="mb-1 block font-semibold">
            {t("unit")}
          </label>
          <select id={`${id}-unit`} className={field} value={unit} onChange={(e) => setUnit(e.target.value)}>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor={`${id}-station`} className="mb-1 block font-semibold">
          {t("station")}
        </label>
        <select id={`${id}-station`} className={field} value={station} onChange={(e) => setStation(e.target.value)}>
          {stations.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-end">
        <Button type="submit" size="lg" disabled={!ready || create.isPending || !station}>
          {create.isPending ? t("creating") : t("submit")}
        </Button>
      </div>
      {create.error ? (
        <p role="alert" className="rounded-md border-2 border-red-700 bg-red-50 p-3 text-lg font-semibold text-red-900 md:col-span-4">
          {actionErrorMessage(create.error)}
        </p>
      ) : null}
    </form>
  );
}
