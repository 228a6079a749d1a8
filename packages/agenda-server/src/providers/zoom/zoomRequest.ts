import type { OAuthProvider } from "../../connections/OAuthProvider";
import type { EventMeetingInput } from "../../events/eventRoutes";
import { answerJson, providerFetch } from "../providerFetch";

/** Zoom's answer: the status, and the JSON body when there is one (errors are `{ code, message }`). */
export interface ZoomAnswer {
  status: number;
  body: { id?: number | string; join_url?: string; code?: number; message?: string };
}

/**
 * A meeting's fields from its event: topic (200 characters at most), start_time in UTC, duration in
 * minutes, timezone, and agenda (2000 at most) when the event has a description.
 */
export function zoomMeetingFields(input: EventMeetingInput) {
  const start = new Date(input.start);
  return {
    topic: input.title.slice(0, 200),
    start_time: start.toISOString().replace(/\.\d{3}Z$/, "Z"),
    duration: Math.max(1, Math.round((Date.parse(input.end) - start.getTime()) / 60_000)),
    timezone: input.timeZone,
    ...(input.description && { agenda: input.description.slice(0, 2000) }),
  };
}

/**
 * One request to the Zoom API of the configured provider (`apiBaseUrl`) with a user's access token.
 * Only a network failure throws ({@link ProviderUnavailableError}); every answer is returned.
 */
export async function zoomRequest(
  zoom: OAuthProvider,
  accessToken: string,
  request: { method: "POST" | "PATCH" | "DELETE"; path: string; body?: unknown },
): Promise<ZoomAnswer> {
  const answer = await providerFetch("Zoom", {
    url: `${zoom.apiBaseUrl.replace(/\/+$/, "")}${request.path}`,
    accessToken,
    method: request.method,
    body: request.body,
    timeoutMs: 15_000,
  });
  return { status: answer.status, body: answerJson<ZoomAnswer["body"]>(answer, {}) };
}

/** "Zoom answered 404: Meeting does not exist: 123." */
export const zoomAnswerText = (answer: ZoomAnswer) =>
  `Zoom answered ${answer.status}${answer.body.message ? `: ${answer.body.message}` : ""}`;
