import { TranscriptFormatError } from "../../calls/callErrors";
import { type SpeakerTurn, type SpeechPiece, toSpeakerTurns } from "../../calls/SpeakerTurn";

/**
 * One entry of `conferenceRecords.transcripts.entries.list` (Google Meet REST API v2).
 * @see https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.transcripts.entries
 */
export interface MeetTranscriptEntry {
  /** `conferenceRecords/{conferenceRecord}/transcripts/{transcript}/entries/{entry}` */
  name?: string;
  /** `conferenceRecords/{conferenceRecord}/participants/{participant}`, the one who speaks. */
  participant?: string;
  text?: string;
  /** BCP 47, e.g. `fr-FR`. */
  languageCode?: string;
  /** RFC 3339 timestamps (`2025-03-14T09:00:01.250Z`, fractions up to nanoseconds). */
  startTime?: string;
  endTime?: string;
}

/**
 * One participant of `conferenceRecords.participants.list`; at most one of the three users is set.
 * Meet gives no e-mail for any of them (a signed-in user is `users/{id}`, usable with the People API).
 * @see https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants
 */
export interface MeetParticipant {
  /** `conferenceRecords/{conferenceRecord}/participants/{participant}` */
  name: string;
  signedinUser?: { user?: string; displayName?: string };
  anonymousUser?: { displayName?: string };
  /** `displayName` is the partially redacted phone number. */
  phoneUser?: { displayName?: string };
}

/**
 * Reads Meet transcript entries into numbered speaker turns, each speaker named by the participant's
 * display name (`""` when the participant is not in the list). Times are relative to `conferenceStart`
 * when given (the conference record's `startTime`), else to the earliest entry.
 *
 * @throws {TranscriptFormatError} when an entry's time is not RFC 3339, or no entry has text.
 */
export function parseMeetEntries(
  entries: readonly MeetTranscriptEntry[],
  participants: readonly MeetParticipant[],
  options: { conferenceStart?: string | Date } = {},
): SpeakerTurn[] {
  const names = new Map(participants.map((participant) => [participant.name, displayName(participant)]));
  const timed = entries.map((entry, index) => {
    const startMs = parseTimestamp(entry.startTime, `entry ${index + 1} has an invalid startTime`);
    const endMs = entry.endTime
      ? parseTimestamp(entry.endTime, `entry ${index + 1} has an invalid endTime`)
      : startMs;
    return { entry, startMs, endMs };
  });
  timed.sort((a, b) => a.startMs - b.startMs);
  const origin =
    options.conferenceStart === undefined
      ? (timed[0]?.startMs ?? 0)
      : options.conferenceStart instanceof Date
        ? options.conferenceStart.getTime()
        : parseTimestamp(options.conferenceStart, "the conference start is not an RFC 3339 time");
  const pieces = timed.map(
    ({ entry, startMs, endMs }): SpeechPiece => ({
      speaker: (entry.participant && names.get(entry.participant)) || "",
      startMs: Math.max(0, startMs - origin),
      endMs: Math.max(0, endMs - origin),
      text: entry.text ?? "",
    }),
  );
  const turns = toSpeakerTurns(pieces);
  if (turns.length === 0) throw new TranscriptFormatError("the transcript has no spoken text");
  return turns;
}

function displayName(participant: MeetParticipant): string {
  return (
    participant.signedinUser?.displayName ??
    participant.anonymousUser?.displayName ??
    participant.phoneUser?.displayName ??
    ""
  ).trim();
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch; fractions finer than a millisecond (Meet sends nanoseconds) are cut. */
function parseTimestamp(value: string | undefined, reason: string): number {
  const match = value ? rfc3339.exec(value) : null;
  if (!match) throw new TranscriptFormatError(reason);
  const [, year, month, day, hour, minute, second, fraction = "", zone] = match;
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const offset = zone!.toUpperCase() === "Z" ? 0 : offsetMinutes(zone!);
  const ms = utc + Number(fraction.padEnd(3, "0").slice(0, 3)) - offset * 60_000;
  if (Number.isNaN(ms)) throw new TranscriptFormatError(reason);
  return ms;
}

function offsetMinutes(zone: string): number {
  const sign = zone.startsWith("-") ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}
