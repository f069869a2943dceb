CREATE TABLE "user_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"method" text NOT NULL,
	"signed_in_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"idle_timeout_s" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"client_key" text NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	CONSTRAINT "user_sessions_method" CHECK ("user_sessions"."method" in ('badge', 'password')),
	CONSTRAINT "user_sessions_idle_positive" CHECK ("user_sessions"."idle_timeout_s" > 0),
	CONSTRAINT "user_sessions_end_reason" CHECK (("user_sessions"."ended_at" is null) = ("user_sessions"."end_reason" is null) and ("user_sessions"."end_reason" is null or "user_sessions"."end_reason" in ('signed_out', 'idle', 'expired')))
);
--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("user_id");