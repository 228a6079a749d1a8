import { randomBytes, randomInt } from "node:crypto";
import express, { type Express, type Request, type Response } from "express";
import type { OAuthAuthority, SandboxAccount } from "../oauth/createOAuthAuthority";

/** A scheduled meeting as Zoom answers it (the fields the agenda reads, and a few more). */
export interface ZoomMeeting {
  uuid: string;
  id: number;
  host_id: string;
  host_email: string;
  topic: string;
  type: 1 | 2 | 3 | 8;
  status: "waiting";
  start_time?: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  created_at: string;
  start_url: string;
  join_url: string;
  password: string;
}

/**
 * Create a meeting (https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings):
 * `POST /v2/users/{userId}/meetings` with `me` (or the token's user id or e-mail) as userId, a body of
 * `topic` (at most 200 characters), `type` (2 scheduled by default), `start_time`
 * (`yyyy-MM-ddTHH:mm:ssZ`, or local time with `timezone`), `duration` in minutes, `timezone`, `agenda`;
 * answers 201 with the meeting, its numeric `id` and `join_url`. Errors are `{ code, message }`: 124
 * for an invalid token (401), 300 for an invalid field (400), 1001 for another user (404).
 *
 * Update a meeting (https://developers.zoom.us/docs/api/meetings/#tag/meetings/PATCH/meetings/{meetingId}):
 * `PATCH /v2/meetings/{meetingId}` with any of `topic`, `start_time`, `duration`, `timezone`, `agenda`;
 * answers 204 with no body. Delete a meeting
 * (https://developers.zoom.us/docs/api/meetings/#tag/meetings/DELETE/meetings/{meetingId}):
 * `DELETE /v2/meetings/{meetingId}`; answers 204. Both answer 404 `{ "code": 3001, "message":
 * "Meeting does not exist: {meetingId}." }` for a meeting that is gone or another user's.
 *
 * Test controls: `failNext(status, count)` makes the next meeting requests answer an error (429, 503…)
 * before any other check.
 */
export function createZoomMeetings(app: Express, oauth: OAuthAuthority, now: () => Date = () => new Date()) {
  const meetings: ZoomMeeting[] = [];
  const failures: number[] = [];

  const authorize = (req: Request, res: Response): SandboxAccount | undefined => {
    const failure = failures.shift();
    if (failure !== undefined) {
      res.status(failure).json({ code: failure, message: "Injected failure." });
      return undefined;
    }
    const account = oauth.bearer(req);
    if (!account) res.status(401).json({ code: 124, message: "Invalid access token." });
    return account ?? undefined;
  };
  const hostedMeeting = (req: Request, res: Response, account: SandboxAccount) => {
    const meetingId = String(req.params.meetingId);
    const index = meetings.findIndex(
      (meeting) => String(meeting.id) === meetingId && meeting.host_id === account.id,
    );
    if (index === -1) res.status(404).json({ code: 3001, message: `Meeting does not exist: ${meetingId}.` });
    return index;
  };
  const invalidField = (body: Record<string, unknown>) => {
    if (body.topic !== undefined && (typeof body.topic !== "string" || body.topic.length > 200))
      return "topic";
    if (body.start_time !== undefined && Number.isNaN(Date.parse(String(body.start_time))))
      return "start_time";
    if (body.duration !== undefined && (!Number.isInteger(body.duration) || (body.duration as number) < 0))
      return "duration";
    if (body.agenda !== undefined && (typeof body.agenda !== "string" || body.agenda.length > 2000))
      return "agenda";
    return null;
  };
  const zoomTime = (value: string | Date) => new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");

  app.post("/v2/users/:userId/meetings", express.json({ limit: "1mb" }), (req, res) => {
    const account = authorize(req, res);
    if (!account) return;
    const userId = req.params.userId;
    if (userId !== "me" && userId !== account.id && userId !== account.email) {
      res.status(404).json({ code: 1001, message: `User does not exist: ${userId}` });
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const type = body.type === undefined ? 2 : body.type;
    const meetingType = type === 1 || type === 2 || type === 3 || type === 8 ? type : null;
    const invalid = invalidField(body) ?? (meetingType === null ? "type" : null);
    if (invalid || meetingType === null) {
      res.status(400).json({ code: 300, message: `Invalid field: ${invalid}` });
      return;
    }
    const topic = typeof body.topic === "string" ? body.topic : "Zoom meeting";
    const id = randomInt(10_000_000_000, 99_999_999_999);
    const password = randomBytes(4).toString("hex");
    const meeting: ZoomMeeting = {
      uuid: `${randomBytes(16).toString("base64")}`,
      id,
      host_id: account.id,
      host_email: account.email,
      topic,
      type: meetingType,
      status: "waiting",
      ...(typeof body.start_time === "string" && { start_time: zoomTime(body.start_time) }),
      ...(typeof body.duration === "number" && { duration: body.duration }),
      ...(typeof body.timezone === "string" && { timezone: body.timezone }),
      ...(typeof body.agenda === "string" && { agenda: body.agenda }),
      created_at: zoomTime(now()),
      start_url: `https://zoom.us/s/${id}?zak=${randomBytes(12).toString("base64url")}`,
      join_url: `https://zoom.us/j/${id}?pwd=${password}`,
      password,
    };
    meetings.push(meeting);
    res.status(201).json(meeting);
  });

  app.patch("/v2/meetings/:meetingId", express.json({ limit: "1mb" }), (req, res) => {
    const account = authorize(req, res);
    if (!account) return;
    const index = hostedMeeting(req, res, account);
    if (index === -1) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const invalid = invalidField(body);
    if (invalid) {
      res.status(400).json({ code: 300, message: `Invalid field: ${invalid}` });
      return;
    }
    const meeting = meetings[index]!;
    if (typeof body.topic === "string") meeting.topic = body.topic;
    if (typeof body.start_time === "string") meeting.start_time = zoomTime(body.start_time);
    if (typeof body.duration === "number") meeting.duration = body.duration;
    if (typeof body.timezone === "string") meeting.timezone = body.timezone;
    if (typeof body.agenda === "string") meeting.agenda = body.agenda;
    res.status(204).end();
  });

  app.delete("/v2/meetings/:meetingId", (req, res) => {
    const account = authorize(req, res);
    if (!account) return;
    const index = hostedMeeting(req, res, account);
    if (index === -1) return;
    meetings.splice(index, 1);
    res.status(204).end();
  });

  return {
    /** The meetings that exist (made and not deleted), oldest first. */
    list(): readonly ZoomMeeting[] {
      return meetings;
    },
    /** A meeting by id, if it exists. */
    get(id: string | number): ZoomMeeting | undefined {
      return meetings.find((meeting) => String(meeting.id) === String(id));
    },
    /** Makes the next `count` meeting requests answer `status` (e.g. 429 or 503) before any other check. */
    failNext(status: number, count = 1) {
      for (let index = 0; index < count; index++) failures.push(status);
    },
  };
}
