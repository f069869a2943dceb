/* URLs of the genealogy screens, in one place so every link between them agrees. */

export type WhereUsedLink =
  | { kind: "lot" | "serial" | "part_revision" | "part" | "manufacturer"; id: string }
  | { kind: "supplier_lot"; supplierLot: string };

export function asBuiltHref(serialItemId: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ item: serialItemId });
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `/genealogy?${q.toString()}`;
}

export function whereUsedHref(target: WhereUsedLink, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(target.kind === "supplier_lot" ? { kind: target.kind, supplierLot: target.supplierLot } : { kind: target.kind, id: target.id });
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `/genealogy/where-used?${q.toString()}`;
}

export function searchHref(q: string): string {
  return `/genealogy?${new URLSearchParams({ q }).toString()}`;
}
