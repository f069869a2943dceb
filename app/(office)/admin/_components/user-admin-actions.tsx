"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { ROLES, type Role } from "@/server/auth/types";

const input = "min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-2 focus:border-blue-600 focus:outline-none";

/** Change a user's roles at the active site, with the reason (audited). */
export function EditRolesForm({ userId, displayName, roles: current }: { userId: string; displayName: string; roles: Role[] }) {
  const t = useTranslations("admin.roles");
  const tc = useTranslations("common");
  const roleName = useTranslations("roles");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [roles, setRoles] = useState<Role[]>(current);
  const [reason, setReason] = useState("");
  const save = useMutation(trpc.admin.setUserRoles.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      aria-label={t("formLabel", { name: displayName })}
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ userId, roles, reason });
      }}
    >
      <fieldset>
        <legend className="text-sm font-semibold">{t("here")}</legend>
        <div className="flex flex-wrap gap-x-3">
          {ROLES.map((r) => (
            <label key={r} className="inline-flex min-h-9 items-center gap-1 text-sm">
              <input type="checkbox" className="size-4" checked={roles.includes(r)} onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)))} />
              {roleName(r)}
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor={`${id}-reason`} className="block text-sm font-semibold">
        {t("why")}
      </label>
      <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} className={input} />
      <Button type="submit" variant="secondary" disabled={!ready || save.isPending}>
        {save.isPending ? tc("saving") : t("submit")}
      </Button>
      <p role="status" className="text-sm">
        {save.isSuccess ? <span className="text-green-900">{t("saved")}</span> : null}
        {save.error ? <span className="text-red-900">{actionErrorMessage(save.error)}</span> : null}
      </p>
    </form>
  );
}

/**
 * Reset a user's password or PIN to a temporary one, signed by the administrator (meaning "responsibility"); the user's
 * sessions end and they choose their own at the next sign-in.
 */
export function ResetSecretForm({
  userId,
  displayName,
  hasPassword,
  hasPin,
  signerName,
}: {
  userId: string;
  displayName: string;
  hasPassword: boolean;
  hasPin: boolean;
  signerName: string;
}) {
  const t = useTranslations("admin.reset");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [kind, setKind] = useState<"password" | "pin">(hasPassword ? "password" : "pin");
  const [temporary, setTemporary] = useState("");
  const [reason, setReason] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const reset = useMutation(
    trpc.admin.resetSecret.mutationOptions({
      onSuccess: () => {
        setSigning(false);
        setRequestId(null);
        setTemporary("");
        setReason("");
        router.refresh();
      },
    }),
  );
  const sign = (s: SignatureInput) => {
    const rid = requestId ?? crypto.randomUUID();
    setRequestId(rid);
    reset.mutate({ requestId: rid, userId, kind, temporary, reason, signature: s });
  };
  if (!hasPassword && !hasPin) return null;
  return (
    <>
      <form
        aria-label={t("formLabel", { name: displayName })}
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          reset.reset();
          setRequestId((r) => r ?? crypto.randomUUID());
          setSigning(true);
        }}
      >
        <label htmlFor={`${id}-kind`} className="block text-sm font-semibold">
          {t("kind")}
        </label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as "password" | "pin")} className={input}>
          {hasPassword ? <option value="password">{t("password")}</option> : null}
          {hasPin ? <option value="pin">{t("pin")}</option> : null}
        </select>
        <label htmlFor={`${id}-temporary`} className="block text-sm font-semibold">
          {t("temporary", { kind })}
        </label>
        <input
          id={`${id}-temporary`}
          type="password"
          autoComplete="new-password"
          inputMode={kind === "pin" ? "numeric" : undefined}
          value={temporary}
          onChange={(e) => {
            setTemporary(e.target.value);
            setRequestId(null);
          }}
          required
          className={input}
        />
        <label htmlFor={`${id}-why`} className="block text-sm font-semibold">
          {t("why")}
        </label>
        <input id={`${id}-why`} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} className={input} />
        <Button type="submit" variant="danger" disabled={!ready || reset.isPending}>
          {t("submit")}
        </Button>
        <p role="status" className="text-sm">
          {reset.isSuccess ? <span className="text-green-900">{t("done")}</span> : null}
          {reset.error && !signing ? <span className="text-red-900">{actionErrorMessage(reset.error)}</span> : null}
        </p>
      </form>
      <SignDialog
        open={signing}
        title={t("signTitle", { name: displayName })}
        signerName={signerName}
        defaultMeaning="responsibility"
        pending={reset.isPending}
        error={reset.error ? actionErrorMessage(reset.error) : null}
        onSign={sign}
        onCancel={() => {
          setSigning(false);
          reset.reset();
        }}
      />
    </>
  );
}
