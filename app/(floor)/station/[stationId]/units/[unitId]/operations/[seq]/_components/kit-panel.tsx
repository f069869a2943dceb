"use client";

import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { LotBadge, PartRev } from "@/components/inventory/lot-badge";
import { MaterialStatusBadge } from "@/components/inventory/material-status-badge";
import { Qty } from "@/components/inventory/qty";
import { useLocale, useTranslations } from "next-intl";
import { useErrorWords } from "@/components/errors/use-error-words";
import { formatQty } from "@/components/inventory/qty";

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
  const t = useTranslations("station.kit");
  const locale = useLocale();
  const { operatorMessage } = useErrorWords();
  const trpc = useTRPC();
  const kit = useQuery(trpc.station.kitAtStation.queryOptions({ stationId, unitId, seq, kitId }));
  const { refetch } = kit;
  useEffect(() => {
    if (version > 0) void refetch();
  }, [version, refetch]);

  if (kit.isPending) {
    return (
      <section aria-label={t("content")} className="rounded-md border-2 border-blue-700 p-3 text-lg">
        {t("reading")}
      </section>
    );
  }
  if (kit.isError) {
    const m = operatorMessage(kit.error);
    return (
      <section aria-label={t("content")} className="rounded-md border-2 border-red-700 bg-red-50 p-3 text-lg text-red-900">
        <p className="font-bold">{t("unreadable", { message: m.message })}</p>
        {m.next ? <p>{m.next}</p> : null}
      </section>
    );
  }
  const { kit: k, loadable, notice, lines } = kit.data;
  const here = lines.filter((l) => l.atThisOperation);
  const elsewhere = lines.filter((l) => !l.atThisOperation);
  return (
    <section aria-label={t("kit", { kit: k.number })} className="space-y-3 rounded-md border-2 border-blue-700 bg-white p-3">
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="text-xl font-bold">
          {t.rich("heading", { kit: k.number, number: (chunks) => <span className="font-mono">{chunks}</span> })}
        </h3>
        <span className="text-lg">
          {k.destination ? t("forIssuedTo", { order: k.workOrderNumber, scope: k.scope, destination: k.destination }) : t("for", { order: k.workOrderNumber, scope: k.scope })}
        </span>
        <Button type="button" size="lg" variant="secondary" className="ml-auto" onClick={onClose}>
          {t("close")}
        </Button>
      </div>
      {notice ? (
        <p role="note" className="rounded-md border-2 border-amber-600 bg-amber-50 p-3 text-lg text-amber-950">
          {notice} {t("nothingHere")}
        </p>
      ) : null}
      {here.length === 0 ? (
        <p className="text-lg">{t("noneAtOperation", { seq })}</p>
      ) : (
        <ul className="divide-y divide-slate-300" aria-label={t("forOperation", { kit: k.number, seq })}>
          {here.map((l) => (
            <li key={l.kitLineId} className="space-y-2 py-2">
              <p className="flex flex-wrap items-center gap-3 text-lg">
                <span>{t("find", { find: l.findNumber })}</span>
                <PartRev partNumber={l.partNumber} revision={l.revision} description={l.description} />
                <span>
                  {t("stillNeeds")} <Qty value={l.leftForUnit ?? "0"} uom={l.uom} className="font-semibold" />
                </span>
                {l.shortQty !== "0" ? (
                  <Badge tone="amber">
                    {t("short")} <Qty value={l.shortQty} uom={l.uom} className="ml-1" />
                  </Badge>
                ) : null}
              </p>
              {l.items.length === 0 ? (
                <p className="text-lg">{l.shortReason ? t("nothingPickedBecause", { reason: l.shortReason }) : t("nothingPicked")}</p>
              ) : (
                <ul className="space-y-2">
                  {l.items.map((i) => (
                    <li key={i.key} className="flex flex-wrap items-center gap-3">
                      <LotBadge lotNumber={i.lotNumber} serialNumber={i.serialNumber} />
                      <span>
                        <Qty value={i.here} uom={l.uom} /> {t("here")}
                      </span>
                      {i.installedIn ? <span>{t("installedIn", { unit: i.installedIn })}</span> : i.here === "0" ? <span>{t("notAtStation")}</span> : <MaterialStatusBadge status={i.status} />}
                      {i.installQuantity ? (
                        <Button
                          type="button"
                          size="lg"
                          disabled={disabled}
                          onClick={() => onInstall({ partRevisionId: i.partRevisionId, lotId: i.lotId, serialItemId: i.serialItemId, quantity: i.installQuantity ?? "" })}
                        >
                          {i.serialNumber
                            ? t("installSerial", { serial: i.serialNumber })
                            : i.lotNumber
                              ? t("installLot", { quantity: formatQty(i.installQuantity, locale), uom: l.uom, lot: i.lotNumber })
                              : t("installQuantity", { quantity: formatQty(i.installQuantity, locale), uom: l.uom })}
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
          {t("elsewhere", { list: elsewhere.map((l) => t("elsewhereItem", { part: l.partNumber, revision: l.revision, seq: l.operationSeq ?? "" })).join(", ") })}
        </p>
      ) : null}
      {loadable && here.every((l) => l.items.every((i) => !i.installQuantity)) && here.length > 0 ? (
        <p className="text-lg font-semibold text-green-900">{t("allDone", { seq })}</p>
      ) : null}
    </section>
  );
}
