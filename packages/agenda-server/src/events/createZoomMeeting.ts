import type { Conference } from "@crm-agenda/shared";
import type { ConnectionService } from "../connections/connectionService";
import type { OAuthProvider } from "../connections/oauthProviders";
import { AgendaError } from "../errors";
import type { AgendaSession } from "../options";

/** What a Zoom meeting is made from: the event being created. */
export interface ZoomMeetingInput {
  title: string;
  description?: string | null | undefined;
  start: string;
  end: string;
  timeZone: string;
}

const connectZoom = "connect Zoom in the agenda's settings to add a Zoom meeting to an event";

/**
 * Makes the Zoom meeting of an event created with `conference: { provider: "zoom" }` and no link,
 * with the user's own Zoom connection: Create a meeting
 * (https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings), a
 * scheduled meeting (type 2) with the event's title, start, length in minutes and time zone.
 */
export async function createZoomMeeting(
  owner: Pick<AgendaSession, "tenantId" | "userId">,
  input: ZoomMeetingInput,
  options: { connections: ConnectionService; zoom: OAuthProvider | undefined },
): Promise<Conference> {
  if (!options.zoom)
    throw new AgendaError("unprocessable", `Zoom is not configured on this server; ${connectZoom}`);
  const connection = (await options.connections.list(owner)).find((item) => item.provider === "zoom");
  if (!connection) throw new AgendaError("unprocessable", `no Zoom account is connected; ${connectZoom}`);
  if (connection.status === "needs_reauth") {
    throw new AgendaError(
      "unprocessable",
      "Zoom needs to be reconnected in the agenda's settings before a meeting can be added",
    );
  }
  const accessToken = await options.connections.accessToken(connection.id);
  const start = new Date(input.start);
  const body = {
    topic: input.title.slice(0, 200),
    type: 2,
    start_time: start.toISOString().replace(/\.\d{3}Z$/, "Z"),
    duration: Math.max(1, Math.round((Date.parse(input.end) - start.getTime()) / 60_000)),
    timezone: input.timeZone,
    ...(input.description && { agenda: input.description.slice(0, 2000) }),
  };
  let response: Response;
  try {
    response = await fetch(`${options.zoom.apiBaseUrl.replace(/\/+$/, "")}/users/me/meetings`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: "application/json",
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new AgendaError("unavailable", "Zoom could not be reached to create the meeting; try again", {
      cause: error,
    });
  }
  const answer = (await response.json().catch(() => ({}))) as {
    id?: number | string;
    join_url?: string;
    code?: number;
    message?: string;
  };
  if (!response.ok || !answer.join_url || answer.id === undefined) {
    const reason = `Zoom answered ${response.status}${answer.message ? `: ${answer.message}` : ""}`;
    if (response.status === 401) {
      throw new AgendaError("unprocessable", `${reason}; reconnect Zoom in the agenda's settings`);
    }
    throw new AgendaError(
      response.status >= 500 || response.status === 429 ? "unavailable" : "unprocessable",
      `the Zoom meeting could not be created (${reason})`,
    );
  }
  return { provider: "zoom", joinUrl: answer.join_url, meetingId: String(answer.id) };
}
