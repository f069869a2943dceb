"use client";

import { Fragment, useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { directionsFor, type OwnerSystem, type Propagation } from "@/components/admin/ownership-labels";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { SignatureLine, type SignatureLineProps } from "@/components/quality/signature-line";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export type RegistryRow = { entity: string; attribute: string; owner: OwnerSystem; direction: Propagation; note: string; updatedAt: Date };

export type PendingChange = {
  id: string;
  entity: string;
  attribute: string;
  currentOwner: OwnerSystem | null;
  currentDirection: Propagation | null;
  proposedOwner: OwnerSystem;
  proposedDirection: Propagation;
  reason: string;
  proposedByName: string;
  proposedAt: Date;
  proposedByMe: boolean;
};

export type DecidedChange = Omit<PendingChange, "proposedByMe"> & {
  status: "proposed" | "approved" | "rejected";
  decidedByName: string | null;
  decidedAt: Date | null;
  signature: SignatureLineProps | null;
};

const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";

function OwnerBadge({ owner }: { owner: OwnerSystem | null }) {
  const t = useTranslations("signatures");
  if (!owner) return <span className="text-slate-500">—</span>;
  return owner === "erp" ? <Badge tone="blue">{t("owner.erp")}</Badge> : <Badge tone="violet">{t("owner.traceline")}</Badge>;
}

/**
 * The ownership registry with change control: each row can get a proposal (new owner, direction, reason); a row with
 * a proposal waiting shows so. Changing a row takes a second administrator (PendingChanges), who signs the decision.
 */
export function OwnershipRegistryPanel({ rows, pending, timeZone }: { rows: RegistryRow[]; pending: PendingChange[]; timeZone: string }) {
  const t = useTranslations("signatures.ownership");
  const tw = useTranslations("signatures");
  const [open, setOpen] = useState<string | null>(null);
  const [proposed, setProposed] = useState<string | null>(null);
  if (rows.length === 0) {
    return <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>;
  }
  const waiting = new Set(pending.map((p) => `${p.entity}.${p.attribute}`));
  return (
    <div className="space-y-2">
      <div role="status" aria-live="polite">
        {proposed ? <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">{t("proposed", { key: proposed })}</p> : null}
      </div>
      <Table caption={t("caption")}>
        <THead>
          <Tr>
            <Th>{t("colEntity")}</Th>
            <Th>{t("colAttribute")}</Th>
            <Th>{t("colOwner")}</Th>
            <Th>{t("colFlow")}</Th>
            <Th>{t("colNote")}</Th>
            <Th>{t("colChanged")}</Th>
            <Th>
              <span className="sr-only">{t("colControl")}</span>
            </Th>
          </Tr>
        </THead>
        <TBody>
          {rows.map((r) => {
            const key = `${r.entity}.${r.attribute}`;
            return (
              <Fragment key={key}>
                <Tr>
                  <Td className="font-mono">{r.entity}</Td>
                  <Td className="font-mono">{r.attribute}</Td>
                  <Td>
                    <OwnerBadge owner={r.owner} />
                  </Td>
                  <Td>{tw(`direction.${r.direction}`)}</Td>
                  <Td>{r.note}</Td>
                  <Td>
                    <DateTime value={r.updatedAt} timeZone={timeZone} />
                  </Td>
                  <Td>
                    {waiting.has(key) ? (
                      <Badge tone="amber">{t("waiting")}</Badge>
                    ) : open === key ? null : (
                      <Button
                        variant="secondary"
                        className="whitespace-nowrap"
                        onClick={() => {
                          setProposed(null);
                          setOpen(key);
                        }}
                        aria-label={t("proposeTo", { key })}
                      >
                        {t("propose")}
                      </Button>
                    )}
                  </Td>
                </Tr>
                {open === key && !waiting.has(key) ? (
                  <tr>
                    <td colSpan={7} className="bg-slate-50 px-2 py-3">
                      <ProposeForm
                        row={r}
                        onCancel={() => setOpen(null)}
                        onDone={() => {
                          setOpen(null);
                          setProposed(key);
                        }}
                      />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}

function ProposeForm({ row, onCancel, onDone }: { row: RegistryRow; onCancel: () => void; onDone: () => void }) {
  const t = useTranslations("signatures.ownership");
  const tw = useTranslations("signatures");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [owner, setOwner] = useState<OwnerSystem>(row.owner === "erp" ? "traceline" : "erp");
  const [direction, setDirection] = useState<Propagation>(directionsFor(row.owner === "erp" ? "traceline" : "erp")[0]!);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const propose = useMutation(
    trpc.admin.proposeOwnershipChange.mutationOptions({
      onSuccess: () => {
        router.refresh();
        onDone();
      },
    }),
  );
  const key = `${row.entity}.${row.attribute}`;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || propose.isPending) return;
    setProblem(null);
    if (reason.trim().length < 10) return setProblem(t("reasonShort"));
    if (owner === row.owner && direction === row.direction) return setProblem(t("same", { key }));
    propose.mutate({ entity: row.entity, attribute: row.attribute, owner, direction, reason: reason.trim() });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t("proposeForm", { key })} className="flex flex-wrap items-end gap-3">
      <p className="w-full text-sm">{t.rich("now", { owner: tw(`owner.${row.owner}`), direction: tw(`direction.${row.direction}`), b: (chunks) => <strong>{chunks}</strong> })}</p>
      <div>
        <label htmlFor={`${ids}-owner`} className="mb-1 block text-sm font-semibold">
          {t("newOwner")}
        </label>
        <select
          id={`${ids}-owner`}
          value={owner}
          onChange={(e) => {
            const o = e.target.value as OwnerSystem;
            setOwner(o);
            if (!directionsFor(o).includes(direction)) setDirection(directionsFor(o)[0]!);
          }}
          className={field}
          disabled={propose.isPending}
        >
          <option value="erp">{tw("owner.erp")}</option>
          <option value="traceline">{tw("owner.traceline")}</option>
        </select>
      </div>
      <div>
        <label htmlFor={`${ids}-direction`} className="mb-1 block text-sm font-semibold">
          {t("flow")}
        </label>
        <select id={`${ids}-direction`} value={direction} onChange={(e) => setDirection(e.target.value as Propagation)} className={field} disabled={propose.isPending}>
          {directionsFor(owner).map((d) => (
            <option key={d} value={d}>
              {tw(`direction.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-72 flex-1">
        <label htmlFor={`${ids}-reason`} className="mb-1 block text-sm font-semibold">
          {t("reason")}
        </label>
        <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder={t("reasonPlaceholder")} className={`${field} w-full`} disabled={propose.isPending} />
      </div>
      <Button type="submit" disabled={!ready || propose.isPending}>
        {propose.isPending ? t("proposing") : t("propose")}
      </Button>
      <Button variant="secondary" onClick={onCancel} disabled={propose.isPending}>
        {t("cancel")}
      </Button>
      <div role="alert" className={problem || propose.error ? "w-full rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
        {problem ?? (propose.error ? actionErrorMessage(propose.error) : "")}
      </div>
    </form>
  );
}

/** Proposals waiting for a second administrator: Approve / Reject (each signed) for others' proposals; one's own just waits. */
export function PendingChanges({ pending, timeZone, signerName }: { pending: PendingChange[]; timeZone: string; signerName: string }) {
  const t = useTranslations("signatures.ownership");
  if (pending.length === 0) {
    return <EmptyState title={t("pendingEmptyTitle")}>{t("pendingEmpty")}</EmptyState>;
  }
  return (
    <ul className="space-y-3">
      {pending.map((c) => (
        <li key={c.id}>
          <PendingChangeCard change={c} timeZone={timeZone} signerName={signerName} />
        </li>
      ))}
    </ul>
  );
}

function PendingChangeCard({ change: c, timeZone, signerName }: { change: PendingChange; timeZone: string; signerName: string }) {
  const t = useTranslations("signatures.ownership");
  const tw = useTranslations("signatures");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [note, setNote] = useState("");
  const [signing, setSigning] = useState<"approve" | "reject" | null>(null);
  const decide = useMutation(
    trpc.admin.decideOwnershipChange.mutationOptions({
      onSuccess: () => {
        setSigning(null);
        router.refresh();
      },
    }),
  );
  const key = `${c.entity}.${c.attribute}`;
  const onSign = (s: SignatureInput) => decide.mutate({ changeId: c.id, approve: signing === "approve", reason: note.trim() || undefined, signature: s });

  return (
    <article aria-labelledby={`${ids}-title`} className="rounded-lg border border-slate-300 bg-white p-3">
      <h3 id={`${ids}-title`} className="font-mono font-semibold">
        {key}
      </h3>
      <p className="mt-1 flex flex-wrap items-center gap-2 text-sm">
        <OwnerBadge owner={c.currentOwner} /> {c.currentDirection ? tw(`direction.${c.currentDirection}`) : ""}
        <span aria-label={t("becomes")}>→</span>
        <OwnerBadge owner={c.proposedOwner} /> {tw(`direction.${c.proposedDirection}`)}
      </p>
      <p className="mt-1 text-sm">
        <span className="font-semibold">{t("reasonLabel")}</span> {c.reason}
      </p>
      <p className="text-xs text-slate-600">
        {t("proposedBy", { name: c.proposedByName })} · <DateTime value={c.proposedAt} timeZone={timeZone} />
      </p>
      {c.proposedByMe ? (
        <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm font-semibold text-amber-900">{t("mine")}</p>
      ) : decide.data ? (
        <p role="status" className="mt-2 font-semibold text-green-900">
          {decide.data.status === "approved" ? t("approved") : t("rejected")}
        </p>
      ) : (
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <div className="min-w-64 flex-1">
            <label htmlFor={`${ids}-note`} className="mb-1 block text-xs font-semibold">
              {t("note")}
            </label>
            <input id={`${ids}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} className={`${field} w-full`} disabled={decide.isPending} />
          </div>
          <Button disabled={!ready || decide.isPending} onClick={() => (decide.reset(), setSigning("approve"))} aria-label={t("approveLabel", { key })}>
            {t("approve")}
          </Button>
          <Button variant="danger" disabled={!ready || decide.isPending} onClick={() => (decide.reset(), setSigning("reject"))} aria-label={t("rejectLabel", { key })}>
            {t("reject")}
          </Button>
        </div>
      )}
      <SignDialog
        open={signing !== null}
        title={signing === "reject" ? t("signReject", { key }) : t("signApprove", { key })}
        signerName={signerName}
        defaultMeaning={signing === "reject" ? "review" : "approval"}
        pending={decide.isPending}
        error={decide.error ? actionErrorMessage(decide.error) : null}
        onSign={onSign}
        onCancel={() => {
          setSigning(null);
          decide.reset();
        }}
      />
    </article>
  );
}

/** Decided changes, newest first, each with its decision's signature (INVALID when the change record was altered). */
export function DecidedChanges({ decided, timeZone }: { decided: DecidedChange[]; timeZone: string }) {
  const t = useTranslations("signatures.ownership");
  const tw = useTranslations("signatures");
  if (decided.length === 0) return <EmptyState title={t("decidedEmptyTitle")}>{t("decidedEmpty")}</EmptyState>;
  return (
    <Table caption={t("decidedCaption")}>
      <THead>
        <Tr>
          <Th>{t("colAttribute")}</Th>
          <Th>{t("colChange")}</Th>
          <Th>{t("colNote")}</Th>
          <Th>{t("colProposed")}</Th>
          <Th>{t("colDecision")}</Th>
          <Th>{t("colSignature")}</Th>
        </Tr>
      </THead>
      <TBody>
        {decided.map((c) => (
          <Tr key={c.id}>
            <Td className="font-mono">
              {c.entity}.{c.attribute}
            </Td>
            <Td>
              {tw(`owner.${c.proposedOwner}`)}, {tw(`direction.${c.proposedDirection}`)}
            </Td>
            <Td className="max-w-sm">{c.reason}</Td>
            <Td>
              {c.proposedByName}
              <span className="block text-xs">
                <DateTime value={c.proposedAt} timeZone={timeZone} />
              </span>
            </Td>
            <Td>{c.status === "approved" ? <Badge tone="green">{t("status.approved")}</Badge> : <Badge tone="red">{t(`status.${c.status}`)}</Badge>}</Td>
            <Td>{c.signature ? <SignatureLine signature={c.signature} /> : <span className="text-sm text-slate-600">
                  {c.decidedByName ?? "—"} · {t("notSigned")}
                </span>}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
