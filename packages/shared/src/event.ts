import { z } from "zod";
import { plainText } from "./plainText";
import { instantSchema, timeZoneSchema } from "./timeZone";

export const eventSourceSchema = z.enum(["crm", "google", "microsoft", "zoom", "meet"]).meta({
  id: "EventSource",
  description: "Where the event comes from: the CRM agenda, a synced calendar, or a call.",
});
export type EventSource = z.infer<typeof eventSourceSchema>;

export const conferenceSchema = z
  .object({
    provider: z.enum(["zoom", "meet", "teams", "other"]),
    joinUrl: z.url({ message: "must be a URL" }).max(2048).optional().meta({
      description:
        "Left out when creating an event, `meet` asks Google for a Meet link and `zoom` (without `meetingId` either) makes a Zoom meeting with the user's Zoom connection (422 without one), which then moves and is deleted with the event",
    }),
    meetingId: plainText().max(256).optional().meta({ description: "Zoom meeting id or Meet conference id" }),
  })
  .meta({ id: "Conference" });
export type Conference = z.infer<typeof conferenceSchema>;

export const responseStatusSchema = z.enum(["needsAction", "accepted", "declined", "tentative"]);

export const attendeeSchema = z
  .object({
    email: z.email({ message: "must be an e-mail address" }).max(320),
    name: plainText().max(200).optional(),
    responseStatus: responseStatusSchema.default("needsAction"),
  })
  .meta({ id: "Attendee" });
export type Attendee = z.infer<typeof attendeeSchema>;

export const clientMatchMethodSchema = z
  .enum(["auto", "manual", "none"])
  .meta({ description: "auto: found by attendee e-mail; manual: set by a person; none: no client" });

export const clientMatchSchema = z
  .object({
    clientId: z.string().nullable(),
    clientName: z.string().nullable(),
    method: clientMatchMethodSchema,
  })
  .meta({ id: "ClientMatch", description: "The CRM client this event is about." });
export type ClientMatch = z.infer<typeof clientMatchSchema>;

export const summaryStatusSchema = z
  .enum(["none", "pending", "waiting_for_ai", "in_progress", "ready", "failed"])
  .meta({
    id: "SummaryStatus",
    description: "State of the call summary; none for events that are not calls.",
  });
export type SummaryStatus = z.infer<typeof summaryStatusSchema>;

/**
 * An RRULE of RFC 5545 without DTSTART (the event's start and time zone are the series' first
 * occurrence and zone), e.g. `FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10`; an `RRULE:` prefix is accepted.
 */
export const recurrenceSchema = z
  .string()
  .max(500)
  .regex(/^(RRULE:)?[A-Z]+=[A-Za-z0-9,+-]+(;[A-Z]+=[A-Za-z0-9,+-]+)*$/, {
    message: "must be an RRULE such as FREQ=WEEKLY;BYDAY=MO;COUNT=10",
  })
  .refine((rule) => /(^|[:;])FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)/.test(rule), {
    message: "must have FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
  })
  .meta({
    id: "Recurrence",
    description: "An RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261231T225959Z",
    example: "FREQ=WEEKLY;BYDAY=TU;COUNT=10",
  });

/** Which events of a series a change or a deletion of one occurrence reaches. */
export const seriesScopeSchema = z.enum(["this", "following", "all"]).meta({
  id: "SeriesScope",
  description:
    "this: only this occurrence (kept as an exception); following: this one and the later ones (the series is split); all: the whole series. Defaults to this for an occurrence, all for a series' own id.",
});
export type SeriesScope = z.infer<typeof seriesScopeSchema>;

/** An occurrence of a series made in the agenda: the series' id and the occurrence's original start in UTC. */
export const occurrenceIdPattern =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_(\d{8}T\d{6}Z)$/i;

export const eventIdSchema = z
  .string()
  .refine((id) => z.uuid().safeParse(id).success || occurrenceIdPattern.test(id), {
    message: "must be an event id (a UUID, or a series' UUID and an occurrence's start)",
  })
  .meta({
    description:
      "A UUID, or for an occurrence of a series `<series id>_<original start as YYYYMMDDTHHMMSSZ>`",
  });

