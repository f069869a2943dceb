"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { SignatureLine } from "@/components/quality/signature-line";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { ActionResult, refusedOutcome, useHydrated, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";

const field = "min-h-12 w-full rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

export type AllowedLotEntry = { id: string; lotNumber: string; appliesTo: string; reason: string; addedOn: string };
export type BomLineOption = { id: string; label: string };

/**
 * The work order's allowed-lot list: quality engineers add lots (by lot number or scanned label; to the whole order or
 * one BOM line) and remove them, each with a reason and their electronic signature (a rule change: re-authenticated,
 * bound to the entry); everyone else sees the list read-only, with each entry's signature.
 */
export function AllowedLots({
  workOrderId,
  entries,
  lines,
  canEdit,
  signerName,
}: {
  workOrderId: string;
  entries: AllowedLotEntry[];
  lines: BomLineOption[];
  canEdit: boolean;
  /** the signed-in person's name, shown in the signing dialog */
  signerName: string;
}) {
  const t = useTranslations("signatures.allowedLots");
  const trpc = useTRPC();
  const signatures = useQuery(trpc.kitting.allowedLotSignatures.queryOptions({ workOrderId }));
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  return (
    <div className="space-y-4">
      {entries.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>
      ) : (
        <Table caption={t("caption")}>
          <THead>
            <Tr>
              <Th>{t("colLot")}</Th>
              <Th>{t("colAppliesTo")}</Th>
              <Th>{t("colReason")}</Th>
              <Th>{t("colAdded")}</Th>
              <Th>{t("colSignature")}</Th>
              {canEdit ? <Th>{t("colRemove")}</Th> : null}
            </Tr>
          </THead>
          <TBody>
            {entries.map((e) => {
              const signature = signatures.data?.find((s) => s.allowedLotId === e.id)?.signature ?? null;
              return (
                <Tr key={e.id}>
                  <Td className="font-mono font-semibold">{e.lotNumber}</Td>
                  <Td>{e.appliesTo}</Td>
                  <Td>{e.reason}</Td>
                  <Td className="whitespace-nowrap">{e.addedOn}</Td>
                  <Td>
                    {signature ? (
                      <SignatureLine signature={{ ...signature, signedAt: new Date(signature.signedAt) }} />
                    ) : signatures.data ? (
                      <span className="text-slate-600">{t("unsigned")}</span>
                    ) : null}
                  </Td>
                  {canEdit ? (
                    <Td>
                      <RemoveAllowedLot entry={e} onOutcome={setOutcome} signerName={signerName} />
                    </Td>
                  ) : null}
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}
      {canEdit ? <AddAllowedLotForm workOrderId={workOrderId} lines={lines} onOutcome={setOutcome} signerName={signerName} /> : null}
      <ActionResult outcome={outcome} />
    </div>
  );
}

function AddAllowedLotForm({ workOrderId, lines, onOutcome, signerName }: { workOrderId: string; lines: BomLineOption[]; onOutcome: (o: ActionOutcome) => void; signerName: string }) {
  const t = useTranslations("signatures.allowedLots");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [lot, setLot] = useState("");
  const [line, setLine] = useState("");
  const [reason, setReason] = useState("");
  const [signing, setSigning] = useState(false);
  const payload = () => ({ workOrderId, lot: lot.trim(), bomLineId: line === "" ? null : line, reason });
  const add = useMutation(
    trpc.kitting.addAllowedLot.mutationOptions({
      onSuccess: (out, input) => {
        req.answered();
        setSigning(false);
        const target = lines.find((l) => l.id === input.bomLineId)?.label ?? t("everyLineShort");
        onOutcome({ ok: true, text: t("added", { lot: out.lotNumber, target }) });
        setLot("");
        setReason("");
        void queryClient.invalidateQueries({ queryKey: trpc.kitting.allowedLotSignatures.queryKey({ workOrderId }) });
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
      },
    }),
  );
  const onSign = (s: SignatureInput) => {
    const p = payload();
    add.mutate({ requestId: req.idFor(p), ...p, signature: s });
  };
  return (
    <>
      <form
        aria-label={t("add")}
        className="grid gap-3 md:grid-cols-4 md:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          add.reset();
          onOutcome(null);
          setSigning(true);
        }}
      >
        <div>
          <label htmlFor={`${id}-lot`} className="mb-1 block font-semibold">
            {t("lot")}
          </label>
          <input id={`${id}-lot`} className={`${field} font-mono`} autoComplete="off" value={lot} onChange={(e) => setLot(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-line`} className="mb-1 block font-semibold">
            {t("line")}
          </label>
          <select id={`${id}-line`} className={field} value={line} onChange={(e) => setLine(e.target.value)}>
            <option value="">{t("everyLine")}</option>
            {lines.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-reason`} className="mb-1 block font-semibold">
            {t("reason")}
          </label>
          <input id={`${id}-reason`} className={field} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <Button type="submit" size="lg" disabled={!ready || add.isPending || lot.trim() === ""}>
          {add.isPending ? t("adding") : t("submit")}
        </Button>
      </form>
      <SignDialog
        open={signing}
        title={t("signAdd", { lot: lot.trim() })}
        signerName={signerName}
        defaultMeaning="approval"
        pending={add.isPending}
        error={add.error ? actionErrorMessage(add.error) : null}
        onSign={onSign}
        onCancel={() => {
          setSigning(false);
          if (add.error) onOutcome(refusedOutcome(add.error));
          add.reset();
        }}
      />
    </>
  );
}

function RemoveAllowedLot({ entry, onOutcome, signerName }: { entry: AllowedLotEntry; onOutcome: (o: ActionOutcome) => void; signerName: string }) {
  const t = useTranslations("signatures.allowedLots");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [open, setOpen] = useState(false);
  const [signing, setSigning] = useState(false);
  const [reason, setReason] = useState("");
  const remove = useMutation(
    trpc.kitting.removeAllowedLot.mutationOptions({
      onSuccess: () => {
        req.answered();
        setSigning(false);
        setOpen(false);
        onOutcome({ ok: true, text: t("removed", { lot: entry.lotNumber, appliesTo: entry.appliesTo }) });
        void queryClient.invalidateQueries({ queryKey: trpc.kitting.allowedLotSignatures.queryKey() });
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
      },
    }),
  );
  if (!open) {
    return (
      <Button variant="secondary" size="lg" disabled={!ready} onClick={() => setOpen(true)} aria-label={t("removeLabel", { lot: entry.lotNumber })}>
        {t("removeOpen")}
      </Button>
    );
  }
  return (
    <>
      <form
        aria-label={t("removeLabel", { lot: entry.lotNumber })}
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          remove.reset();
          setSigning(true);
        }}
      >
        <label htmlFor={`${id}-why`} className="block">
          <span className="block text-sm font-semibold">{t("why")}</span>
          <input id={`${id}-why`} className={`${field} w-64`} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <Button type="submit" variant="danger" size="lg" disabled={!ready || remove.isPending}>
          {remove.isPending ? t("removing") : t("remove")}
        </Button>
        <Button variant="secondary" size="lg" disabled={remove.isPending} onClick={() => setOpen(false)}>
          {t("cancel")}
        </Button>
      </form>
      <SignDialog
        open={signing}
        title={t("signRemove", { lot: entry.lotNumber })}
        signerName={signerName}
        defaultMeaning="approval"
        pending={remove.isPending}
        error={remove.error ? actionErrorMessage(remove.error) : null}
        onSign={(s) => {
          const p = { allowedLotId: entry.id, reason };
          remove.mutate({ requestId: req.idFor(p), ...p, signature: s });
        }}
        onCancel={() => {
          setSigning(false);
          if (remove.error) onOutcome(refusedOutcome(remove.error));
          remove.reset();
        }}
      />
    </>
  );
}
