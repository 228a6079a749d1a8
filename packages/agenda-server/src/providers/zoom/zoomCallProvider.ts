import type { CallProvider } from "../../calls/CallProvider";
import { TranscriptFormatError } from "../../calls/callErrors";
import { fetchProviderFile } from "../../calls/fetchProviderFile";
import type { OAuthProvider } from "../../connections/OAuthProvider";
import { parseZoomVtt } from "./parseZoomVtt";
import { listZoomCalls, listZoomParticipants } from "./zoomCalls";

/** Zoom's cloud recordings: the transcript is a WebVTT file downloaded with the user's token. */
export function createZoomCallProvider(zoom: OAuthProvider): CallProvider {
  return {
    calls: "zoom",
    connection: "zoom",
    listRecentCalls: (accessToken, connectionId, window) =>
      listZoomCalls(zoom, accessToken, connectionId, window),
    async readTranscript(source, access) {
      if (!source.downloadUrl) throw new TranscriptFormatError("Zoom gave no transcript link for this call");
      const vtt = await fetchProviderFile(zoom, source.downloadUrl, {
        accessToken: await access.accessToken(),
        maxBytes: access.maxBytes,
        configuredHosts: access.configuredHosts,
      });
      return parseZoomVtt(vtt);
    },
    async listParticipants(source, accessToken) {
      return listZoomParticipants(zoom, await accessToken(), source.key);
    },
  };
}
