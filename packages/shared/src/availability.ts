import { z } from "zod";
import { eventSchema } from "./event";
import { plainText } from "./plainText";
import { instantSchema, timeZoneSchema } from "./timeZone";

/** The days of the week, Monday first, as working hours name them. */
export const weekdays = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;
export type Weekday = (typeof weekdays)[number];

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: "must be a time of day HH:MM, e.g. 09:00" })
  .meta({ description: "Wall-clock time in the user's zone, HH:MM (24:00 ends a day)", example: "09:00" });

/** Minutes since midnight of a `HH:MM` clock time. */
export function clockMinutes(value: string): number {
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}

export const workingIntervalSchema = z
  .object({ start: clockTime, end: clockTime })
  .refine((interval) => clockMinutes(interval.end) > clockMinutes(interval.start), {
    message: "end must be after start",
    path: ["end"],
  })
  .meta({ id: "WorkingInterval", description: "One stretch of working time on a weekday" });
export type WorkingInterval = z.infer<typeof workingIntervalSchema>;

const dayIntervals = z
  .array(workingIntervalSchema)
  .max(12)
  .refine(
    (intervals) => {
      const sorted = [...intervals].sort((a, b) => clockMinutes(a.start) - clockMinutes(b.start));
      return sorted.every((interval, index) =>
        index === 0 ? true : clockMinutes(interval.start) >= clockMinutes(sorted[index - 1]!.end),
      );
    },
    { message: "intervals of one day must not overlap" },
  );

export const workingHoursSchema = z
  .object(
    Object.fromEntries(weekdays.map((day) => [day, dayIntervals])) as Record<Weekday, typeof dayIntervals>,
  )
  .strict()
  .meta({
    id: "WorkingHours",
    description: "Working intervals per weekday in the user's time zone; an empty list is a day off",
  });
export type WorkingHours = z.infer<typeof workingHoursSchema>;

/** The longest buffer a user can keep before or after a booking, in minutes. */
export const maxBufferMinutes = 240;

export const availabilitySettingsSchema = z
  .object({
    timeZone: timeZoneSchema.meta({ description: "The zone working hours are read in (DST included)" }),
    workingHours: workingHoursSchema,
    bufferBeforeMinutes: z.number().int().min(0).max(maxBufferMinutes).meta({
      description: "Free time kept before each booking: a slot needs this much free time before it",
    }),
    bufferAfterMinutes: z.number().int().min(0).max(maxBufferMinutes).meta({
      description: "Free time kept after each booking: a slot needs this much free time after it",
    }),
    minimumNoticeMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 90)
      .meta({
        description: "No slot starts sooner than this after now",
      }),
    dailyCap: z.number().int().min(1).max(100).nullable().meta({
      description:
        "Most bookings taken on one day (in the user's zone); null for no cap. Only bookings count, not other events",
    }),
  })
  .strict()
  .meta({ id: "AvailabilitySettings", description: "When a user can be booked" });
export type AvailabilitySettings = z.infer<typeof availabilitySettingsSchema>;

const nineToFive = [{ start: "09:00", end: "17:00" }];

/** What a user who never saved settings gets: 9 to 5 on weekdays, Europe/Paris, no buffers or cap. */
export const defaultAvailabilitySettings: AvailabilitySettings = {
  timeZone: "Europe/Paris",
  workingHours: {
    monday: nineToFive,
    tuesday: nineToFive,
    wednesday: nineToFive,
    thursday: nineToFive,
    friday: nineToFive,
    saturday: [],
    sunday: [],
  },
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  dailyCap: null,
};

/** The widest range one availability query may ask for. */
export const maxAvailabilityRangeDays = 62;

const userIdField = plainText().min(1).max(200).meta({
  description:
    "A colleague of the same tenant to look up or book for; allowed only when the host's canBookFor says so. Default: the signed-in user",
});

export const availabilityQuerySchema = z
  .object({
    from: instantSchema,
    to: instantSchema,
    duration: z.coerce
      .number({ message: "must be a number of minutes" })
      .int({ message: "must be a whole number of minutes" })
      .min(5, { message: "must be at least 5 minutes" })
      .max(24 * 60, { message: "must be at most 1440 minutes" })
      .meta({ description: "Length of the appointment in minutes" }),
    userId: userIdField.optional(),
  })
  .refine((range) => Date.parse(range.to) > Date.parse(range.from), {
    message: "to must be after from",
    path: ["to"],
  })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= maxAvailabilityRangeDays * 86_400_000, {
    message: `the range may span at most ${maxAvailabilityRangeDays} days`,
    path: ["to"],
  })
  .meta({ id: "AvailabilityQuery" });
export type AvailabilityQuery = z.input<typeof availabilityQuerySchema>;

export const slotSchema = z
  .object({ start: instantSchema, end: instantSchema })
  .meta({ id: "Slot", description: "A free time an appointment of the asked duration fits, in UTC" });
export type Slot = z.infer<typeof slotSchema>;

export const availabilitySchema = z
  .object({
    userId: z.string(),
    timeZone: timeZoneSchema,
    duration: z.number().int(),
    slots: z.array(slotSchema),
  })
  .meta({ id: "Availability", description: "Free slots, by start, in the user's working hours" });
export type Availability = z.infer<typeof availabilitySchema>;

export const bookingConferenceSchema = z.enum(["none", "zoom", "meet"]).meta({
  description:
    "zoom makes a Zoom meeting (the user needs a Zoom connection); meet asks Google for a Meet link",
});

export const createBookingInputSchema = z
  .object({
    start: instantSchema,
    duration: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .meta({ description: "Length of the appointment in minutes" }),
    userId: userIdField.optional(),
    title: plainText().trim().min(1).max(500).optional().meta({
      description: "Default: the client's name, or 'Appointment'",
    }),
    description: plainText().max(20_000).optional(),
    timeZone: timeZoneSchema.optional().meta({ description: "The event's zone. Default: the user's" }),
    client: z
      .object({
        email: z.email({ message: "must be an e-mail address" }).max(320).optional(),
        name: plainText().trim().max(200).optional(),
        clientId: plainText().min(1).max(200).optional().meta({ description: "A CRM client id" }),
      })
      .strict()
      .optional()
      .meta({
        description: "Who the appointment is with; the e-mail becomes an attendee and finds the CRM client",
      }),
    conference: bookingConferenceSchema.default("none"),
  })
  .strict()
  .meta({ id: "CreateBookingInput" });
export type CreateBookingInput = z.input<typeof createBookingInputSchema>;
export type CreateBookingRequest = z.output<typeof createBookingInputSchema>;

export const bookingSchema = z
  .object({ event: eventSchema })
  .meta({ id: "Booking", description: "The event the booking made in the user's agenda" });
export type Booking = z.infer<typeof bookingSchema>;
