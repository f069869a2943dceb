ALTER TABLE "parts" ADD COLUMN "gtin" text;--> statement-breakpoint
ALTER TABLE "serial_items" ADD COLUMN "uii" text;--> statement-breakpoint
CREATE UNIQUE INDEX "serial_items_uii_unique" ON "serial_items" USING btree ("site_id","uii") WHERE "serial_items"."uii" is not null;--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_gtin_unique" UNIQUE("gtin");--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_gtin_fourteen_digits" CHECK ("parts"."gtin" is null or "parts"."gtin" ~ '^[0-9]{14}$');