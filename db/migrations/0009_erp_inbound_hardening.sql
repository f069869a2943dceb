CREATE TYPE "public"."unapproved_material_policy" AS ENUM('warn', 'refuse');--> statement-breakpoint
ALTER TYPE "public"."movement_kind" ADD VALUE 'erp_issue_reversal';--> statement-breakpoint
CREATE TABLE "erp_goods_issues" (
	"site_id" uuid NOT NULL,
	"source" text NOT NULL,
	"issue_key" text NOT NULL,
	"version" bigint NOT NULL,
	"inbox_id" bigint NOT NULL,
	"movement_id" uuid NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"lot_id" uuid,
	"serial_item_id" uuid,
	"location_id" uuid NOT NULL,
	"quantity" numeric(18, 6) NOT NULL,
	"corrections" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erp_goods_issues_pk" PRIMARY KEY("site_id","source","issue_key")
);
--> statement-breakpoint
ALTER TABLE "erp_inbox" DROP CONSTRAINT "erp_inbox_source_message_unique";--> statement-breakpoint
ALTER TABLE "erp_inbox" ALTER COLUMN "payload_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "erp_unapproved_material" "unapproved_material_policy" DEFAULT 'warn' NOT NULL;--> statement-breakpoint
ALTER TABLE "erp_inbox" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "erp_goods_issues" ADD CONSTRAINT "erp_goods_issues_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- Hand-written: message ids now count per connection. Rows written while the envelope's source decided could hold the
-- same message id twice for one connection (a message sent under a foreign source, rejected, and the real one): the
-- row whose source was the connection's own keeps its id, the others get " [source <their source>]" appended.
UPDATE "erp_inbox" i SET "message_id" = i."message_id" || ' [source ' || i."source" || ']'
FROM (
  SELECT x."id", row_number() OVER (PARTITION BY x."connection_id", x."message_id" ORDER BY (x."source" = c."source") DESC NULLS LAST, x."id") AS rn
  FROM "erp_inbox" x LEFT JOIN "erp_connections" c ON c."id" = x."connection_id"
  WHERE x."connection_id" IS NOT NULL
) d
WHERE d."id" = i."id" AND d.rn > 1;--> statement-breakpoint
ALTER TABLE "erp_inbox" ADD CONSTRAINT "erp_inbox_connection_message_unique" UNIQUE("connection_id","message_id");--> statement-breakpoint
-- Hand-written: goods issues applied before this migration get their business-key row (the posting in force: the
-- issue's latest applied version and the positive leg of its movement), so a newer version of one is a correction,
-- never a second posting.
INSERT INTO "erp_goods_issues" ("site_id", "source", "issue_key", "version", "inbox_id", "movement_id", "part_revision_id", "lot_id", "serial_item_id", "location_id", "quantity", "updated_at")
SELECT DISTINCT ON (i."site_id", i."source", i."object_key")
  i."site_id", i."source", i."object_key", i."version", i."id", m."id", l."part_revision_id", l."lot_id", l."serial_item_id", l."location_id", l."quantity", coalesce(i."applied_at", i."received_at")
FROM "erp_inbox" i
JOIN "movements" m ON m."site_id" = i."site_id" AND m."kind" = 'receive_from_erp' AND m."reference"->>'erpMessageId' = i."message_id"
JOIN "movement_legs" l ON l."site_id" = m."site_id" AND l."movement_id" = m."id" AND l."quantity" > 0
WHERE i."type" = 'material_issue' AND i."status" = 'applied' AND i."site_id" IS NOT NULL
ORDER BY i."site_id", i."source", i."object_key", i."version" DESC, i."id" DESC
ON CONFLICT DO NOTHING;
