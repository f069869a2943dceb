import { check, index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { id, siteId, ts } from "./columns";
import { sites } from "./org";
import { users } from "./users";

/**
 * Electronic signatures (21 CFR Part 11 style, invariant 12): who (printed name), when (with the site's time zone),
 * what it means, re-authenticated at signing, and bound to a SHA-256 of the signed record's canonical content: if the
 * record changes afterwards, the signature shows as invalid. Append-only (trigger + grants, migration 0004).
 */
export const signatures = pgTable(
  "signatures",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    signerUserId: uuid("signer_user_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    printedName: text("printed_name").notNull(),
    meaning: text("meaning").notNull(),
    signedAt: ts("signed_at").notNull(),
    timeZone: text("time_zone").notNull(),
    recordType: text("record_type").notNull(),
    recordId: text("record_id").notNull(),
    contentHash: text("content_hash").notNull(),
    authMethod: text("auth_method").notNull(),
  },
  (t) => [
    primaryKey({ name: "signatures_pk", columns: [t.siteId, t.id] }),
    index("signatures_record_idx").on(t.siteId, t.recordType, t.recordId),
    check("signatures_meaning_known", sql`${t.meaning} in ('review', 'approval', 'hold', 'release', 'responsibility')`),
    check("signatures_auth_method_known", sql`${t.authMethod} in ('password', 'pin')`),
    check("signatures_hash_is_sha256", sql`${t.contentHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