export const attendanceSchema = z.enum(["confirmed", "cancelled"]).meta({
  id: "Attendance",
  description:
    "The client's answer from a reminder's link, for the event's current start (a moved event has none until answered again).",
});
export type Attendance = z.infer<typeof attendanceSchema>;

export const eventSchema = z
  .object({
    id: eventIdSchema,
    title: z.string(),
    description: z.string().nullable(),
    start: instantSchema,
    end: instantSchema.meta({
      description: "Exclusive end; for all-day events, local midnight after the last day",
    }),
    allDay: z.boolean(),
    timeZone: timeZoneSchema,
    location: z.string().nullable(),
    conference: conferenceSchema.nullable(),
    attendees: z.array(attendeeSchema),
    source: eventSourceSchema,
    clientMatch: clientMatchSchema,
    summaryStatus: summaryStatusSchema,
    attendance: attendanceSchema.nullable().optional(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
    recurrence: recurrenceSchema.nullable().optional().meta({
      description: "The RRULE of the series this event is, or is an occurrence of; null for a single event",
    }),
    seriesId: z.uuid().nullable().optional().meta({
      description: "For an occurrence of a series made in the agenda, the series' id",
    }),
    originalStart: instantSchema.nullable().optional().meta({
      description: "For an occurrence, its start as the series has it (moved occurrences keep it)",
    }),
  })
  .meta({ id: "CalendarEvent" });
export type CalendarEvent = z.infer<typeof eventSchema>;

const eventFields = {
  title: plainText().trim().min(1, { message: "must not be empty" }).max(500),
  description: plainText().max(20_000).nullable().optional(),
  start: instantSchema,
  end: instantSchema,
  allDay: z.boolean().optional(),
  timeZone: timeZoneSchema,
  location: plainText().max(1_000).nullable().optional(),
  conference: conferenceSchema.nullable().optional(),
  attendees: z.array(attendeeSchema).max(500).optional(),
  recurrence: recurrenceSchema.nullable().optional().meta({
    description: "Makes the event a recurring series; null makes a series a single event again",
  }),
};

function endAfterStart(value: { start?: string | undefined; end?: string | undefined }): boolean {
  if (value.start === undefined || value.end === undefined) return true;
  return Date.parse(value.end) > Date.parse(value.start);
}
const endAfterStartIssue = { message: "end must be after start", path: ["end"] };

export const createEventInputSchema = z
  .object(eventFields)
  .strict()
  .refine(endAfterStart, endAfterStartIssue)
  .meta({ id: "CreateEventInput" });
export type CreateEventInput = z.input<typeof createEventInputSchema>;

export const updateEventInputSchema = z
  .object({ ...eventFields, scope: seriesScopeSchema.optional() })
  .partial()
  .strict()
  .refine(endAfterStart, endAfterStartIssue)
  .refine((value) => Object.keys(value).some((key) => key !== "scope"), {
    message: "give at least one field to change",
  })
  .meta({ id: "UpdateEventInput" });
export type UpdateEventInput = z.input<typeof updateEventInputSchema>;

export const deleteEventQuerySchema = z
  .object({ scope: seriesScopeSchema.optional() })
  .meta({ id: "DeleteEventQuery" });
export type DeleteEventQuery = z.infer<typeof deleteEventQuerySchema>;

/** The widest range one `GET /events` may ask for, so one request cannot pull a whole history. */
export const maxEventRangeDays = 400;

export const listEventsQuerySchema = z
  .object({ from: instantSchema, to: instantSchema })
  .refine((range) => Date.parse(range.to) > Date.parse(range.from), {
    message: "to must be after from",
    path: ["to"],
  })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= maxEventRangeDays * 86_400_000, {
    message: `the range may span at most ${maxEventRangeDays} days`,
    path: ["to"],
  });
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;

export const eventListSchema = z.object({ events: z.array(eventSchema) }).meta({ id: "EventList" });
export type EventList = z.infer<typeof eventListSchema>;

export const setEventClientInputSchema = z
  .object({ clientId: plainText().min(1).max(200).nullable() })
  .strict()
  .meta({ id: "SetEventClientInput", description: "clientId null clears the match" });
export type SetEventClientInput = z.infer<typeof setEventClientInputSchema>;
