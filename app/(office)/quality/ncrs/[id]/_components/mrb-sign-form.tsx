"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { Button } from "@/components/ui/button";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import type { Role } from "@/server/auth/types";
import type { Disposition } from "@/server/domain/quality/nonconformance";

/**
 * The MRB's signature on an NCR's disposition: the first member chooses the disposition and says why; each further
 * role signs what was decided. Each signature re-authenticates (meaning "approval"); the last one carries it out.
 */
export function MrbSignForm({
  ncrId,
  signerName,
  proposed,
  dispositions,
  roles,
}: {
  ncrId: string;
  signerName: string;
  /** the disposition already proposed (null: this signature proposes it) */
  proposed: Disposition | null;
  dispositions: Disposition[];
  /** the MRB roles still to sign that the signer holds */
  roles: Role[];
}) {
  const t = useTranslations("ncr");
  const tRoles = useTranslations("roles");
  const tr = (r: Role) => tRoles(r as Exclude<Role, "enterprise">);
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const { actionErrorMessage } = useErrorWords();
  const [disposition, setDisposition] = useState<Disposition | "">(proposed ?? "");
  const [reason, setReason] = useState("");
  const [role, setRole] = useState<Role>(roles[0]!);
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const sign = useMutation(
    trpc.ncr.signDisposition.mutationOptions({
      onSuccess: (o) => {
        setSigning(false);
        setRequestId(null);
        setOk(o.closed ? t("sign.closed") : t("sign.waiting", { roles: o.missing.map((r) => tr(r)).join(", ") }));
        router.refresh();
      },
    }),
  );
  const open = (e: FormEvent) => {
    e.preventDefault();
    sign.reset();
    setSigning(true);
  };
  const onSign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    sign.mutate({ requestId: id, ncrId, disposition: disposition || null, reason: proposed ? null : reason, role, signature: s });
  };
  return (
    <>
      <form onSubmit={open} className="space-y-3" aria-label={t("detail.mrb")}>
        <div className="flex flex-wrap gap-3">
          <div>
            <label htmlFor="mrb-disposition" className={formLabel}>
              {t("sign.disposition")}
            </label>
            <select id="mrb-disposition" className={formField} value={disposition} required disabled={proposed !== null} onChange={(e) => (setDisposition(e.target.value as Disposition), setRequestId(null))}>
              <option value="">{t("sign.choose")}</option>
              {dispositions.map((d) => (
                <option key={d} value={d}>
                  {t(`disposition.${d}`)}
                </option>
              ))}
            </select>
          </div>
          {roles.length > 1 ? (
            <div>
              <label htmlFor="mrb-role" className={formLabel}>
                {t("sign.role")}
              </label>
              <select id="mrb-role" className={formField} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {tr(r)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
        </div>
        {proposed === null ? (
          <div>
            <label htmlFor="mrb-reason" className={formLabel}>
              {t("sign.reason")}
            </label>
            <textarea id="mrb-reason" className={`${formField} w-full`} rows={2} maxLength={500} required value={reason} onChange={(e) => (setReason(e.target.value), setRequestId(null))} />
          </div>
        ) : null}
        <Button type="submit" disabled={!ready || sign.isPending}>
          {proposed === null ? t("sign.submitPropose") : t("sign.submitSign")}
        </Button>
        <FormOutcome ok={ok} problem={null} />
      </form>
      <SignDialog
        open={signing}
        title={t("sign.dialog")}
        signerName={signerName}
        defaultMeaning="approval"
        pending={sign.isPending}
        error={sign.error ? actionErrorMessage(sign.error) : null}
        onSign={onSign}
        onCancel={() => {
          setSigning(false);
          sign.reset();
        }}
      />
    </>
  );
}
