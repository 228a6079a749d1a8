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
  })
  .meta({ id: "Connection" });
export type Connection = z.infer<typeof connectionSchema>;

export const connectionListSchema = z
  .object({ connections: z.array(connectionSchema) })
  .meta({ id: "ConnectionList" });
export type ConnectionList = z.infer<typeof connectionListSchema>;

export const oauthStartQuerySchema = z.object({
  returnTo: z.string().max(2048).optional().meta({ description: "Path of the host page to come back to" }),
});
export const oauthCallbackQuerySchema = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});
