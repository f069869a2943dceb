"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { SignatureLine } from "@/components/quality/signature-line";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { actionErrorCode } from "@/components/ui/action-error";

const ATTRIBUTES = [
  { key: "out_time_minutes", unit: "minutes" },
  { key: "min_thaw_minutes", unit: "minutes" },
  { key: "pot_life_minutes", unit: "minutes" },
  { key: "storage_class", unit: "class" },
  { key: "shelf_life_days", unit: "days" },
  { key: "min_remaining_shelf_life_days", unit: "days" },
] as const;
const STORAGE_CLASSES = ["freezer", "refrigerated", "ambient", "humidity_controlled"] as const;
type StorageClassValue = (typeof STORAGE_CLASSES)[number];
type Attribute = (typeof ATTRIBUTES)[number]["key"];
const isAttribute = (a: string): a is Attribute => ATTRIBUTES.some((x) => x.key === a);
const isStorageClass = (v: unknown): v is StorageClassValue => (STORAGE_CLASSES as readonly unknown[]).includes(v);

const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";

/**
 * Edit a part attribute that the ownership registry gives to Traceline (shelf-life and out-time policies), signed by the
 * administrator (a rule change: re-authenticated, bound to the change's record). An attribute owned by ERP is refused
 * by the server, naming the owner: the refusal is shown as it is. Below, the latest changes with their signatures.
 */
export function PartPolicyForm({ owners, signerName, timeZone }: { owners: Partial<Record<Attribute, "erp" | "traceline">>; signerName: string; timeZone: string }) {
  const t = useTranslations("signatures.policy");
  const tw = useTranslations("signatures");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [partNumber, setPartNumber] = useState("");
  const [attribute, setAttribute] = useState<Attribute>("out_time_minutes");
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const edit = useMutation(
    trpc.admin.editPartPolicy.mutationOptions({
      onSuccess: () => {
        setSigning(false);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.partPolicyChanges.queryKey() });
        router.refresh();
      },
    }),
  );
  const spec = ATTRIBUTES.find((a) => a.key === attribute)!;
  const unitWord = (u: (typeof ATTRIBUTES)[number]["unit"]) => t(`units.${u}`);

  const input = () => {
    const text = value.trim();
    const isClass = attribute === "storage_class";
    return { partNumber: partNumber.trim(), attribute, value: text ? (isClass ? (text as StorageClassValue) : Number(text)) : null, reason: reason.trim() };
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || edit.isPending) return;
    setProblem(null);
    edit.reset();
    const text = value.trim();
    if (!partNumber.trim()) return setProblem(t("enterPart"));
    if (attribute !== "storage_class" && text && !/^\d{1,6}$/.test(text)) return setProblem(t("wholeNumber", { unit: unitWord(spec.unit) }));
    if (reason.trim().length < 5) return setProblem(t("giveReason"));
    setSigning(true);
  }
  const onSign = (s: SignatureInput) => edit.mutate({ ...input(), signature: s });

  const saved = edit.data ? ATTRIBUTES.find((a) => a.key === edit.data.attribute)! : null;
  const savedValue = (v: unknown, a: (typeof ATTRIBUTES)[number]) =>
    v === null ? t("savedNone") : a.key === "storage_class" && isStorageClass(v) ? t(`storageClass.${v}`) : t("savedValue", { value: String(v), unit: unitWord(a.unit) });
  const refusedByOwner = actionErrorCode(edit.error) === "OWNED_BY_OTHER_SYSTEM";
  const signError = signing && edit.error && !refusedByOwner ? actionErrorMessage(edit.error) : null;

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate aria-label={t("form")} className="space-y-3">
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor={`${ids}-part`} className="mb-1 block text-sm font-semibold">
              {t("part")}
            </label>
            <input id={`${ids}-part`} value={partNumber} onChange={(e) => setPartNumber(e.target.value)} maxLength={64} autoComplete="off" spellCheck={false} className={`${field} w-56 font-mono`} disabled={edit.isPending} />
          </div>
          <div>
            <label htmlFor={`${ids}-attribute`} className="mb-1 block text-sm font-semibold">
              {t("attribute")}
            </label>
            <select
              id={`${ids}-attribute`}
              value={attribute}
              onChange={(e) => {
                setAttribute(e.target.value as Attribute);
                setValue("");
              }}
              className={field}
              disabled={edit.isPending}
            >
              {ATTRIBUTES.map((a) => {
                const owner = owners[a.key];
                return (
                  <option key={a.key} value={a.key}>
                    {owner ? t("attributeOwned", { label: t(`attributes.${a.key}`), unit: unitWord(a.unit), owner: tw(`owner.${owner}`) }) : t("attributeOption", { label: t(`attributes.${a.key}`), unit: unitWord(a.unit) })}
                  </option>
                );
              })}
            </select>
          </div>
          <div>
            <label htmlFor={`${ids}-value`} className="mb-1 block text-sm font-semibold">
              {attribute === "storage_class" ? t("value") : t("valueWithUnit", { unit: unitWord(spec.unit) })}
            </label>
            {attribute === "storage_class" ? (
              <select id={`${ids}-value`} value={value} onChange={(e) => setValue(e.target.value)} className={field} disabled={edit.isPending}>
                <option value="">{t("none")}</option>
                {STORAGE_CLASSES.map((o) => (
                  <option key={o} value={o}>
                    {t(`storageClass.${o}`)}
                  </option>
                ))}
              </select>
            ) : (
              <input id={`${ids}-value`} value={value} onChange={(e) => setValue(e.target.value)} inputMode="numeric" placeholder={t("emptyNone")} className={`${field} w-32 tabular-nums`} disabled={edit.isPending} />
            )}
          </div>
          <div className="min-w-64 flex-1">
            <label htmlFor={`${ids}-reason`} className="mb-1 block text-sm font-semibold">
              {t("reason")}
            </label>
            <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder={t("reasonPlaceholder")} className={`${field} w-full`} disabled={edit.isPending} />
          </div>
          <Button type="submit" disabled={!ready || edit.isPending}>
            {edit.isPending ? t("saving") : t("save")}
          </Button>
        </div>
        <div role="status" aria-live="polite">
          {edit.data && saved ? (
            <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">
              {t("saved", { attribute: t(`attributes.${saved.key}`), part: edit.data.partNumber, value: savedValue(edit.data.value, saved) })}
            </p>
          ) : null}
        </div>
        <div role="alert" className={problem || (edit.error && !signing) ? "rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
          {problem ?? (edit.error && !signing ? actionErrorMessage(edit.error) : "")}
          {refusedByOwner && !signing ? <span className="mt-1 block font-normal">{t("ownerHint")}</span> : null}
        </div>
      </form>
      <SignDialog
        open={signing}
        title={t("sign", { part: partNumber.trim() })}
        signerName={signerName}
        defaultMeaning="approval"
        pending={edit.isPending}
        error={signError}
        onSign={onSign}
        onCancel={() => {
          setSigning(false);
          edit.reset();
        }}
      />
      <RecentPolicyChanges timeZone={timeZone} />
    </div>
  );
}

