"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";

type Kind = "lot" | "serial" | "part_revision" | "manufacturer" | "supplier";

const KINDS: Kind[] = ["lot", "serial", "part_revision", "manufacturer", "supplier"];

const inputClass = "min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none";

/**
 * Place a hold: what (lot number, serial, part and revision, manufacturer or supplier code), why, then sign (password
 * or PIN, meaning "hold") in a dialog. The same request id is reused while the same hold is retried (e.g. after a
 * mistyped password), so a hold is never placed twice. Disabled until the page is interactive.
 */
export function PlaceHoldForm({ signerName, enterprise = false }: { signerName: string; enterprise?: boolean }) {
  const t = useTranslations("holds");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [kind, setKind] = useState<Kind>("lot");
  const [value, setValue] = useState("");
  const [partNumber, setPartNumber] = useState("");
  const [revision, setRevision] = useState("");
  const [reason, setReason] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [placedAt, setPlacedAt] = useState<string | null>(null);
  const local = useMutation(
    trpc.quality.placeHold.mutationOptions({
      onSuccess: (out) => {
        setSigning(false);
        setRequestId(null);
        router.push(`/quality/holds/${out.holdId}`);
      },
    }),
  );
  // enterprise-wide: one signed hold per site of the signer's enterprise scope; the answer lists each site
  const everywhere = useMutation(
    trpc.enterprise.placeHold.mutationOptions({
      onSuccess: (out) => {
        setSigning(false);
        setRequestId(null);
        setPlacedAt(t("placeForm.placedEverywhere", { label: out.label, sites: out.sites.map((x) => (x.holdId ? x.siteCode : t("placeForm.siteNotYet", { site: x.siteCode }))).join(", ") }));
        router.refresh();
      },
    }),
  );
  const place = enterprise ? everywhere : local;

  const target = () => {
    const v = value.trim();
    const p = partNumber.trim();
    switch (kind) {
      case "lot":
        return { kind, lotNumber: v, partNumber: p || null };
      case "serial":
        return { kind, serialNumber: v, partNumber: p || null };
      case "part_revision":
        return { kind, partNumber: p, revision: revision.trim() };
      case "manufacturer":
      case "supplier":
        return { kind, code: v };
    }
  };

  const edited = () => {
    setRequestId(null);
    setPlacedAt(null);
    place.reset();
  };

  const openSign = (e: FormEvent) => {
    e.preventDefault();
    place.reset();
    setRequestId((r) => r ?? crypto.randomUUID());
    setSigning(true);
  };

  const sign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    const input = { requestId: id, target: target(), reason, signature: s };
    if (enterprise) everywhere.mutate(input);
    else local.mutate(input);
  };

  const error = place.error ? actionErrorMessage(place.error) : null;
  return (
    <>
      <form onSubmit={openSign} className="grid gap-3 md:grid-cols-2" aria-label={t("placeForm.ariaLabel")}>
        <div>
          <label htmlFor="hold-kind" className="mb-1 block text-sm font-semibold">
            {t("placeForm.holdA")}
          </label>
          <select
            id="hold-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as Kind);
              edited();
            }}
            className={inputClass}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`targetKinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        {kind !== "part_revision" ? (
          <div>
            <label htmlFor="hold-value" className="mb-1 block text-sm font-semibold">
              {kind === "lot" ? t("placeForm.lotNumber") : kind === "serial" ? t("placeForm.serialNumber") : kind === "manufacturer" ? t("placeForm.manufacturerCode") : t("placeForm.supplierCode")}
            </label>
            <input
              id="hold-value"
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                edited();
              }}
              required
              maxLength={100}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
            />
          </div>
        ) : null}
        {kind === "lot" || kind === "serial" || kind === "part_revision" ? (
          <div>
            <label htmlFor="hold-part" className="mb-1 block text-sm font-semibold">
              {kind === "part_revision" ? t("placeForm.partNumber") : t("placeForm.partNumberIfNeeded")}
            </label>
            <input
              id="hold-part"
              value={partNumber}
              onChange={(e) => {
                setPartNumber(e.target.value);
                edited();
              }}
              required={kind === "part_revision"}
              maxLength={100}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
            />
          </div>
        ) : null}
        {kind === "part_revision" ? (
          <div>
            <label htmlFor="hold-revision" className="mb-1 block text-sm font-semibold">
              {t("placeForm.revision")}
            </label>
            <input
              id="hold-revision"
              value={revision}
              onChange={(e) => {
                setRevision(e.target.value);
                edited();
              }}
              required
              maxLength={100}
              autoComplete="off"
              className={`${inputClass} font-mono`}
            />
          </div>
        ) : null}
        <div className="md:col-span-2">
          <label htmlFor="hold-reason" className="mb-1 block text-sm font-semibold">
            {t("placeForm.reason")}
          </label>
          <textarea
            id="hold-reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              edited();
            }}
            required
            maxLength={1000}
            rows={2}
            className={inputClass}
          />
        </div>
        <div className="md:col-span-2 flex items-center gap-3">
          <Button type="submit" variant="danger" disabled={!ready || place.isPending}>
            {t("placeForm.submit")}
          </Button>
          <p className="text-sm text-slate-700">
            {enterprise ? t("placeForm.enterpriseHint") : t("placeForm.localHint")}
          </p>
        </div>
        <div role="status" aria-live="polite" className="md:col-span-2">
          {placedAt ? <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">{placedAt}</p> : null}
        </div>
      </form>
      <SignDialog
        open={signing}
        title={t("placeForm.signTitle")}
        signerName={signerName}
        defaultMeaning="hold"
        pending={place.isPending}
        error={error}
        onSign={sign}
        onCancel={() => {
          setSigning(false);
          place.reset();
        }}
      />
    </>
  );
}
