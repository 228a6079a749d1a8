import { createHmac, randomUUID } from "node:crypto";
import { buildPath, contract } from "@crm-agenda/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
let origin: string;
beforeAll(async () => {
  agenda = await startTestAgenda({ allowedOrigins: ["https://app.crm.test"] });
  origin = new URL(agenda.baseUrl).origin;
});
afterAll(async () => {
  await agenda.stop();
});

const meeting = {
  title: "Revue de contrat",
  start: "2026-11-24T09:00:00+01:00",
  end: "2026-11-24T10:00:00+01:00",
  timeZone: "Europe/Paris",
};

/**
 * Every route that changes state with the user's session, with made-up path parameters: not a
 * provider's webhook, nor a public route (a guest's booking, a client's reminder link), whose link
 * token is the credential, so a page of any site may send it (their own tests check them).
 */
const writes = Object.entries(contract)
  .filter(
    ([, route]) => route.method !== "get" && !("rawBody" in route) && !("public" in route && route.public),
  )
  .map(([name, route]) => ({
    name,
    method: route.method.toUpperCase(),
    path: buildPath(route.path, { id: randomUUID(), provider: "zoom" }),
  }));

async function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(`${agenda.baseUrl}${path}`, {
    method,
    headers: { "x-test-user": "alice", ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe("state-changing routes refuse what another site's page could send", () => {
  it("covers the body-less writes too", () => {
    expect(writes.map((write) => write.name)).toEqual(
      expect.arrayContaining(["regenerateEventSummary", "deleteConnection", "deleteEvent", "createEvent"]),
    );
  });

  it.each(writes)("$method $path refuses a form post, even from the same origin", async (write) => {
    const response = await send(
      write.method,
      write.path,
      { origin, "content-type": "application/x-www-form-urlencoded" },
      "title=Forged",
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_rejected");
    expect(response.body.error.message).toMatch(/Content-Type: application\/json/);
  });

  it.each(writes)("$method $path refuses a request without a content type", async (write) => {
    const response = await send(write.method, write.path, { origin });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_rejected");
  });

  it.each(writes)("$method $path refuses JSON from another origin", async (write) => {
    const response = await send(
      write.method,
      write.path,
      { origin: "https://evil.test", "content-type": "application/json" },
      "{}",
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_rejected");
    expect(response.body.error.message).toMatch(/https:\/\/evil\.test.*allowedOrigins/);
  });

  it.each(writes)("$method $path refuses JSON marked cross-site by the browser", async (write) => {
    const response = await send(
      write.method,
      write.path,
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      "{}",
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_rejected");
  });

  it("refuses the opaque origin null of sandboxed frames", async () => {
    const response = await send(
      "POST",
      "/events",
      { origin: "null", "content-type": "application/json" },
      JSON.stringify(meeting),
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_rejected");
  });

  it("refuses a text/plain body that looks like JSON", async () => {
    const response = await send(
      "POST",
      "/events",
      { origin, "content-type": "text/plain" },
      JSON.stringify(meeting),
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_rejected");
  });
});

describe("state-changing routes accept same-origin JSON", () => {
  it("from publicUrl's origin", async () => {
    const created = await send(
      "POST",
      "/events",
      { origin, "sec-fetch-site": "same-origin", "content-type": "application/json; charset=utf-8" },
      JSON.stringify(meeting),
    );
    expect(created.status).toBe(201);
    const deleted = await send("DELETE", `/events/${created.body.id}`, {
      origin,
      "sec-fetch-site": "same-origin",
      "content-type": "application/json",
    });
    expect(deleted.status).toBe(204);
  });

  it("from an allowed origin, even when the browser calls it cross-site", async () => {
    const created = await send(
      "POST",
      "/events",
      { origin: "https://app.crm.test", "sec-fetch-site": "cross-site", "content-type": "application/json" },
      JSON.stringify(meeting),
    );
    expect(created.status).toBe(201);
  });

  it("from a client that is no browser (no Origin, no Sec-Fetch-Site)", async () => {
    const created = await send(
      "POST",
      "/events",
      { "content-type": "application/json" },
      JSON.stringify(meeting),
    );
    expect(created.status).toBe(201);
  });
});

describe("without publicUrl or allowedOrigins", () => {
  it("takes writes whose Origin names the request's own Host, and refuses others", async () => {
    const host = await startTestAgenda({ publicUrl: undefined });
    try {
      const own = new URL(host.baseUrl).origin;
      const post = (from: string) =>
        fetch(`${host.baseUrl}/events`, {
          method: "POST",
          headers: { "x-test-user": "alice", origin: from, "content-type": "application/json" },
          body: JSON.stringify(meeting),
        });
      expect((await post(own)).status).toBe(201);
      const refused = await post("https://evil.test");
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
        /must come from the host 127\.0\.0\.1:\d+/,
      );
    } finally {
      await host.stop();
    }
  });
});

describe("the host's session", () => {
  it.each([
    { userId: "", tenantId: "acme", email: "alice@acme.test" },
    { userId: "alice", tenantId: " ", email: "alice@acme.test" },
    { userId: "alice", tenantId: "acme", email: "not an address" },
    { userId: "alice", tenantId: "acme" },
    "alice",
  ])("is refused with 401 and reported when auth returns %j", async (session) => {
    const host = await startTestAgenda({ auth: () => session as never });
    try {
      const listed = await host.call(
        null,
        "GET",
        "/events?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z",
      );
      expect(listed.status).toBe(401);
      expect(listed.body.error.code).toBe("unauthorized");
      expect(host.errors).toHaveLength(1);
      expect(String(host.errors[0])).toMatch(/auth option returned a session the agenda cannot use/);
    } finally {
      await host.stop();
    }
  });

  it("is not asked on webhooks, so a failing auth cannot make them fail", async () => {
    const secretToken = "zoom-webhook-secret-for-tests";
    let asked = 0;
    const host = await startTestAgenda({
      auth: () => {
        asked++;
        throw new Error("the session store is down");
      },
      providers: {
        zoom: {
          clientId: "zoom-client",
          clientSecret: "zoom-secret",
          baseUrl: "http://127.0.0.1:9",
          webhookSecretToken: secretToken,
        },
      },
      encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    });
    try {
      const body = JSON.stringify({ event: "meeting.started", event_ts: Date.now(), payload: {} });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac("sha256", secretToken).update(`v0:${timestamp}:${body}`).digest("hex")}`;
      const zoom = await fetch(`${host.baseUrl}/webhooks/zoom`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-zm-request-timestamp": timestamp,
          "x-zm-signature": signature,
        },
        body,
      });
      expect(zoom.status).toBe(204);
      const calendar = await fetch(`${host.baseUrl}/webhooks/google/calendar`, {
        method: "POST",
        headers: { "x-goog-channel-id": "not-ours", "x-goog-resource-state": "exists" },
      });
      expect(calendar.status).toBe(200);
      expect(asked).toBe(0);
      expect(host.errors).toEqual([]);
    } finally {
      await host.stop();
    }
  });
});
