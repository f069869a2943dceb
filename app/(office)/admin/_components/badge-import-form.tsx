"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { badgeProblemText } from "./badge-problems";

type Problem = { line: number; column: string | null; message: string };

function problemsOf(error: unknown): Problem[] {
  const details = (error as { data?: { domain?: { details?: { problems?: unknown } } | null } | null } | null)?.data?.domain?.details;
  return Array.isArray(details?.problems) ? (details.problems as Problem[]) : [];
}

/**
 * Badge import: a CSV file (display_name, badge_id, pin, roles with ";" between roles) chosen or pasted; every row is
 * checked, and if any is wrong nothing is written and each problem is listed by line and column.
 */
export function BadgeImportForm({ siteName }: { siteName: string }) {
  const t = useTranslations("admin.badges");
  const words = useTranslations();
  /** A problem of the file in the reader's language (as it came when it is not a known one). */
  const problemWords = (message: string) => {
    const text = badgeProblemText(message);
    return text ? words(text.key as never, text.values as never) : message;
  };
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [csv, setCsv] = useState("");
  const [requestId, setRequestId] = useState<string | null>(null);
  const run = useMutation(
    trpc.admin.importBadges.mutationOptions({
      onSuccess: () => {
        setRequestId(null);
        setCsv("");
        router.refresh();
      },
    }),
  );
  const problems = problemsOf(run.error);
  return (
    <form
      aria-label={t("formLabel")}
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const id = requestId ?? crypto.randomUUID();
        setRequestId(id);
        run.mutate({ requestId: id, csv });
      }}
    >
      <div>
        <label htmlFor="badge-file" className="mb-1 block text-sm font-semibold">
          {t("file")}
        </label>
        <input
          id="badge-file"
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) {
              setCsv(await f.text());
              setRequestId(null);
              run.reset();
            }
          }}
          className="block text-sm"
        />
      </div>
      <div>
        <label htmlFor="badge-csv" className="mb-1 block text-sm font-semibold">
          {t("paste")}
        </label>
        <textarea
          id="badge-csv"
          value={csv}
          onChange={(e) => {
            setCsv(e.target.value);
            setRequestId(null);
            run.reset();
          }}
          rows={5}
          spellCheck={false}
          placeholder={t("placeholder")}
          className="w-full rounded-md border-2 border-slate-400 bg-white px-3 py-2 font-mono text-sm focus:border-blue-600 focus:outline-none"
        />
      </div>
      <Button type="submit" disabled={!ready || run.isPending || !csv.trim()}>
        {run.isPending ? t("importing") : t("submit", { site: siteName })}
      </Button>
      <div role="status" className="text-sm">
        {run.data ? (
          <p className="font-semibold text-green-900">{t("created", { count: run.data.created.length })}</p>
        ) : null}
        {run.error ? <p className="font-semibold text-red-900">{actionErrorMessage(run.error)}</p> : null}
      </div>
      {problems.length > 0 ? (
        <Table caption={t("problemsCaption")}>
          <THead>
            <Tr>
              <Th className="text-right">{t("colLine")}</Th>
              <Th>{t("colColumn")}</Th>
              <Th>{t("colProblem")}</Th>
            </Tr>
          </THead>
          <TBody>
            {problems.map((p, i) => (
              <Tr key={`${p.line}-${p.column ?? ""}-${i}`}>
                <Td className="text-right tabular-nums">{p.line || "—"}</Td>
                <Td className="font-mono">{p.column ?? "—"}</Td>
                <Td>{problemWords(p.message)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      ) : null}
    </form>
  );
}
