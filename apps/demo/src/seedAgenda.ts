import type { CreateEventInput } from "@crm-agenda/shared";
import type { DemoPerson } from "./demoSession";

const timeZone = "Europe/Paris";

/** `2026-11-25` + `09:30` in a time zone, as an instant with its offset; right across DST changes. */
export function zonedInstant(day: string, time: string, zone = timeZone): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, date, hour, minute);
  let instant = wall - offsetMinutes(wall, zone) * 60_000;
  instant = wall - offsetMinutes(instant, zone) * 60_000;
  return new Date(instant).toISOString();
}

function offsetMinutes(instant: number, zone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(instant)
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** The calendar day `offset` days from `today` in the agenda's time zone, as YYYY-MM-DD. */
function dayFrom(today: Date, offset: number): string {
  const local = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(today);
  const [year, month, date] = local.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + offset)).toISOString().slice(0, 10);
}

function weekday(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}

type Template = Omit<CreateEventInput, "start" | "end" | "timeZone"> & { from: string; to: string };

/** A working fortnight for each demo person, around `today`: meetings, calls, overlaps and an all-day fair. */
export function seedEvents(person: DemoPerson, today: Date): CreateEventInput[] {
  const plan: Record<DemoPerson, (dayIndex: number) => Template[]> = {
    alice: (dayIndex) =>
      [
        [
          {
            title: "Point hebdo équipe commerciale",
            from: "09:00",
            to: "09:45",
            location: "Salle Gutenberg",
          },
          {
            title: "Appel découverte — Dupont SA",
            from: "10:30",
            to: "11:15",
            attendees: [
              { email: "marie.dupont@dupont-sa.fr", name: "Marie Dupont" },
              { email: "alice@acme.example" },
            ],
            conference: {
              provider: "zoom" as const,
              joinUrl: "https://zoom.us/j/85746352014",
              meetingId: "85746352014",
            },
          },
          {
            title: "Déjeuner avec Paul (Martin & Fils)",
            from: "12:30",
            to: "14:00",
            location: "Le Petit Zinc",
            attendees: [{ email: "paul@martin-fils.fr", name: "Paul Martin" }],
          },
        ],
        [
          { title: "Préparation devis Leroy", from: "09:30", to: "11:00" },
          {
            title: "Revue de contrat — Boulangerie Leroy",
            from: "10:00",
            to: "11:00",
            attendees: [{ email: "sophie.leroy@leroy.fr", name: "Sophie Leroy" }],
            conference: {
              provider: "meet" as const,
              joinUrl: "https://meet.google.com/abc-defg-hij",
              meetingId: "abc-defg-hij",
            },
          },
          { title: "Relances clients", from: "10:30", to: "11:30" },
          {
            title: "Démo produit — Cabinet Bernard",
            from: "15:00",
            to: "16:00",
            attendees: [{ email: "luc.bernard@cabinet-bernard.fr", name: "Luc Bernard" }],
          },
        ],
        [
          { title: "Formation CRM", from: "08:30", to: "10:00", location: "Salle Curie" },
          {
            title: "Appel de suivi — Martin & Fils",
            from: "14:00",
            to: "14:30",
            attendees: [{ email: "paul@martin-fils.fr" }],
            conference: {
              provider: "zoom" as const,
              joinUrl: "https://zoom.us/j/91827364512",
              meetingId: "91827364512",
            },
          },
        ],
        [
          { title: "Comité de direction", from: "11:00", to: "12:30" },
          {
            title: "Signature — Dupont SA",
            from: "16:00",
            to: "17:00",
            location: "Chez le client, Lyon",
            attendees: [{ email: "compta@dupont-sa.fr" }],
          },
        ],
        [{ title: "Bilan de la semaine", from: "17:00", to: "17:30" }],
      ][dayIndex % 5] ?? [],
    carol: (dayIndex) =>
      [
        [{ title: "Support — escalades", from: "09:00", to: "10:00" }],
        [{ title: "Entretien annuel", from: "14:00", to: "15:00" }],
        [
          {
            title: "Visite Boulangerie Leroy",
            from: "10:00",
            to: "11:30",
            attendees: [{ email: "sophie.leroy@leroy.fr" }],
          },
        ],
        [{ title: "Revue des tickets", from: "16:00", to: "17:00" }],
        [],
      ][dayIndex % 5] ?? [],
    bob: (dayIndex) =>
      [
        [
          {
            title: "Initech quarterly review",
            from: "10:00",
            to: "11:00",
            attendees: [{ email: "peter@initech.example" }],
          },
        ],
        [{ title: "Pipeline review", from: "09:00", to: "10:00" }],
        [
          {
            title: "Umbrella onboarding call",
            from: "15:00",
            to: "16:00",
            attendees: [{ email: "alice.w@umbrella.example" }],
            conference: {
              provider: "zoom" as const,
              joinUrl: "https://zoom.us/j/77766655544",
              meetingId: "77766655544",
            },
          },
        ],
        [],
        [{ title: "Team retro", from: "16:00", to: "17:00" }],
      ][dayIndex % 5] ?? [],
  };

  const events: CreateEventInput[] = [];
  let workday = 0;
  for (let offset = -10; offset <= 10; offset++) {
    const day = dayFrom(today, offset);
    const dow = weekday(day);
    if (dow === 0 || dow === 6) continue;
    for (const { from, to, ...rest } of plan[person](workday)) {
      events.push({ ...rest, start: zonedInstant(day, from), end: zonedInstant(day, to), timeZone });
    }
    workday++;
  }
  if (person === "alice") {
    // Wednesday and Thursday of today's Monday-first week, so the fair is on the week the agenda
    // opens on whatever the day: "tomorrow" was next week on a Sunday.
    const todayDow = weekday(dayFrom(today, 0));
    const monday = todayDow === 0 ? -6 : 1 - todayDow;
    events.push({
      title: "Salon Batimat",
      allDay: true,
      start: zonedInstant(dayFrom(today, monday + 2), "00:00"),
      end: zonedInstant(dayFrom(today, monday + 4), "00:00"),
      timeZone,
      location: "Paris Expo, Porte de Versailles",
    });
  }
  return events;
}

/** An appointment with the client Dupont SA starting `inMinutes` from `now`, on a whole minute. */
export function reminderDemoEvent(now: Date, inMinutes: number): CreateEventInput {
  const start = Math.ceil((now.getTime() + inMinutes * 60_000) / 60_000) * 60_000;
  return {
    title: "Point d’étape — Dupont SA",
    start: new Date(start).toISOString(),
    end: new Date(start + 30 * 60_000).toISOString(),
    timeZone,
    attendees: [{ email: "marie.dupont@dupont-sa.fr", name: "Marie Dupont" }],
    location: "Visioconférence",
  };
}

export { dayFrom };
