import { useTranslations } from "next-intl";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { StatusBadge } from "./status-badge";

export type StationCardData = {
  id: string;
  code: string;
  name: string;
  workCenterCode: string;
  workCenterName: string;
  pointOfUseLines: number;
  pointOfUseAttention: number;
  queue: {
    unitId: string;
    serial: string;
    workOrderNumber: string;
    partNumber: string;
    revision: string;
    operationSeq: number;
    operationCode: string;
    operationStatus: string;
  }[];
};

/** A station as a big touch target: what is queued there and what material waits at its point of use. */
export function StationCard({ station, maxUnits = 4 }: { station: StationCardData; maxUnits?: number }) {
  const t = useTranslations("station.card");
  const shown = station.queue.slice(0, maxUnits);
  const more = station.queue.length - shown.length;
  return (
    <Link
      href={`/station/${station.id}`}
      aria-label={t("label", { code: station.code, name: station.name, count: station.queue.length })}
      className="block min-h-12 rounded-lg border-2 border-slate-400 bg-white p-4 shadow-sm hover:border-blue-700 hover:bg-blue-50 focus-visible:outline focus-visible:outline-3 focus-visible:outline-blue-500"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-xl font-bold text-slate-900">
          <span className="font-mono">{station.code}</span> · {station.name}
        </p>
        <p className="text-sm text-slate-700">
          {t("workCenter", { code: station.workCenterCode, name: station.workCenterName })}
        </p>
      </div>
      <p className="mt-2 text-lg font-semibold">
        {t("queued", { count: station.queue.length })}
      </p>
      {shown.length > 0 ? (
        <ul className="mt-2 divide-y divide-slate-200">
          {shown.map((q) => (
            <li key={q.unitId} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
              <span className="font-mono text-lg font-bold">{q.serial}</span>
              <span className="text-slate-800">{q.workOrderNumber}</span>
              <span className="text-slate-700">
                {t("op", { seq: q.operationSeq, code: q.operationCode })}
              </span>
              <StatusBadge status={q.operationStatus} />
            </li>
          ))}
        </ul>
      ) : null}
      {more > 0 ? <p className="mt-1 text-slate-700">{t("more", { count: more })}</p> : null}
      <p className="mt-2 flex flex-wrap items-center gap-2 text-slate-800">
        {t("pointOfUse", { count: station.pointOfUseLines })}
        {station.pointOfUseAttention > 0 ? <Badge tone="red">{t("attention", { count: station.pointOfUseAttention })}</Badge> : null}
      </p>
    </Link>
  );
}
