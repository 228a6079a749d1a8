import type { CallSummary, SummaryStatus } from "@crm-agenda/shared";
import { integer, jsonb, type PgSchema, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { createEventsTable } from "./events";
import { timestamps } from "./timestamps";

/** Where a call's transcript is, enough to fetch it again for a retry or a regeneration (no token). */
export interface CallSource {
  provider: "zoom" | "meet";
  connectionId: string;
  /** Zoom meeting UUID, or Meet conference record name. */
  key: string;
  meetingId?: string;
  topic: string;
  /** The meeting's IANA time zone, when the provider gives one (Zoom does). */
  timeZone?: string;
  startTime: string;
  endTime: string;
  transcriptFileId?: string;
  transcriptUrl?: string;
  downloadUrl?: string;
}

/**
 * The summary of one call, on its agenda event. Only the summary is kept, with a link to the
 * transcript at Zoom or Google; never the transcript.
 */
export function createSummariesTable(schema: PgSchema, events: ReturnType<typeof createEventsTable>) {
  return schema.table(
    "summaries",
    {
      eventId: uuid("event_id")
        .primaryKey()
        .references(() => events.id, { onDelete: "cascade" }),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      provider: text("provider").$type<CallSource["provider"]>().notNull(),
      sourceKey: text("source_key").notNull(),
      source: jsonb("source").$type<CallSource>().notNull(),
      status: text("status").$type<SummaryStatus>().notNull().default("pending"),
      summary: jsonb("summary").$type<CallSummary>(),
      error: text("error"),
      transcriptUrl: text("transcript_url"),
      language: text("language"),
      durationSeconds: integer("duration_seconds"),
      participants: jsonb("participants").$type<{ name: string; email?: string }[]>().notNull().default([]),
      attempts: integer("attempts").notNull().default(0),
      /**
       * No longer read or written: the host is told through `host_notifications`. Kept while instances
       * of the release before it may still run against this schema in a rolling upgrade, which write
       * it; a later release drops it.
       */
      notifiedAt: timestamp("notified_at", { withTimezone: true, mode: "date" }),
      ...timestamps,
    },
    (table) => [uniqueIndex("summaries_source_key").on(table.provider, table.sourceKey)],
  );
}
