"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, refusedOutcome, useHydrated, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";

const field = "min-h-12 w-full rounded-md border-2 border-slate-400 bg-white px-3 text-lg";
const label = "mb-1 block text-lg font-semibold";

export type SiteOption = { id: string; code: string; name: string };
export type LocationOption = { id: string; code: string; name: string };

/**
 * Ship to another site: the destination, the lot or serial (scanned or typed) and, for a lot, the quantity. A number
 * found at several stores locations asks for the one it leaves from. The retry of the same shipment reuses its request id.
 */
export function ShipTransferForm({ sites, locations }: { sites: SiteOption[]; locations: LocationOption[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [toSiteId, setToSiteId] = useState(sites[0]?.id ?? "");
  const [itemNumber, setItemNumber] = useState("");
  const [quantity, setQuantity] = useState("");
  const [fromLocationId, setFromLocationId] = useState("");
  const [outcome, setOutcome] = useState<ActionOutcome>(null);

  const ship = useMutation(
    trpc.transfers.ship.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        setOutcome({
          ok: true,
          text: `Transfer ${o.number}: ${o.quantity} ${o.uom} of ${o.partNumber} ${o.itemNumber} shipped from ${o.from} to ${o.toSiteCode}${o.unitSerial ? ` (unit ${o.unitSerial} now shows shipped to ${o.toSiteCode})` : ""}. Put the transfer number on the paperwork.`,
        });
        setItemNumber("");
        setQuantity("");
        setFromLocationId("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setOutcome(refusedOutcome(e));
      },
    }),
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { toSiteId, itemNumber: itemNumber.trim(), quantity: quantity.trim() || null, fromLocationId: fromLocationId || null };
    ship.mutate({ requestId: req.idFor(input), ...input });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label="Ship to another site" className="grid gap-3 md:grid-cols-2 lg:grid-cols-5 lg:items-end">
        <div>
          <label htmlFor={`${id}-site`} className={label}>
            To site
          </label>
          <select id={`${id}-site`} className={field} value={toSiteId} onChange={(e) => setToSiteId(e.target.value)}>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-item`} className={label}>
            Lot or serial (scan)
          </label>
          <input id={`${id}-item`} autoComplete="off" maxLength={200} className={`${field} font-mono`} value={itemNumber} onChange={(e) => setItemNumber(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-qty`} className={label}>
            Quantity (lots)
          </label>
          <input id={`${id}-qty`} inputMode="decimal" autoComplete="off" maxLength={40} className={field} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-from`} className={label}>
            From location
          </label>
          <select id={`${id}-from`} className={field} value={fromLocationId} onChange={(e) => setFromLocationId(e.target.value)}>
            <option value="">Where it is</option>
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.code} · {l.name}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" size="lg" disabled={!ready || ship.isPending || !toSiteId || itemNumber.trim() === ""}>
          {ship.isPending ? "Shipping…" : "Ship to site"}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}

/**
 * Receive from another site by scan: the transfer's paperwork (TR-...) or the item's own label, and where it is put.
 * The scan field keeps the focus; the answer says where it went and whether it waits for inspection here.
 */
export function ReceiveTransferForm({ locations }: { locations: LocationOption[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [scan, setScan] = useState("");
  const [toLocationId, setToLocationId] = useState(locations[0]?.id ?? "");
  const [outcome, setOutcome] = useState<ActionOutcome>(null);

  const receive = useMutation(
    trpc.transfers.receive.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        const inspection = o.inspectionStatus === "pending" ? " It waits for receiving inspection here." : "";
        const held = o.heldOnArrival.length > 0 ? ` On hold from arrival: ${o.heldOnArrival.join("; ")}.` : "";
        setOutcome({ ok: true, text: `Transfer ${o.number} from ${o.fromSiteCode} received: ${o.quantity} ${o.uom} of ${o.partNumber} ${o.itemNumber} into ${o.to}.${inspection}${held}` });
        setScan("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setOutcome(refusedOutcome(e));
      },
    }),
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { scan: scan.trim(), toLocationId: toLocationId || null };
    receive.mutate({ requestId: req.idFor(input), ...input });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label="Receive from another site" className="grid gap-3 md:grid-cols-3 md:items-end">
        <div>
          <label htmlFor={`${id}-scan`} className={label}>
            Scan the transfer or the item
          </label>
          <input id={`${id}-scan`} autoFocus autoComplete="off" maxLength={2000} className={`${field} font-mono`} value={scan} onChange={(e) => setScan(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className={label}>
            Put it in
          </label>
          <select id={`${id}-to`} className={field} value={toLocationId} onChange={(e) => setToLocationId(e.target.value)}>
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.code} · {l.name}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" size="lg" disabled={!ready || receive.isPending || scan.trim() === ""}>
          {receive.isPending ? "Receiving…" : "Receive"}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
