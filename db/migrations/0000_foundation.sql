CREATE TYPE "public"."aml_status" AS ENUM('approved', 'disqualified');--> statement-breakpoint
CREATE TYPE "public"."change_status" AS ENUM('proposed', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."hold_target" AS ENUM('lot', 'serial', 'part_revision', 'manufacturer', 'supplier');--> statement-breakpoint
CREATE TYPE "public"."inbox_status" AS ENUM('received', 'applied', 'duplicate', 'overtaken', 'held', 'rejected', 'dead_letter');--> statement-breakpoint
CREATE TYPE "public"."inspection_status" AS ENUM('pending', 'accepted', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."location_kind" AS ENUM('stores', 'kitting', 'kit_cart', 'point_of_use', 'quarantine', 'erp_supply', 'consumed', 'scrap', 'returned_to_erp', 'production');--> statement-breakpoint
CREATE TYPE "public"."movement_kind" AS ENUM('receive_from_erp', 'transfer', 'kit_issue', 'stage', 'consume', 'backflush', 'scrap', 'remove', 'return_to_stores', 'return_to_erp', 'complete', 'ship');--> statement-breakpoint
CREATE TYPE "public"."operation_status" AS ENUM('pending', 'in_progress', 'completed');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'delivered', 'failed');--> statement-breakpoint
CREATE TYPE "public"."owner_system" AS ENUM('erp', 'traceline');--> statement-breakpoint
CREATE TYPE "public"."propagation" AS ENUM('erp_to_traceline', 'traceline_to_erp', 'none');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('operator', 'kitting_clerk', 'quality_engineer', 'supervisor', 'admin');--> statement-breakpoint
CREATE TYPE "public"."tracking_type" AS ENUM('serial', 'lot', 'untracked');--> statement-breakpoint
CREATE TYPE "public"."unit_status" AS ENUM('planned', 'in_progress', 'completed', 'scrapped', 'shipped');--> statement-breakpoint
CREATE TYPE "public"."work_order_status" AS ENUM('released', 'in_progress', 'completed', 'closed', 'cancelled');--> statement-breakpoint
CREATE TABLE "areas" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "areas_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "areas_code_unique" UNIQUE("site_id","code")
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"erp_plant" text NOT NULL,
	CONSTRAINT "sites_code_unique" UNIQUE("code"),
	CONSTRAINT "sites_erp_plant_unique" UNIQUE("erp_plant")
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"work_center_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "stations_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "stations_code_unique" UNIQUE("site_id","code")
);
--> statement-breakpoint
CREATE TABLE "storage_locations" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "location_kind" NOT NULL,
	"is_physical" boolean NOT NULL,
	"station_id" uuid,
	CONSTRAINT "storage_locations_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "storage_locations_code_unique" UNIQUE("site_id","code"),
	CONSTRAINT "storage_locations_site_id_physical_unique" UNIQUE("site_id","id","is_physical"),
	CONSTRAINT "storage_locations_physical_matches_kind" CHECK ("storage_locations"."is_physical" = ("storage_locations"."kind" in ('stores','kitting','kit_cart','point_of_use','quarantine'))),
	CONSTRAINT "storage_locations_pou_has_station" CHECK (("storage_locations"."kind" = 'point_of_use') = ("storage_locations"."station_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "work_centers" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"area_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "work_centers_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "work_centers_code_unique" UNIQUE("site_id","code")
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_key" text NOT NULL,
	"client_key" text NOT NULL,
	"succeeded" boolean NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_site_roles" (
	"user_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	CONSTRAINT "user_site_roles_pk" PRIMARY KEY("user_id","site_id","role")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text,
	"display_name" text NOT NULL,
	"password_hash" text,
	"badge_id" text,
	"pin_hash" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"session_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_badge_id_unique" UNIQUE("badge_id"),
	CONSTRAINT "users_has_a_credential" CHECK (("users"."username" is not null and "users"."password_hash" is not null) or ("users"."badge_id" is not null and "users"."pin_hash" is not null))
);
--> statement-breakpoint
CREATE TABLE "approved_manufacturers" (
	"part_id" uuid NOT NULL,
	"manufacturer_id" uuid NOT NULL,
	"status" "aml_status" NOT NULL,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "approved_manufacturers_pk" PRIMARY KEY("part_id","manufacturer_id")
);
--> statement-breakpoint
CREATE TABLE "bom_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bom_id" uuid NOT NULL,
	"find_number" integer NOT NULL,
	"component_revision_id" uuid NOT NULL,
	"quantity" numeric(18, 6) NOT NULL,
	"operation_seq" integer NOT NULL,
	"serial_from" text,
	"serial_to" text,
	"effective_from" date,
	"effective_to" date,
	"backflush" boolean DEFAULT false NOT NULL,
	CONSTRAINT "bom_lines_quantity_positive" CHECK ("bom_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "boms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_revision_id" uuid NOT NULL,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "boms_parent_revision_unique" UNIQUE("parent_revision_id")
);
--> statement-breakpoint
CREATE TABLE "manufacturers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "manufacturers_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "part_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"part_id" uuid NOT NULL,
	"revision" text NOT NULL,
	"status" text DEFAULT 'released' NOT NULL,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "part_revisions_part_revision_unique" UNIQUE("part_id","revision")
);
--> statement-breakpoint
CREATE TABLE "parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"part_number" text NOT NULL,
	"description" text NOT NULL,
	"uom" text NOT NULL,
	"tracking" "tracking_type" NOT NULL,
	"shelf_life_days" integer,
	"min_remaining_shelf_life_days" integer,
	"out_time_minutes" integer,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parts_part_number_unique" UNIQUE("part_number"),
	CONSTRAINT "parts_shelf_life_positive" CHECK ("parts"."shelf_life_days" is null or "parts"."shelf_life_days" > 0),
	CONSTRAINT "parts_out_time_positive" CHECK ("parts"."out_time_minutes" is null or "parts"."out_time_minutes" > 0)
);
--> statement-breakpoint
CREATE TABLE "routing_operations" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"routing_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"work_center_id" uuid NOT NULL,
	"parameters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "routing_operations_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "routing_operations_seq_unique" UNIQUE("site_id","routing_id","seq")
);
--> statement-breakpoint
CREATE TABLE "routings" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"code" text NOT NULL,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "routings_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "routings_code_unique" UNIQUE("site_id","code")
);
--> statement-breakpoint
CREATE TABLE "suppliers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "suppliers_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"target_type" "hold_target" NOT NULL,
	"target_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"placed_by" uuid NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"released_by" uuid,
	"released_at" timestamp with time zone,
	"release_reason" text,
	CONSTRAINT "holds_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "holds_release_complete" CHECK (("holds"."released_at" is null) = ("holds"."released_by" is null))
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"lot_number" text NOT NULL,
	"manufacturer_id" uuid,
	"supplier_id" uuid,
	"supplier_lot" text,
	"manufactured_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"out_time_started_at" timestamp with time zone,
	"inspection_status" "inspection_status" DEFAULT 'pending' NOT NULL,
	"certificate_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "lots_number_unique" UNIQUE("site_id","part_revision_id","lot_number")
);
--> statement-breakpoint
CREATE TABLE "movement_legs" (
	"site_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"movement_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"lot_id" uuid,
	"serial_item_id" uuid,
	"quantity" numeric(18, 6) NOT NULL,
	CONSTRAINT "movement_legs_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "movement_legs_quantity_non_zero" CHECK ("movement_legs"."quantity" <> 0),
	CONSTRAINT "movement_legs_lot_or_serial" CHECK (not ("movement_legs"."lot_id" is not null and "movement_legs"."serial_item_id" is not null)),
	CONSTRAINT "movement_legs_serial_is_one" CHECK ("movement_legs"."serial_item_id" is null or abs("movement_legs"."quantity") = 1)
);
--> statement-breakpoint
CREATE TABLE "movements" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" "movement_kind" NOT NULL,
	"request_id" uuid,
	"actor_user_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text,
	"reference" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "movements_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "serial_items" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"serial_number" text NOT NULL,
	"manufacturer_id" uuid,
	"supplier_id" uuid,
	"supplier_lot" text,
	"expires_at" timestamp with time zone,
	"inspection_status" "inspection_status" DEFAULT 'pending' NOT NULL,
	"certificate_ref" text,
	"built_here" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "serial_items_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "serial_items_number_unique" UNIQUE("site_id","part_revision_id","serial_number")
);
--> statement-breakpoint
CREATE TABLE "stock_balances" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid NOT NULL,
	"is_physical" boolean NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"lot_id" uuid,
	"serial_item_id" uuid,
	"on_hand" numeric(18, 6) DEFAULT '0' NOT NULL,
	"reserved" numeric(18, 6) DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_balances_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "stock_balances_key_unique" UNIQUE NULLS NOT DISTINCT("site_id","location_id","part_revision_id","lot_id","serial_item_id"),
	CONSTRAINT "stock_balances_on_hand_non_negative" CHECK (not "stock_balances"."is_physical" or "stock_balances"."on_hand" >= 0),
	CONSTRAINT "stock_balances_reserved_within_on_hand" CHECK ("stock_balances"."reserved" >= 0 and (not "stock_balances"."is_physical" or "stock_balances"."reserved" <= "stock_balances"."on_hand")),
	CONSTRAINT "stock_balances_serial_at_most_one" CHECK ("stock_balances"."serial_item_id" is null or "stock_balances"."on_hand" between -1 and 1),
	CONSTRAINT "stock_balances_lot_or_serial" CHECK (not ("stock_balances"."lot_id" is not null and "stock_balances"."serial_item_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "unit_operations" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"work_order_operation_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"status" "operation_status" DEFAULT 'pending' NOT NULL,
	"station_id" uuid,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "unit_operations_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "unit_operations_seq_unique" UNIQUE("site_id","unit_id","seq"),
	CONSTRAINT "unit_operations_completed_consistent" CHECK (("unit_operations"."status" = 'completed') = ("unit_operations"."completed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "units" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"work_order_id" uuid NOT NULL,
	"serial_item_id" uuid NOT NULL,
	"serial" text NOT NULL,
	"status" "unit_status" DEFAULT 'planned' NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "units_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "units_serial_item_unique" UNIQUE("site_id","serial_item_id"),
	CONSTRAINT "units_work_order_serial_unique" UNIQUE("site_id","work_order_id","serial")
);
--> statement-breakpoint
CREATE TABLE "work_order_bom_lines" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"work_order_id" uuid NOT NULL,
	"find_number" integer NOT NULL,
	"component_revision_id" uuid NOT NULL,
	"quantity_per_unit" numeric(18, 6) NOT NULL,
	"operation_seq" integer NOT NULL,
	"serial_from" text,
	"serial_to" text,
	"effective_from" date,
	"effective_to" date,
	"backflush" boolean DEFAULT false NOT NULL,
	CONSTRAINT "work_order_bom_lines_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "work_order_bom_lines_quantity_positive" CHECK ("work_order_bom_lines"."quantity_per_unit" > 0)
);
--> statement-breakpoint
CREATE TABLE "work_order_operations" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"work_order_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"work_center_id" uuid NOT NULL,
	"parameters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "work_order_operations_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "work_order_operations_seq_unique" UNIQUE("site_id","work_order_id","seq")
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"status" "work_order_status" DEFAULT 'released' NOT NULL,
	"due_date" date NOT NULL,
	"released_at" timestamp with time zone DEFAULT now() NOT NULL,
	"erp_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "work_orders_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "work_orders_number_unique" UNIQUE("site_id","number"),
	CONSTRAINT "work_orders_quantity_positive" CHECK ("work_orders"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "genealogy_edges" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"parent_serial_item_id" uuid NOT NULL,
	"parent_unit_id" uuid NOT NULL,
	"child_part_revision_id" uuid NOT NULL,
	"child_serial_item_id" uuid,
	"child_lot_id" uuid,
	"quantity" numeric(18, 6) NOT NULL,
	"find_number" integer,
	"operation_seq" integer NOT NULL,
	"operator_user_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"installed_at" timestamp with time zone NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"movement_id" uuid NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" uuid,
	"removal_reason" text,
	"removal_movement_id" uuid,
	CONSTRAINT "genealogy_edges_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "genealogy_edges_movement_unique" UNIQUE NULLS NOT DISTINCT("site_id","movement_id","child_part_revision_id","child_serial_item_id","child_lot_id"),
	CONSTRAINT "genealogy_edges_quantity_positive" CHECK ("genealogy_edges"."quantity" > 0),
	CONSTRAINT "genealogy_edges_not_own_parent" CHECK ("genealogy_edges"."child_serial_item_id" is distinct from "genealogy_edges"."parent_serial_item_id"),
	CONSTRAINT "genealogy_edges_child_kind" CHECK (not ("genealogy_edges"."child_serial_item_id" is not null and "genealogy_edges"."child_lot_id" is not null)),
	CONSTRAINT "genealogy_edges_removal_complete" CHECK (("genealogy_edges"."removed_at" is null) = ("genealogy_edges"."removed_by" is null))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" uuid,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"reason" text,
	"request_id" uuid
);
--> statement-breakpoint
CREATE TABLE "erp_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"message_id" text NOT NULL,
	"type" text NOT NULL,
	"object_key" text NOT NULL,
	"version" bigint NOT NULL,
	"plant" text NOT NULL,
	"site_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"payload_hash" text NOT NULL,
	"status" "inbox_status" DEFAULT 'received' NOT NULL,
	"error" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "erp_inbox_source_message_unique" UNIQUE("source","message_id")
);
--> statement-breakpoint
CREATE TABLE "erp_object_versions" (
	"type" text NOT NULL,
	"object_key" text NOT NULL,
	"applied_version" bigint NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erp_object_versions_pk" PRIMARY KEY("type","object_key")
);
--> statement-breakpoint
CREATE TABLE "erp_outbox" (
	"site_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"message_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "erp_outbox_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "erp_outbox_message_unique" UNIQUE("site_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "ownership_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity" text NOT NULL,
	"attribute" text NOT NULL,
	"proposed_owner" "owner_system" NOT NULL,
	"proposed_direction" "propagation" NOT NULL,
	"reason" text NOT NULL,
	"status" "change_status" DEFAULT 'proposed' NOT NULL,
	"proposed_by" uuid NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ownership_registry" (
	"entity" text NOT NULL,
	"attribute" text NOT NULL,
	"owner" "owner_system" NOT NULL,
	"direction" "propagation" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ownership_registry_pk" PRIMARY KEY("entity","attribute")
);
--> statement-breakpoint
CREATE TABLE "request_log" (
	"site_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"actor_user_id" uuid NOT NULL,
	"command" text NOT NULL,
	"payload_hash" text NOT NULL,
	"outcome" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_log_pk" PRIMARY KEY("site_id","request_id")
);
--> statement-breakpoint
ALTER TABLE "areas" ADD CONSTRAINT "areas_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_work_center_fk" FOREIGN KEY ("site_id","work_center_id") REFERENCES "public"."work_centers"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storage_locations" ADD CONSTRAINT "storage_locations_station_fk" FOREIGN KEY ("site_id","station_id") REFERENCES "public"."stations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_centers" ADD CONSTRAINT "work_centers_area_fk" FOREIGN KEY ("site_id","area_id") REFERENCES "public"."areas"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_site_roles" ADD CONSTRAINT "user_site_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_site_roles" ADD CONSTRAINT "user_site_roles_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approved_manufacturers" ADD CONSTRAINT "approved_manufacturers_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approved_manufacturers" ADD CONSTRAINT "approved_manufacturers_manufacturer_id_manufacturers_id_fk" FOREIGN KEY ("manufacturer_id") REFERENCES "public"."manufacturers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_lines" ADD CONSTRAINT "bom_lines_bom_id_boms_id_fk" FOREIGN KEY ("bom_id") REFERENCES "public"."boms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_lines" ADD CONSTRAINT "bom_lines_component_revision_id_part_revisions_id_fk" FOREIGN KEY ("component_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boms" ADD CONSTRAINT "boms_parent_revision_id_part_revisions_id_fk" FOREIGN KEY ("parent_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_revisions" ADD CONSTRAINT "part_revisions_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_operations" ADD CONSTRAINT "routing_operations_routing_fk" FOREIGN KEY ("site_id","routing_id") REFERENCES "public"."routings"("site_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_operations" ADD CONSTRAINT "routing_operations_work_center_fk" FOREIGN KEY ("site_id","work_center_id") REFERENCES "public"."work_centers"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routings" ADD CONSTRAINT "routings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routings" ADD CONSTRAINT "routings_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_placed_by_users_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_manufacturer_id_manufacturers_id_fk" FOREIGN KEY ("manufacturer_id") REFERENCES "public"."manufacturers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movement_legs" ADD CONSTRAINT "movement_legs_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movement_legs" ADD CONSTRAINT "movement_legs_movement_fk" FOREIGN KEY ("site_id","movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movement_legs" ADD CONSTRAINT "movement_legs_location_fk" FOREIGN KEY ("site_id","location_id") REFERENCES "public"."storage_locations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movement_legs" ADD CONSTRAINT "movement_legs_lot_fk" FOREIGN KEY ("site_id","lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movement_legs" ADD CONSTRAINT "movement_legs_serial_fk" FOREIGN KEY ("site_id","serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_items" ADD CONSTRAINT "serial_items_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_items" ADD CONSTRAINT "serial_items_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_items" ADD CONSTRAINT "serial_items_manufacturer_id_manufacturers_id_fk" FOREIGN KEY ("manufacturer_id") REFERENCES "public"."manufacturers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_items" ADD CONSTRAINT "serial_items_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_location_fk" FOREIGN KEY ("site_id","location_id","is_physical") REFERENCES "public"."storage_locations"("site_id","id","is_physical") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_lot_fk" FOREIGN KEY ("site_id","lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_serial_fk" FOREIGN KEY ("site_id","serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_unit_fk" FOREIGN KEY ("site_id","unit_id") REFERENCES "public"."units"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_wo_op_fk" FOREIGN KEY ("site_id","work_order_operation_id") REFERENCES "public"."work_order_operations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_station_fk" FOREIGN KEY ("site_id","station_id") REFERENCES "public"."stations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_wo_fk" FOREIGN KEY ("site_id","work_order_id") REFERENCES "public"."work_orders"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_serial_item_fk" FOREIGN KEY ("site_id","serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_bom_lines" ADD CONSTRAINT "work_order_bom_lines_component_revision_id_part_revisions_id_fk" FOREIGN KEY ("component_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_bom_lines" ADD CONSTRAINT "work_order_bom_lines_wo_fk" FOREIGN KEY ("site_id","work_order_id") REFERENCES "public"."work_orders"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_operations" ADD CONSTRAINT "work_order_operations_wo_fk" FOREIGN KEY ("site_id","work_order_id") REFERENCES "public"."work_orders"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_operations" ADD CONSTRAINT "work_order_operations_wc_fk" FOREIGN KEY ("site_id","work_center_id") REFERENCES "public"."work_centers"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_child_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("child_part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_operator_user_id_users_id_fk" FOREIGN KEY ("operator_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_parent_fk" FOREIGN KEY ("site_id","parent_serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_unit_fk" FOREIGN KEY ("site_id","parent_unit_id") REFERENCES "public"."units"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_child_serial_fk" FOREIGN KEY ("site_id","child_serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_child_lot_fk" FOREIGN KEY ("site_id","child_lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_station_fk" FOREIGN KEY ("site_id","station_id") REFERENCES "public"."stations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_movement_fk" FOREIGN KEY ("site_id","movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_removal_movement_fk" FOREIGN KEY ("site_id","removal_movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erp_inbox" ADD CONSTRAINT "erp_inbox_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erp_outbox" ADD CONSTRAINT "erp_outbox_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ownership_changes" ADD CONSTRAINT "ownership_changes_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ownership_changes" ADD CONSTRAINT "ownership_changes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_log" ADD CONSTRAINT "request_log_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_log" ADD CONSTRAINT "request_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sign_in_attempts_account_idx" ON "sign_in_attempts" USING btree ("account_key","at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_client_idx" ON "sign_in_attempts" USING btree ("client_key","at");--> statement-breakpoint
CREATE INDEX "bom_lines_bom_idx" ON "bom_lines" USING btree ("bom_id");--> statement-breakpoint
CREATE INDEX "bom_lines_component_idx" ON "bom_lines" USING btree ("component_revision_id");--> statement-breakpoint
CREATE INDEX "holds_active_target_idx" ON "holds" USING btree ("site_id","target_type","target_id") WHERE "holds"."released_at" is null;--> statement-breakpoint
CREATE INDEX "lots_supplier_lot_idx" ON "lots" USING btree ("site_id","supplier_lot");--> statement-breakpoint
CREATE INDEX "lots_part_revision_idx" ON "lots" USING btree ("site_id","part_revision_id","expires_at");--> statement-breakpoint
CREATE INDEX "movement_legs_movement_idx" ON "movement_legs" USING btree ("site_id","movement_id");--> statement-breakpoint
CREATE INDEX "movement_legs_balance_key_idx" ON "movement_legs" USING btree ("site_id","location_id","part_revision_id","lot_id","serial_item_id");--> statement-breakpoint
CREATE INDEX "movements_occurred_idx" ON "movements" USING btree ("site_id","occurred_at");--> statement-breakpoint
CREATE INDEX "serial_items_serial_idx" ON "serial_items" USING btree ("site_id","serial_number");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_balances_serial_one_place" ON "stock_balances" USING btree ("site_id","serial_item_id") WHERE "stock_balances"."serial_item_id" is not null and "stock_balances"."on_hand" > 0;--> statement-breakpoint
CREATE INDEX "stock_balances_lot_idx" ON "stock_balances" USING btree ("site_id","lot_id");--> statement-breakpoint
CREATE INDEX "stock_balances_part_idx" ON "stock_balances" USING btree ("site_id","part_revision_id","location_id");--> statement-breakpoint
CREATE INDEX "work_order_bom_lines_wo_idx" ON "work_order_bom_lines" USING btree ("site_id","work_order_id");--> statement-breakpoint
CREATE INDEX "work_orders_status_due_idx" ON "work_orders" USING btree ("site_id","status","due_date");--> statement-breakpoint
CREATE UNIQUE INDEX "genealogy_edges_serial_installed_once" ON "genealogy_edges" USING btree ("site_id","child_serial_item_id") WHERE "genealogy_edges"."child_serial_item_id" is not null and "genealogy_edges"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "genealogy_edges_parent_idx" ON "genealogy_edges" USING btree ("site_id","parent_serial_item_id");--> statement-breakpoint
CREATE INDEX "genealogy_edges_child_serial_idx" ON "genealogy_edges" USING btree ("site_id","child_serial_item_id");--> statement-breakpoint
CREATE INDEX "genealogy_edges_child_lot_idx" ON "genealogy_edges" USING btree ("site_id","child_lot_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_site_time_idx" ON "audit_log" USING btree ("site_id","occurred_at");--> statement-breakpoint
CREATE INDEX "erp_inbox_status_idx" ON "erp_inbox" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "erp_inbox_object_idx" ON "erp_inbox" USING btree ("type","object_key","version");--> statement-breakpoint
CREATE INDEX "erp_outbox_pending_idx" ON "erp_outbox" USING btree ("status","next_attempt_at");