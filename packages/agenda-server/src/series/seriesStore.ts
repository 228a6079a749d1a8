import {
  type CalendarEvent,
  type ClientMatch,
  occurrenceIdPattern,
  type SeriesScope,
  type UpdateEventInput,
} from "@crm-agenda/shared";
import { and, eq, gt, gte, inArray, isNotNull, lt, or } from "drizzle-orm";
import type { AgendaTables } from "../db/schema";
import { AgendaError } from "../errors";
import {
  changeColumns,
  clientColumns,
  currentAttendance,
  type EventRow,
  type EventStore,
  toCalendarEvent,
} from "../events/eventStore";
import type { Owner } from "../options";
import { zonedTime, zonedWallClock } from "../sync/calendarHttp";
import {
  basicUtc,
  countBefore,
  fromBasicUtc,
  isOccurrence,
  lastStartBound,
  occurrenceStarts,
  parseRecurrence,
  ruleCount,
  withEnd,
} from "./expandSeries";

/** An occurrence's id: its series and its start in the series, like Google's instance ids. */
export function occurrenceId(seriesId: string, originalStart: Date): string {
  return `${seriesId}_${basicUtc(originalStart)}`;
}

/** A client's answer from a reminder link for one occurrence. */
export type OccurrenceAnswer = AgendaTables["occurrenceAnswers"]["$inferSelect"];

/** What an id names inside a series: the master, and the occurrence when it names one. */
export interface SeriesTarget {
  master: EventRow;
  /** The occurrence's start in the series; null when the id is the series' own. */
  originalStart: Date | null;
  /** The occurrence's exception row, when it was changed on its own. */
  exception: EventRow | null;
  /** The client's answer for the occurrence, whether or not it still holds. */
  answer: OccurrenceAnswer | null;
}

/** What a series write touched: masters to push again, and masters whose copies are to be deleted. */
export interface SeriesWriteResult {
  event: CalendarEvent | null;
  changed: string[];
}

// Wall-clock arithmetic: an occurrence lasts as long on the clock as the first one (an all-day event
// spans its days even on a 23-hour day).
function wallClockMs(instant: Date, timeZone: string): number {
  return Date.parse(`${zonedWallClock(instant, timeZone)}Z`);
}
function occurrenceEnd(master: EventRow, start: Date): Date {
  const length = wallClockMs(master.endAt, master.timeZone) - wallClockMs(master.startAt, master.timeZone);
  const end = wallClockMs(start, master.timeZone) + length;
  return zonedTime(new Date(end).toISOString().slice(0, 19), master.timeZone);
}

const second = 1_000;

/**
 * Recurring series made in the agenda: a master row holding the RRULE, expanded when read, and
 * exception rows for the occurrences changed or cancelled on their own, linked to the master by the
 * start they had in the series. Works on the connection of the given event store, so a series write
 * commits with the rest of its transaction.
 */
