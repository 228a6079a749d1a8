import { Agenda, AgendaProvider } from "@crm-agenda/ui";
import { AvailabilitySettingsPanel } from "@crm-agenda/ui/booking";
import { ConnectionsPanel } from "@crm-agenda/ui/connections";
import { IcsFeedPanel } from "@crm-agenda/ui/ics";
import { RecurrenceFields } from "@crm-agenda/ui/recurrence";
import { type QueryClient, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { LoggedReminder } from "../reminderLog";

type Me =
  | { signedIn: true; id: string; name: string; email: string; tenantId: string }
  | { signedIn: false; people: Record<string, { name: string; tenantId: string }> };

type Page = "agenda" | "clients" | "reminders" | "settings";

function pageOf(pathname: string): Page {
  if (pathname.startsWith("/clients")) return "clients";
  if (pathname.startsWith("/reminders")) return "reminders";
  if (pathname.startsWith("/settings")) return "settings";
  return "agenda";
}

/** A stand-in for the host CRM: its sidebar, its clients page, and the agenda dropped in at /agenda. */
export function CrmShell({ queryClient }: { queryClient: QueryClient }) {
  const [page, setPage] = useState<Page>(() => pageOf(window.location.pathname));
  // On a phone the sidebar is a bar whose links open from a menu button.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    const onPop = () => setPage(pageOf(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const me = useQuery({
    queryKey: ["demo", "me"],
    queryFn: async (): Promise<Me> => (await fetch("/demo/api/me")).json(),
  });

  const go = (next: Page) => {
    window.history.pushState(null, "", `/${next}`);
    setPage(next);
    setMenuOpen(false);
  };

  if (me.isPending) return <div className="crm-loading">Chargement…</div>;
  if (me.isError || !me.data) return <div className="crm-loading">Le CRM ne répond pas.</div>;
  if (!me.data.signedIn) return <SignIn people={me.data.people} />;

  return (
    <div className="crm-shell">
      <nav className="crm-sidebar" aria-label="CRM">
        <div className="crm-brand">Acme CRM</div>
        <button
          type="button"
          className="crm-menu-button"
          aria-expanded={menuOpen}
          aria-controls="crm-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <div id="crm-menu" className="crm-menu" data-open={menuOpen || undefined}>
          <a
            className="crm-nav-item"
            href="/clients"
            aria-current={page === "clients" ? "page" : undefined}
            onClick={(event) => {
              event.preventDefault();
              go("clients");
            }}
          >
            Clients
          </a>
          <a
            className="crm-nav-item"
            href="/agenda"
            aria-current={page === "agenda" ? "page" : undefined}
            onClick={(event) => {
              event.preventDefault();
              go("agenda");
            }}
          >
            Agenda
          </a>
          <a
            className="crm-nav-item"
            href="/reminders"
            aria-current={page === "reminders" ? "page" : undefined}
            onClick={(event) => {
              event.preventDefault();
              go("reminders");
            }}
          >
            Rappels
          </a>
          <a
            className="crm-nav-item"
            href="/settings"
            aria-current={page === "settings" ? "page" : undefined}
            onClick={(event) => {
              event.preventDefault();
              go("settings");
            }}
          >
            Paramètres
          </a>
          <SimulateCallButton queryClient={queryClient} />
          <BookingLink />
          <div className="crm-user">
            <span>{me.data.name}</span>
            <form method="post" action="/demo/logout">
              <button type="submit">Se déconnecter</button>
            </form>
          </div>
        </div>
      </nav>
      <main className="crm-main">
        {page === "clients" ? (
          <ClientsPage />
        ) : page === "reminders" ? (
          <RemindersPage />
        ) : (
          <AgendaProvider
            baseUrl="/api/agenda"
            locale="fr"
            timeZone="Europe/Paris"
            queryClient={queryClient}
            recurrenceFields={RecurrenceFields}
          >
            {page === "agenda" ? (
              <Agenda />
            ) : (
              <section className="crm-settings">
                <h1>Paramètres</h1>
                <ConnectionsPanel returnTo="/settings" />
                <IcsFeedPanel />
                <AvailabilitySettingsPanel
                  baseUrl="/api/agenda"
                  locale="fr"
                  bookingUrl={(token) => `${window.location.origin}/book/${token}`}
                />
              </section>
            )}
          </AgendaProvider>
        )}
      </main>
    </div>
  );
}

