import { type Conference, occurrenceIdPattern } from "@crm-agenda/shared";
import type { Router } from "express";
import { AgendaError } from "../errors";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import type { AgendaHooks, ClientDirectory, Owner } from "../options";
import { parseRecurrence } from "../series/expandSeries";
import { createSeriesStore } from "../series/seriesStore";
import type { AgendaWrites, OutboundQueue } from "./agendaWrites";
import type { EventStore } from "./eventStore";
import { matchClient } from "./matchClient";

/** What a video meeting made for an event takes from it, and is kept in step with. */
export interface EventMeetingInput {
  title: string;
  description?: string | null | undefined;
  start: string;
  end: string;
  timeZone: string;
}

export interface EventRoutesOptions {
  events: EventStore;
  /** Writes that go out to the user's calendar and Zoom meetings, by jobs committed with the write. */
  writes?: AgendaWrites;
  clients: ClientDirectory;
  zoomMeetings?: {
    /** Makes the Zoom meeting of an event created with `conference: { provider: "zoom" }` and no link. */
    create(owner: Owner, input: EventMeetingInput): Promise<Conference>;
    /** Deletes, best effort, a meeting made for an event that could not be saved. */
    discard(owner: Owner, meetingId: string): Promise<void>;
  };
  notify(change: Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0]): void;
}

/** The fields a Zoom meeting made for the event takes from it. */
const meetingFields = ["title", "description", "start", "end", "timeZone"] as const;
const owner = (session: Owner): Owner => ({ tenantId: session.tenantId, userId: session.userId });
const eventNotFound = (id: string) =>
  new AgendaError("not_found", `no event ${id} in your agenda; it may have been deleted`);

