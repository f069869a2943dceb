/** One balance at a station's point of use, as the stock-moves form shows it (shared by the page and its client form). */
export type StationItem = {
  key: string;
  partRevisionId: string;
  lotId: string | null;
  serialItemId: string | null;
  label: string;
  /** the exact decimal quantity (what the quantity field is pre-filled with: the dot the server parses) */
  quantity: string;
  /** the quantity as the reader's language writes it (2,5 in French); the exact one when not given */
  shownQuantity?: string;
  uom: string;
  flags: string[];
};

/** The key of a balance: part revision, lot, serial. */
export const itemKey = (i: { partRevisionId: string; lotId: string | null; serialItemId: string | null }) => `${i.partRevisionId}/${i.lotId ?? ""}/${i.serialItemId ?? ""}`;
