"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { signIn } from "next-auth/react";
import { decodeSignInRefusal, GENERIC_SIGN_IN_FAILURE, SIGN_IN_UNAVAILABLE } from "@/server/auth/sign-in-errors";

export type DemoCredential = {
  displayName: string;
  /** Site codes, home site first. */
  sites: string;
  roles: string[];
  username: string | null;
  password: string | null;
  badgeId: string | null;
  pin: string | null;
};

type Tab = "badge" | "office";

const field =
  "block w-full rounded-lg border-2 border-slate-300 bg-white px-4 py-3 text-2xl text-slate-900 outline-none " +
  "focus:border-blue-600 focus:ring-4 focus:ring-blue-200 disabled:bg-slate-100";
const label = "mb-2 block text-lg font-semibold text-slate-800";
const submit =
  "mt-2 w-full min-h-16 rounded-lg bg-blue-700 px-6 py-4 text-2xl font-semibold text-white shadow-sm " +
  "hover:bg-blue-800 focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-blue-300 " +
  "disabled:cursor-not-allowed disabled:bg-slate-400";

/**
 * The two ways in: "Badge" (what a badge reader types, then a PIN; large targets for gloved hands) and "Office"
 * (user name and password). Errors come from the server in operator words and are shown in one alert region.
 * Nothing can be submitted before hydration (a click before it would do nothing).
 */
