"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, useHydrated, type ActionOutcome } from "@/components/kitting/action-result";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
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
  const t = useTranslations("transfers");
  const { actionErrorMessage } = useErrorWords();
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
          text: t("ship.done", { number: o.number, quantity: o.quantity, uom: o.uom, part: o.partNumber, item: o.itemNumber, from: o.from, site: o.toSiteCode, unit: o.unitSerial ?? "none" }),
        });
        setItemNumber("");
        setQuantity("");
        setFromLocationId("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setOutcome({ ok: false, text: actionErrorMessage(e) });
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
      <form onSubmit={submit} aria-label={t("ship.ariaLabel")} className="grid gap-3 md:grid-cols-2 lg:grid-cols-5 lg:items-end">
        <div>
          <label htmlFor={`${id}-site`} className={label}>
            {t("ship.toSite")}
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
            {t("ship.item")}
          </label>
          <input id={`${id}-item`} autoComplete="off" maxLength={200} className={`${field} font-mono`} value={itemNumber} onChange={(e) => setItemNumber(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-qty`} className={label}>
            {t("ship.quantity")}
          </label>
          <input id={`${id}-qty`} inputMode="decimal" autoComplete="off" maxLength={40} className={field} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-from`} className={label}>
            {t("ship.fromLocation")}
          </label>
          <select id={`${id}-from`} className={field} value={fromLocationId} onChange={(e) => setFromLocationId(e.target.value)}>
            <option value="">{t("ship.whereItIs")}</option>
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.code} · {l.name}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" size="lg" disabled={!ready || ship.isPending || !toSiteId || itemNumber.trim() === ""}>
          {ship.isPending ? t("ship.pending") : t("ship.submit")}
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
export function ReceiveTransferForm({ locations, reinspect = false, signerName }: { locations: LocationOption[]; reinspect?: boolean; signerName: string }) {
  const t = useTranslations("transfers");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [scan, setScan] = useState("");
  const [toLocationId, setToLocationId] = useState(locations[0]?.id ?? "");
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  const [signing, setSigning] = useState(false);

  const receive = useMutation(
    trpc.transfers.receive.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        setSigning(false);
        const parts = [t("receive.done", { number: o.number, site: o.fromSiteCode, quantity: o.quantity, uom: o.uom, part: o.partNumber, item: o.itemNumber, to: o.to })];
        if (o.inspectionStatus === "pending") parts.push(t("receive.awaitsInspection"));
        if (o.arrivalHoldId) parts.push(t("receive.arrivalHold"));
        if (o.heldOnArrival.length > 0) parts.push(t("receive.heldOnArrival", { reasons: o.heldOnArrival.join("; ") }));
        setOutcome({ ok: true, text: parts.join(" ") });
        setScan("");
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setOutcome({ ok: false, text: actionErrorMessage(e) });
      },
    }),
  );

  const input = () => ({ scan: scan.trim(), toLocationId: toLocationId || null });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    receive.reset();
    // a site that re-inspects transferred material: the receipt's on-arrival hold is signed first
    if (reinspect) {
      setOutcome(null);
      setSigning(true);
      return;
    }
    const i = input();
    receive.mutate({ requestId: req.idFor(i), ...i });
  }

  const sign = (s: SignatureInput) => {
    const i = input();
    receive.mutate({ requestId: req.idFor(i), ...i, signature: { method: s.method, secret: s.secret, meaning: "hold" } });
  };

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label={t("receive.ariaLabel")} className="grid gap-3 md:grid-cols-3 md:items-end">
        <div>
          <label htmlFor={`${id}-scan`} className={label}>
            {t("receive.scan")}
          </label>
          <input id={`${id}-scan`} autoFocus autoComplete="off" maxLength={2000} className={`${field} font-mono`} value={scan} onChange={(e) => setScan(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className={label}>
            {t("receive.putIn")}
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
          {receive.isPending ? t("receive.pending") : reinspect ? t("receive.submitSigned") : t("receive.submit")}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
      {reinspect ? (
        <SignDialog
          open={signing}
          title={t("receive.signTitle")}
          signerName={signerName}
          defaultMeaning="hold"
          pending={receive.isPending}
          error={receive.error ? actionErrorMessage(receive.error) : null}
          onSign={sign}
          onCancel={() => {
            setSigning(false);
            receive.reset();
          }}
        />
      ) : null}
    </div>
  );
}
