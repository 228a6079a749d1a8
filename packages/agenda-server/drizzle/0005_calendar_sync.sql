CREATE TABLE "agenda"."calendar_channels" (
	"id" text PRIMARY KEY NOT NULL,
	"connection_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"secret" text NOT NULL,
	"resource_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agenda"."calendar_syncs" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"provider" text NOT NULL,
	"calendar_id" text NOT NULL,
	"push_crm_events" boolean DEFAULT false NOT NULL,
	"cursor" text,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"next_run_at" timestamp with time zone,
	"full_syncs" integer DEFAULT 0 NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agenda"."sync_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"event_id" uuid,
	"external_id" text NOT NULL,
	"winner" text NOT NULL,
	"local_updated_at" timestamp with time zone,
	"remote_updated_at" timestamp with time zone,
	"detail" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "connection_id" uuid;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "external_etag" text;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "external_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "series_id" text;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "crm_made" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agenda"."calendar_channels" ADD CONSTRAINT "calendar_channels_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "agenda"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda"."calendar_syncs" ADD CONSTRAINT "calendar_syncs_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "agenda"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_channels_connection_idx" ON "agenda"."calendar_channels" USING btree ("connection_id");--> statement-breakpoint
CREATE INDEX "calendar_syncs_next_run_idx" ON "agenda"."calendar_syncs" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "sync_conflicts_connection_idx" ON "agenda"."sync_conflicts" USING btree ("connection_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_connection_external_key" ON "agenda"."events" USING btree ("connection_id","external_id");--> statement-breakpoint
CREATE INDEX "events_connection_series_idx" ON "agenda"."events" USING btree ("connection_id","series_id");