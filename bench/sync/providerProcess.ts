// The sandbox Google and Graph APIs in a process of their own, so the sync's memory is measured alone.
import { createGoogleSandbox, createMicrosoftSandbox } from "@crm-agenda/sandbox";

const accounts = [{ id: "acct-bench", email: "bench@acme.test", name: "Bench" }];
const client = { clientId: "bench", clientSecret: "bench-secret" };
const google = createGoogleSandbox({ accounts, client, autoApprove: true });
const microsoft = createMicrosoftSandbox({ accounts, client, autoApprove: true });
const googleServer = await google.start();
const graphServer = await microsoft.start();

const day = 86_400_000;
const base = Date.now() - 30 * day;
let made = 0;

process.on("message", (message: { seed?: number; change?: number }) => {
  if (message.seed) {
    const googleEvents = [];
    const graphEvents = [];
    for (let index = 0; index < message.seed; index++, made++) {
      const start = base + (made % 5000) * 3_600_000 * 2;
      const attendees = [{ email: `client${made % 50}@client.test` }, { email: "bench@acme.test" }];
      googleEvents.push({
        id: `bench${String(made).padStart(8, "0")}`,
        summary: `Rendez-vous ${made}`,
        description: "Point commercial",
        start: { dateTime: new Date(start).toISOString() },
        end: { dateTime: new Date(start + 3_600_000).toISOString() },
        attendees,
      });
      graphEvents.push({
        id: `AAMkADbench${made}`,
        subject: `Rendez-vous ${made}`,
        start: { dateTime: new Date(start).toISOString().replace("Z", "0000"), timeZone: "UTC" },
        end: { dateTime: new Date(start + 3_600_000).toISOString().replace("Z", "0000"), timeZone: "UTC" },
        attendees: attendees.map((attendee) => ({ emailAddress: { address: attendee.email } })),
      });
    }
    google.calendar.seed("acct-bench", googleEvents);
    microsoft.calendar.seed("acct-bench", graphEvents);
  }
  if (message.change) {
    const events = google.calendar.list("acct-bench").slice(0, message.change);
    for (const event of events)
      google.calendar.patch("acct-bench", event.id, { summary: `${event.summary} (modifié)` });
    const graphEvents = microsoft.calendar.list("acct-bench").slice(0, message.change);
    for (const event of graphEvents)
      microsoft.calendar.patch("acct-bench", event.id, { subject: `${event.subject} (modifié)` });
  }
  process.send?.({ done: true });
});
google.calendar.control.dropNotifications = true;
microsoft.calendar.control.dropNotifications = true;
microsoft.calendar.control.delayMs = 0;
process.send?.({ google: googleServer.url, graph: graphServer.url });
