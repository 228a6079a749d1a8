import type { Provider } from "@crm-agenda/shared";

/** What the OAuth callback said when it sent the browser back to the host page. */
export interface ConnectionOutcome {
  result: "connected" | "denied" | "error";
  /** The provider's id as the server sent it; may be one this version does not know. */
  provider: string | null;
  /** The server's short code for a failure, e.g. `invalid_state`. */
  reason: string | null;
}

const flagNames = ["agendaConnection", "provider", "reason"] as const;
const results = new Set<string>(["connected", "denied", "error"]);
const providers = new Set<string>(["zoom", "google", "microsoft"] satisfies Provider[]);

/** The outcome in the `agendaConnection`, `provider` and `reason` flags of a query string, if any. */
export function readConnectionFlags(search: string): ConnectionOutcome | null {
  const params = new URLSearchParams(search);
  const result = params.get("agendaConnection");
  if (result === null || !results.has(result)) return null;
  return {
    result: result as ConnectionOutcome["result"],
    provider: params.get("provider"),
    reason: params.get("reason"),
  };
}

/** True when `name` is one of the providers this version knows. */
export function isKnownProvider(name: string | null): name is Provider {
  return name !== null && providers.has(name);
}

/**
 * The path, query and hash of `location` without the connection flags, to come back to after
 * consent and to put in the address bar once the flags are read. Other query parameters stay.
 */
export function pathWithoutConnectionFlags(location: Pick<Location, "pathname" | "search" | "hash">): string {
  const params = new URLSearchParams(location.search);
  if (params.has("agendaConnection")) for (const name of flagNames) params.delete(name);
  const search = params.toString();
  return `${location.pathname}${search === "" ? "" : `?${search}`}${location.hash}`;
}
