import type { AgendaModule } from "../AgendaModule";
import type { EncryptionKey } from "../options";
import { type ConnectionCalendarSync, mountConnectionRoutes } from "./connectionRoutes";
import {
  type ConnectionService,
  type ConnectionServiceOptions,
  createConnectionService,
} from "./connectionService";
import { createTokenCipher, parseEncryptionKeys } from "./tokenCipher";

/**
 * Connected accounts as one module: the OAuth flow and sealed tokens (the service the other modules
 * ask for a fresh token), and the connection routes with each connection's calendar sync settings.
 */
export function createConnectionsModule(
  input: Omit<ConnectionServiceOptions, "cipher"> & {
    /** Keys for tokens at rest, or their text form (see `parseEncryptionKeys`). */
    encryptionKeys: EncryptionKey[] | string | undefined;
    /** The calendar sync, once it is made (null when `calendarSync: false`). */
    calendarSync(): ConnectionCalendarSync | null;
  },
): AgendaModule & { service: ConnectionService } {
  const { calendarSync, encryptionKeys: keys, ...options } = input;
  const encryptionKeys = typeof keys === "string" ? parseEncryptionKeys(keys) : keys;
  const configured = Object.keys(options.providers).length > 0;
  if (configured && !encryptionKeys?.length) {
    throw new Error(
      "createAgenda: encryptionKeys is required when a provider is configured (tokens are sealed at rest)",
    );
  }
  if (configured && !options.publicUrl) {
    throw new Error(
      "createAgenda: publicUrl is required when a provider is configured (for OAuth redirect URIs)",
    );
  }
  const service = createConnectionService({
    ...options,
    cipher: encryptionKeys?.length ? createTokenCipher(encryptionKeys) : null,
  });
  return {
    service,
    mount(router, context) {
      mountConnectionRoutes(router, context, service, calendarSync);
    },
  };
}
