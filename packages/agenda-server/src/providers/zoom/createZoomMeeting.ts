import type { Conference } from "@crm-agenda/shared";
import type { ConnectionService } from "../../connections/connectionService";
import type { OAuthProvider } from "../../connections/OAuthProvider";
import { AgendaError } from "../../errors";
import type { EventMeetingInput } from "../../events/eventRoutes";
import type { Owner } from "../../options";
import { zoomAnswerText, zoomMeetingFields, zoomRequest } from "./zoomRequest";

const connectZoom = "connect Zoom in the agenda's settings to add a Zoom meeting to an event";

/**
 * Makes the Zoom meeting of an event created with `conference: { provider: "zoom" }` and no link,
 * with the user's own Zoom connection: Create a meeting
 * (https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings), a
 * scheduled meeting (type 2) with the event's title, start, length in minutes and time zone.
 */
export async function createZoomMeeting(
  owner: Owner,
  input: EventMeetingInput,
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
  let answer: Awaited<ReturnType<typeof zoomRequest>>;
  try {
    answer = await zoomRequest(options.zoom, accessToken, {
      method: "POST",
      path: "/users/me/meetings",
      body: { type: 2, ...zoomMeetingFields(input) },
    });
  } catch (error) {
    throw new AgendaError("unavailable", "Zoom could not be reached to create the meeting; try again", {
      cause: error,
    });
  }
  const { join_url: joinUrl, id } = answer.body;
  if (answer.status < 200 || answer.status >= 300 || !joinUrl || id === undefined) {
    const reason = zoomAnswerText(answer);
    if (answer.status === 401) {
      throw new AgendaError("unprocessable", `${reason}; reconnect Zoom in the agenda's settings`);
    }
    throw new AgendaError(
      answer.status >= 500 || answer.status === 429 ? "unavailable" : "unprocessable",
      `the Zoom meeting could not be created (${reason})`,
    );
  }
  return { provider: "zoom", joinUrl, meetingId: String(id) };
}