function SignIn({ people }: { people: Record<string, { name: string; tenantId: string }> }) {
  return (
    <div className="crm-signin">
      <h1>Acme CRM — démo</h1>
      <p>Choisissez un compte de démonstration :</p>
      <ul>
        {Object.entries(people).map(([id, person]) => (
          <li key={id}>
            <form method="post" action="/demo/login">
              <button type="submit" name="as" value={id}>
                {person.name} <small>({person.tenantId})</small>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ClientsPage() {
  const clients = useQuery({
    queryKey: ["demo", "clients"],
    queryFn: async (): Promise<{ clients: { id: string; name: string; emails: string[] }[] }> =>
      (await fetch("/demo/api/clients")).json(),
  });
  return (
    <section className="crm-clients">
      <h1>Clients</h1>
      <table>
        <thead>
          <tr>
            <th>Nom</th>
            <th>E-mails</th>
          </tr>
        </thead>
        <tbody>
          {clients.data?.clients.map((client) => (
            <tr key={client.id}>
              <td>{client.name}</td>
              <td>{client.emails.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const dateTime = new Intl.DateTimeFormat("fr", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "Europe/Paris",
});

/**
 * The reminders the agenda asked the CRM to send (where a real CRM would e-mail the client), with the
 * client's confirm and cancel links; the answer then shows on the event in the agenda.
 */
function RemindersPage() {
  const log = useQuery({
    queryKey: ["demo", "reminders"],
    queryFn: async (): Promise<{ enabled: boolean; reminders: LoggedReminder[] }> =>
      (await fetch("/demo/api/reminders")).json(),
    refetchInterval: 10_000,
  });
  return (
    <section className="crm-reminders">
      <h1>Rappels envoyés</h1>
      {log.data?.enabled === false ? (
        <p>Les rappels demandent des clés de chiffrement (pour signer leurs liens).</p>
      ) : log.data?.reminders.length === 0 ? (
        <p>
          Aucun rappel pour l’instant : celui du rendez-vous « Point d’étape — Dupont SA » arrive 10 minutes
          avant.
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Envoyé</th>
            <th>Rendez-vous</th>
            <th>Client</th>
            <th>Délai</th>
            <th>Liens du client</th>
          </tr>
        </thead>
        <tbody>
          {log.data?.reminders.map((reminder) => (
            <tr key={reminder.reminderId}>
              <td>{dateTime.format(new Date(reminder.sentAt))}</td>
              <td>
                {reminder.title}
                <br />
                <small>{dateTime.format(new Date(reminder.start))}</small>
              </td>
              <td>
                {reminder.clientName}
                {reminder.clientEmail ? (
                  <>
                    <br />
                    <small>{reminder.clientEmail}</small>
                  </>
                ) : null}
              </td>
              <td>{reminder.offset >= 60 ? `${reminder.offset / 60} h` : `${reminder.offset} min`} avant</td>
              <td>
                <a href={reminder.confirmUrl} target="_blank" rel="noreferrer">
                  Confirmer
                </a>{" "}
                ·{" "}
                <a href={reminder.cancelUrl} target="_blank" rel="noreferrer">
                  Annuler
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The demo's "a Zoom call just ended" action: the Zoom sandbox records a call with its transcript and
 * sends the signed webhook, and the agenda summarizes it as it would a real call.
 */
function SimulateCallButton({ queryClient }: { queryClient: QueryClient }) {
  const [state, setState] = useState<{ busy: boolean; message: string | null; failed: boolean }>({
    busy: false,
    message: null,
    failed: false,
  });
  async function simulate() {
    setState({ busy: true, message: null, failed: false });
    const response = await fetch("/demo/api/simulate-call", { method: "POST" });
    const body = (await response.json()) as { title?: string; error?: { message: string } };
    if (!response.ok) {
      setState({ busy: false, message: body.error?.message ?? "La simulation a échoué.", failed: true });
      return;
    }
    await queryClient.invalidateQueries({ queryKey: ["agenda"] });
    setState({
      busy: false,
      message: `Appel simulé : « ${body.title} ». Ouvrez-le dans l’agenda pour voir le résumé s’écrire.`,
      failed: false,
    });
  }
  return (
    <div className="crm-simulate">
      <button type="button" onClick={simulate} disabled={state.busy}>
        {state.busy ? "Simulation…" : "Simuler un appel Zoom"}
      </button>
      {state.message && (
        <p role={state.failed ? "alert" : "status"} data-failed={state.failed || undefined}>
          {state.message}
        </p>
      )}
    </div>
  );
}

/** The signed-in person's first booking link, as a CRM would show it for sharing. */
function BookingLink() {
  const types = useQuery({
    queryKey: ["demo", "booking-types"],
    queryFn: async (): Promise<{ bookingTypes: { id: string; title: string; linkToken: string }[] }> =>
      (await fetch("/api/agenda/booking-types")).json(),
  });
  const first = types.data?.bookingTypes?.[0];
  if (!first) return null;
  const href = `/book/${first.linkToken}`;
  return (
    <div className="crm-booking-link">
      <span>Ma page de réservation</span>
      <a href={href} target="_blank" rel="noreferrer">
        {first.title}
      </a>
    </div>
  );
}
