"use client";

import { Fragment, useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { DIRECTION_LABELS, OWNER_LABELS, directionsFor, type OwnerSystem, type Propagation } from "@/components/admin/ownership-labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { actionErrorMessage } from "@/components/ui/action-error";

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

const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";

function OwnerBadge({ owner }: { owner: OwnerSystem | null }) {
  if (!owner) return <span className="text-slate-500">—</span>;
  return owner === "erp" ? <Badge tone="blue">ERP</Badge> : <Badge tone="violet">Traceline</Badge>;
}

/**
 * The ownership registry with change control: each row can get a proposal (new owner, direction, reason); a row with
 * a proposal waiting shows so. Changing a row takes a second administrator (PendingChanges).
 */
export function OwnershipRegistryPanel({ rows, pending, timeZone }: { rows: RegistryRow[]; pending: PendingChange[]; timeZone: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const [proposed, setProposed] = useState<string | null>(null);
  if (rows.length === 0) {
    return (
      <EmptyState title="The ownership registry is empty">
        Without entries, every inventory attribute is treated as owned by the ERP. Entries are loaded with the plant set-up.
      </EmptyState>
    );
  }
  const waiting = new Set(pending.map((p) => `${p.entity}.${p.attribute}`));
  return (
    <div className="space-y-2">
      <div role="status" aria-live="polite">
        {proposed ? (
          <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">
            Change to {proposed} proposed. It takes effect when a second administrator approves it (below).
          </p>
        ) : null}
      </div>
      <Table caption="Ownership registry">
        <THead>
          <Tr>
            <Th>Entity</Th>
            <Th>Attribute</Th>
            <Th>Owner</Th>
            <Th>Updates flow</Th>
            <Th>Note</Th>
            <Th>Changed</Th>
            <Th>
              <span className="sr-only">Change control</span>
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
                  <Td>{DIRECTION_LABELS[r.direction]}</Td>
                  <Td>{r.note}</Td>
                  <Td>
                    <DateTime value={r.updatedAt} timeZone={timeZone} />
                  </Td>
                  <Td>
                    {waiting.has(key) ? (
                      <Badge tone="amber">Change waiting for approval</Badge>
                    ) : open === key ? null : (
                      <Button
                        variant="secondary"
                        className="whitespace-nowrap"
                        onClick={() => {
                          setProposed(null);
                          setOpen(key);
                        }}
                        aria-label={`Propose change to ${key}`}
                      >
                        Propose change
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
    if (reason.trim().length < 10) return setProblem("Give a reason of at least 10 characters: it goes into the audit trail.");
    if (owner === row.owner && direction === row.direction) return setProblem(`${key} already has that owner and direction.`);
    propose.mutate({ entity: row.entity, attribute: row.attribute, owner, direction, reason: reason.trim() });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Propose a change to ${key}`} className="flex flex-wrap items-end gap-3">
      <p className="w-full text-sm">
        Now: <strong>{OWNER_LABELS[row.owner]}</strong>, {DIRECTION_LABELS[row.direction]}. A second administrator must approve the change.
      </p>
      <div>
        <label htmlFor={`${ids}-owner`} className="mb-1 block text-sm font-semibold">
          New owner
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
          <option value="erp">ERP</option>
          <option value="traceline">Traceline</option>
        </select>
      </div>
      <div>
        <label htmlFor={`${ids}-direction`} className="mb-1 block text-sm font-semibold">
          Updates flow
        </label>
        <select id={`${ids}-direction`} value={direction} onChange={(e) => setDirection(e.target.value as Propagation)} className={field} disabled={propose.isPending}>
          {directionsFor(owner).map((d) => (
            <option key={d} value={d}>
              {DIRECTION_LABELS[d]}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-72 flex-1">
        <label htmlFor={`${ids}-reason`} className="mb-1 block text-sm font-semibold">
          Reason (for the audit trail)
        </label>
        <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder="e.g. ECO-2291: floor life now set in ERP" className={`${field} w-full`} disabled={propose.isPending} />
      </div>
      <Button type="submit" disabled={!ready || propose.isPending}>
        {propose.isPending ? "Proposing…" : "Propose change"}
      </Button>
      <Button variant="secondary" onClick={onCancel} disabled={propose.isPending}>
        Cancel
      </Button>
      <div role="alert" className={problem || propose.error ? "w-full rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
        {problem ?? (propose.error ? actionErrorMessage(propose.error) : "")}
      </div>
    </form>
  );
}

/** Proposals waiting for a second administrator: Approve / Reject for others' proposals; one's own just waits. */
export function PendingChanges({ pending, timeZone }: { pending: PendingChange[]; timeZone: string }) {
  if (pending.length === 0) {
    return <EmptyState title="No change is waiting for approval">Propose a change from a row of the registry above.</EmptyState>;
  }
  return (
    <ul className="space-y-3">
      {pending.map((c) => (
        <li key={c.id}>
          <PendingChangeCard change={c} timeZone={timeZone} />
        </li>
      ))}
    </ul>
  );
}

function PendingChangeCard({ change: c, timeZone }: { change: PendingChange; timeZone: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [note, setNote] = useState("");
  const decide = useMutation(trpc.admin.decideOwnershipChange.mutationOptions({ onSuccess: () => router.refresh() }));
  const key = `${c.entity}.${c.attribute}`;

  return (
    <article aria-labelledby={`${ids}-title`} className="rounded-lg border border-slate-300 bg-white p-3">
      <h3 id={`${ids}-title`} className="font-mono font-semibold">
        {key}
      </h3>
      <p className="mt-1 flex flex-wrap items-center gap-2 text-sm">
        <OwnerBadge owner={c.currentOwner} /> {c.currentDirection ? DIRECTION_LABELS[c.currentDirection] : ""}
        <span aria-label="becomes">→</span>
        <OwnerBadge owner={c.proposedOwner} /> {DIRECTION_LABELS[c.proposedDirection]}
      </p>
      <p className="mt-1 text-sm">
        <span className="font-semibold">Reason:</span> {c.reason}
      </p>
      <p className="text-xs text-slate-600">
        Proposed by {c.proposedByName} · <DateTime value={c.proposedAt} timeZone={timeZone} />
      </p>
      {c.proposedByMe ? (
        <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm font-semibold text-amber-900">You proposed this: waiting for a second person (another administrator) to approve or reject it.</p>
      ) : decide.data ? (
        <p role="status" className="mt-2 font-semibold text-green-900">
          {decide.data.status === "approved" ? "Approved: the registry row has changed." : "Rejected: the registry row is unchanged."}
        </p>
      ) : (
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <div className="min-w-64 flex-1">
            <label htmlFor={`${ids}-note`} className="mb-1 block text-xs font-semibold">
              Note for the audit trail (optional)
            </label>
            <input id={`${ids}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} className={`${field} w-full`} disabled={decide.isPending} />
          </div>
          <Button disabled={!ready || decide.isPending} onClick={() => decide.mutate({ changeId: c.id, approve: true, reason: note.trim() || undefined })} aria-label={`Approve change to ${key}`}>
            Approve
          </Button>
          <Button variant="danger" disabled={!ready || decide.isPending} onClick={() => decide.mutate({ changeId: c.id, approve: false, reason: note.trim() || undefined })} aria-label={`Reject change to ${key}`}>
            Reject
          </Button>
        </div>
      )}
      {decide.error ? (
        <p role="alert" className="mt-2 rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">
          {actionErrorMessage(decide.error)}
        </p>
      ) : null}
    </article>
  );
}
