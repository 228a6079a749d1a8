CREATE TABLE "agenda"."booking_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"owner_email" text NOT NULL,
	"title" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"description" text,
	"conference" jsonb,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"link_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "booking_types_link_token_key" ON "agenda"."booking_types" USING btree ("link_token");--> statement-breakpoint
CREATE INDEX "booking_types_owner_idx" ON "agenda"."booking_types" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE TABLE "agenda"."guest_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"booking_type_id" uuid REFERENCES "agenda"."booking_types"("id") ON DELETE SET NULL,
	"event_id" uuid,
	"title" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"guest_name" text NOT NULL,
	"guest_email" text NOT NULL,
	"guest_time_zone" text DEFAULT 'UTC' NOT NULL,
	"join_url" text,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"manage_token_hash" text NOT NULL,
	"status" text DEFAULT 'confirmed' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "guest_bookings_manage_token_key" ON "agenda"."guest_bookings" USING btree ("manage_token_hash");--> statement-breakpoint
CREATE INDEX "guest_bookings_event_idx" ON "agenda"."guest_bookings" USING btree ("event_id");
