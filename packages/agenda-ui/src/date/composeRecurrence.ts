/** The repetition choices of the event form. */
export interface RecurrenceChoice {
  frequency: "none" | "daily" | "weekly" | "monthly" | "yearly";
  /** Weekly: the days, 0 for Monday to 6 for Sunday; none means the start's day. */
  weekdays: number[];
  /** Monthly: on the start's date (the 13th) or its weekday (the second Tuesday). */
  monthlyBy: "date" | "weekday";
  ends: "never" | "until" | "count";
  /** The last day, `yyyy-MM-dd`. */
  until: string;
  count: number;
}

export const weekdayCodes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** The weekday (0 Monday), date and rank in its month (1–4, or -1 for the last) of a `yyyy-MM-dd…` start. */
export function startParts(start: string) {
  const date = new Date(`${start.slice(0, 10)}T00:00:00Z`);
  const day = date.getUTCDate();
  return { weekday: (date.getUTCDay() + 6) % 7, day, rank: day > 28 ? -1 : Math.ceil(day / 7) };
}

/** The RRULE of the choices for a series starting at `start`; null for no repetition. */
export function composeRecurrence(choice: RecurrenceChoice, start: string): string | null {
  const { weekday, day, rank } = startParts(start);
  const days = choice.weekdays.length > 0 ? [...choice.weekdays].sort() : [weekday];
  const rule = {
    none: null,
    daily: "FREQ=DAILY",
    weekly: `FREQ=WEEKLY;BYDAY=${days.map((index) => weekdayCodes[index]).join(",")}`,
    monthly:
      choice.monthlyBy === "date"
        ? `FREQ=MONTHLY;BYMONTHDAY=${day}`
        : `FREQ=MONTHLY;BYDAY=${rank}${weekdayCodes[weekday]}`,
    yearly: "FREQ=YEARLY",
  }[choice.frequency];
  if (rule === null) return null;
  if (choice.ends === "until" && choice.until !== "")
    return `${rule};UNTIL=${choice.until.replace(/-/g, "")}T235959Z`;
  if (choice.ends === "count") return `${rule};COUNT=${Math.max(1, Math.round(choice.count))}`;
  return rule;
}

/** The choices behind a rule; undefined for a rule the form cannot show (e.g. every other week). */
export function readRecurrence(rule: string | null | undefined): RecurrenceChoice | undefined {
  const choice: RecurrenceChoice = {
    frequency: "none",
    weekdays: [],
    monthlyBy: "date",
    ends: "never",
    until: "",
    count: 10,
  };
  if (!rule) return choice;
  for (const part of rule.replace(/^RRULE:/, "").split(";")) {
    const [key, value = ""] = part.split("=");
    if (key === "FREQ") choice.frequency = value.toLowerCase() as RecurrenceChoice["frequency"];
    else if (key === "BYDAY" && /^-?\d/.test(value)) choice.monthlyBy = "weekday";
    else if (key === "BYDAY") choice.weekdays = value.split(",").map((code) => weekdayCodes.indexOf(code));
    else if (key === "UNTIL") {
      choice.ends = "until";
      choice.until = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
    } else if (key === "COUNT") {
      choice.ends = "count";
      choice.count = Number(value);
    } else if (key !== "BYMONTHDAY" && key !== "WKST") return undefined;
  }
  return choice.weekdays.includes(-1) ? undefined : choice;
}
