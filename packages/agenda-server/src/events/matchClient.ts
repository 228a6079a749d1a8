import type { Attendee, ClientMatch } from "@crm-agenda/shared";
import type { AgendaSession, ClientDirectory } from "../options";

export const noClient: ClientMatch = { clientId: null, clientName: null, method: "none" };

/**
 * The CRM client an event is about, found by its attendees' e-mails. The user and their colleagues
 * (same e-mail domain) are left out: they attend every meeting and are never the client.
 */
export async function matchClient(
  clients: ClientDirectory,
  session: AgendaSession,
  attendees: readonly Pick<Attendee, "email">[],
): Promise<ClientMatch> {
  const ownDomain = domainOf(session.email);
  const emails = [
    ...new Set(
      attendees
        .map((attendee) => attendee.email.trim().toLowerCase())
        .filter((email) => email !== session.email.toLowerCase() && domainOf(email) !== ownDomain),
    ),
  ];
  if (emails.length === 0) return noClient;
  const found = await clients.findByEmails(session.tenantId, emails);
  // The client whose addresses cover the most attendees wins; ties go to the first attendee listed.
  let best: { client: (typeof found)[number]; score: number; firstIndex: number } | null = null;
  for (const client of found) {
    const owned = new Set(client.emails.map((email) => email.toLowerCase()));
    const indexes = emails.flatMap((email, index) => (owned.has(email) ? [index] : []));
    if (indexes.length === 0) continue;
    const candidate = { client, score: indexes.length, firstIndex: indexes[0]! };
    if (
      !best ||
      candidate.score > best.score ||
      (candidate.score === best.score && candidate.firstIndex < best.firstIndex)
    ) {
      best = candidate;
    }
  }
  return best ? { clientId: best.client.id, clientName: best.client.name, method: "auto" } : noClient;
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}
