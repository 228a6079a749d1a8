CREATE TABLE "agenda"."summaries" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"provider" text NOT NULL,
	"source_key" text NOT NULL,
	"source" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"summary" jsonb,
	"error" text,
	"transcript_url" text,
	"language" text,
	"duration_seconds" integer,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agenda"."summaries" ADD CONSTRAINT "summaries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "agenda"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "summaries_source_key" ON "agenda"."summaries" USING btree ("provider","source_key");