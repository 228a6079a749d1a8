-- Reminders of a series' occurrences: the row names the series' master (`event_id`) and the
-- occurrence by its start in the series, as occurrence ids do; `start_at` stays the time it reminds
-- of. Rows made before, on a master (its first occurrence) or on an exception row, are moved over.
ALTER TABLE "agenda"."reminders" ADD COLUMN "occurrence_start_at" timestamp with time zone;--> statement-breakpoint
UPDATE "agenda"."reminders" r SET "occurrence_start_at" = e."start_at"
  FROM "agenda"."events" e WHERE e."id" = r."event_id" AND e."recurrence" IS NOT NULL;--> statement-breakpoint
-- Two exceptions of one series may have reminders for one time (Tuesday's occurrence moved onto
-- Wednesday 10:00, Wednesday's own retitled): one row per key is moved, one already sent first so
-- it is not sent again, and the others, now duplicates, are deleted.
WITH "moved" AS (
  SELECT DISTINCT ON (e."series_master_id", r."offset_seconds", r."start_at")
         r."id", e."series_master_id", e."original_start_at"
    FROM "agenda"."reminders" r JOIN "agenda"."events" e ON e."id" = r."event_id"
   WHERE e."series_master_id" IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM "agenda"."reminders" o WHERE o."event_id" = e."series_master_id"
                        AND o."offset_seconds" = r."offset_seconds" AND o."start_at" = r."start_at")
   ORDER BY e."series_master_id", r."offset_seconds", r."start_at", r."state" = 'pending', r."created_at", r."id"
)
UPDATE "agenda"."reminders" r SET "event_id" = m."series_master_id", "occurrence_start_at" = m."original_start_at"
  FROM "moved" m WHERE r."id" = m."id";--> statement-breakpoint
DELETE FROM "agenda"."reminders" r USING "agenda"."events" e
 WHERE e."id" = r."event_id" AND e."series_master_id" IS NOT NULL;
