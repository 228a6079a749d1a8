import type { EventChange } from "@crm-agenda/shared";
import { and, asc, eq, inArray, max, or, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool } from "pg";
import { createChannelListener, type FeedRetry } from "../db/createChannelListener";
import type { AgendaTables } from "../db/schema";
import type { Owner } from "../options";

/** A change as the feed hands it over: the change, and its number in the changes table. */
export interface NumberedChange {
  seq: number;
  change: EventChange;
}

/** What a subscriber is told: each change of its owner, and when changes may have been missed. */
export interface ChangeSubscriber {
  change(numbered: NumberedChange): void;
  /** The feed heard nothing for a while (its connection dropped) and hears again: read what was missed. */
  resumed?(): void;
}

/**
 * Transactions commit in another order than they number their changes: a reconnection is also sent
 * the changes numbered a little before the last it saw, in case one of them committed after it.
 */
const lookbackSeconds = 10;
/** A reconnection further behind than this is told to read everything again. */
const maxReplay = 1_000;

/**
 * The live agenda's feed: a trigger on the events table numbers every change and announces its number
 * on the channel `<schema>_event_changes`, whatever wrote it (a route of any instance, calendar sync,
 * the call pipeline, a script); the feed reads the rows it was told about, one query per burst, and
 * hands each change to the subscribers of its owner. A number that is not one (any role may NOTIFY
 * on the channel) is reported and ignored.
 */
