import { isTimeZone } from "@crm-agenda/shared";
import { TranscriptFormatError } from "../../calls/callErrors";
import type { OAuthProvider } from "../../connections/OAuthProvider";
import type { CallSource } from "../../db/schema/summaries";
import { answerJson, ProviderUnavailableError, providerFetch } from "../providerFetch";

/** The part of a Zoom recorded meeting the agenda reads (recording webhooks and the recordings API share it). */
export interface ZoomRecordedMeeting {
  uuid: string;
  id: number | string;
  host_id: string;
  topic?: string;
  timezone?: string;
  start_time: string;
  duration?: number;
  recording_files?: {
    id?: string;
    file_type?: string;
    recording_start?: string;
    recording_end?: string;
    download_url?: string;
    play_url?: string;
    status?: string;
  }[];
}

/**
 * Zoom's rule for meeting UUIDs in paths: one that starts with "/" or holds "//" is URL-encoded twice
 * (https://developers.zoom.us/docs/api/meetings/#tag/cloud-recording/GET/meetings/{meetingId}/recordings).
 */
export function zoomMeetingPath(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith("/") || uuid.includes("//") ? encodeURIComponent(once) : once;
}

/** The call behind a recorded meeting, or null when it has no finished transcript. */
export function zoomCallSource(meeting: ZoomRecordedMeeting, connectionId: string): CallSource | null {
  const transcript = meeting.recording_files?.find(
    (file) =>
      file.file_type === "TRANSCRIPT" && (file.status ?? "completed") === "completed" && file.download_url,
  );
  if (!transcript) return null;
  const start = transcript.recording_start ?? meeting.start_time;
  const end =
    transcript.recording_end ??
    new Date(Date.parse(meeting.start_time) + (meeting.duration ?? 60) * 60_000).toISOString();
  return {
    provider: "zoom",
    connectionId,
    key: meeting.uuid,
    meetingId: String(meeting.id),
    topic: meeting.topic || "Zoom",
    ...(meeting.timezone && isTimeZone(meeting.timezone) && { timeZone: meeting.timezone }),
    startTime: new Date(start).toISOString(),
    endTime: new Date(end).toISOString(),
    ...(transcript.id && { transcriptFileId: transcript.id }),
    // The file's play link, which asks for a Zoom sign-in; never the share link, which a passcode may open.
    ...(transcript.play_url && { transcriptUrl: transcript.play_url }),
    downloadUrl: transcript.download_url!,
  };
}

async function zoomGet<T>(provider: OAuthProvider, accessToken: string, path: string): Promise<T> {
  const answer = await providerFetch("Zoom", {
    url: `${provider.apiBaseUrl}${path}`,
    accessToken,
    timeoutMs: 20_000,
  });
  if (answer.status === 429 || answer.status >= 500) {
    throw new ProviderUnavailableError(`Zoom answered ${answer.status}`, { status: answer.status });
  }
  if (answer.status < 200 || answer.status >= 300) {
    const body = answerJson<{ message?: string }>(answer, {});
    throw new TranscriptFormatError(
      `Zoom refused ${path.split("?")[0]}: ${answer.status} ${body.message ?? ""}`.trim(),
    );
  }
  return JSON.parse(answer.text) as T;
}

/** Every recorded meeting with a transcript between two days, following Zoom's pages to the last. */
export async function listZoomCalls(
  provider: OAuthProvider,
  accessToken: string,
  connectionId: string,
  range: { from: Date; to: Date },
): Promise<CallSource[]> {
  const calls: CallSource[] = [];
  let pageToken = "";
  do {
    const query = new URLSearchParams({
      from: range.from.toISOString().slice(0, 10),
      to: range.to.toISOString().slice(0, 10),
      page_size: "300",
      ...(pageToken && { next_page_token: pageToken }),
    });
    const page = await zoomGet<{ meetings?: ZoomRecordedMeeting[]; next_page_token?: string }>(
      provider,
      accessToken,
      `/users/me/recordings?${query}`,
    );
    for (const meeting of page.meetings ?? []) {
      const source = zoomCallSource(meeting, connectionId);
      if (source) calls.push(source);
    }
    pageToken = page.next_page_token ?? "";
  } while (pageToken);
  return calls;
}

/** Who took part, with e-mails where Zoom still gives them (it hides guests' since 2022). */
export async function listZoomParticipants(
  provider: OAuthProvider,
  accessToken: string,
  meetingUuid: string,
): Promise<{ name: string; email?: string }[]> {
  const page = await zoomGet<{ participants?: { name?: string; user_email?: string }[] }>(
    provider,
    accessToken,
    `/past_meetings/${zoomMeetingPath(meetingUuid)}/participants?page_size=300`,
  ).catch((error) => {
    // Participants only sharpen the client match; the summary goes on without them.
    if (error instanceof TranscriptFormatError) return { participants: [] };
    throw error;
  });
  const seen = new Map<string, { name: string; email?: string }>();
  for (const person of page.participants ?? []) {
    const name = person.name?.trim() || person.user_email || "";
    if (!name) continue;
    seen.set(`${name}|${person.user_email ?? ""}`, {
      name,
      ...(person.user_email && { email: person.user_email }),
    });
  }
  return [...seen.values()];
}
