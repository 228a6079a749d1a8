import type { IcsFeed } from "@crm-agenda/shared";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useAgendaClient, useAgendaQueryClient, useAgendaSettings } from "../AgendaProvider";
import { getDateFormats } from "../date/dateFormats";
import { describeError, fillMessage } from "../messages/describeMessages";

/** Props of {@link IcsFeedPanel}. */
export interface IcsFeedPanelProps {
  /** Added to the panel's classes. */
  className?: string;
}

/**
 * The signed-in user's secret ICS feed, for the settings beside {@link ConnectionsPanel}: make its URL
 * (shown once, with a copy button: the server keeps only a hash), make a new one, or revoke it.
 * Class `agenda-ics-feed`; published as `@crm-agenda/ui/ics` so the main entry does not carry it.
 */
export function IcsFeedPanel({ className }: IcsFeedPanelProps) {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const { locale, timeZone, messages } = useAgendaSettings();
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
        {messages.icsFeedHeading}
      </h2>
      <p className="agenda-connections-description">{messages.icsFeedDescription}</p>
      {created === null ? null : (
        <p className="agenda-ics-feed-url">
          <input className="agenda-input" readOnly value={created.url} aria-label={messages.icsFeedHeading} />
          <button
            type="button"
            className="agenda-button"
            onClick={() => navigator.clipboard?.writeText(created.url).then(() => setCopied(true))}
          >
            {copied ? messages.icsFeedCopied : messages.icsFeedCopy}
          </button>
          <span>{messages.icsFeedShownOnce}</span>
        </p>
      )}
      {active && created === null && status.data?.createdAt ? (
        <p>
          {fillMessage(messages.icsFeedActive, {
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
          {active ? messages.icsFeedReplace : messages.icsFeedCreate}
        </button>
        {active ? (
          <button
            type="button"
            className="agenda-button agenda-button-danger"
            disabled={busy}
            onClick={() => revoke.mutate()}
          >
            {messages.icsFeedRevoke}
          </button>
        ) : null}
      </p>
      {failure ? (
        <p className="agenda-form-error" role="alert">
          {fillMessage(messages.icsFeedFailed, { reason: describeError(failure, messages) })}
        </p>
      ) : null}
    </section>
  );
}