export function SignInPanels({ demoUsers, initialProblem }: { demoUsers?: DemoCredential[]; initialProblem?: string | null }) {
  const t = useTranslations("signIn");
  const tr = t;
  const [tab, setTab] = useState<Tab>("badge");
  const [ready, setReady] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(initialProblem ?? null);

  const [badgeId, setBadgeId] = useState("");
  const [pin, setPin] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  /** The server asked for the user's own new password / PIN (an administrator set the current one). */
  const [changing, setChanging] = useState(false);
  const [newSecret, setNewSecret] = useState("");
  const [newSecretAgain, setNewSecretAgain] = useState("");
  const newSecretRef = useRef<HTMLInputElement>(null);

  const badgeRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const ids = useId();

  useEffect(() => setReady(true), []);

  useEffect(() => {
    if (!ready) return;
    (tab === "badge" ? badgeRef : usernameRef).current?.focus();
  }, [tab, ready]);

  const disabled = !ready || pending;

  /** true: signed in; "change": the user must choose a new secret first (the form keeps what was typed); false: refused. */
  async function attempt(provider: "badge" | "password", credentials: Record<string, string>): Promise<boolean | "change"> {
    setPending(true);
    setProblem(null);
    try {
      const result = await signIn(provider, { ...credentials, redirect: false });
      if (result && !result.error) {
        // A full navigation, so every server component renders with the new session cookie.
        window.location.assign("/");
        return true;
      }
      const refusal = decodeSignInRefusal(result?.error, result?.code);
      // the server words its refusals in the page's language; these two are the browser's own fallbacks
      setProblem(refusal.message === GENERIC_SIGN_IN_FAILURE ? t("refusals.generic") : refusal.message === SIGN_IN_UNAVAILABLE ? t("refusals.unavailable") : refusal.message);
      if (refusal.code === "SECRET_CHANGE_REQUIRED") {
        setChanging(true);
        setNewSecret("");
        setNewSecretAgain("");
        setPending(false);
        setTimeout(() => newSecretRef.current?.focus(), 0);
        return "change";
      }
    } catch {
      setProblem(t("refusals.unavailable"));
    }
    setPending(false);
    return false;
  }

  /** The new secret typed twice; a problem in words, or null. */
  function newSecretProblem(word: "PIN" | "password"): string | null {
    if (!newSecret) return t("chooseNew", { word });
    if (newSecret !== newSecretAgain) return t("notSame", { word });
    return null;
  }

  function resetChange() {
    setChanging(false);
    setNewSecret("");
    setNewSecretAgain("");
  }

  async function onBadgeSubmit(e: FormEvent) {
    e.preventDefault();
    if (disabled) return;
    if (!badgeId.trim()) {
      setProblem(t("needBadge"));
      badgeRef.current?.focus();
      return;
    }
    if (!pin) {
      setProblem(t("needPin"));
      pinRef.current?.focus();
      return;
    }
    if (changing) {
      const why = newSecretProblem("PIN");
      if (why) {
        setProblem(why);
        newSecretRef.current?.focus();
        return;
      }
    }
    const outcome = await attempt("badge", { badgeId: badgeId.trim(), pin, ...(changing ? { newPin: newSecret } : {}) });
    if (outcome === false) {
      // A shared tablet: never leave someone's badge or PIN in the form. Ready for the next scan.
      setBadgeId("");
      setPin("");
      resetChange();
      badgeRef.current?.focus();
    }
  }

  async function onOfficeSubmit(e: FormEvent) {
    e.preventDefault();
    if (disabled) return;
    if (!username.trim() || !password) {
      setProblem(t("needUserPassword"));
      (username.trim() ? passwordRef : usernameRef).current?.focus();
      return;
    }
    if (changing) {
      const why = newSecretProblem("password");
      if (why) {
        setProblem(why);
        newSecretRef.current?.focus();
        return;
      }
    }
    const outcome = await attempt("password", { username: username.trim(), password, ...(changing ? { newPassword: newSecret } : {}) });
    if (outcome === false) {
      setPassword("");
      resetChange();
      passwordRef.current?.focus();
    }
  }

  /** Badge readers type the badge id and press Enter: move on to the PIN instead of submitting half a sign-in. */
  function onBadgeKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Enter" && !pin) {
      e.preventDefault();
      if (badgeId.trim()) pinRef.current?.focus();
    }
  }

  function fillFromDemo(user: DemoCredential) {
    setProblem(null);
    if (user.badgeId && user.pin) {
      setTab("badge");
      setBadgeId(user.badgeId);
      setPin(user.pin);
    } else if (user.username && user.password) {
      setTab("office");
      setUsername(user.username);
      setPassword(user.password);
    }
  }

  const tabClass = (t: Tab) =>
    "min-h-16 flex-1 rounded-t-lg px-6 py-4 text-xl font-semibold focus-visible:outline-none focus-visible:ring-4 " +
    "focus-visible:ring-blue-300 " +
    (tab === t ? "border-x-2 border-t-2 border-slate-300 bg-white text-blue-800" : "bg-slate-200 text-slate-700 hover:bg-slate-300");

  return (
    <div className="w-full" data-ready={ready ? "true" : "false"}>
      <div role="tablist" aria-label={tr("how")} className="flex gap-2">
        {(["badge", "office"] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`${ids}-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`${ids}-panel-${t}`}
            className={tabClass(t)}
            onClick={() => {
              setTab(t);
              setProblem(null);
              resetChange();
            }}
          >
            {t === "badge" ? tr("badgeTab") : tr("officeTab")}
          </button>
        ))}
      </div>

      <div className="rounded-b-lg rounded-tr-lg border-2 border-slate-300 bg-white p-6 shadow-sm">
        <div role="alert" aria-live="assertive" className={problem ? "mb-5 rounded-lg border-2 border-red-300 bg-red-50 px-4 py-3 text-xl font-semibold text-red-800" : "sr-only"}>
          {problem}
        </div>

        {tab === "badge" ? (
          <form
            id={`${ids}-panel-badge`}
            role="tabpanel"
            aria-labelledby={`${ids}-tab-badge`}
            onSubmit={onBadgeSubmit}
            className="space-y-5"
            noValidate
          >
            <div>
              <label htmlFor={`${ids}-badge`} className={label}>
                {tr("badge")}
              </label>
              <input
                ref={badgeRef}
                id={`${ids}-badge`}
                name="badgeId"
                value={badgeId}
                onChange={(e) => setBadgeId(e.target.value)}
                onKeyDown={onBadgeKeyDown}
                autoFocus
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                placeholder={t("badgePlaceholder")}
                className={field}
                disabled={pending}
              />
            </div>
            <div>
              <label htmlFor={`${ids}-pin`} className={label}>
                {tr("pin")}
              </label>
              <input
                ref={pinRef}
                id={`${ids}-pin`}
                name="pin"
                type="password"
                inputMode="numeric"
                value={pin}
                onChange={(e) => setPin(e.target.value)}
                autoComplete="off"
                className={field}
                disabled={pending}
              />
            </div>
            {changing ? <NewSecretFields word="PIN" ids={ids} value={newSecret} again={newSecretAgain} onValue={setNewSecret} onAgain={setNewSecretAgain} inputRef={newSecretRef} pending={pending} /> : null}
            <button type="submit" className={submit} disabled={disabled}>
              {pending ? t("signingIn") : changing ? t("setPinAndSignIn") : t("signIn")}
            </button>
          </form>
        ) : (
          <form
            id={`${ids}-panel-office`}
            role="tabpanel"
            aria-labelledby={`${ids}-tab-office`}
            onSubmit={onOfficeSubmit}
            className="space-y-5"
            noValidate
          >
            <div>
              <label htmlFor={`${ids}-username`} className={label}>
                {tr("username")}
              </label>
              <input
                ref={usernameRef}
                id={`${ids}-username`}
                name="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                autoComplete="username"
                autoCapitalize="off"
                spellCheck={false}
                className={field}
                disabled={pending}
              />
            </div>
            <div>
              <label htmlFor={`${ids}-password`} className={label}>
                {tr("password")}
              </label>
              <input
                ref={passwordRef}
                id={`${ids}-password`}
                name="password"
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="current-password"
                className={field}
                disabled={pending}
              />
            </div>
            {changing ? <NewSecretFields word="password" ids={ids} value={newSecret} again={newSecretAgain} onValue={setNewSecret} onAgain={setNewSecretAgain} inputRef={newSecretRef} pending={pending} /> : null}
            <button type="submit" className={submit} disabled={disabled}>
              {pending ? t("signingIn") : changing ? t("setPasswordAndSignIn") : t("signIn")}
            </button>
          </form>
        )}
      </div>

      {demoUsers && demoUsers.length > 0 ? <DemoUsers users={demoUsers} onUse={fillFromDemo} disabled={disabled} /> : null}
    </div>
  );
}

/** The user's own new password or PIN, typed twice, asked for when an administrator set the current one. */
function NewSecretFields({
  word,
  ids,
  value,
  again,
  onValue,
  onAgain,
  inputRef,
  pending,
}: {
  word: "password" | "PIN";
  ids: string;
  value: string;
  again: string;
  onValue: (v: string) => void;
  onAgain: (v: string) => void;
  inputRef: React.RefObject<HTMLInputElement | null>;
  pending: boolean;
}) {
  const t = useTranslations("signIn");
  const pin = word === "PIN";
  return (
    <fieldset className="space-y-5 rounded-lg border-2 border-amber-400 bg-amber-50 p-4">
      <legend className="px-1 text-lg font-semibold text-amber-900">{t("chooseOwn", { word })}</legend>
      <div>
        <label htmlFor={`${ids}-new-secret`} className={label}>
          {t("newSecret", { word })}
        </label>
        <input
          ref={inputRef}
          id={`${ids}-new-secret`}
          type="password"
          inputMode={pin ? "numeric" : undefined}
          autoComplete={pin ? "off" : "new-password"}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          className={field}
          disabled={pending}
        />
      </div>
      <div>
        <label htmlFor={`${ids}-new-secret-again`} className={label}>
          {t("newSecretAgain", { word })}
        </label>
        <input
          id={`${ids}-new-secret-again`}
          type="password"
          inputMode={pin ? "numeric" : undefined}
          autoComplete={pin ? "off" : "new-password"}
          value={again}
          onChange={(e) => onAgain(e.target.value)}
          className={field}
          disabled={pending}
        />
      </div>
    </fieldset>
  );
}

function DemoUsers({ users, onUse, disabled }: { users: DemoCredential[]; onUse: (u: DemoCredential) => void; disabled: boolean }) {
  const t = useTranslations("signIn.demo");
  return (
    <section aria-labelledby="demo-users-heading" className="mt-8 rounded-lg border-2 border-amber-300 bg-amber-50 p-4">
      <h2 id="demo-users-heading" className="text-lg font-semibold text-amber-900">
        {t("title")}
      </h2>
      <p className="mb-3 text-sm text-amber-900">{t("note")}</p>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-amber-300 text-amber-900">
              <th scope="col" className="py-2 pr-3 font-semibold">{t("name")}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t("sites")}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t("roles")}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t("badge")}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t("pin")}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t("username")}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t("password")}</th>
              <th scope="col" className="py-2 font-semibold">
                <span className="sr-only">{t("fillIn")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={`${u.displayName}-${u.badgeId ?? ""}-${u.username ?? ""}`} className="border-b border-amber-200 last:border-0">
                <th scope="row" className="py-2 pr-3 font-medium">{u.displayName}</th>
                <td className="py-2 pr-3">{u.sites}</td>
                <td className="py-2 pr-3">{u.roles.join(", ")}</td>
                <td className="py-2 pr-3 font-mono">{u.badgeId ?? "—"}</td>
                <td className="py-2 pr-3 font-mono">{u.pin ?? "—"}</td>
                <td className="py-2 pr-3 font-mono">{u.username ?? "—"}</td>
                <td className="py-2 pr-3 font-mono">{u.password ?? "—"}</td>
                <td className="py-2">
                  {(u.badgeId && u.pin) || (u.username && u.password) ? (
                    <button
                      type="button"
                      onClick={() => onUse(u)}
                      disabled={disabled}
                      className="min-h-11 rounded-md border-2 border-amber-400 bg-white px-3 py-1 font-semibold text-amber-900 hover:bg-amber-100 disabled:opacity-50"
                      aria-label={t("fillInUser", { name: u.displayName })}
                    >
                      {t("use")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
