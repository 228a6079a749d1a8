import type { Provider } from "@crm-agenda/shared";
import type { OAuthProvider } from "../connections/OAuthProvider";
import type { ProvidersOptions } from "../options";
import { googleOAuth } from "./google/googleOAuth";
import { microsoftOAuth } from "./microsoft/microsoftOAuth";
import { zoomOAuth } from "./zoom/zoomOAuth";

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
