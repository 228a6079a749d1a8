-- A client's answer from a reminder link for one occurrence of a series made in the agenda: kept
-- apart from the events, so answering adds no exception row (which would freeze the occurrence
-- against later edits of the series and be pushed to the user's calendar as a change). It stands
-- only while the occurrence is at the start it was answered for, as an event's own answer does.
CREATE TABLE "agenda"."occurrence_answers" (
	"series_master_id" uuid NOT NULL,
	"original_start_at" timestamp with time zone NOT NULL,
	"attendance" text NOT NULL,
	"answered_for_start" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "occurrence_answers_pkey" PRIMARY KEY("series_master_id","original_start_at"),
	CONSTRAINT "occurrence_answers_series_master_fk" FOREIGN KEY ("series_master_id") REFERENCES "agenda"."events"("id") ON DELETE cascade
);--> statement-breakpoint
-- Answers stored on exception rows before are copied over; the rows themselves stay.
INSERT INTO "agenda"."occurrence_answers"
  ("series_master_id", "original_start_at", "attendance", "answered_for_start", "answered_at")
SELECT "series_master_id", "original_start_at", "attendance", "attendance_start_at", coalesce("attendance_at", "updated_at")
  FROM "agenda"."events"
 WHERE "series_master_id" IS NOT NULL AND "attendance" IS NOT NULL AND "attendance_start_at" IS NOT NULL;
