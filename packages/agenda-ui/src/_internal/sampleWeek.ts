import type { CalendarEvent } from "@crm-agenda/shared";
import { makeEvent } from "./makeEvent";

/** The moment stories and tests treat as now: Wednesday 25 November 2026, 14:20 in Paris. */
export const sampleNow = new Date("2026-11-25T14:20:00+01:00");

let sequence = 0;
function sample(fields: Omit<Parameters<typeof makeEvent>[0], "id">): CalendarEvent {
  sequence += 1;
  return makeEvent({ id: `5a3e0c2b-1d4f-4e6a-8b7c-${String(sequence).padStart(12, "0")}`, ...fields });
}

function at(day: number, time: string): string {
  return `2026-11-${String(day).padStart(2, "0")}T${time}:00+01:00`;
}

/** A salesperson's week of 23–29 November 2026: CRM meetings, synced calendars and calls. */
export const sampleWeek: CalendarEvent[] = [
  sample({
    title: "Salon Solutions CRM",
    start: at(24, "00:00"),
    end: at(27, "00:00"),
    allDay: true,
    location: "Paris Expo, Porte de Versailles",
  }),
  sample({
    title: "Congés Camille",
    start: at(27, "00:00"),
    end: at(28, "00:00"),
    allDay: true,
    source: "google",
  }),
  sample({
    title: "Point hebdo équipe commerciale",
    start: at(23, "09:00"),
    end: at(23, "09:30"),
    source: "google",
  }),
  sample({
    title: "Démo produit — Groupe Lefèvre",
    start: at(23, "10:00"),
    end: at(23, "11:30"),
    source: "zoom",
    conference: { provider: "zoom", joinUrl: "https://zoom.us/j/81234567890", meetingId: "81234567890" },
    attendees: [{ email: "j.lefevre@groupe-lefevre.fr", name: "Julien Lefèvre", responseStatus: "accepted" }],
    clientMatch: { clientId: "client-lefevre", clientName: "Groupe Lefèvre", method: "auto" },
    summaryStatus: "ready",
  }),
  sample({
    title: "Appel découverte — Atelier Moreau",
    start: at(23, "14:00"),
    end: at(23, "14:45"),
    source: "meet",
    clientMatch: { clientId: "client-moreau", clientName: "Atelier Moreau", method: "manual" },
    summaryStatus: "pending",
  }),
  sample({ title: "Relance devis Durand", start: at(24, "08:30"), end: at(24, "09:00") }),
  sample({
    title: "Déjeuner client — Banque Martin",
    start: at(24, "12:00"),
    end: at(24, "13:30"),
    source: "microsoft",
    location: "Le Comptoir, 12 rue de Rivoli",
  }),
  sample({ title: "Revue du pipeline T4", start: at(24, "16:00"), end: at(24, "17:00") }),
  sample({
    title: "Négociation contrat — Dupont SA",
    start: at(25, "09:00"),
    end: at(25, "10:00"),
    source: "zoom",
    conference: { provider: "zoom", joinUrl: "https://zoom.us/j/85746352014", meetingId: "85746352014" },
    clientMatch: { clientId: "client-dupont", clientName: "Dupont SA", method: "auto" },
    summaryStatus: "ready",
  }),
  sample({
    title: "Onboarding — Cabinet Roux",
    start: at(25, "13:30"),
    end: at(25, "14:30"),
    source: "meet",
    clientMatch: { clientId: "client-roux", clientName: "Cabinet Roux", method: "auto" },
    summaryStatus: "in_progress",
  }),
  sample({
    title: "Atelier stratégie grands comptes",
    start: at(25, "15:00"),
    end: at(25, "16:30"),
    source: "microsoft",
  }),
  sample({ title: "Comité de direction", start: at(26, "10:00"), end: at(26, "11:30"), source: "microsoft" }),
  sample({
    title: "Appel rapide — Garage Petit",
    start: at(26, "10:30"),
    end: at(26, "11:00"),
    source: "zoom",
    summaryStatus: "waiting_for_ai",
  }),
  sample({ title: "Revue des contrats", start: at(26, "17:00"), end: at(26, "18:00") }),
  sample({
    title: "Signature — SARL Fontaine",
    start: at(27, "09:30"),
    end: at(27, "10:30"),
    location: "Siège Fontaine, Lyon",
    clientMatch: { clientId: "client-fontaine", clientName: "SARL Fontaine", method: "manual" },
  }),
  sample({
    title: "Visio support — Nexa",
    start: at(27, "14:00"),
    end: at(27, "15:00"),
    source: "meet",
    summaryStatus: "failed",
  }),
];

