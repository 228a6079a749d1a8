import { z } from "zod";
import { plainText } from "./plainText";
import { instantSchema, timeZoneSchema } from "./timeZone";

/** A question the booking page asks the person booking, beside their name and e-mail. */
export const bookingQuestionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, { message: "must be 1-40 letters, digits, _ or -" })
      .meta({ description: "Stable key of the answer" }),
    label: plainText().trim().min(1, { message: "must not be empty" }).max(300),
    required: z.boolean().default(false),
  })
  .meta({ id: "BookingQuestion" });
export type BookingQuestion = z.infer<typeof bookingQuestionSchema>;

export const bookingConferenceSchema = z
  .object({
    provider: z.enum(["zoom", "meet"]),
    joinUrl: z.url({ message: "must be a URL" }).max(2048).optional().meta({
      description:
        "A fixed link given to every booking; left out, each booking gets a meeting of its own made with the owner's Zoom or Google connection",
    }),
  })
  .meta({ id: "BookingConference" });

const bookingTypeFields = {
  title: plainText().trim().min(1, { message: "must not be empty" }).max(200),
  durationMinutes: z
    .number()
    .int({ message: "must be a whole number of minutes" })
    .min(5, { message: "must be at least 5 minutes" })
    .max(720, { message: "must be at most 720 minutes (12 hours)" }),
  description: plainText().max(2_000).nullable().optional(),
  conference: bookingConferenceSchema.nullable().optional(),
  questions: z
    .array(bookingQuestionSchema)
    .max(10, { message: "at most 10 questions" })
    .refine((questions) => new Set(questions.map((question) => question.id)).size === questions.length, {
      message: "each question needs an id of its own",
    })
    .optional(),
};

/** A kind of appointment a user offers through a public booking link. */
export const bookingTypeSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    durationMinutes: z.number().int(),
    description: z.string().nullable(),
    conference: bookingConferenceSchema.nullable(),
    questions: z.array(bookingQuestionSchema),
    linkToken: z.string().meta({
      description:
        "The unguessable token of the public link (at least 128 random bits); POST /booking-types/:id/link replaces it, and the old link stops working",
    }),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: "BookingType" });
export type BookingType = z.infer<typeof bookingTypeSchema>;

export const bookingTypeListSchema = z
  .object({ bookingTypes: z.array(bookingTypeSchema) })
  .meta({ id: "BookingTypeList" });
export type BookingTypeList = z.infer<typeof bookingTypeListSchema>;

export const createBookingTypeInputSchema = z
  .object(bookingTypeFields)
  .strict()
  .meta({ id: "CreateBookingTypeInput" });
export type CreateBookingTypeInput = z.input<typeof createBookingTypeInputSchema>;

export const updateBookingTypeInputSchema = z
  .object(bookingTypeFields)
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: "give at least one field to change" })
  .meta({ id: "UpdateBookingTypeInput" });
export type UpdateBookingTypeInput = z.input<typeof updateBookingTypeInputSchema>;

/** What the public page learns of a booking type: nothing of its owner. */
export const publicBookingTypeSchema = z
  .object({
    title: z.string(),
    durationMinutes: z.number().int(),
    description: z.string().nullable(),
    video: z.enum(["zoom", "meet"]).nullable().meta({ description: "The kind of video call, if any" }),
    questions: z.array(bookingQuestionSchema),
  })
  .meta({ id: "PublicBookingType" });
export type PublicBookingType = z.infer<typeof publicBookingTypeSchema>;

/** The widest range of free slots one public request may ask for. */
export const maxBookingRangeDays = 62;

export const bookingSlotsQuerySchema = z
  .object({ from: instantSchema, to: instantSchema })
  .refine((range) => Date.parse(range.to) > Date.parse(range.from), {
    message: "to must be after from",
    path: ["to"],
  })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= maxBookingRangeDays * 86_400_000, {
    message: `the range may span at most ${maxBookingRangeDays} days`,
    path: ["to"],
  });
export type BookingSlotsQuery = z.infer<typeof bookingSlotsQuerySchema>;

export const bookingSlotSchema = z
  .object({ start: instantSchema, end: instantSchema })
  .meta({ id: "BookingSlot" });
export type BookingSlot = z.infer<typeof bookingSlotSchema>;

export const bookingSlotListSchema = z
  .object({ slots: z.array(bookingSlotSchema) })
  .meta({ id: "BookingSlotList", description: "Free slots only: nothing of what fills the rest" });
export type BookingSlotList = z.infer<typeof bookingSlotListSchema>;

export const bookThroughLinkInputSchema = z
  .object({
    start: instantSchema,
    name: plainText().trim().min(1, { message: "must not be empty" }).max(200),
    email: z.email({ message: "must be an e-mail address" }).max(320),
    answers: z.record(z.string().max(40), plainText().max(2_000)).default({}),
    timeZone: timeZoneSchema.optional().meta({ description: "The guest's time zone, for the .ics" }),
  })
  .strict()
  .meta({ id: "BookThroughLinkInput" });
export type BookThroughLinkInput = z.input<typeof bookThroughLinkInputSchema>;

/** A booking as its guest sees it through their signed link. */
export const guestBookingSchema = z
  .object({
    title: z.string(),
    start: instantSchema,
    end: instantSchema,
    status: z.enum(["confirmed", "cancelled"]),
    name: z.string(),
    email: z.string(),
    durationMinutes: z.number().int(),
    joinUrl: z.string().nullable().meta({ description: "The video call's link, when there is one" }),
  })
  .meta({ id: "GuestBooking" });
export type GuestBooking = z.infer<typeof guestBookingSchema>;

export const bookingConfirmationSchema = z
  .object({
    booking: guestBookingSchema,
    manageToken: z.string().meta({
      description:
        "The secret of the guest's link to cancel or reschedule without signing in; given once, stored hashed",
    }),
    ics: z.string().meta({ description: "The appointment as an iCalendar (.ics) file" }),
  })
  .meta({ id: "BookingConfirmation" });
export type BookingConfirmation = z.infer<typeof bookingConfirmationSchema>;

export const rescheduleBookingInputSchema = z
  .object({ start: instantSchema, timeZone: timeZoneSchema.optional() })
  .strict()
  .meta({ id: "RescheduleBookingInput" });
export type RescheduleBookingInput = z.input<typeof rescheduleBookingInputSchema>;

export const guestBookingAnswerSchema = z
  .object({ booking: guestBookingSchema, ics: z.string().nullable() })
  .meta({ id: "GuestBookingAnswer" });
export type GuestBookingAnswer = z.infer<typeof guestBookingAnswerSchema>;

export const linkTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, { message: "is not a booking link" }),
});
