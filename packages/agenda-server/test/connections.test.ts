import { randomBytes } from "node:crypto";
import {
  createGoogleSandbox,
  createMicrosoftSandbox,
  createZoomSandbox,
  type OAuthAuthority,
  type RunningSandbox,
} from "@crm-agenda/sandbox";
import type { Provider } from "@crm-agenda/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AgendaOptions } from "../src/index";
import { connectAccount, consent as consentAt, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { type Person, startTestAgenda } from "./startTestAgenda";

const client = sandboxClient;
const accounts = sandboxAccounts;
const keyA = { id: "a", key: randomBytes(32).toString("base64") };
const keyB = { id: "b", key: randomBytes(32).toString("base64") };

// The clock the agenda and the sandboxes share, so a test can move time.
let clockOffsetMs = 0;
const now = () => new Date(Date.now() + clockOffsetMs);

const sandboxes = {
  zoom: createZoomSandbox({ accounts, client, now }),
  google: createGoogleSandbox({ accounts, client, now }),
  microsoft: createMicrosoftSandbox({ accounts, client, now }),
};
const running = {} as Record<Provider, RunningSandbox>;
const authority = (provider: Provider): OAuthAuthority => sandboxes[provider].oauth;

function providerOptions(): AgendaOptions["providers"] {
  return {
    zoom: { ...client, baseUrl: running.zoom.url },
    google: { ...client, baseUrl: running.google.url },
    microsoft: { ...client, baseUrl: running.microsoft.url, tenant: "organizations" },
  };
}

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  for (const provider of ["zoom", "google", "microsoft"] as const)
    running[provider] = await sandboxes[provider].start();
  agenda = await startTestAgenda({
    providers: providerOptions(),
    encryptionKeys: [keyA],
    connectionsReturnTo: "/settings",
    now,
  });
});
afterAll(async () => {
  await agenda.stop();
  for (const sandbox of Object.values(running)) await sandbox.stop();
});
afterEach(async () => {
  clockOffsetMs = 0;
  await agenda.pool.query(
    `delete from "${agenda.schema}".connections; delete from "${agenda.schema}".oauth_states`,
  );
});

async function get(url: string, person: Person | null) {
  return fetch(url, { redirect: "manual", headers: person ? { "x-test-user": person } : {} });
}

const consent = (provider: Provider, person: Person, options: Parameters<typeof consentAt>[3] = {}) =>
  consentAt(agenda.baseUrl, provider, person, options);
const connect = (provider: Provider, person: Person = "alice") =>
  connectAccount(agenda.baseUrl, provider, person);

async function storedRows(): Promise<number> {
  const { rows } = await agenda.pool.query(
    `select count(*)::int as count from "${agenda.schema}".connections`,
  );
  return rows[0].count;
}

