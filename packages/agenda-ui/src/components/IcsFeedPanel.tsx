import type { IcsFeed } from "@crm-agenda/shared";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useAgendaClient, useAgendaQueryClient, useAgendaSettings } from "../AgendaProvider";
import { getDateFormats } from "../date/dateFormats";
import { describeError, fillMessage } from "../messages/describeMessages";

/**
 * The panel's words, kept here rather than in the agenda's dictionary so the main entry does not carry
 * them. `{date}` is when the current URL was made; `{reason}` is why an action failed, in words.
 */
export interface IcsFeedMessages {
  heading: string;
  description: string;
  create: string;
  /** Making a new URL when one exists: the old one stops working. */
  replace: string;
  revoke: string;
  copy: string;
  copied: string;
  active: string;
  shownOnce: string;
  failed: string;
}

const icsFeedMessages: Record<"fr" | "en", IcsFeedMessages> = {
  fr: {
    heading: "Abonnement iCalendar",
    description:
      "Une adresse secrète pour voir l’agenda dans Google Agenda, Apple Calendrier ou Outlook (lecture seule). Qui la connaît voit vos rendez-vous.",
    create: "Créer l’adresse",
    replace: "Créer une nouvelle adresse",
    revoke: "Révoquer",
    copy: "Copier",
    copied: "Copiée",
    active: "Une adresse est active depuis le {date}.",
    shownOnce: "Copiez-la maintenant : elle ne sera plus affichée.",
    failed: "Échec : {reason}",
  },
  en: {
    heading: "Calendar feed (iCalendar)",
    description:
      "A secret address to see the agenda in Google Calendar, Apple Calendar or Outlook (read-only). Anyone who has it sees your appointments.",
    create: "Create the address",
    replace: "Create a new address",
    revoke: "Revoke",
    copy: "Copy",
    copied: "Copied",
    active: "An address has been active since {date}.",
    shownOnce: "Copy it now: it will not be shown again.",
    failed: "Failed: {reason}",
  },
};

/** Props of {@link IcsFeedPanel}. */
export interface IcsFeedPanelProps {
  /** Added to the panel's classes. */
  className?: string;
  /** Words to change. @default the agenda locale's own */
  messages?: Partial<IcsFeedMessages>;
}

/**
 * The signed-in user's secret ICS feed, for the settings beside {@link ConnectionsPanel}: make its URL
 * (shown once, with a copy button: the server keeps only a hash), make a new one, or revoke it.
 * Class `agenda-ics-feed`; published as `@crm-agenda/ui/ics` so the main entry does not carry it.
 */
export function IcsFeedPanel({ className, messages: changed }: IcsFeedPanelProps) {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const { locale, timeZone, messages: agendaMessages } = useAgendaSettings();
  const messages = { ...icsFeedMessages[locale], ...changed };
  const headingId = useId();
  const queryKey = ["agenda", client.baseUrl, "ics-feed"];
  const status = useQuery({ queryKey, queryFn: () => client.request("getIcsFeedStatus") }, queryClient);
  const [created, setCreated] = useState<IcsFeed | null>(null);
  const [copied, setCopied] = useState(false);
  const settle = () => queryClient.invalidateQueries({ queryKey });
  const create = useMutation(
    {
      mutationFn: () => client.request("createIcsFeed"),
      onSuccess: (feed) => {
        setCreated(feed);
        setCopied(false);
      },
      onSettled: settle,
    },
    queryClient,
  );
  const revoke = useMutation(
    {
      mutationFn: () => client.request("deleteIcsFeed"),
      onSuccess: () => setCreated(null),
      onSettled: settle,
    },
    queryClient,
  );
  const failure = create.error ?? revoke.error ?? status.error;
  const active = status.data?.active ?? false;
  const busy = create.isPending || revoke.isPending;

  return (
    <section
      className={["agenda-root agenda-ics-feed", className].filter(Boolean).join(" ")}
      aria-labelledby={headingId}
      lang={locale}
    >
      <h2 id={headingId} className="agenda-connections-heading">
        {messages.heading}
      </h2>
      <p className="agenda-connections-description">{messages.description}</p>
      {created === null ? null : (
        <p className="agenda-ics-feed-url">
          <input className="agenda-input" readOnly value={created.url} aria-label={messages.heading} />
          <button
            type="button"
            className="agenda-button"
            onClick={() => navigator.clipboard?.writeText(created.url).then(() => setCopied(true))}
          >
            {copied ? messages.copied : messages.copy}
          </button>
          <span>{messages.shownOnce}</span>
        </p>
      )}
      {active && created === null && status.data?.createdAt ? (
        <p>
          {fillMessage(messages.active, {
            date: getDateFormats(locale, timeZone).fullDate(new Date(status.data.createdAt)),
          })}
        </p>
      ) : null}
      <p className="agenda-form-actions">
        <button
          type="button"
          className="agenda-button agenda-button-primary"
          disabled={busy || status.isPending}
          onClick={() => create.mutate()}
        >
          {active ? messages.replace : messages.create}
        </button>
        {active ? (
          <button
            type="button"
            className="agenda-button agenda-button-danger"
            disabled={busy}
            onClick={() => revoke.mutate()}
          >
            {messages.revoke}
          </button>
        ) : null}
      </p>
      {failure ? (
        <p className="agenda-form-error" role="alert">
          {fillMessage(messages.failed, { reason: describeError(failure, agendaMessages) })}
        </p>
      ) : null}
    </section>
  );
}
