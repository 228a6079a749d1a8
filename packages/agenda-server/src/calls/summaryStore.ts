import type { CallSummary, EventSummary, SummaryStatus } from "@crm-agenda/shared";
import { and, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaTables } from "../db/schema";
import type { CallSource } from "../db/schema/summaries";

export interface Owner {
  tenantId: string;
  userId: string;
}

const linkWindowMs = 12 * 3600_000;

/** The stored summaries of calls, each on its agenda event. */
export function createSummaryStore(db: NodePgDatabase, tables: AgendaTables, now: () => Date) {
  const { events, summaries } = tables;

  async function setEventStatus(eventId: string, status: SummaryStatus) {
    await db.update(events).set({ summaryStatus: status, updatedAt: now() }).where(eq(events.id, eventId));
  }

  return {
    /**
     * The agenda event of a call, found by its meeting id near its time (the Zoom meeting or Meet
     * conference the event links to), or created from the call's own times so every call shows; and
     * its summary row, created once per call whatever the number of deliveries.
     */
    async claimCall(owner: Owner, source: CallSource): Promise<{ eventId: string; created: boolean }> {
      return db.transaction(async (tx) => {
        const [known] = await tx
          .select({ eventId: summaries.eventId })
          .from(summaries)
          .where(and(eq(summaries.provider, source.provider), eq(summaries.sourceKey, source.key)));
        if (known) return { eventId: known.eventId, created: false };
        const start = new Date(source.startTime);
        const [linked] = source.meetingId
          ? await tx
              .select({ id: events.id })
              .from(events)
              .where(
                and(
                  eq(events.tenantId, owner.tenantId),
                  eq(events.userId, owner.userId),
                  sql`${events.conference}->>'meetingId' = ${source.meetingId}`,
                  gte(events.startAt, new Date(start.getTime() - linkWindowMs)),
                  lte(events.startAt, new Date(start.getTime() + linkWindowMs)),
                ),
              )
              .orderBy(sql`abs(extract(epoch from ${events.startAt} - ${start.toISOString()}::timestamptz))`)
              .limit(1)
          : [];
        let eventId = linked?.id;
        if (!eventId) {
          const [created] = await tx
            .insert(events)
            .values({
              ...owner,
              title: source.topic,
              startAt: start,
              endAt: new Date(source.endTime),
              timeZone: source.timeZone ?? "UTC",
              source: source.provider,
              conference: {
                provider: source.provider,
                ...(source.meetingId && { meetingId: source.meetingId }),
              },
              createdAt: now(),
              updatedAt: now(),
            })
            .returning({ id: events.id });
          eventId = created!.id;
        }
        const inserted = await tx
          .insert(summaries)
          .values({
            eventId,
            ...owner,
            provider: source.provider,
            sourceKey: source.key,
            source,
            status: "pending",
            transcriptUrl: source.transcriptUrl ?? null,
            createdAt: now(),
            updatedAt: now(),
          })
          .onConflictDoNothing()
          .returning({ eventId: summaries.eventId });
        if (inserted.length === 0) {
          const [raced] = await tx
            .select({ eventId: summaries.eventId })
            .from(summaries)
            .where(and(eq(summaries.provider, source.provider), eq(summaries.sourceKey, source.key)));
          return { eventId: raced!.eventId, created: false };
        }
        await tx
          .update(events)
          .set({ summaryStatus: "pending", updatedAt: now() })
          .where(eq(events.id, eventId));
        return { eventId, created: true };
      });
    },

    async known(provider: CallSource["provider"], keys: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .select({ key: summaries.sourceKey })
        .from(summaries)
        .where(and(eq(summaries.provider, provider), inArray(summaries.sourceKey, keys)));
      return new Set(rows.map((row) => row.key));
    },

    async row(eventId: string) {
      const [row] = await db.select().from(summaries).where(eq(summaries.eventId, eventId));
      return row ?? null;
    },

    async setStatus(eventId: string, status: SummaryStatus, error: string | null = null) {
      await db
        .update(summaries)
        .set({ status, error, updatedAt: now() })
        .where(eq(summaries.eventId, eventId));
      await setEventStatus(eventId, status);
    },

    async countAttempt(eventId: string) {
      await db
        .update(summaries)
        .set({ attempts: sql`${summaries.attempts} + 1` })
        .where(eq(summaries.eventId, eventId));
    },

    async saveReady(
      eventId: string,
      result: {
        summary: CallSummary;
        language: string;
        durationSeconds: number;
        participants: { name: string; email?: string }[];
      },
    ) {
      await db
        .update(summaries)
        .set({ ...result, status: "ready", error: null, notifiedAt: null, updatedAt: now() })
        .where(eq(summaries.eventId, eventId));
      await setEventStatus(eventId, "ready");
    },

    /** True once per stored summary: the caller tells the host's hooks. */
    async claimNotification(eventId: string): Promise<boolean> {
      const claimed = await db
        .update(summaries)
        .set({ notifiedAt: now() })
        .where(
          and(eq(summaries.eventId, eventId), isNull(summaries.notifiedAt), eq(summaries.status, "ready")),
        )
        .returning({ eventId: summaries.eventId });
      return claimed.length > 0;
    },

    /** The summary of an event of the owner's, as the API answers it; `none` for an event that is not a call. */
    async describe(owner: Owner, eventId: string): Promise<EventSummary | null> {
      const [row] = await db
        .select({ event: events, summary: summaries })
        .from(events)
        .leftJoin(summaries, eq(summaries.eventId, events.id))
        .where(
          and(eq(events.id, eventId), eq(events.tenantId, owner.tenantId), eq(events.userId, owner.userId)),
        );
      if (!row) return null;
      const summary = row.summary;
      return {
        eventId,
        status: summary?.status ?? row.event.summaryStatus,
        summary: summary?.status === "ready" ? (summary.summary ?? null) : null,
        error: summary?.error ?? null,
        transcriptUrl: summary?.transcriptUrl ?? null,
        language: summary?.language ?? null,
        durationSeconds: summary?.durationSeconds ?? null,
        participants: summary?.participants ?? [],
        updatedAt: summary?.updatedAt.toISOString() ?? null,
      };
    },
  };
}

export type SummaryStore = ReturnType<typeof createSummaryStore>;