describe("connecting an account", () => {
  it.each(["zoom", "google", "microsoft"] as const)(
    "completes the %s round trip with PKCE and a bound state",
    async (provider) => {
      const { authorizeUrl } = await consent(provider, "alice");
      expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
      expect(authorizeUrl.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
      expect(authorizeUrl.searchParams.get("state")).toMatch(/^[\w-]{43}$/);
      expect(authorizeUrl.searchParams.get("redirect_uri")).toBe(
        `${agenda.baseUrl}/oauth/${provider}/callback`,
      );

      const connection = await connect(provider);
      expect(connection).toMatchObject({
        provider,
        accountEmail: "alice@acme.test",
        status: "active",
        lastError: null,
      });
      expect(JSON.stringify(connection)).not.toMatch(/sbx-(at|rt)-/);
    },
  );

  it("asks Google for offline access with consent, and Microsoft for offline_access", async () => {
    const google = (await consent("google", "alice")).authorizeUrl.searchParams;
    expect(google.get("access_type")).toBe("offline");
    expect(google.get("prompt")).toBe("consent");
    expect(google.get("scope")).toContain("https://www.googleapis.com/auth/calendar.events");
    expect(google.get("scope")).toContain("https://www.googleapis.com/auth/meetings.space.readonly");
    const microsoft = (await consent("microsoft", "alice")).authorizeUrl;
    expect(microsoft.pathname).toBe("/organizations/oauth2/v2.0/authorize");
    expect(microsoft.searchParams.get("scope")).toContain("offline_access");
    expect(microsoft.searchParams.get("scope")).toContain("Calendars.ReadWrite");
  });

  it("returns to the host page the flow started from, and refuses another site", async () => {
    const { callbackUrl } = await consent("zoom", "alice", { returnTo: "/crm/settings?tab=agenda" });
    const back = await get(callbackUrl, "alice");
    expect(back.headers.get("location")).toBe(
      "/crm/settings?tab=agenda&agendaConnection=connected&provider=zoom",
    );
    const evil = await agenda.call(
      "alice",
      "GET",
      `/oauth/zoom/start?returnTo=${encodeURIComponent("//evil.example/steal")}`,
    );
    expect(evil.status).toBe(400);
    expect(evil.body.error.message).toMatch(/returnTo must be a path/);
  });

  it("comes back with agendaConnection=denied and stores nothing when the user says no", async () => {
    const { callbackUrl } = await consent("google", "alice", { decision: "deny" });
    const back = await get(callbackUrl, "alice");
    expect(back.headers.get("location")).toBe(
      "/settings?agendaConnection=denied&provider=google&reason=access+was+not+granted",
    );
    expect(await storedRows()).toBe(0);
  });

  it("needs a session to start, and names a provider the server has not configured", async () => {
    expect((await get(`${agenda.baseUrl}/oauth/zoom/start`, null)).status).toBe(401);
    const bare = await startTestAgenda();
    try {
      const response = await bare.call("alice", "GET", "/oauth/google/start");
      expect(response.status).toBe(404);
      expect(response.body.error.message).toMatch(/google is not configured/);
    } finally {
      await bare.stop();
    }
    expect((await agenda.call("alice", "GET", "/oauth/slack/start")).status).toBe(400);
  });
});

describe("returnTo", () => {
  // Each of these resolves, in a browser, to another host: refused at the start with a 400.
  it.each([
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/a/..//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    "//evil.example",
    "https://evil.example/settings",
    "http://127.0.0.1.evil.example/",
    "javascript:alert(1)",
    "http://user:pass@127.0.0.1/settings",
  ])("refuses %j at the start", async (returnTo) => {
    const response = await agenda.call(
      "alice",
      "GET",
      `/oauth/zoom/start?returnTo=${encodeURIComponent(returnTo)}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: "validation_failed",
      message: "returnTo must be a path on this site, such as /settings/agenda",
    });
    expect(await storedRows()).toBe(0);
  });

  // These stay on the host: they come back normalised, after consent and after denial alike.
  it.each([
    ["/crm/./settings", "/crm/settings"],
    ["/crm/x/../settings", "/crm/settings"],
    ["/%2e%2e/settings", "/settings"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["/crm/\tsettings", "/crm/settings"],
    ["{origin}/crm?tab=a", "/crm?tab=a"],
  ])("sends %j back as %j after consent and after denial", async (returnTo, expected) => {
    const page = returnTo.replace("{origin}", new URL(agenda.baseUrl).origin);
    for (const decision of ["allow", "deny"] as const) {
      const { callbackUrl } = await consent("zoom", "alice", { returnTo: page, decision });
      const location = (await get(callbackUrl, "alice")).headers.get("location")!;
      const outcome = decision === "allow" ? "connected" : "denied";
      const prefix = `${expected}${expected.includes("?") ? "&" : "?"}agendaConnection=${outcome}`;
      expect(location.slice(0, prefix.length)).toBe(prefix);
      expect(location).not.toMatch(/^\/[\\/]/);
    }
  });

  it("sends a flow stored with an unsafe returnTo back to the default page", async () => {
    for (const decision of ["allow", "deny"] as const) {
      const { callbackUrl } = await consent("zoom", "alice", { returnTo: "/crm", decision });
      // As a flow started before returnTo was normalised could hold.
      await agenda.pool.query(`update "${agenda.schema}".oauth_states set return_to = '/.//evil.example'`);
      const location = (await get(callbackUrl, "alice")).headers.get("location")!;
      expect(location).toMatch(/^\/settings\?agendaConnection=/);
    }
  });
});

describe("one provider account, one owner", () => {
  const heldReason =
    "this Zoom account is already connected to the agenda by another CRM user; each account can be connected by one user only (sign in to Zoom with your own account, or ask that user to disconnect it)";

  it.each(["bob", "carol"] as const)(
    "refuses %s an account another CRM user holds, and keeps the holder's connection as it was",
    async (person) => {
      const held = await connect("zoom", "alice");
      const { rows: before } = await agenda.pool.query(
        `select access_token_sealed from "${agenda.schema}".connections`,
      );
      const { callbackUrl } = await consent("zoom", person, { account: "acct-alice" });
      const back = await get(callbackUrl, person);
      expect(back.status).toBe(302);
      const location = new URL(back.headers.get("location")!, "http://host.invalid");
      expect(location.pathname).toBe("/settings");
      expect(Object.fromEntries(location.searchParams)).toEqual({
        agendaConnection: "error",
        provider: "zoom",
        reason: heldReason,
      });
      expect((await agenda.call(person, "GET", "/connections")).body.connections).toEqual([]);
      const { rows: after } = await agenda.pool.query(
        `select id, tenant_id, user_id, access_token_sealed from "${agenda.schema}".connections`,
      );
      expect(after).toEqual([
        {
          id: held.id,
          tenant_id: "acme",
          user_id: "alice",
          access_token_sealed: before[0].access_token_sealed,
        },
      ]);
    },
  );

  it("lets the holder reconnect the same account", async () => {
    const first = await connect("zoom", "alice");
    const again = await connect("zoom", "alice");
    expect(again).toMatchObject({ id: first.id, status: "active", accountEmail: "alice@acme.test" });
    expect(await storedRows()).toBe(1);
  });

  it("refuses switching one's connection to an account another CRM user holds", async () => {
    await connectAccount(agenda.baseUrl, "google", "carol", "acct-carol");
    const own = await connect("google", "alice");
    const { callbackUrl } = await consent("google", "alice", { account: "acct-carol" });
    const location = (await get(callbackUrl, "alice")).headers.get("location")!;
    expect(location).toMatch(
      /agendaConnection=error&provider=google&reason=this\+Google\+account\+is\+already/,
    );
    const listed = (await agenda.call("alice", "GET", "/connections")).body.connections;
    expect(listed).toMatchObject([{ id: own.id, accountEmail: "alice@acme.test" }]);
  });

  it("leaves, when rows shared an account before the upgrade, the account to the user who connected it first", async () => {
    const first = await connect("zoom", "alice");
    const later = await connectAccount(agenda.baseUrl, "zoom", "bob", "acct-carol");
    const s = `"${agenda.schema}"`;
    // The state an earlier version could leave: bob's row also on alice's Zoom account, no unique index.
    await agenda.pool.query(
      `drop index ${s}.connections_provider_account_key;
       create index connections_provider_account_idx on ${s}.connections (provider, account_id);
       update ${s}.connections set account_id = (select account_id from ${s}.connections where id = '${first.id}'),
         created_at = now() + interval '1 minute' where id = '${later.id}';
       delete from ${s}."__migrations" where tag = '0009_one_owner_per_account'`,
    );
    expect(await agenda.agenda.migrate()).toEqual({ applied: ["0009_one_owner_per_account"] });
    const { rows } = await agenda.pool.query(`select id, user_id from ${s}.connections`);
    expect(rows).toEqual([{ id: first.id, user_id: "alice" }]);
    const refused = await consent("zoom", "bob", { account: "acct-alice" });
    expect((await get(refused.callbackUrl, "bob")).headers.get("location")).toMatch(/agendaConnection=error/);
  });
});

describe("the state", () => {
  it("refuses a forged state and stores nothing", async () => {
    const response = await agenda.call(
      "alice",
      "GET",
      `/oauth/google/callback?code=anything&state=${randomBytes(32).toString("base64url")}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/unknown or was already used/);
    expect(await storedRows()).toBe(0);
  });

  it("refuses a replayed state", async () => {
    const { callbackUrl } = await consent("zoom", "alice");
    expect((await get(callbackUrl, "alice")).status).toBe(302);
    const again = await get(callbackUrl, "alice");
    expect(again.status).toBe(400);
    expect((await again.json()).error.message).toMatch(/already used/);
  });

  it("refuses an expired state", async () => {
    const { callbackUrl } = await consent("microsoft", "alice");
    clockOffsetMs = 11 * 60_000;
    const response = await get(callbackUrl, "alice");
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/expired/);
    expect(await storedRows()).toBe(0);
  });

  it("refuses another user's state, and a callback with no session", async () => {
    const { callbackUrl } = await consent("google", "alice");
    const asCarol = await get(callbackUrl, "carol");
    expect(asCarol.status).toBe(400);
    expect((await asCarol.json()).error.message).toMatch(/started by another CRM user/);
    expect(await storedRows()).toBe(0);

    const second = await consent("google", "alice");
    expect((await get(second.callbackUrl, null)).status).toBe(400);
    expect(await storedRows()).toBe(0);
  });
});

