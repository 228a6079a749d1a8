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
    conference: { provider: "zoom", meetingId: "812 3456 7890" },
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
