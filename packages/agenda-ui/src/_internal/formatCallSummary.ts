import type { CallSummary, EventSummary } from "@crm-agenda/shared";
import type { AgendaMessages } from "../messages/AgendaMessages";
import { fillMessage } from "../messages/describeMessages";

/** A time into the call, `HH:MM:SS`, as a person reads it: "12:31", or "1:02:05" past the hour. */
export function formatCallTime(at: string): string {
  const [hours = 0, minutes = 0, seconds = 0] = at.split(":").map(Number);
  const twoDigits = (value: number) => String(value).padStart(2, "0");
  return hours > 0
    ? `${hours}:${twoDigits(minutes)}:${twoDigits(seconds)}`
    : `${minutes}:${twoDigits(seconds)}`;
}

/** A due date, `yyyy-MM-dd`, in the locale's words ("3 décembre 2026"), whatever the time zone. */
export function formatDueDate(due: string, locale: string): string {
  const date = new Date(`${due}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return due;
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
}

/** An action item's owner and due date in words, e.g. "Responsable : Camille, échéance le 3 décembre 2026". */
export function describeActionItem(
  item: CallSummary["actionItems"][number],
  messages: AgendaMessages,
  locale: string,
): string {
  const parts: string[] = [];
  if (item.owner) parts.push(fillMessage(messages.summaryOwner, { owner: item.owner }));
  if (item.due) parts.push(fillMessage(messages.summaryDue, { date: formatDueDate(item.due, locale) }));
  return parts.join(", ");
}

/** The summary as Markdown, which also reads well as plain text, for the clipboard. */
export function callSummaryToMarkdown(
  eventSummary: EventSummary,
  summary: CallSummary,
  messages: AgendaMessages,
  locale: string,
): string {
  const at = (time: string | undefined) => (time === undefined ? "" : ` (${formatCallTime(time)})`);
  const lines = [`## ${messages.summaryHeading}`, "", summary.executiveSummary.trim()];
  const list = (
    heading: string,
    items: readonly { text: string; at?: string | undefined }[],
    extra?: (index: number) => string,
  ) => {
    if (items.length === 0) return;
    lines.push("", `### ${heading}`, "");
    items.forEach((item, index) => {
      const more = extra?.(index) ?? "";
      lines.push(`- ${item.text}${more === "" ? "" : ` — ${more}`}${at(item.at)}`);
    });
  };
  list(messages.summaryKeyPoints, summary.keyPoints);
  list(messages.summaryDecisions, summary.decisions);
  list(messages.summaryActionItems, summary.actionItems, (index) => {
    const item = summary.actionItems[index];
    return item === undefined ? "" : describeActionItem(item, messages, locale);
  });
  if (eventSummary.transcriptUrl !== null) {
    lines.push("", `[${messages.summaryOpenTranscript}](${eventSummary.transcriptUrl})`);
  }
  return `${lines.join("\n")}\n`;
}
