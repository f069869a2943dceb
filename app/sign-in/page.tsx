import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { isDemoMode } from "@/db/app-database";
import { DEMO_USERS } from "@/db/seed/demo-users";
import { getActor } from "@/server/auth/session";
import { ROLES, type Role } from "@/server/auth/types";
import { SIGN_IN_UNAVAILABLE } from "@/server/auth/sign-in-errors";
import { SignInPanels, type DemoCredential } from "./_components/sign-in-panels";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signIn"))("signIn") };
}

function roleLabel(role: string, label: (r: Role) => string): string {
  return (ROLES as readonly string[]).includes(role) ? label(role as Role) : role;
}

/** The demo accounts with their credentials: built (and sent to the browser) only in demo mode. */
function demoCredentials(label: (r: Role) => string): DemoCredential[] {
  return DEMO_USERS.map((u) => ({
    displayName: u.displayName,
    sites: [u.siteCode, ...(u.alsoAt ?? []).map((a) => a.siteCode)].join(", "),
    roles: u.roles.map((r) => roleLabel(r, label)),
    username: u.username ?? null,
    password: u.password ?? null,
    badgeId: u.badgeId ?? null,
    pin: u.pin ?? null,
  }));
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  if (await getActor()) redirect("/");
  const { error } = await searchParams;
  // next-auth sends browsers here with ?error=... when sign-in failed outside the form (server misconfiguration).
  const initialProblem = typeof error === "string" && error !== "CredentialsSignin" ? SIGN_IN_UNAVAILABLE : null;
  const demo = isDemoMode();
  const t = await getTranslations();

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-3xl flex-col justify-center px-4 py-10">
      <header className="mb-6">
        <p className="text-sm font-semibold tracking-wide text-blue-800 uppercase">{t("common.appName")}</p>
        <h1 className="text-4xl font-bold text-slate-900">{t("signIn.signIn")}</h1>
        <p className="mt-2 text-lg text-slate-600">{t("signIn.intro")}</p>
      </header>
      <SignInPanels demoUsers={demo ? demoCredentials((r) => t(`roles.${r}`)) : undefined} initialProblem={initialProblem} />
    </main>
  );
}
