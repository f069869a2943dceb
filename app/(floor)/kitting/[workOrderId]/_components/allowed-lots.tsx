"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
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
 * one BOM line) and remove them, each with a reason; everyone else sees the list read-only.
 */
export function AllowedLots({ workOrderId, entries, lines, canEdit }: { workOrderId: string; entries: AllowedLotEntry[]; lines: BomLineOption[]; canEdit: boolean }) {
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  return (
    <div className="space-y-4">
      {entries.length === 0 ? (
        <EmptyState title="No allowed-lot list in force">Any lot that passes the lot rules may be kitted and used for this work order.</EmptyState>
      ) : (
        <Table caption="Allowed lots">
          <THead>
            <Tr>
              <Th>Lot</Th>
              <Th>Applies to</Th>
              <Th>Reason</Th>
              <Th>Added</Th>
              {canEdit ? <Th>Remove</Th> : null}
            </Tr>
          </THead>
          <TBody>
            {entries.map((e) => (
              <Tr key={e.id}>
                <Td className="font-mono font-semibold">{e.lotNumber}</Td>
                <Td>{e.appliesTo}</Td>
                <Td>{e.reason}</Td>
                <Td className="whitespace-nowrap">{e.addedOn}</Td>
                {canEdit ? (
                  <Td>
                    <RemoveAllowedLot entry={e} onOutcome={setOutcome} />
                  </Td>
                ) : null}
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {canEdit ? <AddAllowedLotForm workOrderId={workOrderId} lines={lines} onOutcome={setOutcome} /> : null}
      <ActionResult outcome={outcome} />
    </div>
  );
}

function AddAllowedLotForm({ workOrderId, lines, onOutcome }: { workOrderId: string; lines: BomLineOption[]; onOutcome: (o: ActionOutcome) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [lot, setLot] = useState("");
  const [line, setLine] = useState("");
  const [reason, setReason] = useState("");
  const add = useMutation(
    trpc.kitting.addAllowedLot.mutationOptions({
      onSuccess: (out, input) => {
        req.answered();
        const target = lines.find((l) => l.id === input.bomLineId)?.label ?? "every line of its part";
        onOutcome({ ok: true, text: `Lot ${out.lotNumber} added to the allowed lots for ${target}. Only listed lots are suggested and may be picked there.` });
        setLot("");
        setReason("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        onOutcome(refusedOutcome(e));
      },
    }),
  );
  return (
    <form
      aria-label="Add an allowed lot"
      className="grid gap-3 md:grid-cols-4 md:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { workOrderId, lot: lot.trim(), bomLineId: line === "" ? null : line, reason };
        add.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      <div>
        <label htmlFor={`${id}-lot`} className="mb-1 block font-semibold">
          Lot number or scan
        </label>
        <input id={`${id}-lot`} className={`${field} font-mono`} autoComplete="off" value={lot} onChange={(e) => setLot(e.target.value)} />
      </div>
      <div>
        <label htmlFor={`${id}-line`} className="mb-1 block font-semibold">
          For BOM line
        </label>
        <select id={`${id}-line`} className={field} value={line} onChange={(e) => setLine(e.target.value)}>
          <option value="">Every line of the lot&apos;s part</option>
          {lines.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-reason`} className="mb-1 block font-semibold">
          Reason
        </label>
        <input id={`${id}-reason`} className={field} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <Button type="submit" size="lg" disabled={!ready || add.isPending || lot.trim() === ""}>
        {add.isPending ? "Adding…" : "Add allowed lot"}
      </Button>
    </form>
  );
}

function RemoveAllowedLot({ entry, onOutcome }: { entry: AllowedLotEntry; onOutcome: (o: ActionOutcome) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const remove = useMutation(
    trpc.kitting.removeAllowedLot.mutationOptions({
      onSuccess: () => {
        req.answered();
        setOpen(false);
        onOutcome({ ok: true, text: `Lot ${entry.lotNumber} removed from the allowed lots (${entry.appliesTo}).` });
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        onOutcome(refusedOutcome(e));
      },
    }),
  );
  if (!open) {
    return (
      <Button variant="secondary" size="lg" disabled={!ready} onClick={() => setOpen(true)} aria-label={`Remove lot ${entry.lotNumber}`}>
        Remove…
      </Button>
    );
  }
  return (
    <form
      aria-label={`Remove lot ${entry.lotNumber}`}
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { allowedLotId: entry.id, reason };
        remove.mutate({ requestId: req.idFor(payload), ...payload });
      }}
    >
      <label htmlFor={`${id}-why`} className="block">
        <span className="block text-sm font-semibold">Why it is lifted</span>
        <input id={`${id}-why`} className={`${field} w-64`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <Button type="submit" variant="danger" size="lg" disabled={!ready || remove.isPending}>
        {remove.isPending ? "Removing…" : "Remove"}
      </Button>
      <Button variant="secondary" size="lg" disabled={remove.isPending} onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </form>
  );
}
