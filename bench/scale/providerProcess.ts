// The sandbox Zoom, Google (Calendar and Meet) and Microsoft Graph in a process of their own, with one
// account per connection, so the workers' cost is measured apart from the providers'.
import { createGoogleSandbox, createMicrosoftSandbox, createZoomSandbox } from "@crm-agenda/sandbox";

const size = Number(process.argv[2]);
const accounts = Array.from({ length: size }, (_, index) => ({
  id: `acct-${index}`,
  email: `user${index}@bench.test`,
  name: `User ${index}`,
}));
const client = { clientId: "bench", clientSecret: "bench-secret" };
const zoom = createZoomSandbox({ accounts, client, autoApprove: true });
const google = createGoogleSandbox({ accounts, client, autoApprove: true });
const microsoft = createMicrosoftSandbox({ accounts, client, autoApprove: true });
google.calendar.control.dropNotifications = true;
microsoft.calendar.control.dropNotifications = true;

// A few events in every calendar: the first round is each calendar's full sync, later ones deltas.
const day = 86_400_000;
const base = Date.now() + day;
for (const [index, account] of accounts.entries()) {
  const starts = [0, 1, 2].map((offset) => base + ((index + offset) % 30) * day);
  google.calendar.seed(
    account.id,
    starts.map((start, offset) => ({
      id: `scale${index}x${offset}`,
      summary: `Rendez-vous ${offset}`,
      start: { dateTime: new Date(start).toISOString() },
      end: { dateTime: new Date(start + 3_600_000).toISOString() },
      attendees: [{ email: `client${index % 50}@client.test` }],
    })),
  );
  microsoft.calendar.seed(
    account.id,
    starts.map((start, offset) => ({
      id: `AAMkADscale${index}x${offset}`,
      subject: `Rendez-vous ${offset}`,
      start: { dateTime: new Date(start).toISOString().replace("Z", "0000"), timeZone: "UTC" },
      end: { dateTime: new Date(start + 3_600_000).toISOString().replace("Z", "0000"), timeZone: "UTC" },
      attendees: [{ emailAddress: { address: `client${index % 50}@client.test` } }],
    })),
  );
}

const servers = { zoom: await zoom.start(), google: await google.start(), graph: await microsoft.start() };
process.send?.({ zoom: servers.zoom.url, google: servers.google.url, graph: servers.graph.url });
