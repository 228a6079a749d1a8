import type { Provider } from "@crm-agenda/shared";
import { expect } from "vitest";
import type { Person } from "./startTestAgenda";

export const sandboxClient = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
export const sandboxAccounts = [
  { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" },
  { id: "acct-carol", email: "carol@acme.test", name: "Carol Petit" },
];

async function get(url: string, person: Person | null) {
  return fetch(url, { redirect: "manual", headers: person ? { "x-test-user": person } : {} });
}

/** Starts a flow as `person` and answers the sandbox's consent page, as a browser would. */
export async function consent(
  baseUrl: string,
  provider: Provider,
  person: Person,
  options: { account?: string; decision?: "allow" | "deny"; returnTo?: string } = {},
) {
  const query = options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : "";
  const start = await get(`${baseUrl}/oauth/${provider}/start${query}`, person);
  expect(start.status).toBe(302);
  const authorizeUrl = start.headers.get("location")!;
  const page = await (await fetch(authorizeUrl)).text();
  const fields = Object.fromEntries(
    [...page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((match) => [
      match[1],
      match[2]!.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))),
    ]),
  );
  const decision = await fetch(authorizeUrl, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ...fields,
      account: options.account ?? "acct-alice",
      decision: options.decision ?? "allow",
    }),
  });
  expect(decision.status).toBe(302);
  return { authorizeUrl: new URL(authorizeUrl), callbackUrl: decision.headers.get("location")! };
}

/** The whole round trip; answers the connection as `GET /connections` lists it. */
export async function connectAccount(
  baseUrl: string,
  provider: Provider,
  person: Person = "alice",
  account = "acct-alice",
) {
  const { callbackUrl } = await consent(baseUrl, provider, person, { account });
  const back = await get(callbackUrl, person);
  expect(back.status).toBe(302);
  expect(back.headers.get("location")).toMatch(
    new RegExp(`agendaConnection=connected&provider=${provider}$`),
  );
  const list = await (await get(`${baseUrl}/connections`, person)).json();
  return list.connections.find((connection: { provider: string }) => connection.provider === provider);
}
