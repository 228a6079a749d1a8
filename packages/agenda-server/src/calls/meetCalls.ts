import type { CallSource } from "../db/schema/summaries";
import { TranscriptFormatError } from "./callErrors";
import { ProviderUnavailableError } from "./fetchProviderFile";
import type { MeetParticipant, MeetTranscriptEntry } from "./parseMeetEntries";

/**
 * The Google Meet side of the call path: which calls have a transcript, and their entries. Google
 * Meet REST API v2, https://developers.google.com/workspace/meet/api/reference/rest/v2 — every list
 * is paged with `pageToken` / `nextPageToken` until the token is absent, and every function takes the
 * API's base URL (`https://meet.googleapis.com`, or the sandbox's) and the user's OAuth access token
 * (scope `meetings.space.readonly`).
 */

/** `conferenceRecords` resource: one instance of a call in a space. */
export interface MeetConferenceRecord {
  /** `conferenceRecords/{conferenceRecord}` */
  name: string;
  startTime: string;
  /** Unset while the conference is going on. */
  endTime?: string;
  /** `spaces/{space}` */
  space?: string;
}

/**
 * `conferenceRecords.transcripts` resource. Its entries can be read once `state` is `FILE_GENERATED`;
 * `docsDestination.exportUri` is the link to the transcript document, the one shown in the agenda.
 * @see https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.transcripts
 */
export interface MeetTranscript {
  /** `conferenceRecords/{conferenceRecord}/transcripts/{transcript}` */
  name: string;
  state?: "STATE_UNSPECIFIED" | "STARTED" | "ENDED" | "FILE_GENERATED";
  startTime?: string;
  endTime?: string;
  docsDestination?: { document?: string; exportUri?: string };
}

const transcriptNamePattern = /^conferenceRecords\/[^/?#]+\/transcripts\/[^/?#]+$/;

async function meetGet<T>(apiBaseUrl: string, accessToken: string, path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl.replace(/\/+$/, "")}${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new ProviderUnavailableError("Google Meet could not be reached", { cause: error });
  }
  if (response.status === 429 || response.status >= 500) {
    throw new ProviderUnavailableError(`Google Meet answered ${response.status}`, {
      status: response.status,
    });
  }
  if (!response.ok) {
    // Google's error body: https://cloud.google.com/apis/design/errors#http_mapping
    const body = (await response.json().catch(() => ({}))) as {
      error?: { status?: string; message?: string };
    };
    throw new TranscriptFormatError(
      `Google Meet refused ${path.split("?")[0]}: ${response.status} ${body.error?.status ?? ""}`.trim(),
    );
  }
  try {
    return (await response.json()) as T;
  } catch (error) {
    throw new TranscriptFormatError(`Google Meet answered ${path.split("?")[0]} with malformed JSON`, {
      cause: error,
    });
  }
}

/** Every item of a paged list, following `nextPageToken` to the last page. */
async function listAll<T>(
  apiBaseUrl: string,
  accessToken: string,
  path: string,
  field: string,
  query: Record<string, string>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let pageToken = "";
  do {
    const search = new URLSearchParams({ ...query, ...(pageToken && { pageToken }) });
    const page = await meetGet<Record<string, unknown> & { nextPageToken?: string }>(
      apiBaseUrl,
      accessToken,
      `${path}?${search}`,
    );
    items.push(...((page[field] as T[] | undefined) ?? []));
    pageToken = page.nextPageToken ?? "";
    // A token seen before would loop for ever.
    if (seen.has(pageToken)) throw new TranscriptFormatError(`Google Meet repeated a page token for ${path}`);
    seen.add(pageToken);
  } while (pageToken);
  return items;
}

/**
 * The call behind one generated transcript, in the shape the summary jobs take. `key` is the
 * transcript's resource name (a conference can hold several transcripts), `meetingId` the space's
 * meeting code (`abc-mnop-xyz`, as in the Calendar event's conference data, for the client match),
 * `transcriptUrl` the document's `exportUri`. Null when the transcript file is not generated yet.
 */
export function meetCallSource(
  record: MeetConferenceRecord,
  transcript: MeetTranscript,
  connectionId: string,
  meetingCode?: string,
): CallSource | null {
  if (transcript.state !== "FILE_GENERATED" || !transcriptNamePattern.test(transcript.name)) return null;
  const start = transcript.startTime ?? record.startTime;
  const end = transcript.endTime ?? record.endTime ?? start;
  return {
    provider: "meet",
    connectionId,
    key: transcript.name,
    ...(meetingCode && { meetingId: meetingCode }),
    topic: "Google Meet",
    startTime: new Date(start).toISOString(),
    endTime: new Date(end).toISOString(),
    ...(transcript.docsDestination?.document && { transcriptFileId: transcript.docsDestination.document }),
    ...(transcript.docsDestination?.exportUri && { transcriptUrl: transcript.docsDestination.exportUri }),
  };
}

