import type { CallProvider } from "../../calls/CallProvider";
import { fetchMeetTranscript, listMeetCalls } from "./meetCalls";
import { parseMeetEntries } from "./parseMeetEntries";

/** Google Meet's conference records, read through the Meet REST API at `meetApiBaseUrl`. */
export function createMeetCallProvider(meetApiBaseUrl: string): CallProvider {
  return {
    calls: "meet",
    connection: "google",
    listRecentCalls: (accessToken, connectionId, window) =>
      listMeetCalls(meetApiBaseUrl, accessToken, connectionId, { since: window.from }),
    async readTranscript(source, access) {
      const { entries, participants } = await fetchMeetTranscript(
        meetApiBaseUrl,
        await access.accessToken(),
        source.key,
      );
      return parseMeetEntries(entries, participants, { conferenceStart: source.startTime });
    },
    // The transcript's entries already name who spoke, with the participants Meet knows.
    listParticipants: async () => [],
  };
}
