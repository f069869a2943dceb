import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { PartRev } from "@/components/inventory/lot-badge";
import { Qty, formatQty } from "@/components/inventory/qty";
import { ncrNumber } from "@/server/domain/quality/nonconformance";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { HeldMarker, type HeldMark } from "./held-marker";
import { asBuiltHref, whereUsedHref } from "./links";

export type AsBuiltRow = {
  edgeId: string;
  depth: number;
  partRevisionId?: string;
  partNumber: string;
  description: string;
  revision: string;
  uom: string;
  serialItemId: string | null;
  serialNumber: string | null;
  lotId: string | null;
  lotNumber: string | null;
  quantity: string;
  findNumber: number | null;
  operationSeq: number;
  operationCode: string | null;
  operatorName: string;
  stationCode: string;
  installedAt: Date;
  parameterValues: { name: string; value: string; unit: string | null }[];
  removed: boolean;
  removedAt: Date | null;
  removedByName: string | null;
  removalReason: string | null;
  substitutionReason: string | null;
  /** the nonconformance reports about this install (a removal raises one) */
  ncrs?: { id: string; number: number }[];
  /** the active holds on this material, each with its reason and a link to it (empty: not held) */
  holds: HeldMark[];
  /** exact number of component records below this one */
  below: number;
};

/** A line of the tree table: a component (with its open/close control, if any), or a note under an opened one. */
export type AsBuiltLine = { kind: "node"; row: AsBuiltRow; toggle?: ReactNode } | { kind: "note"; key: string; depth: number; content: ReactNode };

const COLUMNS = 11;

/**
 * The as-built as a dense tree table (depth-first, indented by level): part/revision, serial or lot, quantity,
 * operation, operator, station, time, process parameters with units, holds (each hold's reason, linked to the hold); removed components struck through with
 * who, when and why. A component serial links to its own as-built and where-used; a lot to its where-used. Links are
 * not prefetched (a tree of hundreds of rows would fetch hundreds of pages).
 */
export function AsBuiltTable({ lines, timeZone }: { lines: AsBuiltLine[]; timeZone: string }) {
  const t = useTranslations("genealogy.table");
  return (
    <Table caption={t("caption")}>
      <THead>
        <Tr>
          <Th>{t("colLevel")}</Th>
          <Th>{t("colFind")}</Th>
          <Th>{t("colPartRev")}</Th>
          <Th>{t("colSerialLot")}</Th>
          <Th className="text-right">{t("colQty")}</Th>
          <Th>{t("colOperation")}</Th>
          <Th>{t("colOperator")}</Th>
          <Th>{t("colStation")}</Th>
          <Th>{t("colInstalled")}</Th>
          <Th>{t("colParameters")}</Th>
          <Th>{t("colRework")}</Th>
        </Tr>
      </THead>
      <TBody>
        {lines.map((line) =>
          line.kind === "note" ? (
            <Tr key={line.key}>
              <Td colSpan={COLUMNS} className="text-sm">
                <span style={{ paddingLeft: `${line.depth * 0.9 + 1.2}rem` }} className="block">
                  {line.content}
                </span>
              </Td>
            </Tr>
          ) : (
            <NodeRow key={line.row.edgeId} n={line.row} toggle={line.toggle} timeZone={timeZone} />
          ),
        )}
      </TBody>
    </Table>
  );
}

function NodeRow({ n, toggle, timeZone }: { n: AsBuiltRow; toggle?: ReactNode; timeZone: string }) {
  const t = useTranslations("genealogy.table");
  const locale = useLocale();
  return (
    <Tr className={n.removed ? "bg-red-50/60 text-slate-600" : undefined}>
      <Td className="tabular-nums">
        <span style={{ paddingLeft: `${(n.depth - 1) * 0.9}rem` }} className="inline-flex items-center gap-1 whitespace-nowrap">
          {toggle ?? <span className="inline-block w-6" aria-hidden="true" />}
          {n.depth}
        </span>
      </Td>
      <Td className="tabular-nums">{n.findNumber ?? ""}</Td>
      <Td className={n.removed ? "line-through" : undefined}>
        <PartRev partNumber={n.partNumber} revision={n.revision} description={n.description} />
        {n.substitutionReason ? <span className="block text-xs text-amber-900">{t("substituted", { reason: n.substitutionReason })}</span> : null}
      </Td>
      <Td className="whitespace-nowrap font-mono">
        {n.serialItemId && n.serialNumber ? (
          <>
            <Link href={asBuiltHref(n.serialItemId)} prefetch={false} className="text-blue-800 underline" title={t("openAsBuilt")}>
              {n.serialNumber}
            </Link>{" "}
            <Link href={whereUsedHref({ kind: "serial", id: n.serialItemId })} prefetch={false} className="font-sans text-xs text-blue-800 underline">
              {t("whereUsed")}
            </Link>
          </>
        ) : n.lotId && n.lotNumber ? (
          <>
            {t("lot", { lot: n.lotNumber })}{" "}
            <Link href={whereUsedHref({ kind: "lot", id: n.lotId })} prefetch={false} className="font-sans text-xs text-blue-800 underline">
              {t("whereUsed")}
            </Link>
          </>
        ) : (
          <span className="font-sans text-slate-500">{t("untracked")}</span>
        )}
        <HeldMarker holds={n.holds} />
      </Td>
      <Td className="text-right">
        <Qty value={n.quantity} uom={n.uom} />
      </Td>
      <Td className="whitespace-nowrap">
        {n.operationSeq}
        {n.operationCode ? ` ${n.operationCode}` : ""}
      </Td>
      <Td className="whitespace-nowrap">{n.operatorName}</Td>
      <Td className="font-mono">{n.stationCode}</Td>
      <Td>
        <DateTime value={n.installedAt} timeZone={timeZone} />
      </Td>
      <Td className="text-xs">
        {n.parameterValues.map((p) => (
          <span key={p.name} className="block whitespace-nowrap">
            {p.name} <span className="tabular-nums font-semibold">{formatQty(p.value, locale)}</span>
            {p.unit ? ` ${p.unit}` : ""}
          </span>
        ))}
      </Td>
      <Td className="text-xs">
        {n.removed ? (
          <span>
            <Badge tone="red">{t("removed")}</Badge> <DateTime value={n.removedAt} timeZone={timeZone} />
            {n.removedByName ? t("removedBy", { name: n.removedByName }) : ""}
            {n.removalReason ? t("removalReason", { reason: n.removalReason }) : ""}
          </span>
        ) : null}
        {(n.ncrs ?? []).map((r) => (
          <Link key={r.id} href={`/quality/ncrs/${r.id}`} className="ml-1 font-mono text-blue-800 underline">
            {ncrNumber(r.number)}
          </Link>
        ))}
      </Td>
    </Tr>
  );
}
