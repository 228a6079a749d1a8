import type { CallSummary, EventSummary, SummaryStatus } from "@crm-agenda/shared";
import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool, PoolClient } from "pg";
import { inTransaction } from "../db/inTransaction";
import type { AgendaTables } from "../db/schema";
import type { CallSource } from "../db/schema/summaries";
import { type LockOutcome, withAdvisoryLock } from "../db/withAdvisoryLock";
import type { Owner } from "../options";
import type { HostNotificationStore } from "./hostNotificationStore";

const linkWindowMs = 12 * 3600_000;

/** Queues a call's summary job on the given client, inside the transaction that made it due. */
export type EnqueueSummary = (client: PoolClient, eventId: string) => Promise<unknown>;

/** Statuses a run may take over: waiting to run, waiting for a retry, or left by a run that died. */
const runnable: SummaryStatus[] = ["pending", "waiting_for_ai", "in_progress"];

/** The stored summaries of calls, each on its agenda event. */
export function createSummaryStore(
  db: NodePgDatabase & { $client: Pool },
  tables: AgendaTables,
  now: () => Date,
  /** Where a stored summary's notifications to the host's hooks are recorded; none when not given. */
  notifications?: HostNotificationStore,
) {
  const { events, summaries } = tables;

  async function setEventStatus(eventId: string, status: SummaryStatus, database: NodePgDatabase = db) {
    await database
      .update(events)
      .set({ summaryStatus: status, updatedAt: now() })
      .where(eq(events.id, eventId));
  }

  /** The summary row of one event, fenced to one run's attempt when given (a later run has taken over). */
  const ofRun = (eventId: string, run?: number) =>
    run === undefined
      ? eq(summaries.eventId, eventId)
      : and(eq(summaries.eventId, eventId), eq(summaries.attempts, run));

  return {
    /**
     * The agenda event of a call, found by its meeting id near its time (the Zoom meeting or Meet
     * conference the event links to), or created from the call's own times so every call shows; and
     * its summary row, created once per call whatever the number of deliveries. The summary's job is
     * queued in the same transaction as the row, by the one delivery that created it.
     */
    async claimCall(
      owner: Owner,
      source: CallSource,
      enqueue: EnqueueSummary,
    ): Promise<{ eventId: string; created: boolean }> {
      return inTransaction(db.$client, async (tx, client) => {
        // Deliveries of one call wait for each other here, so two cannot each create an event for it.
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtextextended(${`crm-agenda:call:${source.provider}:${source.key}`}, 0))`,
        );
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
        await setEventStatus(eventId, "pending", tx);
        await enqueue(client, eventId);
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

    /**
     * Takes the summary for one run: `in_progress`, its attempt counted, only if nobody took it since
     * `seenAttempts` was read and it still waits to be written. The attempt it answers fences the run's
     * later writes; null when another run has it or it is settled.
     */
    async claimRun(eventId: string, seenAttempts: number): Promise<number | null> {
      const [claimed] = await db
        .update(summaries)
        .set({ status: "in_progress", error: null, attempts: seenAttempts + 1, updatedAt: now() })
        .where(
          and(
            eq(summaries.eventId, eventId),
            eq(summaries.attempts, seenAttempts),
            inArray(summaries.status, runnable),
          ),
        )
        .returning({ attempts: summaries.attempts });
      if (!claimed) return null;
      await setEventStatus(eventId, "in_progress");
      return claimed.attempts;
    },

    /** Sets the status; with `run`, only while that run still holds the summary. True when it was set. */
    async setStatus(
      eventId: string,
      status: SummaryStatus,
      error: string | null = null,
      run?: number,
    ): Promise<boolean> {
      const updated = await db
        .update(summaries)
        .set({ status, error, updatedAt: now() })
        .where(ofRun(eventId, run))
        .returning({ eventId: summaries.eventId });
      if (updated.length === 0) return false;
      await setEventStatus(eventId, status);
      return true;
    },

    /**
     * Stores a run's summary, unless a later run has taken the summary over, and records in the same
     * transaction what the host's hooks are to be told of it. True when it was stored.
     */
    async saveReady(
      eventId: string,
      run: number,
      result: {
        summary: CallSummary;
        language: string;
        durationSeconds: number;
        participants: { name: string; email?: string }[];
      },
    ): Promise<boolean> {
      return inTransaction(db.$client, async (tx, client) => {
        const [saved] = await tx
          .update(summaries)
          .set({ ...result, status: "ready", error: null, updatedAt: now() })
          .where(ofRun(eventId, run))
          .returning({ tenantId: summaries.tenantId, userId: summaries.userId });
        if (!saved) return false;
        await setEventStatus(eventId, "ready", tx);
        await notifications?.record(tx, client, { ...saved, eventId, run, summary: result.summary });
        return true;
      });
    },

    /**
     * A settled summary (ready or failed) due again, its job queued in the same transaction. False when
     * it is not settled: it is being written, or another request asked first.
     */
    async requeue(eventId: string, enqueue: EnqueueSummary): Promise<boolean> {
      return inTransaction(db.$client, async (tx, client) => {
        const reopened = await tx
          .update(summaries)
          .set({ status: "pending", error: null, updatedAt: now() })
          .where(and(eq(summaries.eventId, eventId), inArray(summaries.status, ["ready", "failed"])))
          .returning({ eventId: summaries.eventId });
        if (reopened.length === 0) return false;
        await setEventStatus(eventId, "pending", tx);
        await enqueue(client, eventId);
        return true;
      });
    },

    /**
     * Runs `work` as the one run of a call's summary across every instance (a session advisory lock
     * on a client of its own, never a transaction held across the AI service); `acquired: false`
     * when another run holds it. `lost` aborts if the lock goes with its connection.
     */
    async runExclusively<T>(
      eventId: string,
      work: (lost: AbortSignal) => Promise<T>,
    ): Promise<LockOutcome<T>> {
      return withAdvisoryLock(db.$client, `crm-agenda:summary:${eventId}`, { wait: false }, (_, lost) =>
        work(lost),
      );
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
