import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { Express, Request, Response } from "express";
import type { OAuthAuthority, SandboxAccount } from "../oauth/createOAuthAuthority";

/** A recorded meeting held by the sandbox, as Zoom's recordings API describes one. */
export interface SandboxZoomMeeting {
  uuid: string;
  id: number;
  host_id: string;
  host_email: string;
  topic: string;
  start_time: string;
  duration: number;
  timezone: string;
  share_url: string;
  recording_files: {
    id: string;
    meeting_id: string;
    recording_start: string;
    recording_end: string;
    file_type: "TRANSCRIPT";
    file_extension: "VTT";
    file_size: number;
    play_url: string;
    download_url: string;
    status: "completed";
    recording_type: "audio_transcript";
  }[];
}

export interface AddRecordingInput {
  account: SandboxAccount;
  meetingId: number;
  topic: string;
  startTime: Date;
  durationMinutes: number;
  vtt: string;
  participants: { name: string; email?: string }[];
  /** Defaults to a fresh base64 UUID; one starting with "/" or holding "//" tests double encoding. */
  uuid?: string;
}

/**
 * Zoom's cloud recording API and webhook deliveries, as documented:
 * - GET /v2/users/{userId}/recordings (https://developers.zoom.us/docs/api/meetings/#tag/cloud-recording/GET/users/{userId}/recordings):
 *   `from`/`to` dates, `page_size`, `next_page_token`; answers `{ from, to, page_count, page_size,
 *   total_records, next_page_token, meetings: [...] }`.
 * - GET /v2/meetings/{meetingId}/recordings, where a UUID starting with "/" or holding "//" must be
 *   double URL-encoded; GET /v2/past_meetings/{meetingId}/participants.
 * - Transcript download at the file's download_url with a bearer token or `access_token` query
 *   (https://developers.zoom.us/docs/api/rest/using-zoom-apis/#download-cloud-recordings): the user's
 *   OAuth token, or the `download_token` a recording webhook carries, which opens that meeting's
 *   files only, for 24 hours (https://developers.zoom.us/docs/api/webhooks/#download-recordings).
 * - Webhooks signed `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` (https://developers.zoom.us/docs/api/webhooks/).
 */
