"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormOutcome, useHydrated } from "@/components/ui/form-outcome";
import type { Role } from "@/server/auth/types";

/** The roles that may sign a review board's disposition (enterprise is a reading role across sites, not a board member). */
const BOARD_ROLES = ["quality_engineer", "supervisor", "admin", "operator", "kitting_clerk"] as const satisfies readonly Role[];

/**
 * Who signs MRB dispositions at this site (issue 19): the administrator ticks the roles; each ticked role must sign a
 * disposition (one person per role) before it is carried out. Saved with a request id, audited with the old and new
 * roles.
 */
export function MrbRolesCard({ siteName }: { siteName: string }) {
  const t = useTranslations("ncr.mrbRoles");
  const tRoles = useTranslations("roles");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ready = useHydrated();
  const current = useQuery(trpc.ncr.mrbRoles.queryOptions());
  const [chosen, setChosen] = useState<Role[] | null>(null);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(
    trpc.ncr.setMrbRoles.mutationOptions({
      onSuccess: () => {
        setRequestId(null);
        setChosen(null);
        void queryClient.invalidateQueries({ queryKey: trpc.ncr.mrbRoles.queryKey() });
      },
    }),
  );
  const roles = chosen ?? current.data ?? [];
  const toggle = (r: Role) => {
    setRequestId(null);
    save.reset();
    setChosen(roles.includes(r) ? roles.filter((x) => x !== r) : [...roles, r]);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (roles.length === 0) return setProblem(t("none"));
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    save.mutate({ requestId: id, roles });
  };
  return (
    <Card labelledBy="mrb-roles-heading">
      <CardHeader id="mrb-roles-heading" title={t("title")} description={t("description", { site: siteName })} />
      <CardBody>
        <form onSubmit={submit} aria-label={t("title")} className="space-y-3">
          <fieldset>
            <legend className="mb-1 text-sm font-semibold">{t("legend")}</legend>
            <div className="flex flex-wrap gap-4">
              {BOARD_ROLES.map((r) => (
                <label key={r} className="inline-flex min-h-10 items-center gap-2">
                  <input type="checkbox" checked={roles.includes(r)} onChange={() => toggle(r)} disabled={!current.data || save.isPending} />
                  {tRoles(r)}
                </label>
              ))}
            </div>
          </fieldset>
          <p className="text-sm text-slate-700">{current.data ? t("now", { roles: current.data.map((r) => tRoles(r as (typeof BOARD_ROLES)[number])).join(", ") }) : t("loading")}</p>
          <Button type="submit" disabled={!ready || !current.data || save.isPending}>
            {save.isPending ? t("saving") : t("save")}
          </Button>
          <FormOutcome ok={save.data ? t("saved", { roles: save.data.roles.map((r) => tRoles(r as (typeof BOARD_ROLES)[number])).join(", ") }) : null} problem={problem ?? (save.error ? actionErrorMessage(save.error) : null)} />
        </form>
      </CardBody>
    </Card>
  );
}
