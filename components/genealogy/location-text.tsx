import Link from "next/link";
import { statusLabel } from "@/components/production/status-badge";
import { fateText, type UnitFate } from "@/server/domain/production/unit-fate";
import { asBuiltHref } from "./links";

export type LocationView =
  | {
      kind: "installed";
      parentSerialItemId: string;
      parentSerialNumber: string;
      topSerialItemId: string;
      topSerialNumber: string;
      topStatus: string | null;
      topFate: UnitFate | null;
      chain: string[];
    }
  | { kind: "in_stock"; locationCode: string; locationName: string }
  | { kind: "wip"; operationSeq: number | null; operationCode: string | null; operationStatus: string | null; stationCode: string | null; workCenterCode: string | null }
  | UnitFate
  | { kind: "unknown" };

/**
 * Where a unit is now, in words: installed in which parent (and top-level unit, with what became of it), in stock
 * where, in WIP at which operation and station, or gone: shipped to whom, when (delivery note), or scrapped when, why.
 * Dates are the site's calendar dates (`timeZone`).
 */
export function LocationText({ location, timeZone }: { location: LocationView; timeZone: string }) {
  switch (location.kind) {
    case "installed":
      return (
        <span>
          Installed in{" "}
          <Link href={asBuiltHref(location.parentSerialItemId)} prefetch={false} className="font-mono text-blue-800 underline">
            {location.parentSerialNumber}
          </Link>
          {location.topSerialItemId !== location.parentSerialItemId ? (
            <>
              , inside{" "}
              <Link href={asBuiltHref(location.topSerialItemId)} prefetch={false} className="font-mono text-blue-800 underline">
                {location.topSerialNumber}
              </Link>
            </>
          ) : null}
          {location.topFate ? ` (${lower(fateText(location.topFate, timeZone))})` : location.topStatus ? ` (${statusLabel(location.topStatus).toLowerCase()})` : ""}
        </span>
      );
    case "in_stock":
      return (
        <span>
          In stock at <span className="font-mono">{location.locationCode}</span>
          {location.locationName !== location.locationCode ? ` ${location.locationName}` : ""}
        </span>
      );
    case "wip":
      return (
        <span>
          In WIP
          {location.operationSeq !== null ? ` at op ${location.operationSeq}${location.operationCode ? ` ${location.operationCode}` : ""}` : ""}
          {location.operationStatus === "in_progress" ? " (in progress)" : location.operationStatus === "pending" ? " (waiting)" : ""}
          {location.stationCode ? `, station ${location.stationCode}` : location.workCenterCode ? `, work center ${location.workCenterCode}` : ""}
        </span>
      );
    case "shipped":
    case "scrapped":
      return <span>{fateText(location, timeZone)}</span>;
    case "unknown":
      return <span className="text-slate-500">Not known here</span>;
  }
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
