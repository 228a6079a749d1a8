-- Recurring series made in the agenda: the master row carries the RRULE (without DTSTART: its own
-- start and time zone are the series' first occurrence and zone), and an occurrence moved, changed
-- or cancelled is an exception row linked to its master by the start it had in the series.
ALTER TABLE "agenda"."events" ADD COLUMN "recurrence" text;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "series_master_id" uuid;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "original_start_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD COLUMN "cancelled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "agenda"."events" ADD CONSTRAINT "events_series_master_fk" FOREIGN KEY ("series_master_id") REFERENCES "agenda"."events"("id") ON DELETE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "events_series_occurrence_key" ON "agenda"."events" USING btree ("series_master_id","original_start_at");--> statement-breakpoint
CREATE INDEX "events_owner_recurring_idx" ON "agenda"."events" USING btree ("tenant_id","user_id") WHERE "recurrence" IS NOT NULL;