export function createSeriesStore(store: Pick<EventStore, "on">) {
  const { db, tables, now } = store.on;
  const { events, occurrenceAnswers: answers } = tables;
  const owned = (owner: Owner) => and(eq(events.tenantId, owner.tenantId), eq(events.userId, owner.userId));

  /**
   * An occurrence as the agenda shows it. Its attendance is its answer's, while it still starts when
   * it was answered for; an occurrence never answered that way keeps what its row says (an answer
   * kept on the master, from links sent before occurrences had their own, is the first occurrence's).
   */
  function asOccurrence(
    master: EventRow,
    originalStart: Date,
    exception: EventRow | null,
    answer: OccurrenceAnswer | null,
  ): CalendarEvent {
    const shown = exception
      ? toCalendarEvent(exception)
      : {
          ...toCalendarEvent(master),
          start: originalStart.toISOString(),
          end: occurrenceEnd(master, originalStart).toISOString(),
          attendance: originalStart.getTime() === master.startAt.getTime() ? currentAttendance(master) : null,
        };
    const attendance = answer
      ? answer.answeredForStart.getTime() === Date.parse(shown.start)
        ? answer.attendance
        : null
      : shown.attendance;
    return {
      ...shown,
      attendance,
      id: occurrenceId(master.id, originalStart),
      recurrence: master.recurrence,
      seriesId: master.id,
      originalStart: originalStart.toISOString(),
    };
  }

  /**
   * The exceptions that can change what `[from, to)` shows: those at a time overlapping it (moved
   * into it, or lengthened into it) and those of an occurrence starting in it or `reachMs` before.
   */
  async function exceptionsOf(
    masterIds: string[],
    from: Date,
    to: Date,
    reachMs: number,
  ): Promise<EventRow[]> {
    if (masterIds.length === 0) return [];
    return db
      .select()
      .from(events)
      .where(
        and(
          inArray(events.seriesMasterId, masterIds),
          or(
            and(lt(events.startAt, to), gt(events.endAt, from)),
            and(
              gte(events.originalStartAt, new Date(from.getTime() - reachMs)),
              lt(events.originalStartAt, to),
            ),
          ),
        ),
      );
  }

  /** The answers of the occurrences starting in the series in `[from, to)` or at one of `alsoAt`. */
  async function answersOf(
    masterIds: string[],
    from: Date,
    to: Date,
    alsoAt: Date[],
  ): Promise<OccurrenceAnswer[]> {
    if (masterIds.length === 0) return [];
    const inRange = and(gte(answers.originalStartAt, from), lt(answers.originalStartAt, to));
    return db
      .select()
      .from(answers)
      .where(
        and(
          inArray(answers.seriesMasterId, masterIds),
          alsoAt.length > 0 ? or(inRange, inArray(answers.originalStartAt, alsoAt)) : inRange,
        ),
      );
  }

  async function readMaster(owner: Owner, id: string): Promise<EventRow | null> {
    const [row] = await db
      .select()
      .from(events)
      .where(and(owned(owner), eq(events.id, id), isNotNull(events.recurrence)));
    return row ?? null;
  }

  async function setException(target: SeriesTarget & { originalStart: Date }, values: Partial<EventRow>) {
    // The series changed: its push to the user's calendar carries its exceptions.
    await db.update(events).set({ updatedAt: now() }).where(eq(events.id, target.master.id));
    return writeException(target, values);
  }

  /** Writes an occurrence's own row: the one it has, or a copy of the series at its start. */
  async function writeException(target: SeriesTarget & { originalStart: Date }, values: Partial<EventRow>) {
    const { master, originalStart } = target;
    if (target.exception) {
      const [row] = await db
        .update(events)
        .set({ updatedAt: now(), ...values })
        .where(eq(events.id, target.exception.id))
        .returning();
      return row!;
    }
    const [row] = await db
      .insert(events)
      .values({
        tenantId: master.tenantId,
        userId: master.userId,
        title: master.title,
        description: master.description,
        startAt: originalStart,
        endAt: occurrenceEnd(master, originalStart),
        allDay: master.allDay,
        timeZone: master.timeZone,
        location: master.location,
        conference: master.conference,
        attendees: master.attendees,
        source: master.source,
        clientId: master.clientId,
        clientName: master.clientName,
        clientMatchMethod: master.clientMatchMethod,
        seriesMasterId: master.id,
        originalStartAt: originalStart,
        createdAt: now(),
        updatedAt: now(),
        ...values,
      })
      .returning();
    return row!;
  }

  /** Moves the exceptions from `at` on to another master, their original starts shifted by `shiftMs`. */
  async function moveExceptions(fromMaster: string, at: Date, toMaster: string, shiftMs: number) {
    const rows = await db
      .select()
      .from(events)
      .where(and(eq(events.seriesMasterId, fromMaster), gte(events.originalStartAt, at)));
    for (const row of rows) {
      // An occurrence changed on its own but kept at its time (a new title, the client's answer)
      // moves with its series; one moved on its own keeps the time it was given.
      const follows = row.startAt.getTime() === row.originalStartAt!.getTime();
      await db
        .update(events)
        .set({
          seriesMasterId: toMaster,
          originalStartAt: new Date(row.originalStartAt!.getTime() + shiftMs),
          ...(follows && {
            startAt: new Date(row.startAt.getTime() + shiftMs),
            endAt: new Date(row.endAt.getTime() + shiftMs),
          }),
          updatedAt: now(),
        })
        .where(eq(events.id, row.id));
    }
    // Answers move by their key alone: each still holds only for the start it was given for. Deleted
    // and written again, so no shifted key meets one not shifted yet.
    const moved = await db
      .delete(answers)
      .where(and(eq(answers.seriesMasterId, fromMaster), gte(answers.originalStartAt, at)))
      .returning();
    if (moved.length > 0) {
      await db.insert(answers).values(
        moved.map((answer) => ({
          ...answer,
          seriesMasterId: toMaster,
          originalStartAt: new Date(answer.originalStartAt.getTime() + shiftMs),
        })),
      );
    }
  }

  /** Ends a series just before `at`; its exceptions from then on go (unless moved away first). */
  async function endBefore(master: EventRow, at: Date) {
    await db.delete(events).where(and(eq(events.seriesMasterId, master.id), gte(events.originalStartAt, at)));
    await db
      .delete(answers)
      .where(and(eq(answers.seriesMasterId, master.id), gte(answers.originalStartAt, at)));
    await db
      .update(events)
      .set({
        recurrence: withEnd(master.recurrence!, { until: new Date(at.getTime() - second) }),
        updatedAt: now(),
      })
      .where(eq(events.id, master.id));
  }

  /** How far before its end an occurrence of the series starts, as the series has it, with an hour to spare. */
  function reachOf(master: EventRow): number {
    return occurrenceEnd(master, master.startAt).getTime() - master.startAt.getTime() + 3_600_000;
  }

  /**
   * The occurrences of `masters` overlapping `[from, to)`, exceptions applied. Only the exceptions
   * that can change the range are read, and a series ended before it is skipped unless one of its
   * occurrences was moved into it, so the work stays with the range however long the history is.
   */
  async function expand(masters: EventRow[], from: Date, to: Date): Promise<CalendarEvent[]> {
    const reach = Math.max(0, ...masters.map(reachOf));
    const exceptions = await exceptionsOf(
      masters.map((master) => master.id),
      from,
      to,
      reach,
    );
    const byOccurrence = new Map(
      exceptions.map((row) => [`${row.seriesMasterId}|${row.originalStartAt!.getTime()}`, row]),
    );
    const answerOf = new Map(
      (
        await answersOf(
          masters.map((master) => master.id),
          new Date(from.getTime() - reach),
          to,
          exceptions.map((row) => row.originalStartAt!),
        )
      ).map((answer) => [`${answer.seriesMasterId}|${answer.originalStartAt.getTime()}`, answer]),
    );
    const found: CalendarEvent[] = [];
    for (const master of masters) {
      // Moved into the range (or lengthened into it) from an occurrence outside it: widen to reach it.
      const moved = exceptions.filter(
        (row) =>
          row.seriesMasterId === master.id &&
          !row.cancelled &&
          row.startAt.getTime() < to.getTime() &&
          row.endAt.getTime() > from.getTime(),
      );
      const timing = { recurrence: master.recurrence!, start: master.startAt, timeZone: master.timeZone };
      const last = lastStartBound(timing);
      if (moved.length === 0 && last && last.getTime() + reachOf(master) <= from.getTime()) continue;
      const earliest = Math.min(from.getTime(), ...moved.map((row) => row.originalStartAt!.getTime()));
      const latest = Math.max(to.getTime(), ...moved.map((row) => row.originalStartAt!.getTime() + 1));
      const starts = occurrenceStarts(timing, reachOf(master), new Date(earliest), new Date(latest));
      for (const start of starts) {
        const key = `${master.id}|${start.getTime()}`;
        const exception = byOccurrence.get(key) ?? null;
        if (exception?.cancelled) continue;
        const occurrence = asOccurrence(master, start, exception, answerOf.get(key) ?? null);
        if (Date.parse(occurrence.start) < to.getTime() && Date.parse(occurrence.end) > from.getTime()) {
          found.push(occurrence);
        }
      }
    }
    return found;
  }

  return {
    /** The occurrences of the owner's series overlapping `[from, to)`, exceptions applied. */
    async list(owner: Owner, from: Date, to: Date): Promise<CalendarEvent[]> {
      const masters = await db
        .select()
        .from(events)
        .where(and(owned(owner), isNotNull(events.recurrence), lt(events.startAt, to)));
      return expand(masters, from, to);
    },

    /**
     * The occurrences with a CRM client overlapping `[from, to)`, of every owner's series: for the
     * reminders' rounds, which serve all tenants at once (one read, not one per owner).
     */
    async listWithClient(from: Date, to: Date): Promise<CalendarEvent[]> {
      // An occurrence may have been given a client its series lacks.
      const withClientOccurrence = db
        .select({ id: events.seriesMasterId })
        .from(events)
        .where(and(isNotNull(events.seriesMasterId), isNotNull(events.clientId)));
      const masters = await db
        .select()
        .from(events)
        .where(
          and(
            isNotNull(events.recurrence),
            lt(events.startAt, to),
            or(isNotNull(events.clientId), inArray(events.id, withClientOccurrence)),
          ),
        );
      return (await expand(masters, from, to)).filter((occurrence) => occurrence.clientMatch.clientId);
    },

    /**
     * What an id names in a series: an occurrence id, a master's id, or an exception row's id; null
     * for an event that is not part of a series made in the agenda (or an occurrence that is not one).
     */
    async resolve(owner: Owner, id: string): Promise<SeriesTarget | null> {
      const occurrence = occurrenceIdPattern.exec(id);
      if (occurrence) {
        const master = await readMaster(owner, occurrence[1]!.toLowerCase());
        if (!master) return null;
        const originalStart = fromBasicUtc(occurrence[2]!);
        const [exception] = await db
          .select()
          .from(events)
          .where(and(eq(events.seriesMasterId, master.id), eq(events.originalStartAt, originalStart)));
        if (exception?.cancelled) return null;
        const timing = { recurrence: master.recurrence!, start: master.startAt, timeZone: master.timeZone };
        if (!exception && !isOccurrence(timing, originalStart)) return null;
        const [answer] = await db
          .select()
          .from(answers)
          .where(and(eq(answers.seriesMasterId, master.id), eq(answers.originalStartAt, originalStart)));
        return { master, originalStart, exception: exception ?? null, answer: answer ?? null };
      }
      const [row] = await db
        .select()
        .from(events)
        .where(and(owned(owner), eq(events.id, id)));
      if (!row) return null;
      if (row.recurrence) return { master: row, originalStart: null, exception: null, answer: null };
      if (row.seriesMasterId && !row.cancelled) {
        return this.resolve(owner, occurrenceId(row.seriesMasterId, row.originalStartAt!));
      }
      return null;
    },

    /** The event a target names as the agenda shows it. */
    present(target: SeriesTarget): CalendarEvent {
      return target.originalStart
        ? asOccurrence(target.master, target.originalStart, target.exception, target.answer)
        : toCalendarEvent(target.master);
    },

    /** Changes one occurrence, the following ones (splitting the series) or the whole series. */
    async update(
      target: SeriesTarget,
      change: UpdateEventInput,
      scope: SeriesScope | undefined,
      match: ClientMatch | undefined,
    ): Promise<SeriesWriteResult> {
      const { master } = target;
      const chosen = resolveScope(target, scope);
      if (change.recurrence) parseRecurrence(change.recurrence);
      const current = this.present(target);
      const currentStart = Date.parse(current.start);
      const currentEnd = Date.parse(current.end);
      const newStart = change.start !== undefined ? Date.parse(change.start) : currentStart;
      const newEnd = change.end !== undefined ? Date.parse(change.end) : currentEnd;
      const fields = { ...changeColumns(change), ...(match && clientColumns(match)) };

      if (chosen === "this") {
        if (change.recurrence !== undefined) {
          throw new AgendaError(
            "unprocessable",
            "the repetition belongs to the series: change it with scope following or all",
            { details: [{ path: "scope", message: "use following or all to change the recurrence" }] },
          );
        }
        const { recurrence: _recurrence, ...own } = fields;
        const row = await setException({ ...target, originalStart: target.originalStart! }, own);
        return {
          event: asOccurrence(master, target.originalStart!, row, target.answer),
          changed: [master.id],
        };
      }

      const shift = newStart - currentStart;
      const seriesStart = new Date(
        (chosen === "all" ? master.startAt.getTime() : target.originalStart!.getTime()) + shift,
      );
      const seriesEnd = new Date(
        chosen === "all" && change.start === undefined && change.end === undefined
          ? master.endAt.getTime()
          : seriesStart.getTime() + (newEnd - newStart),
      );
      const { startAt: _start, endAt: _end, ...rest } = fields;
      const ruleChanged = change.recurrence !== undefined && change.recurrence !== master.recurrence;

      if (chosen === "all") {
        if (ruleChanged) {
          // New occurrences: the old ones' changes and answers go with them.
          await db.delete(events).where(eq(events.seriesMasterId, master.id));
          await db.delete(answers).where(eq(answers.seriesMasterId, master.id));
        } else if (shift !== 0) await moveExceptions(master.id, new Date(0), master.id, shift);
        const [row] = await db
          .update(events)
          .set({ ...rest, startAt: seriesStart, endAt: seriesEnd, updatedAt: now() })
          .where(eq(events.id, master.id))
          .returning();
        // The fields changed for the series reach the occurrences changed on their own too.
        const { recurrence: _recurrence, ...shared } = rest;
        if (!ruleChanged && Object.keys(shared).length > 0) {
          await db
            .update(events)
            .set({ ...shared, updatedAt: now() })
            .where(eq(events.seriesMasterId, master.id));
        }
        return { event: toCalendarEvent(row!), changed: [master.id] };
      }

      // This and following: the series ends before this occurrence, and a new one starts with it.
      const at = target.originalStart!;
      const timing = { recurrence: master.recurrence!, start: master.startAt, timeZone: master.timeZone };
      const count = ruleCount(master.recurrence!);
      const before = countBefore(timing, at);
      const nextRule =
        change.recurrence !== undefined
          ? change.recurrence
          : count !== null
            ? withEnd(master.recurrence!, { count: count - before })
            : master.recurrence;
      const { id: _id, createdAt: _created, externalId: _externalId, ...copy } = master;
      const [next] = await db
        .insert(events)
        .values({
          ...copy,
          connectionId: null,
          externalEtag: null,
          externalUpdatedAt: null,
          syncedAt: null,
          zoomMeetingId: null,
          ...rest,
          recurrence: nextRule,
          startAt: seriesStart,
          endAt: seriesEnd,
          createdAt: now(),
          updatedAt: now(),
        })
        .returning();
      if (change.recurrence === undefined) await moveExceptions(master.id, at, next!.id, shift);
      await endBefore(master, at);
      return { event: toCalendarEvent(next!), changed: [master.id, next!.id] };
    },

    /**
     * Records the client's answer from a reminder link for the occurrence alone, for the start it has
     * now, apart from its row: no exception row is made, so the occurrence keeps following edits of
     * its series and nothing is pushed to the user's calendar or changed in the reminders' schedule.
     * False when the answer was already that one.
     */
    async answer(
      target: SeriesTarget & { originalStart: Date },
      attendance: "confirmed" | "cancelled",
    ): Promise<boolean> {
      const start = new Date(this.present(target).start);
      const current = target.answer;
      if (current?.attendance === attendance && current.answeredForStart.getTime() === start.getTime()) {
        return false;
      }
      const answered = { attendance, answeredForStart: start, answeredAt: now() };
      await db
        .insert(answers)
        .values({ seriesMasterId: target.master.id, originalStartAt: target.originalStart, ...answered })
        .onConflictDoUpdate({ target: [answers.seriesMasterId, answers.originalStartAt], set: answered });
      return true;
    },

    /**
     * Deletes one occurrence (kept as a cancelled exception so the series skips it), the following
     * ones (the series ends before it), or the whole series. `deleted` names a master to remove.
     */
    async remove(
      target: SeriesTarget,
      scope: SeriesScope | undefined,
    ): Promise<{ changed: string[]; deleted: string | null }> {
      const { master } = target;
      const chosen = resolveScope(target, scope);
      if (chosen === "all") return { changed: [], deleted: master.id };
      const at = target.originalStart!;
      if (chosen === "this") {
        await setException({ ...target, originalStart: at }, { cancelled: true });
        return { changed: [master.id], deleted: null };
      }
      await endBefore(master, at);
      return { changed: [master.id], deleted: null };
    },
  };
}

/**
 * The scope a write takes: an occurrence defaults to itself, the series' own id to all of it; "this
 * and following" from the first occurrence is the whole series.
 */
function resolveScope(target: SeriesTarget, scope: SeriesScope | undefined): SeriesScope {
  if (!target.originalStart) {
    if (scope && scope !== "all") {
      throw new AgendaError(
        "unprocessable",
        `scope ${scope} needs an occurrence: use the occurrence's id (series id and its start)`,
        { details: [{ path: "scope", message: "give an occurrence's id for this or following" }] },
      );
    }
    return "all";
  }
  const chosen = scope ?? "this";
  if (chosen === "following" && target.originalStart.getTime() <= target.master.startAt.getTime())
    return "all";
  return chosen;
}

export type SeriesStore = ReturnType<typeof createSeriesStore>;
