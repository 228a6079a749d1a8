import { z } from "zod";
import { instantSchema } from "./timeZone";

export const providerSchema = z.enum(["zoom", "google", "microsoft"]).meta({ id: "Provider" });
export type Provider = z.infer<typeof providerSchema>;

export const connectionStatusSchema = z
  .enum(["active", "needs_reauth", "error"])
  .meta({ description: "needs_reauth: the provider refused our tokens; the user must reconnect" });

export const connectionSchema = z
  .object({
    id: z.uuid(),
    provider: providerSchema,
    accountEmail: z.string(),
    status: connectionStatusSchema,
    scopes: z.array(z.string()),
    lastSyncAt: instantSchema.nullable(),
    lastError: z.string().nullable(),
    createdAt: instantSchema,
    nextSyncAt: instantSchema.nullable().meta({
      description:
        "When the calendar sync runs next at the latest (the polling fallback); null for accounts that do not sync a calendar (Zoom) or when sync is off",
    }),
    calendarId: z.string().nullable().meta({
      description:
        "The provider calendar this connection syncs (Google `primary` or a calendar id, Graph calendar id or empty for the default one); null when it syncs no calendar",
    }),
    pushCrmEvents: z.boolean().meta({
      description: "Whether the events the user creates in the agenda are written to this calendar",
    }),
  })
  .meta({ id: "Connection" });
export type Connection = z.infer<typeof connectionSchema>;

export const connectionListSchema = z
  .object({ connections: z.array(connectionSchema) })
  .meta({ id: "ConnectionList" });
export type ConnectionList = z.infer<typeof connectionListSchema>;

export const providerCalendarSchema = z
  .object({
    id: z.string().meta({ description: "The provider's calendar id, to send as `calendarId`" }),
    name: z.string(),
    primary: z
      .boolean()
      .meta({ description: "The account's main calendar (Google primary, Outlook default)" }),
    selected: z.boolean().meta({ description: "The calendar this connection syncs now" }),
  })
  .meta({ id: "ProviderCalendar" });
export type ProviderCalendar = z.infer<typeof providerCalendarSchema>;

export const providerCalendarListSchema = z
  .object({ calendars: z.array(providerCalendarSchema) })
  .meta({ id: "ProviderCalendarList" });
export type ProviderCalendarList = z.infer<typeof providerCalendarListSchema>;

export const updateConnectionInputSchema = z
  .object({
    calendarId: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .meta({ description: "One of `GET /connections/:id/calendars`; the sync starts over on it" }),
    pushCrmEvents: z.boolean().optional().meta({
      description:
        "true writes the user's agenda events to this calendar (and stops writing them to their other connections)",
    }),
  })
  .meta({ id: "UpdateConnectionInput" });
export type UpdateConnectionInput = z.infer<typeof updateConnectionInputSchema>;

export const oauthStartQuerySchema = z.object({
  returnTo: z.string().max(2048).optional().meta({ description: "Path of the host page to come back to" }),
});
export const oauthCallbackQuerySchema = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});
