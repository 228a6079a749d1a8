import type { Provider } from "@crm-agenda/shared";
import type { ProvidersOptions } from "../options";
import { googleOAuth } from "../providers/google/googleOAuth";
import { microsoftOAuth } from "../providers/microsoft/microsoftOAuth";
import { zoomOAuth } from "../providers/zoom/zoomOAuth";
import type { OAuthProvider } from "./OAuthProvider";

/** The providers the host configured, by id. */
export function createOAuthProviders(
  options: ProvidersOptions = {},
): Partial<Record<Provider, OAuthProvider>> {
  return {
    ...(options.zoom && { zoom: zoomOAuth(options.zoom) }),
    ...(options.google && { google: googleOAuth(options.google) }),
    ...(options.microsoft && { microsoft: microsoftOAuth(options.microsoft) }),
  };
}