/** A crowded Thursday: events that overlap in chains, to show the side-by-side layout. */
export const sampleOverlaps: CalendarEvent[] = [
  sample({ title: "Comité de direction", start: at(26, "09:00"), end: at(26, "12:00"), source: "microsoft" }),
  sample({ title: "Appel — Garage Petit", start: at(26, "09:00"), end: at(26, "09:30"), source: "zoom" }),
  sample({ title: "Relance devis Durand", start: at(26, "09:15"), end: at(26, "10:15") }),
  sample({ title: "Point recrutement", start: at(26, "09:30"), end: at(26, "10:00"), source: "google" }),
  sample({
    title: "Visio — Nexa",
    start: at(26, "11:00"),
    end: at(26, "12:30"),
    source: "meet",
    summaryStatus: "ready",
  }),
  sample({ title: "Déjeuner équipe", start: at(26, "12:30"), end: at(26, "13:30"), source: "google" }),
  sample({ title: "Démo — Dupont SA", start: at(26, "14:00"), end: at(26, "15:00"), source: "zoom" }),
  sample({ title: "Démo — Fontaine", start: at(26, "14:00"), end: at(26, "15:00") }),
  sample({ title: "Préparation salon", start: at(24, "10:00"), end: at(24, "12:00") }),
  sample({ title: "Call partenaires", start: at(24, "11:00"), end: at(24, "12:00"), source: "microsoft" }),
];

/** The Sunday Paris moves its clocks back (25 October 2026, a 25-hour day) and the Sunday before. */
export const sampleDaylightSavingChange: CalendarEvent[] = [
  sample({
    title: "Astreinte support",
    start: "2026-10-25T01:30:00+02:00",
    end: "2026-10-25T02:30:00+01:00",
  }),
  sample({
    title: "Appel — Sydney",
    start: "2026-10-25T09:00:00+01:00",
    end: "2026-10-25T10:00:00+01:00",
    source: "zoom",
  }),
  sample({
    title: "Revue hebdo",
    start: "2026-10-23T09:00:00+02:00",
    end: "2026-10-23T10:00:00+02:00",
    source: "google",
  }),
];

const denseSources = ["crm", "google", "microsoft", "zoom", "meet"] as const;

/**
 * `count` events spread over the days from `firstDay` (a Paris date, "2026-11-23"), from 07:00 to
 * 20:00 in 15-minute steps, deterministic so stories and benchmarks see the same data every run.
 */
export function sampleMany(count: number, firstDay: string, days: number): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  const base = Date.parse(`${firstDay}T00:00:00+01:00`);
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (let index = 0; index < count; index += 1) {
    const day = Math.floor(next() * days);
    const startMinutes = 7 * 60 + Math.floor(next() * 52) * 15;
    const duration = [15, 30, 45, 60, 90, 120][Math.floor(next() * 6)]!;
    const start = base + day * 86_400_000 + startMinutes * 60_000;
    const source = denseSources[index % denseSources.length]!;
    events.push(
      makeEvent({
        id: `9b0c1d2e-3f40-4a51-8b62-${String(index).padStart(12, "0")}`,
        title: `${["Appel", "Démo", "Point", "Relance", "Rendez-vous"][index % 5]} ${index + 1}`,
        start: new Date(start).toISOString(),
        end: new Date(start + duration * 60_000).toISOString(),
        source,
        summaryStatus: source === "zoom" && index % 3 === 0 ? "ready" : "none",
      }),
    );
  }
  return events;
}

/** A week of spring in Paris, when clocks go forward: Sunday 29 March 2026 has 23 hours. */
export const sampleSpringForward: CalendarEvent[] = [
  sample({
    title: "Préparation salon",
    start: "2026-03-27T09:00:00+01:00",
    end: "2026-03-27T10:30:00+01:00",
  }),
  sample({
    title: "Veille de nuit — support",
    start: "2026-03-28T23:00:00+01:00",
    end: "2026-03-29T04:00:00+02:00",
    source: "microsoft",
  }),
  sample({
    title: "Brunch client",
    start: "2026-03-29T09:00:00+02:00",
    end: "2026-03-29T10:00:00+02:00",
    source: "google",
  }),
  sample({
    title: "Appel Montréal",
    start: "2026-03-30T15:00:00+02:00",
    end: "2026-03-30T16:00:00+02:00",
    source: "zoom",
    summaryStatus: "ready",
  }),
];