/** The space's meeting code, or undefined when Meet will not say (the call goes on without it). */
async function meetingCodeOf(apiBaseUrl: string, accessToken: string, space: string | undefined) {
  if (!space || !/^spaces\/[^/?#]+$/.test(space)) return undefined;
  try {
    // spaces.get: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/get
    const found = await meetGet<{ meetingCode?: string }>(apiBaseUrl, accessToken, `/v2/${space}`);
    return found.meetingCode;
  } catch (error) {
    if (error instanceof TranscriptFormatError) return undefined;
    throw error;
  }
}

/**
 * Every conference that ended since `since`, with each of its generated transcripts, as calls:
 * `conferenceRecords.list` with the filter `end_time>="…"`
 * (https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords/list), then
 * `transcripts.list` per conference and `spaces.get` for the meeting code. For the polling fallback.
 *
 * @throws {ProviderUnavailableError} on a network failure, 429 or 5xx (worth retrying).
 * @throws {TranscriptFormatError} when Meet refuses (401, 403, 400…).
 */
export async function listMeetCalls(
  apiBaseUrl: string,
  accessToken: string,
  connectionId: string,
  options: { since: Date },
): Promise<CallSource[]> {
  const records = await listAll<MeetConferenceRecord>(
    apiBaseUrl,
    accessToken,
    "/v2/conferenceRecords",
    "conferenceRecords",
    {
      filter: `end_time>="${options.since.toISOString()}"`,
      pageSize: "100",
    },
  );
  const calls: CallSource[] = [];
  for (const record of records) {
    if (!record.endTime) continue;
    const transcripts = await listAll<MeetTranscript>(
      apiBaseUrl,
      accessToken,
      `/v2/${record.name}/transcripts`,
      "transcripts",
      { pageSize: "100" },
    );
    const generated = transcripts.filter((transcript) => transcript.state === "FILE_GENERATED");
    if (generated.length === 0) continue;
    const meetingCode = await meetingCodeOf(apiBaseUrl, accessToken, record.space);
    for (const transcript of generated) {
      const source = meetCallSource(record, transcript, connectionId, meetingCode);
      if (source) calls.push(source);
    }
  }
  return calls;
}

/**
 * The call of one transcript named by a Workspace Events `transcript.v2.fileGenerated` event
 * (`data.transcript.name`): `conferenceRecords.get`, `transcripts.get` and `spaces.get`. Null when the
 * transcript file is not generated yet.
 *
 * @throws {TranscriptFormatError} for a name that is not `conferenceRecords/{id}/transcripts/{id}`.
 */
export async function getMeetCall(
  apiBaseUrl: string,
  accessToken: string,
  connectionId: string,
  transcriptName: string,
): Promise<CallSource | null> {
  const recordName = checkTranscriptName(transcriptName).split("/transcripts/")[0]!;
  const record = await meetGet<MeetConferenceRecord>(apiBaseUrl, accessToken, `/v2/${recordName}`);
  const transcript = await meetGet<MeetTranscript>(apiBaseUrl, accessToken, `/v2/${transcriptName}`);
  return meetCallSource(
    record,
    transcript,
    connectionId,
    await meetingCodeOf(apiBaseUrl, accessToken, record.space),
  );
}

/**
 * Every entry of a transcript and every participant of its conference, following every page
 * (`transcripts.entries.list`, 100 a page, and `participants.list`, 250 a page). Turn them into
 * speaker turns with `parseMeetEntries(entries, participants)`.
 * @see https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.transcripts.entries/list
 * @see https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants/list
 *
 * @throws {ProviderUnavailableError} on a network failure, 429 or 5xx (worth retrying).
 * @throws {TranscriptFormatError} for a malformed name, or when Meet refuses.
 */
export async function fetchMeetTranscript(
  apiBaseUrl: string,
  accessToken: string,
  transcriptName: string,
): Promise<{ entries: MeetTranscriptEntry[]; participants: MeetParticipant[] }> {
  const recordName = checkTranscriptName(transcriptName).split("/transcripts/")[0]!;
  const entries = await listAll<MeetTranscriptEntry>(
    apiBaseUrl,
    accessToken,
    `/v2/${transcriptName}/entries`,
    "transcriptEntries",
    { pageSize: "100" },
  );
  const participants = await listAll<MeetParticipant>(
    apiBaseUrl,
    accessToken,
    `/v2/${recordName}/participants`,
    "participants",
    { pageSize: "250" },
  );
  return { entries, participants };
}

function checkTranscriptName(name: string): string {
  if (!transcriptNamePattern.test(name)) {
    throw new TranscriptFormatError(
      "the Meet transcript name is not conferenceRecords/{id}/transcripts/{id}",
    );
  }
  return name;
}
