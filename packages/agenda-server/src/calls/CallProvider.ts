import type { Provider } from "@crm-agenda/shared";
import type { CallSource } from "../db/schema/summaries";
import type { SpeakerTurn } from "./SpeakerTurn";

/** Someone who took part in a call, as the provider lists them. */
export interface CallParticipant {
  name: string;
  email?: string;
}

/**
 * A provider whose recorded calls the agenda summarizes (Zoom recordings, Meet conference records).
 * The call pipeline and the polling fallback look one up by the call's or the connection's provider;
 * a new one is a folder under `providers/` that implements this.
 */
export interface CallProvider {
  /** The kind of call it gives, as a summary's `provider` column stores it. */
  calls: CallSource["provider"];
  /** The connection whose token reads its calls. */
  connection: Provider;
  /**
   * The calls with a transcript that ended in a window, for the polling fallback.
   * @throws {ProviderUnavailableError} when worth retrying.
   */
  listRecentCalls(
    accessToken: string,
    connectionId: string,
    window: { from: Date; to: Date },
  ): Promise<CallSource[]>;
  /**
   * The call's transcript as speaker turns. The token is asked for only when needed, so a call that
   * cannot be read says why before its connection is looked at.
   * @throws {TranscriptFormatError} when the transcript cannot be read and retrying cannot help.
   */
  readTranscript(
    source: CallSource,
    access: { accessToken(): Promise<string>; maxBytes: number; configuredHosts: ReadonlySet<string> },
  ): Promise<SpeakerTurn[]>;
  /** Who took part, where the provider lists them apart from the transcript's speakers (else none). */
  listParticipants(source: CallSource, accessToken: () => Promise<string>): Promise<CallParticipant[]>;
}

/** The call providers the host configured, by the kind of call they give. */
export type CallProviders = Partial<Record<CallSource["provider"], CallProvider>>;

/** The account each kind of call is read with, named in the reasons a summary fails. */
export const callAccountLabels: Record<CallSource["provider"], string> = { zoom: "Zoom", meet: "Google" };
