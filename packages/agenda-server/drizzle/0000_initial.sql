CREATE SCHEMA "agenda";
--> statement-breakpoint
CREATE TABLE "agenda"."events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"all_day" boolean DEFAULT false NOT NULL,
	"time_zone" text NOT NULL,
	"location" text,
	"conference" jsonb,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" text DEFAULT 'crm' NOT NULL,
	"client_id" text,
	"client_name" text,
	"client_match_method" text DEFAULT 'none' NOT NULL,
	"summary_status" text DEFAULT 'none' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "events_owner_start_idx" ON "agenda"."events" USING btree ("tenant_id","user_id","start_at");--> statement-breakpoint
CREATE INDEX "events_owner_end_idx" ON "agenda"."events" USING btree ("tenant_id","user_id","end_at");