import { z } from "zod";

/** True when `value` is an IANA time zone this runtime knows, e.g. `Europe/Paris`. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .min(1)
  .refine(isTimeZone, { message: "must be an IANA time zone such as Europe/Paris" })
  .meta({ description: "IANA time zone, e.g. Europe/Paris", example: "Europe/Paris" });

/** An instant with its UTC offset, e.g. `2026-03-29T09:00:00+02:00`; the server answers in UTC (`Z`). */
export const instantSchema = z.iso
  .datetime({
    offset: true,
    message: "must be an ISO 8601 date-time with an offset, e.g. 2026-03-29T09:00:00+02:00",
  })
  .meta({ description: "ISO 8601 date-time with a UTC offset", example: "2026-03-29T09:00:00+02:00" });