export function mountEventRoutes(router: Router, context: RouteContext, options: EventRoutesOptions): void {
  const { events, clients, notify } = options;
  const write = <T>(work: (store: EventStore, outbound: OutboundQueue | null) => Promise<T>) =>
    options.writes ? options.writes.run(work) : work(events, null);

  const series = createSeriesStore(events);

  defineRoute(router, context, "listEvents", async ({ session, query }) => {
    const [from, to] = [new Date(query.from), new Date(query.to)];
    const [single, occurrences] = await Promise.all([
      events.list(owner(session), from, to),
      series.list(owner(session), from, to),
    ]);
    const list = [...single, ...occurrences].sort(
      (a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id),
    );
    return { status: 200, body: { events: list } };
  });

  defineRoute(router, context, "createEvent", async ({ session, body }) => {
    if (body.recurrence) parseRecurrence(body.recurrence);
    const match = await matchClient(clients, session, body.attendees ?? []);
    // The meeting is made before the write, so no transaction waits on Zoom.
    // A Zoom conference with neither link nor meeting id asks for a new meeting; one with an id names
    // an existing meeting (a call recorded later is matched to the event by it).
    const wantsZoom =
      body.conference?.provider === "zoom" &&
      body.conference.joinUrl === undefined &&
      body.conference.meetingId === undefined;
    const made =
      wantsZoom && options.zoomMeetings ? await options.zoomMeetings.create(owner(session), body) : null;
    let event: Awaited<ReturnType<EventStore["create"]>>;
    try {
      event = await write(async (store, outbound) => {
        const created = made
          ? await store.create(owner(session), { ...body, conference: made }, match, {
              ...(made.meetingId && { zoomMeetingId: made.meetingId }),
            })
          : await store.create(owner(session), body, match);
        await outbound?.changed(created.id);
        return created;
      });
    } catch (error) {
      // The meeting would be left behind with no event to show it.
      if (made?.meetingId) await options.zoomMeetings?.discard(owner(session), made.meetingId);
      throw error;
    }
    notify({ type: "created", ...owner(session), eventId: event.id });
    return { status: 201, body: event };
  });

  defineRoute(router, context, "getEvent", async ({ session, params }) => {
    const target = await series.resolve(owner(session), params.id);
    if (target) return { status: 200, body: series.present(target) };
    if (occurrenceIdPattern.test(params.id)) throw eventNotFound(params.id);
    const event = await events.get(owner(session), params.id);
    if (!event) throw eventNotFound(params.id);
    return { status: 200, body: event };
  });

  defineRoute(router, context, "updateEvent", async ({ session, params, body }) => {
    const target = await series.resolve(owner(session), params.id);
    if (occurrenceIdPattern.test(params.id) && !target) throw eventNotFound(params.id);
    const current = target ? series.present(target) : await events.get(owner(session), params.id);
    if (!current) throw eventNotFound(params.id);
    if (body.start !== undefined || body.end !== undefined) {
      const start = Date.parse(body.start ?? current.start);
      const end = Date.parse(body.end ?? current.end);
      if (end <= start) {
        throw new AgendaError("validation_failed", "invalid body: end: end must be after start", {
          details: [{ path: body.end !== undefined ? "end" : "start", message: "end must be after start" }],
        });
      }
    }
    // A person's correction of the client sticks; an automatic match follows the attendees.
    const rematch =
      body.attendees !== undefined && current.clientMatch.method !== "manual"
        ? await matchClient(clients, session, body.attendees)
        : undefined;
    if (target) {
      const changed = await write(async (store, outbound) => {
        const inTransaction = createSeriesStore(store);
        const again = await inTransaction.resolve(owner(session), params.id);
        if (!again) return null;
        const result = await inTransaction.update(again, body, body.scope, rematch);
        for (const id of result.changed) await outbound?.changed(id);
        return result.event;
      });
      if (!changed) throw eventNotFound(params.id);
      notify({ type: "updated", ...owner(session), eventId: changed.seriesId ?? changed.id });
      return { status: 200, body: changed };
    }
    if (body.recurrence) parseRecurrence(body.recurrence);
    const event = await write(async (store, outbound) => {
      const updated = await store.update(owner(session), params.id, body, rematch);
      if (updated) await outbound?.changed(updated.id);
      if (updated && meetingFields.some((field) => body[field] !== undefined)) {
        await outbound?.meetingChanged(updated.id);
      }
      return updated;
    });
    if (!event) throw eventNotFound(params.id);
    notify({ type: "updated", ...owner(session), eventId: event.id });
    return { status: 200, body: event };
  });

  defineRoute(router, context, "deleteEvent", async ({ session, params, query }) => {
    if (occurrenceIdPattern.test(params.id)) {
      const removed = await write(async (store, outbound) => {
        const inTransaction = createSeriesStore(store);
        const target = await inTransaction.resolve(owner(session), params.id);
        if (!target) return false;
        const result = await inTransaction.remove(target, query.scope);
        for (const id of result.changed) await outbound?.changed(id);
        if (result.deleted) {
          await outbound?.deleting(result.deleted);
          await store.remove(owner(session), result.deleted);
        }
        return true;
      });
      if (!removed) throw eventNotFound(params.id);
      notify({ type: "deleted", ...owner(session), eventId: params.id });
      return { status: 204 };
    }
    const removed = await write(async (store, outbound) => {
      if (!(await store.get(owner(session), params.id))) return false;
      await outbound?.deleting(params.id);
      return store.remove(owner(session), params.id);
    });
    if (!removed) throw eventNotFound(params.id);
    notify({ type: "deleted", ...owner(session), eventId: params.id });
    return { status: 204 };
  });

  defineRoute(router, context, "setEventClient", async ({ session, params, body }) => {
    if (!(await events.get(owner(session), params.id))) throw eventNotFound(params.id);
    let match = {
      clientId: null as string | null,
      clientName: null as string | null,
      method: "manual" as const,
    };
    if (body.clientId !== null) {
      const client = await clients.get(session.tenantId, body.clientId);
      if (!client) {
        throw new AgendaError(
          "unprocessable",
          `no CRM client ${body.clientId}; pick one from the client search`,
          {
            details: [{ path: "clientId", message: "unknown client" }],
          },
        );
      }
      match = { clientId: client.id, clientName: client.name, method: "manual" };
    }
    const event = await events.setClient(owner(session), params.id, match);
    if (!event) throw eventNotFound(params.id);
    notify({ type: "updated", ...owner(session), eventId: event.id });
    return { status: 200, body: event };
  });

  defineRoute(router, context, "searchClients", async ({ session, query }) => {
    const found = await clients.search(session.tenantId, query.q);
    return { status: 200, body: { clients: found.slice(0, 50) } };
  });
}
