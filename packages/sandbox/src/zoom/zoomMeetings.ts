import { randomBytes, randomInt } from "node:crypto";
import express, { type Express } from "express";
import type { OAuthAuthority } from "../oauth/createOAuthAuthority";

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
 */
export function createZoomMeetings(app: Express, oauth: OAuthAuthority, now: () => Date = () => new Date()) {
  const meetings: ZoomMeeting[] = [];
  app.post("/v2/users/:userId/meetings", express.json({ limit: "1mb" }), (req, res) => {
    const account = oauth.bearer(req);
    if (!account) {
      res.status(401).json({ code: 124, message: "Invalid access token." });
      return;
    }
    const userId = req.params.userId;
    if (userId !== "me" && userId !== account.id && userId !== account.email) {
      res.status(404).json({ code: 1001, message: "User does not exist: " + userId });
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const topic = body.topic === undefined ? "Zoom meeting" : body.topic;
    if (typeof topic !== "string" || topic.length > 200) {
      res.status(400).json({ code: 300, message: "Invalid field: topic" });
      return;
    }
    const type = body.type === undefined ? 2 : body.type;
    if (type !== 1 && type !== 2 && type !== 3 && type !== 8) {
      res.status(400).json({ code: 300, message: "Invalid field: type" });
      return;
    }
    if (body.start_time !== undefined && Number.isNaN(Date.parse(String(body.start_time)))) {
      res.status(400).json({ code: 300, message: "Invalid field: start_time" });
      return;
    }
    if (body.duration !== undefined && (!Number.isInteger(body.duration) || (body.duration as number) < 0)) {
      res.status(400).json({ code: 300, message: "Invalid field: duration" });
      return;
    }
    const id = randomInt(10_000_000_000, 99_999_999_999);
    const password = randomBytes(4).toString("hex");
    const meeting: ZoomMeeting = {
      uuid: `${randomBytes(16).toString("base64")}`,
      id,
      host_id: account.id,
      host_email: account.email,
      topic,
      type,
      status: "waiting",
      ...(typeof body.start_time === "string" && {
        start_time: new Date(body.start_time).toISOString().replace(/\.\d{3}Z$/, "Z"),
      }),
      ...(typeof body.duration === "number" && { duration: body.duration }),
      ...(typeof body.timezone === "string" && { timezone: body.timezone }),
      ...(typeof body.agenda === "string" && { agenda: body.agenda }),
      created_at: now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
      start_url: `https://zoom.us/s/${id}?zak=${randomBytes(12).toString("base64url")}`,
      join_url: `https://zoom.us/j/${id}?pwd=${password}`,
      password,
    };
    meetings.push(meeting);
    res.status(201).json(meeting);
  });
  return {
    /** Every meeting created, oldest first. */
    list(): readonly ZoomMeeting[] {
      return meetings;
    },
  };
}
