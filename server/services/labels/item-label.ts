import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { readScan } from "@/server/domain/kitting/kit-rules";
import { consistentWithLabel, recordName } from "@/server/domain/label-check/label-vs-record";
import { itemLabelCode, itemLabelZpl, type ItemLabelContent, type LabelCode } from "@/server/domain/labels/item-label";
import { clockView, localDateTime, type ClockSummary, clockSummary } from "@/server/domain/material-clock/material-clock";
import { siteDate } from "@/server/domain/wip/blockers";
import { findScannedItems } from "@/server/repos/kitting";
import { readLotLabel, readSerialLabel, type ItemLabelRow } from "@/server/repos/item-labels";
import { clockFromRow } from "@/server/repos/material-clock";
import { toDate } from "@/server/repos/hold-flags";
import { itemLabelWords } from "@/i18n/label-words";
import { DEFAULT_LOCALE } from "@/i18n/locales";

export type ItemLabel = {
  item: { kind: "lot" | "serial"; id: string; number: string; partRevisionId: string; builtHere: boolean; uom: string; places: { code: string; onHand: string }[] };
  content: ItemLabelContent;
  /** the clock state at print time, for the page (instants as ISO strings) */
  clock: ClockSummary | null;
  expiresAt: string | null;
  printedAt: string;
  code: LabelCode;
  zpl: string;
};

function labelOf(row: ItemLabelRow, actor: Actor, now: Date): ItemLabel {
  const expiresAt = toDate(row.expires_at);
  const clock = clockFromRow(row, expiresAt, row.kind === "lot");
  const view = clock ? clockView(clock.clock, clock.policy, now) : null;
  const tz = actor.timeZone;
  const content: ItemLabelContent = {
    kind: row.kind,
    partNumber: row.part_number,
    revision: row.revision,
    description: row.description,
    number: row.number,
    gtin: row.gtin,
    expiresOn: expiresAt ? siteDate(expiresAt, tz) : null,
    outTime:
      view && clock && clock.policy.outTimeMinutes !== null
        ? { limitMinutes: clock.policy.outTimeMinutes, remainingMinutes: Math.max(0, view.remainingMinutes ?? 0), running: view.running, spent: view.spent, endsAtLocal: view.outTimeEndsAt ? localDateTime(view.outTimeEndsAt, tz) : null }
        : null,
    thaw: view && clock && clock.policy.minThawMinutes !== null ? { state: view.thaw.state, completeAtLocal: view.thaw.completeAt ? localDateTime(view.thaw.completeAt, tz) : null } : null,
    printedAtLocal: localDateTime(now, tz),
    siteCode: actor.siteCode,
  };
  const code = itemLabelCode(content);
  return {
    item: { kind: row.kind, id: row.id, number: row.number, partRevisionId: row.part_revision_id, builtHere: row.built_here, uom: row.uom, places: row.places },
    content,
    clock: view ? clockSummary(view) : null,
    expiresAt: expiresAt?.toISOString() ?? null,
    printedAt: now.toISOString(),
    code,
    zpl: itemLabelZpl(content, itemLabelWords(actor.locale ?? DEFAULT_LOCALE), code),
  };
}

/** The label of a lot of this site at `now` (its out-time and thaw state as they stand); another site's: not found. */
export async function lotLabel(db: DbOrTx, actor: Actor, lotId: string, now: Date): Promise<ItemLabel> {
  const row = await readLotLabel(db, actor.siteId, lotId);
  if (!row) throw new DomainError("NOT_FOUND", `That lot does not exist at ${actor.siteName}.`, { lotId });
  return labelOf(row, actor, now);
}

export async function serialLabel(db: DbOrTx, actor: Actor, serialItemId: string, now: Date): Promise<ItemLabel> {
  const row = await readSerialLabel(db, actor.siteId, serialItemId);
  if (!row) throw new DomainError("NOT_FOUND", `That serial does not exist at ${actor.siteName}.`, { serialItemId });
  return labelOf(row, actor, now);
}

export type ScanFind = { kind: "lot" | "serial" | "part"; id: string; number: string; partNumber: string; revision: string | null };

/**
 * Find by scan (the header's scan field): the lots, serials or parts of this site a scanned label names (GS1, Digital
 * Link, ISO/IEC 15434, plain text), checked against the label (a label contradicting the record is refused with the
 * reason). Unknown here, or another site's: refused SCAN_NOT_RECOGNISED naming what was scanned and this site.
 */
export async function findByScan(db: DbOrTx, actor: Actor, cmd: { scan: string }, now: Date): Promise<ScanFind[]> {
  const lookup = readScan(cmd.scan, now);
  const shown = lookup.lot ?? lookup.serial ?? lookup.partNumber ?? lookup.text ?? lookup.uii ?? lookup.gtin ?? cmd.scan.trim();
  const found = await findScannedItems(db, actor.siteId, lookup);
  const notHere = () =>
    new DomainError(
      "SCAN_NOT_RECOGNISED",
      `No lot, serial or part "${shown}" is known at ${actor.siteName}. Material of another site is found only at that site.`,
      { scanned: shown },
      { key: "scanNotKnownHere", values: { scanned: shown, site: actor.siteName } },
    );
  if (found.length === 0) throw notHere();
  const items = consistentWithLabel(found, lookup, actor.timeZone, recordName);
  // a lot or serial the label names wins over the part it belongs to
  const specific = items.filter((i) => i.kind !== "part");
  // a label naming a lot or serial this site does not have (another site's, say) is not "its part"
  if (specific.length === 0 && (lookup.lot || lookup.serial || lookup.uii)) throw notHere();
  const chosen = specific.length > 0 ? specific : items;
  return chosen.map((i) =>
    i.kind === "lot"
      ? { kind: "lot", id: i.lotId!, number: i.lotNumber!, partNumber: i.partNumber, revision: i.revision }
      : i.kind === "serial"
        ? { kind: "serial", id: i.serialItemId!, number: i.serialNumber!, partNumber: i.partNumber, revision: i.revision }
        : { kind: "part", id: i.partId, number: i.partNumber, partNumber: i.partNumber, revision: null },
  );
}