export function createZoomRecordings(app: Express, oauth: OAuthAuthority, baseUrl: () => string) {
  const meetings: SandboxZoomMeeting[] = [];
  const transcripts = new Map<string, string>();
  const participants = new Map<string, { id: string; name: string; user_email: string }[]>();
  const stats = {
    downloads: 0,
    listRequests: 0,
    /** Recordings lists answered, per account id. */
    listsByAccount: {} as Record<string, number>,
    /** The most lists of one account answered at once. */
    maxListsInFlight: 0,
  };
  /** Test controls: how long a recordings list takes to answer. */
  const control = { listDelayMs: 0 };
  const listsInFlight = new Map<string, number>();
  /** Recording webhooks' download tokens: the meeting whose files each opens, and until when. */
  const downloadTokens = new Map<string, { uuid: string; expiresAt: number }>();
  const invalidToken = (res: Response) =>
    res.status(401).json({ code: 124, message: "Invalid access token." });

  /** Zoom's path rule: a meeting UUID starting with "/" or holding "//" arrives encoded twice. */
  function meetingFromPath(req: Request): SandboxZoomMeeting | undefined {
    const raw = String(req.params.meetingId);
    const once = decodeURIComponent(raw);
    return (
      meetings.find((meeting) => meeting.uuid === once || String(meeting.id) === once) ??
      meetings.find((meeting) => meeting.uuid === decodeURIComponent(once))
    );
  }

  app.get("/v2/users/:userId/recordings", async (req, res) => {
    stats.listRequests++;
    const account = oauth.bearer(req);
    if (!account) return invalidToken(res);
    stats.listsByAccount[account.id] = (stats.listsByAccount[account.id] ?? 0) + 1;
    const inFlight = (listsInFlight.get(account.id) ?? 0) + 1;
    listsInFlight.set(account.id, inFlight);
    stats.maxListsInFlight = Math.max(stats.maxListsInFlight, inFlight);
    try {
      if (control.listDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, control.listDelayMs));
    } finally {
      listsInFlight.set(account.id, (listsInFlight.get(account.id) ?? 1) - 1);
    }
    const from = String(req.query.from ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    const to = String(req.query.to ?? new Date().toISOString().slice(0, 10));
    const pageSize = Math.min(Math.max(Number(req.query.page_size ?? 30), 1), 300);
    const offset = Number(Buffer.from(String(req.query.next_page_token ?? ""), "base64url").toString() || 0);
    const mine = meetings.filter(
      (meeting) =>
        meeting.host_id === account.id &&
        meeting.start_time.slice(0, 10) >= from &&
        meeting.start_time.slice(0, 10) <= to,
    );
    const page = mine.slice(offset, offset + pageSize);
    const next =
      offset + pageSize < mine.length ? Buffer.from(String(offset + pageSize)).toString("base64url") : "";
    res.json({
      from,
      to,
      page_count: Math.ceil(mine.length / pageSize),
      page_size: pageSize,
      total_records: mine.length,
      next_page_token: next,
      meetings: page,
    });
  });

  app.get("/v2/meetings/:meetingId/recordings", (req, res) => {
    const account = oauth.bearer(req);
    if (!account) return invalidToken(res);
    const meeting = meetingFromPath(req);
    if (!meeting || meeting.host_id !== account.id)
      return res.status(404).json({ code: 3301, message: "This recording does not exist." });
    res.json(meeting);
  });

  app.get("/v2/past_meetings/:meetingId/participants", (req, res) => {
    const account = oauth.bearer(req);
    if (!account) return invalidToken(res);
    const meeting = meetingFromPath(req);
    if (!meeting) return res.status(404).json({ code: 3001, message: "Meeting does not exist." });
    const list = participants.get(meeting.uuid) ?? [];
    res.json({
      page_count: 1,
      page_size: 300,
      total_records: list.length,
      next_page_token: "",
      participants: list,
    });
  });

  app.get("/rec/download/:fileId", (req, res) => {
    const header = req.header("authorization");
    const queryToken = typeof req.query.access_token === "string" ? req.query.access_token : null;
    if (!header && queryToken) req.headers.authorization = `Bearer ${queryToken}`;
    const fileId = String(req.params.fileId);
    const presented = /^Bearer\s+(\S+)$/i.exec(req.header("authorization") ?? "")?.[1] ?? "";
    const download = downloadTokens.get(presented);
    const opensFile =
      download !== undefined &&
      download.expiresAt > Date.now() &&
      meetings.some(
        (meeting) =>
          meeting.uuid === download.uuid &&
          meeting.recording_files.some((file) => file.download_url.endsWith(`/rec/download/${fileId}`)),
      );
    if (!opensFile && !oauth.bearer(req)) return invalidToken(res);
    const text = transcripts.get(fileId);
    if (text === undefined)
      return res.status(404).json({ code: 3301, message: "This recording does not exist." });
    stats.downloads++;
    res.type("text/vtt; charset=utf-8").send(text);
  });

  return {
    stats,
    control,
    meetings,
    /** Records a finished meeting with its transcript, as Zoom has it once processing is done. */
    addRecording(input: AddRecordingInput): SandboxZoomMeeting {
      const uuid = input.uuid ?? randomBytes(16).toString("base64");
      const fileId = randomUUID();
      const end = new Date(input.startTime.getTime() + input.durationMinutes * 60_000);
      const meeting: SandboxZoomMeeting = {
        uuid,
        id: input.meetingId,
        host_id: input.account.id,
        host_email: input.account.email,
        topic: input.topic,
        start_time: input.startTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
        duration: input.durationMinutes,
        timezone: "Europe/Paris",
        share_url: `${baseUrl()}/rec/share/${fileId}`,
        recording_files: [
          {
            id: fileId,
            meeting_id: uuid,
            recording_start: input.startTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
            recording_end: end.toISOString().replace(/\.\d{3}Z$/, "Z"),
            file_type: "TRANSCRIPT",
            file_extension: "VTT",
            file_size: Buffer.byteLength(input.vtt),
            play_url: `${baseUrl()}/rec/play/${fileId}`,
            download_url: `${baseUrl()}/rec/download/${fileId}`,
            status: "completed",
            recording_type: "audio_transcript",
          },
        ],
      };
      meetings.push(meeting);
      transcripts.set(fileId, input.vtt);
      participants.set(
        uuid,
        input.participants.map((person, index) => ({
          id: `p${index}`,
          name: person.name,
          user_email: person.email ?? "",
        })),
      );
      return meeting;
    },
    /** The body Zoom posts for `recording.transcript_completed`. */
    transcriptCompletedEvent(meeting: SandboxZoomMeeting, now = new Date()) {
      return recordingEvent("recording.transcript_completed", meeting, now, downloadTokens);
    },
    /**
     * The body Zoom posts for `recording.completed`
     * (https://developers.zoom.us/docs/api/rest/reference/zoom-api/events/#/paths/recording.completed):
     * the same meeting object, sent for the same call as `recording.transcript_completed` when the
     * transcript is among the finished files.
     */
    recordingCompletedEvent(meeting: SandboxZoomMeeting, now = new Date()) {
      return recordingEvent("recording.completed", meeting, now, downloadTokens);
    },
    /** Posts an event to a webhook endpoint, signed as Zoom signs them. */
    async deliver(url: string, secretToken: string, event: object, now = new Date()) {
      const body = JSON.stringify(event);
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const signature = `v0=${createHmac("sha256", secretToken).update(`v0:${timestamp}:${body}`).digest("hex")}`;
      return fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-zm-request-timestamp": timestamp,
          "x-zm-signature": signature,
        },
        body,
      });
    },
  };
}

/** A recording webhook's body: the meeting object, and a token to download its files with. */
function recordingEvent(
  event: string,
  meeting: SandboxZoomMeeting,
  now: Date,
  downloadTokens: Map<string, { uuid: string; expiresAt: number }>,
) {
  const downloadToken = `sbx-dl-${randomBytes(12).toString("base64url")}`;
  downloadTokens.set(downloadToken, { uuid: meeting.uuid, expiresAt: now.getTime() + 24 * 3600_000 });
  return {
    event,
    event_ts: now.getTime(),
    // Zoom sends the meeting's passcode and the recording's play passcode along (the agenda must not keep them).
    payload: {
      account_id: "sandbox-account",
      object: {
        ...meeting,
        password: `sbx-pwd-${randomBytes(6).toString("base64url")}`,
        recording_play_passcode: `sbx-play-${randomBytes(12).toString("base64url")}`,
      },
    },
    download_token: downloadToken,
  };
}