/** The latest part policy changes, each with its signature verified against the change's record. */
function RecentPolicyChanges({ timeZone }: { timeZone: string }) {
  const t = useTranslations("signatures.policy");
  const trpc = useTRPC();
  const changes = useQuery(trpc.admin.partPolicyChanges.queryOptions());
  if (!changes.data) return null;
  const text = (attribute: string, v: string | number | null) =>
    v === null ? t("savedNone") : attribute === "storage_class" && isStorageClass(v) ? t(`storageClass.${v}`) : String(v);
  return (
    <section aria-labelledby="policy-changes-heading" className="space-y-2">
      <h3 id="policy-changes-heading" className="font-semibold">
        {t("recent")}
      </h3>
      {changes.data.length === 0 ? (
        <p className="text-sm text-slate-600">{t("recentEmpty")}</p>
      ) : (
        <Table caption={t("recent")}>
          <THead>
            <Tr>
              <Th>{t("colPart")}</Th>
              <Th>{t("colChange")}</Th>
              <Th>{t("colReason")}</Th>
              <Th>{t("colWhen")}</Th>
              <Th>{t("colSignature")}</Th>
            </Tr>
          </THead>
          <TBody>
            {changes.data.map((c) => (
              <Tr key={c.id}>
                <Td className="font-mono">{c.partNumber}</Td>
                <Td>{t("change", { attribute: isAttribute(c.attribute) ? t(`attributes.${c.attribute}`) : c.attribute, old: text(c.attribute, c.oldValue), new: text(c.attribute, c.newValue) })}</Td>
                <Td className="max-w-sm">{c.reason}</Td>
                <Td>
                  {c.changedByName}
                  <span className="block text-xs">
                    <DateTime value={new Date(c.changedAt)} timeZone={timeZone} />
                  </span>
                </Td>
                <Td>{c.signature ? <SignatureLine signature={{ ...c.signature, signedAt: new Date(c.signature.signedAt), status: c.signature.status }} /> : <span className="text-sm text-slate-600">{t("unsigned")}</span>}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
