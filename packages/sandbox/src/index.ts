export type { AiService, AiServiceOptions, AiServiceRequest } from "./ai/createAiService";
export { createAiService } from "./ai/createAiService";
export type { SampleMeeting } from "./ai/sampleMeetings";
export { sampleMeetings } from "./ai/sampleMeetings";
export { writeExtractiveSummary } from "./ai/writeExtractiveSummary";
export type { GoogleSandboxOptions } from "./google/createGoogleSandbox";
export { createGoogleSandbox } from "./google/createGoogleSandbox";
export { googleApiError } from "./google/googleApiError";
export type { AddMeetCallInput, MeetApi, SandboxMeetCall } from "./google/meetApi";
export type {
  SandboxPushConfig,
  SandboxSubscription,
  TokenOverrides,
  WorkspaceEvents,
} from "./google/workspaceEvents";
export type { RunningSandbox } from "./listen";
export type { MicrosoftSandboxOptions } from "./microsoft/createMicrosoftSandbox";
export { createMicrosoftSandbox } from "./microsoft/createMicrosoftSandbox";
export { graphError } from "./microsoft/graphError";
export type { OAuthAuthority, SandboxAccount, SandboxClient } from "./oauth/createOAuthAuthority";
export { createOAuthAuthority } from "./oauth/createOAuthAuthority";
export type { Database } from "./startDatabase";
export { freePort, startDatabase } from "./startDatabase";
export type { ZoomSandboxOptions } from "./zoom/createZoomSandbox";
export { createZoomSandbox } from "./zoom/createZoomSandbox";
export type { ZoomMeeting } from "./zoom/zoomMeetings";
