import { z } from "zod";
import { instantSchema } from "./timeZone";

/** The signed-in user's ICS feed as `GET /ics/feed` tells it: whether one exists, never its URL. */
export const icsFeedStatusSchema = z
  .object({
    active: z.boolean(),
    createdAt: instantSchema.nullable().meta({ description: "When the current feed URL was made" }),
  })
  .meta({ id: "IcsFeedStatus" });
export type IcsFeedStatus = z.infer<typeof icsFeedStatusSchema>;

/** A new feed URL, answered once by `POST /ics/feed`: only a hash of its token is kept. */
export const icsFeedSchema = z
  .object({
    url: z.url().meta({
      description:
        "The secret feed address to subscribe to (shown once; making a new one revokes the previous)",
    }),
    createdAt: instantSchema,
  })
  .meta({ id: "IcsFeed" });
export type IcsFeed = z.infer<typeof icsFeedSchema>;

export const icsTokenParamsSchema = z.object({
  token: z.string().meta({ description: "The feed's secret token, as in its URL" }),
});