describe("tokens at rest", () => {
  it("keeps no plaintext token anywhere in the database", async () => {
    const connection = await connect("google");
    const token = await agenda.agenda.connections.accessToken(connection.id);
    expect(token).toMatch(/^sbx-at-/);
    const { rows } = await agenda.pool.query(
      `select table_schema, table_name from information_schema.tables where table_schema in ($1, $2)`,
      [agenda.schema, `${agenda.schema}_jobs`],
    );
    let dump = "";
    for (const { table_schema, table_name } of rows) {
      const content = await agenda.pool.query(
        `select t::text as row from "${table_schema}"."${table_name}" t`,
      );
      dump += content.rows.map((row) => row.row).join("\n");
    }
    expect(dump).toContain("alice@acme.test");
    expect(dump).not.toContain(token);
    expect(dump).not.toMatch(/sbx-(at|rt)-/);
  });

  it("keeps rows sealed with an older key readable, and seals them again with the new one", async () => {
    const connection = await connect("zoom");
    const token = await agenda.agenda.connections.accessToken(connection.id);
    const rotated = await startTestAgenda({
      schema: agenda.schema,
      providers: providerOptions(),
      encryptionKeys: [keyB, keyA],
      now,
    });
    try {
      expect(await rotated.agenda.connections.accessToken(connection.id)).toBe(token);
      const { rows } = await agenda.pool.query(
        `select access_token_sealed from "${agenda.schema}".connections where id = $1`,
        [connection.id],
      );
      expect(rows[0].access_token_sealed).toMatch(/^v1\.b\./);
    } finally {
      await rotated.stop();
    }
  });

  it("refuses a tampered ciphertext", async () => {
    const connection = await connect("zoom");
    const table = `"${agenda.schema}".connections`;
    const { rows } = await agenda.pool.query(`select access_token_sealed from ${table} where id = $1`, [
      connection.id,
    ]);
    const parts = rows[0].access_token_sealed.split(".");
    const ciphertext = Buffer.from(parts[3], "base64url");
    ciphertext[0] = ciphertext[0]! ^ 0x01;
    parts[3] = ciphertext.toString("base64url");
    await agenda.pool.query(`update ${table} set access_token_sealed = $1 where id = $2`, [
      parts.join("."),
      connection.id,
    ]);
    await expect(agenda.agenda.connections.accessToken(connection.id)).rejects.toThrow(/integrity check/);
  });
});

