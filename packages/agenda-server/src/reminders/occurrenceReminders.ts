import { type CalendarEvent, occurrenceIdPattern } from "@crm-agenda/shared";
import { and, eq, isNotNull } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaTables } from "../db/schema";
import type { Owner } from "../options";
import { createSeriesStore, type SeriesTarget } from "../series/seriesStore";

/** An occurrence of a series whose reminders are due to be added. */
export interface DueOccurrence {
  masterId: string;
  originalStart: Date;
  start: Date;
  /** When the occurrence took its current form: a reminder due before then is not added. */
  formedAt: Date;
}

/** An occurrence as a reminder and its links see it, found by its id alone. */
export interface FoundOccurrence {
  owner: Owner;
  target: SeriesTarget & { originalStart: Date };
  event: CalendarEvent;
}

/**
 * The occurrences of series made in the agenda, as the reminders read them: through the series
 * store, the very path the agenda's `GET /events` shows them by, so a reminder goes for what the
 * user sees (a moved occurrence at its new time, none for a cancelled one or after a cut).
 */
export function createOccurrenceReminders(tables: AgendaTables, now: () => Date) {
  const { events } = tables;
  const seriesOn = (db: NodePgDatabase) => createSeriesStore({ on: { db, tables, now } });

  return {
    /** Occurrences with a client, not cancelled by the client, starting in `(from, to]`. */
    async starting(db: NodePgDatabase, from: Date, to: Date): Promise<DueOccurrence[]> {
      const due: DueOccurrence[] = [];
      for (const occurrence of await seriesOn(db).listWithClient(from, to)) {
        const start = new Date(occurrence.start);
        if (start <= from || start > to || occurrence.attendance === "cancelled") continue;
        due.push({
          masterId: occurrence.seriesId!,
          originalStart: new Date(occurrence.originalStart!),
          start,
          formedAt: new Date(occurrence.updatedAt),
        });
      }
      return due;
    },

    /**
     * The occurrence an id names, whoever's it is; null when it is not (or no longer) one. Inside a
     * transaction, its series stays locked against writes (move, cut, delete, another answer) until
     * the end, so what is checked is what holds when the caller acts on it.
     */
    async find(db: NodePgDatabase, id: string): Promise<FoundOccurrence | null> {
      const match = occurrenceIdPattern.exec(id);
      if (!match) return null;
      const [owner] = await db
        .select({ tenantId: events.tenantId, userId: events.userId })
        .from(events)
        .where(and(eq(events.id, match[1]!.toLowerCase()), isNotNull(events.recurrence)))
        // Not "share": two answers of one occurrence would both make its exception row.
        .for("no key update");
      if (!owner) return null;
      const series = seriesOn(db);
      const target = await series.resolve(owner, id);
      if (!target?.originalStart) return null;
      return {
        owner,
        target: { ...target, originalStart: target.originalStart },
        event: series.present(target),
      };
    },

    /** Records the client's answer on the occurrence alone (see the series store's `answer`). */
    answer(db: NodePgDatabase, found: FoundOccurrence, attendance: "confirmed" | "cancelled") {
      return seriesOn(db).answer(found.target, attendance);
    },
  };
}

export type OccurrenceReminders = ReturnType<typeof createOccurrenceReminders>;
