/**
 * Label vs record (AS5553 / AS6174 mix-up and counterfeit escapes): every identifier a scanned label carries is
 * compared with what Traceline knows about the item the scan found. Used by the station (install), kitting (pick)
 * and stock moves, before anything is written. Pure: the site's time zone is passed in for the expiry date.
 *
 * A label value is compared only with a value Traceline knows: an unknown record value is no contradiction (the UII
 * of a serial with none stored is recorded at its first accepted scan). A GTIN is compared with the part's GTIN, and,
 * when the part has none, with the part that owns the label's GTIN (an unrelated GTIN names another part).
 */
import { DomainError } from "../shared/errors";
import { localDate } from "../kitting/dates";

/** The identifiers of a label (server/domain/scan scanIdentifiers), as far as the comparison needs them. */
export type LabelIdentifiers = {
  gtin?: string;
  cage?: string;
  partNumber?: string;
  revision?: string;
  lot?: string;
  serial?: string;
  uii?: string;
  /** YYYY-MM-DD */
  expiry?: string;
};

/** What Traceline knows about the item a scan found. */
export type ItemRecord = {
  partNumber: string;
  revision: string | null;
  /** the part's GTIN-14, when known */
  gtin: string | null;
  /** the part that owns the label's GTIN, when another part does (looked up by the label's GTIN) */
  gtinOwnerPartNumber?: string | null;
  lotNumber: string | null;
  /** the supplier's lot of a serial item (a serial label may carry it) */
  supplierLot?: string | null;
  serialNumber: string | null;
  uii: string | null;
  /** the serial that holds the label's UII, when another item does */
  uiiOwnerSerial?: string | null;
  /** manufacturer code (the CAGE code where one exists) */
  manufacturerCode: string | null;
  expiresAt: Date | null;
};

export type LabelIdentifier = "GTIN" | "CAGE" | "part number" | "revision" | "lot" | "serial" | "UII" | "expiry";

export type Contradiction = { identifier: LabelIdentifier; label: string; record: string };

const norm = (s: string) => s.trim().toUpperCase();
const gtin14 = (s: string) => s.trim().padStart(14, "0");

export function labelContradictions(label: LabelIdentifiers, record: ItemRecord, timeZone: string): Contradiction[] {
  const out: Contradiction[] = [];
  const differ = (identifier: LabelIdentifier, labelValue: string | undefined, recordValue: string | null | undefined, same: (a: string, b: string) => boolean = (a, b) => norm(a) === norm(b)) => {
    if (labelValue === undefined || labelValue === "" || recordValue === null || recordValue === undefined || recordValue === "") return;
    if (!same(labelValue, recordValue)) out.push({ identifier, label: labelValue, record: recordValue });
  };
  if (label.gtin !== undefined) {
    if (record.gtin) differ("GTIN", label.gtin, record.gtin, (a, b) => gtin14(a) === gtin14(b));
    else if (record.gtinOwnerPartNumber && norm(record.gtinOwnerPartNumber) !== norm(record.partNumber)) {
      out.push({ identifier: "GTIN", label: `${label.gtin} (part ${record.gtinOwnerPartNumber})`, record: `part ${record.partNumber}` });
    }
  }
  differ("CAGE", label.cage, record.manufacturerCode);
  differ("part number", label.partNumber, record.partNumber);
  differ("revision", label.revision, record.revision);
  if (record.lotNumber !== null) differ("lot", label.lot, record.lotNumber);
  else differ("lot", label.lot, record.supplierLot ?? null);
  differ("serial", label.serial, record.serialNumber);
  if (label.uii !== undefined) {
    if (record.uii) differ("UII", label.uii, record.uii);
    else if (record.uiiOwnerSerial && record.serialNumber !== null && norm(record.uiiOwnerSerial) !== norm(record.serialNumber)) {
      out.push({ identifier: "UII", label: `${label.uii} (serial ${record.uiiOwnerSerial})`, record: `serial ${record.serialNumber}` });
    }
  }
  if (record.expiresAt) differ("expiry", label.expiry, localDate(record.expiresAt, timeZone));
  return out;
}

/** The refusal's sentence: each contradiction with the label's and the record's value. */
export function describeContradictions(itemName: string, found: Contradiction[]): string {
  const parts = found.map((c) => `${c.identifier} on the label is ${c.label}, the record says ${c.record}`);
  return `The label does not match the record of ${itemName}: ${parts.join("; ")}.`;
}

export function assertLabelMatchesRecord(label: LabelIdentifiers, record: ItemRecord, timeZone: string, itemName: string): void {
  const found = labelContradictions(label, record, timeZone);
  if (found.length === 0) return;
  throw new DomainError("LABEL_CONTRADICTS_RECORD", describeContradictions(itemName, found), { contradictions: found });
}

/**
 * A UII for the record when the label carries one and the item has none stored (its first accepted scan): stored with
 * the scan's write. Only serial items carry a UII.
 */
export function uiiToRecord(label: LabelIdentifiers, record: { serialNumber: string | null; uii: string | null }): string | null {
  if (!label.uii || record.serialNumber === null || record.uii) return null;
  return norm(label.uii);
}

/**
 * Of the items a scan found, those its label does not contradict. When every one is contradicted, the scan is refused
 * naming the contradictions of the item the caller would have chosen (`prefer`, e.g. the one on the BOM), or the first.
 */
export function consistentWithLabel<T extends ItemRecord>(items: T[], label: LabelIdentifiers, timeZone: string, name: (item: T) => string, prefer?: (item: T) => boolean): T[] {
  const judged = items.map((item) => ({ item, found: labelContradictions(label, item, timeZone) }));
  const ok = judged.filter((j) => j.found.length === 0).map((j) => j.item);
  if (ok.length > 0 || judged.length === 0) return ok;
  const shown = (prefer ? judged.find((j) => prefer(j.item)) : undefined) ?? judged[0]!;
  throw new DomainError("LABEL_CONTRADICTS_RECORD", describeContradictions(name(shown.item), shown.found), { contradictions: shown.found });
}

/** How an item found by a scan is named in a refusal. */
export function recordName(item: { lotNumber: string | null; serialNumber: string | null; partNumber: string }): string {
  return item.lotNumber ? `lot ${item.lotNumber} (${item.partNumber})` : item.serialNumber ? `serial ${item.serialNumber} (${item.partNumber})` : `part ${item.partNumber}`;
}
