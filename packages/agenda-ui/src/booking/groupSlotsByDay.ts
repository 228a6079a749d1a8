import type { BookingSlot } from "@crm-agenda/shared";

/** One day of free slots, as the person booking sees it in their time zone. */
export interface SlotDay {
  /** `YYYY-MM-DD` in the time zone. */
  key: string;
  /** E.g. "mardi 1 décembre". */
  label: string;
  slots: { start: string; end: string; time: string; when: string }[];
}

/**
 * Free slots grouped by the calendar day they start on in `timeZone`, each with its local time
 * ("09:30") and its full wording for screen readers. Slots keep their order (the server's, by start).
 */
export function groupSlotsByDay(slots: readonly BookingSlot[], timeZone: string, locale: string): SlotDay[] {
  const dayKey = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const dayLabel = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
  });
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit" });
  const days: SlotDay[] = [];
  for (const slot of slots) {
    const start = new Date(slot.start);
    const key = dayKey.format(start);
    let day = days.at(-1);
    if (day?.key !== key) {
      day = { key, label: dayLabel.format(start), slots: [] };
      days.push(day);
    }
    day.slots.push({
      start: slot.start,
      end: slot.end,
      time: time.format(start),
      when: formatSlotWhen(slot.start, timeZone, locale),
    });
  }
  return days;
}

/** "mardi 1 décembre 2026, 09:30 (Europe/Paris)": a slot's start, whole, in the guest's zone. */
export function formatSlotWhen(start: string, timeZone: string, locale: string): string {
  const text = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(start));
  return `${text} (${timeZone})`;
}

/** The IANA zones this browser knows, for the time zone picker; `current` is always among them. */
export function listTimeZones(current: string): string[] {
  const known =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ([] as string[]);
  return known.includes(current) ? known : [current, ...known];
}
