"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

type Problem = { line: number; column: string | null; message: string };

function problemsOf(error: unknown): Problem[] {
  const details = (error as { data?: { domain?: { details?: { problems?: unknown } } | null } | null } | null)?.data?.domain?.details;
  return Array.isArray(details?.problems) ? (details.problems as Problem[]).filter((p) => typeof p.line === "number") : [];
}

function fieldOf(error: unknown): string | null {
  const details = (error as { data?: { domain?: { details?: { field?: unknown } } | null } | null } | null)?.data?.domain?.details;
  return typeof details?.field === "string" ? details.field : null;
}

const CSV_EXAMPLE = "reference,manufacturer,part_number,lot,date_code_from,date_code_to,description\nGIDEP-CE-23-017,5RT90,BKT-4410-07,,2315,2318,Remarked parts\nGIDEP-CE-23-018,5RT90,BKT-4410-07,H7-22088,,,Suspect supplier lot";

/**
 * Import a GIDEP-style CSV of suspect-part alerts (chosen or pasted), then sign once (password or PIN, meaning "hold"):
 * every matching lot and serial is put on a signed hold. A file with any bad line imports nothing and each problem is
 * listed by line and column. The request id is kept while the same file is retried (a mistyped password).
 */
export function ImportAlertsForm({ signerName }: { signerName: string }) {
  const t = useTranslations("suspect");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [csv, setCsv] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const run = useMutation(
    trpc.quality.importSuspectAlerts.mutationOptions({
      onSuccess: () => {
        setSigning(false);
        setRequestId(null);
        setCsv("");
        router.refresh();
      },
      onError: (e) => {
        // a problem in the file is shown under the form; the dialog stays only for a refused signature
        if (problemsOf(e).length > 0) setSigning(false);
      },
    }),
  );
  const edited = (text: string) => {
    setCsv(text);
    setRequestId(null);
    run.reset();
  };
  const problems = problemsOf(run.error);
  const error = run.error ? actionErrorMessage(run.error) : null;
  const open = (e: FormEvent) => {
    e.preventDefault();
    run.reset();
    setRequestId((r) => r ?? crypto.randomUUID());
    setSigning(true);
  };
  const sign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    run.mutate({ requestId: id, csv, signature: s });
  };
  const done = run.data ? t("import.done", { alerts: run.data.alerts.length, holds: run.data.holds }) : null;
  return (
    <>
      <form aria-label={t("import.formLabel")} className="space-y-3" onSubmit={open}>
        <div>
          <label htmlFor="alert-file" className={formLabel}>
            {t("import.file")}
          </label>
          <input
            id="alert-file"
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) edited(await f.text());
            }}
            className="block min-h-10 text-sm"
          />
        </div>
        <div>
          <label htmlFor="alert-csv" className={formLabel}>
            {t("import.paste")}
          </label>
          <textarea
            id="alert-csv"
            value={csv}
            onChange={(e) => edited(e.target.value)}
            rows={5}
            spellCheck={false}
            placeholder={CSV_EXAMPLE}
            className="w-full rounded-md border-2 border-slate-400 bg-white px-3 py-2 font-mono text-sm focus:border-blue-600 focus:outline-none"
          />
          <p className="mt-1 text-sm text-slate-700">{t("import.hint")}</p>
        </div>
        <Button type="submit" variant="danger" disabled={!ready || run.isPending || !csv.trim()}>
          {t("import.submit")}
        </Button>
        <FormOutcome ok={done} problem={!signing && error ? error : null} />
        {problems.length > 0 ? (
          <Table caption={t("import.problemsCaption")}>
            <THead>
              <Tr>
                <Th className="text-right">{t("import.colLine")}</Th>
                <Th>{t("import.colColumn")}</Th>
                <Th>{t("import.colProblem")}</Th>
              </Tr>
            </THead>
            <TBody>
              {problems.map((p, i) => (
                <Tr key={`${p.line}-${p.column ?? ""}-${i}`}>
                  <Td className="text-right tabular-nums">{p.line || "—"}</Td>
                  <Td className="font-mono">{p.column ?? "—"}</Td>
                  <Td>{p.message}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : null}
      </form>
      <SignDialog
        open={signing}
        title={t("import.signTitle")}
        signerName={signerName}
        defaultMeaning="hold"
        pending={run.isPending}
        error={signing ? error : null}
        onSign={sign}
        onCancel={() => {
          setSigning(false);
          run.reset();
        }}
      />
    </>
  );
}

type AlertFields = { reference: string; manufacturerCode: string; partNumber: string; lotNumber: string; dateCodeFrom: string; dateCodeTo: string; description: string };
type EnterWord = "reference" | "referenceHint" | "manufacturer" | "part" | "lot" | "lotHint" | "from" | "fromHint" | "to" | "toHint";
/** The alert's one-line fields in form order, with their label and hint (message keys under suspect.enter). */
const ENTER_FIELDS: { key: keyof AlertFields; label: EnterWord; hint?: EnterWord; required?: boolean }[] = [
  { key: "reference", label: "reference", hint: "referenceHint", required: true },
  { key: "manufacturerCode", label: "manufacturer", required: true },
  { key: "partNumber", label: "part", required: true },
  { key: "lotNumber", label: "lot", hint: "lotHint" },
  { key: "dateCodeFrom", label: "from", hint: "fromHint" },
  { key: "dateCodeTo", label: "to", hint: "toHint" },
];
const EMPTY: AlertFields = { reference: "", manufacturerCode: "", partNumber: "", lotNumber: "", dateCodeFrom: "", dateCodeTo: "", description: "" };

/**
 * Enter one alert: the criteria, a preview of what it would hold now, then sign (meaning "hold"). The field at fault is
 * highlighted when the alert is refused; the alert's page opens once it is signed.
 */
export function EnterAlertForm({ signerName }: { signerName: string }) {
  const t = useTranslations("suspect");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const ready = useHydrated();
  const [f, setF] = useState<AlertFields>(EMPTY);
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ items: string[] } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const create = useMutation(
    trpc.quality.createSuspectAlert.mutationOptions({
      onSuccess: (out) => {
        setSigning(false);
        setRequestId(null);
        router.push(`/quality/suspect-parts/${out.alerts[0]!.alertId}`);
      },
      onError: (e) => {
        if (fieldOf(e) || problemsOf(e).length > 0) setSigning(false);
      },
    }),
  );
  const alert = () => ({
    reference: f.reference,
    manufacturerCode: f.manufacturerCode,
    partNumber: f.partNumber,
    lotNumber: f.lotNumber || null,
    dateCodeFrom: f.dateCodeFrom || null,
    dateCodeTo: f.dateCodeTo || null,
    description: f.description,
  });
  const set = (k: keyof AlertFields) => (e: { target: { value: string } }) => {
    setF((x) => ({ ...x, [k]: e.target.value }));
    setRequestId(null);
    setPreview(null);
    setPreviewError(null);
    create.reset();
  };
  const bad = fieldOf(create.error);
  const error = create.error ? actionErrorMessage(create.error) : null;
  const field = (k: keyof AlertFields, label: string, opts: { required?: boolean; hint?: string; mono?: boolean } = {}) => (
    <div>
      <label htmlFor={`alert-${k}`} className={formLabel}>
        {label}
      </label>
      <input
        id={`alert-${k}`}
        value={f[k]}
        onChange={set(k)}
        required={opts.required}
        maxLength={100}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={bad === k ? true : undefined}
        aria-describedby={opts.hint ? `alert-${k}-hint` : undefined}
        className={`${formField} w-full ${opts.mono === false ? "" : "font-mono"} ${bad === k ? "border-red-600" : ""}`}
      />
      {opts.hint ? (
        <p id={`alert-${k}-hint`} className="mt-1 text-xs text-slate-600">
          {opts.hint}
        </p>
      ) : null}
    </div>
  );
  return (
    <>
      <form
        aria-label={t("enter.formLabel")}
        className="grid gap-3 md:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.reset();
          setRequestId((r) => r ?? crypto.randomUUID());
          setSigning(true);
        }}
      >
        {ENTER_FIELDS.map((x) => (
          <div key={x.key}>{field(x.key, t(`enter.${x.label}`), { required: x.required, hint: x.hint ? t(`enter.${x.hint}`) : undefined })}</div>
        ))}
        <div className="md:col-span-3">
          <label htmlFor="alert-description" className={formLabel}>
            {t("enter.description")}
          </label>
          <textarea
            id="alert-description"
            value={f.description}
            onChange={set("description")}
            required
            maxLength={1000}
            rows={2}
            aria-invalid={bad === "description" ? true : undefined}
            className={`${formField} w-full py-2 ${bad === "description" ? "border-red-600" : ""}`}
          />
        </div>
        <div className="flex flex-wrap items-center gap-3 md:col-span-3">
          <Button
            type="button"
            disabled={!ready || previewing}
            onClick={async () => {
              setPreviewing(true);
              setPreviewError(null);
              try {
                setPreview(await queryClient.fetchQuery({ ...trpc.quality.previewSuspectAlert.queryOptions({ alert: alert() }), staleTime: 0 }));
              } catch (e) {
                setPreview(null);
                setPreviewError(actionErrorMessage(e));
              } finally {
                setPreviewing(false);
              }
            }}
          >
            {previewing ? t("enter.previewing") : t("enter.preview")}
          </Button>
          <Button type="submit" variant="danger" disabled={!ready || create.isPending}>
            {t("enter.submit")}
          </Button>
        </div>
        <div className="md:col-span-3" aria-live="polite">
          {preview ? (
            preview.items.length === 0 ? (
              <p className="text-sm text-slate-700">{t("enter.previewNone")}</p>
            ) : (
              <div className="text-sm">
                <p className="font-semibold">{t("enter.previewSome", { count: preview.items.length })}</p>
                <ul className="mt-1 list-disc pl-6 font-mono">
                  {preview.items.slice(0, 50).map((i) => (
                    <li key={i}>{i}</li>
                  ))}
                </ul>
                {preview.items.length > 50 ? <p>{t("enter.previewMore", { count: preview.items.length - 50 })}</p> : null}
              </div>
            )
          ) : null}
        </div>
        <div className="md:col-span-3">
          <FormOutcome ok={null} problem={previewError ?? (!signing && error ? error : null)} />
        </div>
      </form>
      <SignDialog
        open={signing}
        title={t("enter.signTitle")}
        signerName={signerName}
        defaultMeaning="hold"
        pending={create.isPending}
        error={signing ? error : null}
        onSign={(s) => {
          const id = requestId ?? crypto.randomUUID();
          setRequestId(id);
          create.mutate({ requestId: id, alert: alert(), signature: s });
        }}
        onCancel={() => {
          setSigning(false);
          create.reset();
        }}
      />
    </>
  );
}
