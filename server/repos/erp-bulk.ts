import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import * as s from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";

/** Set-based statements for applying a whole batch of ERP master-data messages at once (see receive-batch.ts). */

export async function insertInboxRows(db: DbOrTx, rows: (typeof s.erpInbox.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return db
    .insert(s.erpInbox)
    .values(rows)
    .onConflictDoNothing({ target: [s.erpInbox.connectionId, s.erpInbox.messageId] })
    .returning({ id: s.erpInbox.id, messageId: s.erpInbox.messageId });
}

/** A connection's inbox rows already received under these ids (redeliveries), locked like the one-by-one path locks them. */
export async function existingInboxRows(db: DbOrTx, connectionId: string, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .select({ id: s.erpInbox.id, messageId: s.erpInbox.messageId, payloadHash: s.erpInbox.payloadHash, contentHash: s.erpInbox.contentHash, status: s.erpInbox.status })
    .from(s.erpInbox)
    .where(sql`${s.erpInbox.connectionId} = ${connectionId} and ${inArray(s.erpInbox.messageId, messageIds)}`)
    .for("update");
}

/** Take the per-object advisory locks (the same ones the one-by-one path takes) in a fixed order, and read the versions. */
export async function lockVersions(db: DbOrTx, keys: { type: string; key: string }[]): Promise<Map<string, number>> {
  const ids = [...new Set(keys.map((k) => `${k.type}|${k.key}`))].sort();
  if (ids.length === 0) return new Map();
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${sql`array[${sql.join(ids.map((i) => sql`${i}`), sql`, `)}]::text[]`}) as k order by k`);
  const rows = await queryRows<{ type: string; object_key: string; applied_version: string | number }>(
    db,
    sql`select type, object_key, applied_version from erp_object_versions where type || '|' || object_key in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`,
  );
  return new Map(rows.map((r) => [`${r.type}|${r.object_key}`, Number(r.applied_version)]));
}

export async function partsWithRevisions(db: DbOrTx, partNumbers: string[]) {
  if (partNumbers.length === 0) return [];
  return db
    .select({ partId: s.parts.id, partNumber: s.parts.partNumber, tracking: s.parts.tracking, revisionId: s.partRevisions.id, revision: s.partRevisions.revision })
    .from(s.parts)
    .leftJoin(s.partRevisions, sql`${s.partRevisions.partId} = ${s.parts.id}`)
    .where(inArray(s.parts.partNumber, partNumbers));
}

export async function insertParts(db: DbOrTx, rows: (typeof s.parts.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return db.insert(s.parts).values(rows).returning({ id: s.parts.id, partNumber: s.parts.partNumber });
}

type PartUpdate = {
  id: string;
  erpVersion: number;
  values: Partial<Record<"description" | "uom" | "tracking" | "shelfLifeDays" | "minRemainingShelfLifeDays" | "outTimeMinutes" | "minThawMinutes" | "storageClass" | "potLifeMinutes" | "gtin", unknown>>;
};

const PART_COLUMNS = {
  description: { column: "description", cast: "text" },
  uom: { column: "uom", cast: "text" },
  tracking: { column: "tracking", cast: "tracking_type" },
  shelfLifeDays: { column: "shelf_life_days", cast: "int4" },
  minRemainingShelfLifeDays: { column: "min_remaining_shelf_life_days", cast: "int4" },
  outTimeMinutes: { column: "out_time_minutes", cast: "int4" },
  minThawMinutes: { column: "min_thaw_minutes", cast: "int4" },
  storageClass: { column: "storage_class", cast: "storage_class" },
  potLifeMinutes: { column: "pot_life_minutes", cast: "int4" },
  gtin: { column: "gtin", cast: "text" },
} as const;

/** Update existing parts: each row sets only the attributes its message carried (a flag per column says so). */
export async function updateParts(db: DbOrTx, rows: PartUpdate[], now: Date) {
  if (rows.length === 0) return;
  const keys = Object.keys(PART_COLUMNS) as (keyof typeof PART_COLUMNS)[];
  const values = rows.map(
    (r) =>
      sql`(${r.id}::uuid, ${r.erpVersion}::bigint, ${sql.join(
        keys.flatMap((k) => [sql`${k in r.values}::boolean`, sql`${(r.values[k] ?? null) as string | number | null}::${sql.identifier(PART_COLUMNS[k].cast)}`]),
        sql`, `,
      )})`,
  );
  const columns = keys.flatMap((k) => [`has_${k}`, `v_${k}`]);
  const sets: SQL[] = keys.map((k) => sql`${sql.identifier(PART_COLUMNS[k].column)} = case when v.${sql.identifier(`has_${k}`)} then v.${sql.identifier(`v_${k}`)} else p.${sql.identifier(PART_COLUMNS[k].column)} end`);
  await db.execute(sql`update parts p set ${sql.join(sets, sql`, `)}, erp_version = v.erp_version, updated_at = ${now.toISOString()}::timestamptz
    from (values ${sql.join(values, sql`, `)}) as v(id, erp_version, ${sql.join(columns.map((c) => sql.identifier(c)), sql`, `)})
    where p.id = v.id`);
}

export async function upsertRevisions(db: DbOrTx, rows: { partId: string; revision: string; status: string; erpVersion: number }[], writeStatus: boolean) {
  if (rows.length === 0) return [];
  return db
    .insert(s.partRevisions)
    .values(rows)
    .onConflictDoUpdate({
      target: [s.partRevisions.partId, s.partRevisions.revision],
      set: writeStatus ? { status: sql`excluded.status`, erpVersion: sql`excluded.erp_version` } : { erpVersion: sql`excluded.erp_version` },
    })
    .returning({ id: s.partRevisions.id, partId: s.partRevisions.partId, revision: s.partRevisions.revision });
}

export async function replaceBoms(db: DbOrTx, boms: { parentRevisionId: string; erpVersion: number; lines: Omit<typeof s.bomLines.$inferInsert, "bomId">[] }[]) {
  if (boms.length === 0) return;
  const heads = await db
    .insert(s.boms)
    .values(boms.map((b) => ({ parentRevisionId: b.parentRevisionId, erpVersion: b.erpVersion })))
    .onConflictDoUpdate({ target: s.boms.parentRevisionId, set: { erpVersion: sql`excluded.erp_version` } })
    .returning({ id: s.boms.id, parentRevisionId: s.boms.parentRevisionId });
  const idOf = new Map(heads.map((h) => [h.parentRevisionId, h.id]));
  await db.delete(s.bomLines).where(inArray(s.bomLines.bomId, heads.map((h) => h.id)));
  const lines = boms.flatMap((b) => b.lines.map((l) => ({ ...l, bomId: idOf.get(b.parentRevisionId)! })));
  for (let i = 0; i < lines.length; i += 5000) await db.insert(s.bomLines).values(lines.slice(i, i + 5000));
}

export async function recordVersions(db: DbOrTx, rows: { type: string; objectKey: string; appliedVersion: number }[]) {
  if (rows.length === 0) return;
  await db
    .insert(s.erpObjectVersions)
    .values(rows)
    .onConflictDoUpdate({ target: [s.erpObjectVersions.type, s.erpObjectVersions.objectKey], set: { appliedVersion: sql`excluded.applied_version`, appliedAt: sql`now()` } });
}

/** Final status of many inbox rows in one statement, and their history events in another. */
export async function finishInboxRows(db: DbOrTx, rows: { id: number; status: "applied" | "overtaken" | "rejected"; error: unknown; warnings: string[]; appliedAt: Date | null; note?: string }[]) {
  if (rows.length === 0) return;
  const values = rows.map((r) => sql`(${r.id}::bigint, ${r.status}::inbox_status, ${r.error === null ? null : JSON.stringify(r.error)}::jsonb, ${JSON.stringify(r.warnings)}::jsonb, ${r.appliedAt ? r.appliedAt.toISOString() : null}::timestamptz)`);
  await db.execute(sql`update erp_inbox i set status = v.status, error = v.error, warnings = v.warnings, applied_at = v.applied_at
    from (values ${sql.join(values, sql`, `)}) as v(id, status, error, warnings, applied_at) where i.id = v.id`);
  await db.insert(s.erpInboxEvents).values(
    rows.flatMap((r) => [
      { inboxId: r.id, status: "received" as const, detail: { note: "received" } },
      {
        inboxId: r.id,
        status: r.status,
        detail: { ...(r.error ? { error: r.error } : {}), ...(r.note ? { note: r.note } : {}), ...(r.warnings.length ? { warnings: r.warnings } : {}) },
      },
    ]),
  );
}
