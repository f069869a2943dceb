"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

/** Disable a user (admin): a reason is required; their sessions end at their next request. */
export function DisableUserButton({ userId, displayName }: { userId: string; displayName: string }) {
  const t = useTranslations("admin.disable");
  const tc = useTranslations("common");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const disable = useMutation(
    trpc.admin.disableUser.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        setError(null);
        router.refresh();
      },
      onError: (e) => setError(actionErrorMessage(e)),
    }),
  );
  if (!open) {
    return (
      <Button type="button" variant="secondary" onClick={() => setOpen(true)} disabled={!ready} aria-label={t("label", { name: displayName })}>
        {t("open")}
      </Button>
    );
  }
  return (
    <form
      aria-label={t("label", { name: displayName })}
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        disable.mutate({ userId, reason });
      }}
    >
      <label htmlFor={`${id}-reason`} className="text-sm font-semibold">
        {t("why")}
      </label>
      <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} className="rounded-md border-2 border-slate-400 px-2 py-1" />
      <span className="flex gap-2">
        <Button type="submit" variant="danger" disabled={!ready || disable.isPending}>
          {disable.isPending ? t("disabling") : t("submit")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setOpen(false)} disabled={disable.isPending}>
          {tc("cancel")}
        </Button>
      </span>
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </form>
  );
}
