-- Reminders: one row per event, offset and start time the reminder is for, so a reminder is sent once
-- for that time (a moved event gets rows of its own; the old time's rows are dropped, never sent).
-- The client's answer from a reminder's link is kept on the event with the start it answered for.
ALTER TABLE "agenda"."events" ADD COLUMN "attendance" text;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "attendance_start_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "attendance_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "events_client_start_idx" ON "agenda"."events" USING btree ("start_at") WHERE "client_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE "agenda"."reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "agenda"."events"("id") ON DELETE CASCADE,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"offset_seconds" integer NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"claimed_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_event_offset_start_key" ON "agenda"."reminders" USING btree ("event_id","offset_seconds","start_at");
