"use client";

import { useId, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { asBuiltHref, searchHref, whereUsedHref } from "@/components/genealogy/links";

type Found = { kind: "lot" | "serial" | "part"; id: string; number: string; partNumber: string; revision: string | null };

/**
 * Find by scan, in the header of every page: scan (keyboard wedge) or type a lot or serial label (GS1, Digital Link,
 * ISO/IEC 15434, plain text) and its page opens: the genealogy (where-used of a lot, as-built of a serial) for who may
 * open it, else its label page. Enter (which a scanner sends after the label) submits: no button, so the header
 * adds no second "Find" next to the pages' own. Unknown here or another site's: the refusal's words, with its code and reference.
 */
export function FindByScan({ canTrace }: { canTrace: boolean }) {
  const t = useTranslations("labels.find");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [scan, setScan] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [choices, setChoices] = useState<Found[]>([]);
  const hrefOf = (f: Found): string | null => {
    if (f.kind === "lot") return canTrace ? whereUsedHref({ kind: "lot", id: f.id }) : `/labels/lot/${f.id}`;
    if (f.kind === "serial") return canTrace ? asBuiltHref(f.id) : `/labels/serial/${f.id}`;
    return canTrace ? searchHref(f.number) : null;
  };
  const find = useMutation(
    trpc.labels.find.mutationOptions({
      onSuccess: (found) => {
        const only = found.length === 1 ? found[0]! : null;
        const href = only ? hrefOf(only) : null;
        if (only && href) {
          setScan("");
          setChoices([]);
          router.push(href);
        } else if (only) {
          setScan("");
          setProblem(t("partOnly", { number: only.number }));
        } else {
          setChoices(found);
          setProblem(t("several"));
        }
      },
      onError: (e) => {
        // the message names what was scanned: the field is emptied for the next scan
        setScan("");
        setProblem(actionErrorMessage(e));
      },
    }),
  );
  return (
    <div className="relative">
      <form
        role="search"
        aria-label={t("label")}
        className="flex items-center gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          setChoices([]);
          if (scan.trim()) find.mutate({ scan });
        }}
      >
        <label htmlFor={id} className="sr-only">
          {t("label")}
        </label>
        <input
          id={id}
          value={scan}
          onChange={(e) => setScan(e.target.value)}
          onFocus={(e) => e.target.select()}
          placeholder={t("placeholder")}
          autoComplete="off"
          spellCheck={false}
          maxLength={500}
          className="min-h-10 w-56 rounded-md border-2 border-slate-500 bg-slate-800 px-2 font-mono text-sm text-white placeholder:text-slate-400 focus:border-blue-400 focus:outline-none"
        />
        {find.isPending ? (
          <span role="status" className="text-sm text-slate-300">
            {t("searching")}
          </span>
        ) : null}
      </form>
      {problem ? (
        <div role="alert" className="absolute right-0 z-20 mt-1 w-96 rounded-md border-2 border-red-300 bg-white p-3 text-sm text-red-900 shadow-lg">
          <p className="font-semibold">{problem}</p>
          {choices.length > 0 ? (
            <ul className="mt-2 space-y-1">
              {choices.map((c) => {
                const href = hrefOf(c);
                const text = c.kind === "lot" ? t("lot", { number: c.number, part: c.partNumber }) : c.kind === "serial" ? t("serial", { number: c.number, part: c.partNumber }) : t("part", { number: c.number });
                return <li key={`${c.kind}:${c.id}`}>{href ? <Link href={href} className="text-blue-800 underline" onClick={() => setProblem(null)}>{text}</Link> : text}</li>;
              })}
            </ul>
          ) : null}
          <button type="button" className="mt-2 text-blue-800 underline" onClick={() => setProblem(null)}>
            {t("close")}
          </button>
        </div>
      ) : null}
    </div>
  );
}
