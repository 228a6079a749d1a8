import { meet_v2 } from "@googleapis/meet";
import { TranscriptFormatError } from "../../calls/callErrors";
import type { CallSource } from "../../db/schema/summaries";
import { ProviderUnavailableError } from "../providerFetch";
import { googleApiOptions, googleFailure } from "./googleApiOptions";
import type { MeetParticipant, MeetTranscriptEntry } from "./parseMeetEntries";

/**
 * The Google Meet side of the call path: which calls have a transcript, and their entries. Google
 * Meet REST API v2, https://developers.google.com/workspace/meet/api/reference/rest/v2, through
 * Google's generated client (`@googleapis/meet`) — every list is paged with `pageToken` /
 * `nextPageToken` until the token is absent, and every function takes the API's base URL
 * (`https://meet.googleapis.com`, or the sandbox's, as the client's `rootUrl`) and the user's OAuth
 * access token (scope `meetings.space.readonly`).
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

function meetClient(apiBaseUrl: string, accessToken: string) {
  return new meet_v2.Meet(googleApiOptions(apiBaseUrl, accessToken, 20_000));
}

/**
 * One call of the Meet client; `path` names it in errors. A network failure, 429 or 5xx is worth
 * retrying; any other refusal (Google's error body, https://cloud.google.com/apis/design/errors#http_mapping)
 * is not.
 */
async function meetCall<T>(path: string, request: () => Promise<{ data: T }>): Promise<T> {
  let data: T;
  try {
    ({ data } = await request());
  } catch (error) {
    const failure = googleFailure(error);
    if (!failure) throw new ProviderUnavailableError("Google Meet could not be reached", { cause: error });
    if (failure.status === 429 || failure.status >= 500) {
      throw new ProviderUnavailableError(`Google Meet answered ${failure.status}`, {
        status: failure.status,
      });
    }
    throw new TranscriptFormatError(
      `Google Meet refused ${path}: ${failure.status} ${failure.body.error?.status ?? ""}`.trim(),
    );
  }
  // The client hands an answer that is not JSON over as its text.
  if (typeof data !== "object" || data === null) {
    throw new TranscriptFormatError(`Google Meet answered ${path} with malformed JSON`);
  }
  return data;
}

/** Every item of a paged list, following `nextPageToken` to the last page. */
async function listAll<T, Page extends { nextPageToken?: string | null }>(
  path: string,
  listPage: (pageToken: string | undefined) => Promise<{ data: Page }>,
  items: (page: Page) => T[] | null | undefined,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let pageToken = "";
  do {
    const token = pageToken || undefined;
    const page = await meetCall(path, () => listPage(token));
    all.push(...(items(page) ?? []));
    pageToken = page.nextPageToken ?? "";
    // A token seen before would loop for ever.
    if (seen.has(pageToken)) throw new TranscriptFormatError(`Google Meet repeated a page token for ${path}`);
    seen.add(pageToken);
  } while (pageToken);
  return all;
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
async function meetingCodeOf(meet: meet_v2.Meet, space: string | undefined) {
  if (!space || !/^spaces\/[^/?#]+$/.test(space)) return undefined;
  try {
    // spaces.get: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/get
    const found = await meetCall(`/v2/${space}`, () => meet.spaces.get({ name: space }));
    return found.meetingCode ?? undefined;
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
  const meet = meetClient(apiBaseUrl, accessToken);
  const records = await listAll(
    "/v2/conferenceRecords",
    (pageToken) =>
      meet.conferenceRecords.list({
        filter: `end_time>="${options.since.toISOString()}"`,
        pageSize: 100,
        ...(pageToken && { pageToken }),
      }),
    (page) => page.conferenceRecords as MeetConferenceRecord[] | undefined,
  );
  const calls: CallSource[] = [];
  for (const record of records) {
    if (!record.endTime) continue;
    const transcripts = await listAll(
      `/v2/${record.name}/transcripts`,
      (pageToken) =>
        meet.conferenceRecords.transcripts.list({
          parent: record.name,
          pageSize: 100,
          ...(pageToken && { pageToken }),
        }),
      (page) => page.transcripts as MeetTranscript[] | undefined,
    );
    const generated = transcripts.filter((transcript) => transcript.state === "FILE_GENERATED");
    if (generated.length === 0) continue;
    const meetingCode = await meetingCodeOf(meet, record.space);
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
  const meet = meetClient(apiBaseUrl, accessToken);
  const record = (await meetCall(`/v2/${recordName}`, () =>
    meet.conferenceRecords.get({ name: recordName }),
  )) as MeetConferenceRecord;
  const transcript = (await meetCall(`/v2/${transcriptName}`, () =>
    meet.conferenceRecords.transcripts.get({ name: transcriptName }),
  )) as MeetTranscript;
  return meetCallSource(record, transcript, connectionId, await meetingCodeOf(meet, record.space));
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
  const meet = meetClient(apiBaseUrl, accessToken);
  const entries = await listAll(
    `/v2/${transcriptName}/entries`,
    (pageToken) =>
      meet.conferenceRecords.transcripts.entries.list({
        parent: transcriptName,
        pageSize: 100,
        ...(pageToken && { pageToken }),
      }),
    (page) => page.transcriptEntries as MeetTranscriptEntry[] | undefined,
  );
  const participants = await listAll(
    `/v2/${recordName}/participants`,
    (pageToken) =>
      meet.conferenceRecords.participants.list({
        parent: recordName,
        pageSize: 250,
        ...(pageToken && { pageToken }),
      }),
    (page) => page.participants as MeetParticipant[] | undefined,
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
