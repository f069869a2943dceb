"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { ROLES, type Role } from "@/server/auth/types";

const input = "min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none";

/**
 * Create a user with roles at the active site: an office user (user name and a first password), a floor user (badge and
 * a first PIN), or both. They choose their own password / PIN at their first sign-in. The request id is kept while the
 * same user is retried.
 */
export function CreateUserForm({ siteName }: { siteName: string }) {
  const t = useTranslations("admin.create");
  const roleName = useTranslations("roles");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [displayName, setDisplayName] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [badgeId, setBadgeId] = useState("");
  const [pin, setPin] = useState("");
  const [roles, setRoles] = useState<Role[]>([]);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const create = useMutation(
    trpc.admin.createUser.mutationOptions({
      onSuccess: (out) => {
        setDone(t("created", { name: out.displayName, site: siteName, secret: username ? "password" : "pin" }));
        setRequestId(null);
        setDisplayName("");
        setUsername("");
        setPassword("");
        setBadgeId("");
        setPin("");
        setRoles([]);
        router.refresh();
      },
    }),
  );
  const edited = () => {
    setRequestId(null);
    setDone(null);
    create.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    create.mutate({
      requestId: id,
      displayName,
      username: username.trim() || null,
      password: username.trim() ? password : null,
      badgeId: badgeId.trim() || null,
      pin: badgeId.trim() ? pin : null,
      roles,
    });
  };
  const field = (id: string, label: string, value: string, set: (v: string) => void, extra: Record<string, unknown> = {}) => (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-semibold">
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => {
          set(e.target.value);
          edited();
        }}
        autoComplete="off"
        className={input}
        {...extra}
      />
    </div>
  );
  return (
    <form onSubmit={submit} aria-label={t("formLabel")} className="grid gap-3 md:grid-cols-2">
      {field("new-user-name", t("name"), displayName, setDisplayName, { required: true, maxLength: 100 })}
      <div />
      {field("new-user-username", t("username"), username, setUsername, { maxLength: 64, spellCheck: false })}
      {field("new-user-password", t("password"), password, setPassword, { type: "password", maxLength: 1024, autoComplete: "new-password" })}
      {field("new-user-badge", t("badge"), badgeId, setBadgeId, { maxLength: 64, spellCheck: false })}
      {field("new-user-pin", t("pin"), pin, setPin, { type: "password", inputMode: "numeric", maxLength: 12 })}
      <fieldset className="md:col-span-2">
        <legend className="mb-1 text-sm font-semibold">{t("roles", { site: siteName })}</legend>
        <div className="flex flex-wrap gap-4">
          {ROLES.map((r) => (
            <label key={r} className="inline-flex min-h-10 items-center gap-2">
              <input
                type="checkbox"
                className="size-5"
                checked={roles.includes(r)}
                onChange={(e) => {
                  setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)));
                  edited();
                }}
              />
              {roleName(r)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3 md:col-span-2">
        <Button type="submit" disabled={!ready || create.isPending}>
          {create.isPending ? t("creating") : t("submit")}
        </Button>
        <p role="status" className="text-sm">
          {done ? <span className="font-semibold text-green-900">{done}</span> : null}
          {create.error ? <span className="font-semibold text-red-900">{actionErrorMessage(create.error)}</span> : null}
          {!done && !create.error ? <span className="text-slate-700">{t("hint")}</span> : null}
        </p>
      </div>
    </form>
  );
}