describe("refreshing", () => {
  it("makes exactly one refresh request for 20 concurrent callers over two server instances", async () => {
    const connection = await connect("zoom");
    const second = await startTestAgenda({
      schema: agenda.schema,
      providers: providerOptions(),
      encryptionKeys: [keyA],
      now,
    });
    try {
      authority("zoom").expireAccessTokens();
      clockOffsetMs = 2 * 3600_000;
      const before = authority("zoom").stats.refreshRequests;
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 ? second : agenda).agenda.connections.accessToken(connection.id),
        ),
      );
      expect(authority("zoom").stats.refreshRequests - before).toBe(1);
      expect(new Set(tokens).size).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it("saves Zoom's rotated refresh token, so the next refresh works too", async () => {
    const connection = await connect("zoom");
    const tokens = [];
    for (let round = 1; round <= 3; round++) {
      clockOffsetMs = round * 2 * 3600_000;
      tokens.push(await agenda.agenda.connections.accessToken(connection.id));
    }
    expect(new Set(tokens).size).toBe(3);
    expect((await agenda.call("alice", "GET", "/connections")).body.connections[0].status).toBe("active");
  });

  it("keeps Google's refresh token when a refresh answers none", async () => {
    const connection = await connect("google");
    for (let round = 1; round <= 2; round++) {
      clockOffsetMs = round * 2 * 3600_000;
      await expect(agenda.agenda.connections.accessToken(connection.id)).resolves.toMatch(/^sbx-at-/);
    }
  });

  it("names the scopes again when refreshing at Microsoft, which asks for them", async () => {
    const connection = await connect("microsoft");
    clockOffsetMs = 2 * 3600_000;
    await expect(agenda.agenda.connections.accessToken(connection.id)).resolves.toMatch(/^sbx-at-/);
    expect((await agenda.call("alice", "GET", "/connections")).body.connections[0].status).toBe("active");
  });

  it("turns invalid_grant into needs_reauth, with the reason shown", async () => {
    const connection = await connect("microsoft");
    clockOffsetMs = 2 * 3600_000;
    authority("microsoft").failNextTokenRequest(400, {
      error: "invalid_grant",
      error_description: "AADSTS700082: The refresh token has expired",
    });
    await expect(agenda.agenda.connections.accessToken(connection.id)).rejects.toMatchObject({
      code: "forbidden",
    });
    const listed = (await agenda.call("alice", "GET", "/connections")).body.connections[0];
    expect(listed.status).toBe("needs_reauth");
    expect(listed.lastError).toMatch(/reconnect/);
    // Later callers do not hammer the provider with a grant it refused.
    const before = authority("microsoft").stats.tokenRequests;
    await expect(agenda.agenda.connections.accessToken(connection.id)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(authority("microsoft").stats.tokenRequests).toBe(before);
  });

  it("leaves the connection active on a 503 and succeeds on the next try", async () => {
    const connection = await connect("google");
    clockOffsetMs = 2 * 3600_000;
    authority("google").failNextTokenRequest(503, {
      error: { code: 503, message: "Backend Error", status: "UNAVAILABLE" },
    });
    await expect(agenda.agenda.connections.accessToken(connection.id)).rejects.toMatchObject({
      code: "unavailable",
    });
    expect((await agenda.call("alice", "GET", "/connections")).body.connections[0].status).toBe("active");
    await expect(agenda.agenda.connections.accessToken(connection.id)).resolves.toMatch(/^sbx-at-/);
  });

  it("reconnecting after needs_reauth makes the connection active again", async () => {
    const connection = await connect("zoom");
    await agenda.agenda.connections.markNeedsReauth(
      connection.id,
      "Zoom no longer accepts this account's authorization",
    );
    const again = await connect("zoom");
    expect(again).toMatchObject({ id: connection.id, status: "active", lastError: null });
  });
});

describe("disconnecting", () => {
  it.each(["zoom", "google"] as const)("revokes the %s grant and deletes the tokens", async (provider) => {
    const connection = await connect(provider);
    expect(authority(provider).hasLiveGrant("acct-alice")).toBe(true);
    const response = await agenda.call("alice", "DELETE", `/connections/${connection.id}`);
    expect(response.status).toBe(204);
    expect(authority(provider).hasLiveGrant("acct-alice")).toBe(false);
    expect((await agenda.call("alice", "GET", "/connections")).body.connections).toEqual([]);
    expect(await storedRows()).toBe(0);
  });

  it("deletes a Microsoft connection, which has no revocation endpoint", async () => {
    const connection = await connect("microsoft");
    expect((await agenda.call("alice", "DELETE", `/connections/${connection.id}`)).status).toBe(204);
    expect(await storedRows()).toBe(0);
  });

  it("keeps one user's connections from another", async () => {
    const connection = await connect("google");
    expect((await agenda.call("bob", "DELETE", `/connections/${connection.id}`)).status).toBe(404);
    expect((await agenda.call("carol", "GET", "/connections")).body.connections).toEqual([]);
  });
});
