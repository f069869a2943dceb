"use client";

import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { MaterialStatusBadge } from "@/components/inventory/material-status-badge";
import { Qty } from "@/components/inventory/qty";
import { operatorMessage } from "@/components/errors/operator-message";

export type KitInstall = { partRevisionId: string; lotId: string | null; serialItemId: string | null; quantity: string };

/**
 * The content of a kit whose label was scanned at the station, for this unit at this operation: each line with what
 * the unit still needs, each lot or serial the kit brought (free here, usable or not and why), and an Install button
 * per item with the quantity one tap installs (it goes through the same install as a scan, with every check).
 */
export function KitPanel({
  stationId,
  unitId,
  seq,
  kitId,
  version,
  disabled,
  onInstall,
  onClose,
}: {
  stationId: string;
  unitId: string;
  seq: number;
  kitId: string;
  version: number;
  disabled: boolean;
  onInstall: (i: KitInstall) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const kit = useQuery(trpc.station.kitAtStation.queryOptions({ stationId, unitId, seq, kitId }));
  const { refetch } = kit;
  useEffect(() => {
    if (version > 0) void refetch();
  }, [version, refetch]);

  if (kit.isPending) {
    return (
      <section aria-label="Kit content" className="rounded-md border-2 border-blue-700 p-3 text-lg">
        Reading the kit…
      </section>
    );
  }
  if (kit.isError) {
    const m = operatorMessage(kit.error);
    return (
      <section aria-label="Kit content" className="rounded-md border-2 border-red-700 bg-red-50 p-3 text-lg text-red-900">
        <p className="font-bold">The kit could not be read: {m.message}</p>
        {m.next ? <p>{m.next}</p> : null}
      </section>
    );
  }
  const { kit: k, loadable, notice, lines } = kit.data;
  const here = lines.filter((l) => l.atThisOperation);
  const elsewhere = lines.filter((l) => !l.atThisOperation);
  return (
    <section aria-label={`Kit ${k.number}`} className="space-y-3 rounded-md border-2 border-blue-700 bg-white p-3">
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="text-xl font-bold">
          Kit <span className="font-mono">{k.number}</span>
        </h3>
        <span className="text-lg">
          for {k.workOrderNumber} · {k.scope}
          {k.destination ? ` · issued to ${k.destination}` : ""}
        </span>
        <Button type="button" size="lg" variant="secondary" className="ml-auto" onClick={onClose}>
          Close the kit
        </Button>
      </div>
      {notice ? (
        <p role="note" className="rounded-md border-2 border-amber-600 bg-amber-50 p-3 text-lg text-amber-950">
          {notice} Nothing can be installed from it here.
        </p>
      ) : null}
      {here.length === 0 ? (
        <p className="text-lg">Nothing in this kit is installed at operation {seq} of this unit.</p>
      ) : (
        <ul className="divide-y divide-slate-300" aria-label={`Kit ${k.number}: for operation ${seq}`}>
          {here.map((l) => (
            <li key={l.kitLineId} className="space-y-2 py-2">
              <p className="flex flex-wrap items-center gap-3 text-lg">
                <span>Find {l.findNumber}</span>
                <PartRev partNumber={l.partNumber} revision={l.revision} description={l.description} />
                <span>
                  This unit still needs <Qty value={l.leftForUnit ?? "0"} uom={l.uom} className="font-semibold" />
                </span>
                {l.shortQty !== "0" ? (
                  <Badge tone="amber">
                    Short <Qty value={l.shortQty} uom={l.uom} className="ml-1" />
                  </Badge>
                ) : null}
              </p>
              {l.items.length === 0 ? (
                <p className="text-lg">Nothing was picked for this line{l.shortReason ? `: ${l.shortReason}` : "."}</p>
              ) : (
                <ul className="space-y-2">
                  {l.items.map((i) => (
                    <li key={i.key} className="flex flex-wrap items-center gap-3">
                      <LotBadge lotNumber={i.lotNumber} serialNumber={i.serialNumber} />
                      <span>
                        <Qty value={i.here} uom={l.uom} /> here
                      </span>
                      {i.installedIn ? <span>installed in unit {i.installedIn}</span> : i.here === "0" ? <span>not at this station</span> : <MaterialStatusBadge status={i.status} />}
                      {i.installQuantity ? (
                        <Button
                          type="button"
                          size="lg"
                          disabled={disabled}
                          onClick={() => onInstall({ partRevisionId: i.partRevisionId, lotId: i.lotId, serialItemId: i.serialItemId, quantity: i.installQuantity ?? "" })}
                        >
                          Install {i.serialNumber ? `serial ${i.serialNumber}` : `${i.installQuantity} ${l.uom}${i.lotNumber ? ` of lot ${i.lotNumber}` : ""}`}
                        </Button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {elsewhere.length > 0 ? (
        <p className="text-lg text-slate-800">
          Also in this kit, for other operations: {elsewhere.map((l) => `${l.partNumber} rev ${l.revision} (op ${l.operationSeq})`).join(", ")}.
        </p>
      ) : null}
      {loadable && here.every((l) => l.items.every((i) => !i.installQuantity)) && here.length > 0 ? (
        <p className="text-lg font-semibold text-green-900">Everything this kit brought for operation {seq} of this unit is installed or not usable.</p>
      ) : null}
    </section>
  );
}
