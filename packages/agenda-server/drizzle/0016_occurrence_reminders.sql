-- Reminders of a series' occurrences: the row names the series' master (`event_id`) and the
-- occurrence by its start in the series, as occurrence ids do; `start_at` stays the time it reminds
-- of. Rows made before, on a master (its first occurrence) or on an exception row, are moved over.
ALTER TABLE "agenda"."reminders" ADD COLUMN "occurrence_start_at" timestamp with time zone;--> statement-breakpoint
UPDATE "agenda"."reminders" r SET "occurrence_start_at" = e."start_at"
  FROM "agenda"."events" e WHERE e."id" = r."event_id" AND e."recurrence" IS NOT NULL;--> statement-breakpoint
UPDATE "agenda"."reminders" r SET "event_id" = e."series_master_id", "occurrence_start_at" = e."original_start_at"
  FROM "agenda"."events" e
 WHERE e."id" = r."event_id" AND e."series_master_id" IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM "agenda"."reminders" o WHERE o."event_id" = e."series_master_id"
                      AND o."offset_seconds" = r."offset_seconds" AND o."start_at" = r."start_at");
