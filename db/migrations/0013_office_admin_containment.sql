ALTER TABLE "sites" ADD COLUMN "hold_release_two_person" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_pin" boolean DEFAULT false NOT NULL;