export function createEventChangeFeed(options: {
  pool: Pool;
  db: NodePgDatabase;
  tables: AgendaTables;
  schema: string;
  reportError(error: unknown): void;
  retry?: Partial<FeedRetry>;
}) {
  const { db, reportError } = options;
  const { eventChanges, eventChangeHorizon } = options.tables;
  const channel = `${options.schema}_event_changes`;
  const subscribers = new Map<string, Set<ChangeSubscriber>>();
  const heard = new Set<number>();
  let reading: Promise<void> | null = null;

  const ownerKey = (owner: Owner) => `${owner.tenantId}\u0000${owner.userId}`;

  function dispatch(rows: (typeof eventChanges.$inferSelect)[]) {
    for (const row of rows) {
      const numbered = { seq: row.seq, change: toChange(row) };
      for (const subscriber of subscribers.get(ownerKey(row)) ?? []) {
        try {
          subscriber.change(numbered);
        } catch (error) {
          reportError(error);
        }
      }
    }
  }

  /** Reads the rows heard so far; numbers heard meanwhile wait for the next read. */
  function readHeard() {
    if (reading) return;
    reading = (async () => {
      while (heard.size > 0) {
        const numbers = Array.from(heard);
        heard.clear();
        if (subscribers.size === 0) continue;
        try {
          dispatch(
            await db
              .select()
              .from(eventChanges)
              .where(inArray(eventChanges.seq, numbers))
              .orderBy(asc(eventChanges.seq)),
          );
        } catch (error) {
          // Streams read what they missed when the feed comes back or on their own fallback reads.
          reportError(error);
        }
      }
    })().finally(() => {
      reading = null;
    });
  }

  const listener = createChannelListener({
    pool: options.pool,
    channel,
    name: "the live agenda feed",
    hear(payload) {
      const seq = Number(payload);
      if (!/^\d{1,15}$/.test(payload ?? "") || !Number.isSafeInteger(seq)) {
        reportError(
          new Error(
            `a notification on the channel "${channel}" that the agenda did not send was ignored (${payload?.length ?? 0} characters)`,
          ),
        );
        return;
      }
      heard.add(seq);
      readHeard();
    },
    resumed() {
      for (const set of subscribers.values()) {
        for (const subscriber of set) {
          try {
            subscriber.resumed?.();
          } catch (error) {
            reportError(error);
          }
        }
      }
    },
    reportError,
    retry: options.retry,
  });

  return {
    start: () => listener.start(),
    stop: () => listener.stop(),
    /** Whether changes of other instances are heard now; while not, streams read the table themselves. */
    listening: () => listener.listening(),

    /** Hands `owner`'s changes to `subscriber` as they commit, until the returned function is called. */
    subscribe(owner: Owner, subscriber: ChangeSubscriber): () => void {
      const key = ownerKey(owner);
      const set = subscribers.get(key) ?? new Set<ChangeSubscriber>();
      subscribers.set(key, set);
      set.add(subscriber);
      return () => {
        set.delete(subscriber);
        if (set.size === 0 && subscribers.get(key) === set) subscribers.delete(key);
      };
    },

    /** The number a stream opened now resumes from: the last change made, of anyone. */
    async latest(): Promise<number> {
      const [row] = await db
        .select({
          latest: sql<
            string | null
          >`greatest((${db.select({ value: max(eventChanges.seq) }).from(eventChanges)}), (${db.select({ value: max(eventChangeHorizon.prunedThrough) }).from(eventChangeHorizon)}))`,
        })
        .from(sql`(select 1) as one`);
      return Number(row?.latest ?? 0);
    },

    /**
     * `owner`'s changes after number `after` (and a few before it that may have committed after it), in
     * order; `reset` when some of them may be gone (pruned, or too many) or `after` is not a number of
     * this database's.
     */
    async replay(owner: Owner, after: number): Promise<NumberedChange[] | "reset"> {
      const ofOwner = (table: typeof eventChanges | typeof eventChangeHorizon) =>
        and(eq(table.tenantId, owner.tenantId), eq(table.userId, owner.userId));
      const [horizon] = await db.select().from(eventChangeHorizon).where(ofOwner(eventChangeHorizon));
      if (after < (horizon?.prunedThrough ?? 0) || after > (await this.latest())) return "reset";
      const seen = db
        .select({ at: eventChanges.changedAt })
        .from(eventChanges)
        .where(eq(eventChanges.seq, after));
      const rows = await db
        .select()
        .from(eventChanges)
        .where(
          and(
            ofOwner(eventChanges),
            or(
              sql`${eventChanges.seq} > ${after}`,
              sql`${eventChanges.changedAt} >= (${seen}) - make_interval(secs => ${lookbackSeconds})`,
            ),
          ),
        )
        .orderBy(asc(eventChanges.seq))
        .limit(maxReplay + 1);
      if (rows.length > maxReplay) return "reset";
      return rows.map((row) => ({ seq: row.seq, change: toChange(row) }));
    },

    /** Forgets changes older than `windowMinutes`; an owner's reconnections from before them are reset. */
    async prune(windowMinutes: number): Promise<void> {
      await db.execute(sql`
        with gone as (
          delete from ${eventChanges}
          where ${eventChanges.changedAt} < now() - make_interval(mins => ${windowMinutes})
          returning ${eventChanges.tenantId}, ${eventChanges.userId}, ${eventChanges.seq}
        )
        insert into ${eventChangeHorizon} (tenant_id, user_id, pruned_through)
        select tenant_id, user_id, max(seq) from gone group by tenant_id, user_id
        on conflict (tenant_id, user_id)
        do update set pruned_through = greatest(${eventChangeHorizon.prunedThrough}, excluded.pruned_through)`);
    },
  };
}

function toChange(row: {
  eventId: string;
  kind: string;
  beforeStart: Date | null;
  beforeEnd: Date | null;
  afterStart: Date | null;
  afterEnd: Date | null;
}): EventChange {
  const span = (start: Date | null, end: Date | null) =>
    start && end ? { start: start.toISOString(), end: end.toISOString() } : null;
  return {
    type: row.kind === "created" || row.kind === "deleted" ? row.kind : "updated",
    eventId: row.eventId,
    before: span(row.beforeStart, row.beforeEnd),
    after: span(row.afterStart, row.afterEnd),
  };
}

export type EventChangeFeed = ReturnType<typeof createEventChangeFeed>;
