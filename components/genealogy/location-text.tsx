import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import type { UnitFate } from "@/server/domain/production/unit-fate";
import { fateWords, statusWord } from "./fate-words";
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
  const t = useTranslations("genealogy.location");
  const tf = useTranslations("genealogy.fate");
  const ts = useTranslations("status");
  const locale = useLocale();
  const serialLink = (id: string, serial: string) => (
    <Link href={asBuiltHref(id)} prefetch={false} className="font-mono text-blue-800 underline">
      {serial}
    </Link>
  );
  switch (location.kind) {
    case "installed": {
      const state = location.topFate ? lower(fateWords(tf, location.topFate, timeZone, locale)) : location.topStatus ? statusWord(ts, location.topStatus).toLowerCase() : "";
      const values = { parent: location.parentSerialNumber, top: location.topSerialNumber, hasState: state ? "yes" : "no", state };
      const links = { parentLink: () => serialLink(location.parentSerialItemId, location.parentSerialNumber), topLink: () => serialLink(location.topSerialItemId, location.topSerialNumber) };
      return <span>{location.topSerialItemId !== location.parentSerialItemId ? t.rich("installedInside", { ...values, ...links }) : t.rich("installedIn", { ...values, ...links })}</span>;
    }
    case "in_stock":
      return (
        <span>
          {t.rich("inStock", {
            code: location.locationCode,
            name: location.locationName !== location.locationCode ? location.locationName : "",
            mono: (chunks) => <span className="font-mono">{chunks}</span>,
          })}
        </span>
      );
    case "wip":
      return (
        <span>
          {t("wip", {
            hasOp: location.operationSeq !== null ? "yes" : "no",
            seq: location.operationSeq ?? "",
            code: location.operationCode ?? "",
            opStatus: location.operationStatus === "in_progress" || location.operationStatus === "pending" ? location.operationStatus : "other",
            where: location.stationCode ? "station" : location.workCenterCode ? "workCenter" : "none",
            station: location.stationCode ?? "",
            workCenter: location.workCenterCode ?? "",
          })}
        </span>
      );
    case "shipped":
    case "scrapped":
      return <span>{fateWords(tf, location, timeZone, locale)}</span>;
    case "unknown":
      return <span className="text-slate-500">{t("unknown")}</span>;
  }
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
