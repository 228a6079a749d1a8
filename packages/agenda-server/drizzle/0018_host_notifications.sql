CREATE TABLE "agenda"."host_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"hook" text NOT NULL,
	"run" integer NOT NULL,
	"regenerated" boolean NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agenda"."host_notifications" ADD CONSTRAINT "host_notifications_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "agenda"."events"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "host_notifications_event_run_hook_key" ON "agenda"."host_notifications" USING btree ("event_id","run","hook");
--> statement-breakpoint
CREATE INDEX "host_notifications_state_idx" ON "agenda"."host_notifications" USING btree ("state");
