import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda();
});
afterAll(async () => {
  await agenda.stop();
});

const meeting = {
  title: "Revue de contrat",
  start: "2026-11-24T09:00:00+01:00",
  end: "2026-11-24T10:00:00+01:00",
  timeZone: "Europe/Paris",
  attendees: [{ email: "alice@acme.test" }, { email: "Marie@dupont.fr", name: "Marie Dupont" }],
};

describe("events", () => {
  it("creates, reads, lists, updates and deletes an event", async () => {
    const created = await agenda.call("alice", "POST", "/events", meeting);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: "Revue de contrat",
      start: "2026-11-24T08:00:00.000Z",
      end: "2026-11-24T09:00:00.000Z",
      allDay: false,
      timeZone: "Europe/Paris",
      source: "crm",
      summaryStatus: "none",
      clientMatch: { clientId: "dupont", clientName: "Dupont SA", method: "auto" },
    });
    const id = created.body.id as string;

    expect((await agenda.call("alice", "GET", `/events/${id}`)).body).toEqual(created.body);

    const listed = await agenda.call(
      "alice",
      "GET",
      "/events?from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z",
    );
    expect(listed.status).toBe(200);
    expect(listed.body.events.map((event: { id: string }) => event.id)).toEqual([id]);

    const updated = await agenda.call("alice", "PATCH", `/events/${id}`, {
      title: "Revue de contrat (reportée)",
      start: "2026-11-25T14:00:00+01:00",
      end: "2026-11-25T15:30:00+01:00",
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      title: "Revue de contrat (reportée)",
      start: "2026-11-25T13:00:00.000Z",
      end: "2026-11-25T14:30:00.000Z",
      clientMatch: { clientId: "dupont" },
    });
    expect(Date.parse(updated.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

    expect((await agenda.call("alice", "DELETE", `/events/${id}`)).status).toBe(204);
    const gone = await agenda.call("alice", "GET", `/events/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("not_found");
  });

  it("lists only events overlapping the range, by start", async () => {
    const early = await agenda.call("alice", "POST", "/events", {
      ...meeting,
      title: "Avant",
      start: "2026-12-01T08:00:00Z",
      end: "2026-12-01T09:00:00Z",
    });
    const spanning = await agenda.call("alice", "POST", "/events", {
      ...meeting,
      title: "À cheval",
      start: "2026-12-01T23:30:00Z",
      end: "2026-12-02T00:30:00Z",
    });
    await agenda.call("alice", "POST", "/events", {
      ...meeting,
      title: "Après",
      start: "2026-12-03T08:00:00Z",
      end: "2026-12-03T09:00:00Z",
    });
    const listed = await agenda.call(
      "alice",
      "GET",
      "/events?from=2026-12-01T09:00:00Z&to=2026-12-02T12:00:00Z",
    );
    expect(listed.body.events.map((event: { title: string }) => event.title)).toEqual(["À cheval"]);
    expect(early.status).toBe(201);
    expect(spanning.status).toBe(201);
  });

  it("rematches the client when attendees change, but keeps a manual correction", async () => {
    const created = await agenda.call("alice", "POST", "/events", meeting);
    const id = created.body.id;
    const rematched = await agenda.call("alice", "PATCH", `/events/${id}`, {
      attendees: [{ email: "paul@martin.fr" }],
    });
    expect(rematched.body.clientMatch).toEqual({
      clientId: "martin",
      clientName: "Martin SARL",
      method: "auto",
    });

    const corrected = await agenda.call("alice", "PUT", `/events/${id}/client`, { clientId: "dupont" });
    expect(corrected.status).toBe(200);
    expect(corrected.body.clientMatch).toEqual({
      clientId: "dupont",
      clientName: "Dupont SA",
      method: "manual",
    });

    const afterChange = await agenda.call("alice", "PATCH", `/events/${id}`, {
      attendees: [{ email: "paul@martin.fr" }],
    });
    expect(afterChange.body.clientMatch.clientId).toBe("dupont");

    const unknown = await agenda.call("alice", "PUT", `/events/${id}/client`, { clientId: "initech" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/no CRM client initech/);
  });

  it("searches the host's clients within the tenant", async () => {
    const found = await agenda.call("alice", "GET", "/clients?q=dup");
    expect(found.body.clients.map((client: { id: string }) => client.id)).toEqual(["dupont"]);
    const otherTenant = await agenda.call("bob", "GET", "/clients?q=dup");
    expect(otherTenant.body.clients).toEqual([]);
  });

  it("answers a summary status for an event that is not a call", async () => {
    const created = await agenda.call("alice", "POST", "/events", meeting);
    const summary = await agenda.call("alice", "GET", `/events/${created.body.id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ eventId: created.body.id, status: "none", summary: null });
  });
});

describe("input that fails its schema", () => {
  it("answers 400 naming the field", async () => {
    const response = await agenda.call("alice", "POST", "/events", {
      ...meeting,
      attendees: [{ email: "not-an-email" }],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_failed");
    expect(response.body.error.message).toContain("attendees.0.email");
    expect(response.body.error.details).toContainEqual({
      path: "attendees.0.email",
      message: "must be an e-mail address",
    });
  });

  it("answers 400 naming the field for text PostgreSQL cannot hold, rather than failing at the database", async () => {
    const created = await agenda.call("alice", "POST", "/events", { ...meeting, title: "Revue\u0000" });
    expect(created.status).toBe(400);
    expect(created.body.error.details).toContainEqual({
      path: "title",
      message: "must not contain the NUL character (U+0000)",
    });
    const search = await agenda.call("alice", "GET", "/clients?q=dup%00ont");
    expect(search.status).toBe(400);
    expect(search.body.error.details).toContainEqual({
      path: "q",
      message: "must not contain the NUL character (U+0000)",
    });
  });

  it("answers 400 when end is not after start, on create and on a partial update", async () => {
    const bad = await agenda.call("alice", "POST", "/events", { ...meeting, end: meeting.start });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual({ path: "end", message: "end must be after start" });

    const created = await agenda.call("alice", "POST", "/events", meeting);
    const movedBefore = await agenda.call("alice", "PATCH", `/events/${created.body.id}`, {
      end: "2026-11-24T08:30:00+01:00",
    });
    expect(movedBefore.status).toBe(400);
    expect(movedBefore.body.error.details[0].path).toBe("end");
  });

  it("answers 400 for a missing title and a missing body", async () => {
    const { title: _title, ...untitled } = meeting;
    const missing = await agenda.call("alice", "POST", "/events", untitled);
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe("title");

    const empty = await agenda.call("alice", "POST", "/events");
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe("the request needs a JSON body");
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await agenda.call("alice", "POST", "/events", "{ title: nope");
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "bad_request" });
    expect(response.body.error.message).toMatch(/not valid JSON/);
  });

  it("answers 403 for JSON sent with another content type, as a form of another site could", async () => {
    const response = await agenda.call("alice", "POST", "/events", JSON.stringify(meeting), {
      "content-type": "text/plain",
    });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_rejected");
    expect(response.body.error.message).toMatch(/Content-Type: application\/json/);
  });

  it("answers 413 for a body over the limit", async () => {
    const response = await agenda.call("alice", "POST", "/events", {
      ...meeting,
      description: "x".repeat(2_000_000),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("payload_too_large");
  });

  it("answers 400 for an id that is not a UUID and for a bad range", async () => {
    expect((await agenda.call("alice", "GET", "/events/42")).status).toBe(400);
    const range = await agenda.call(
      "alice",
      "GET",
      "/events?from=2026-11-30T00:00:00Z&to=2026-11-23T00:00:00Z",
    );
    expect(range.status).toBe(400);
    expect(range.body.error.details[0]).toEqual({ path: "to", message: "to must be after from" });
    const missing = await agenda.call("alice", "GET", "/events");
    expect(missing.status).toBe(400);
  });

  it("answers 404 in the shared shape for a path the contract does not have", async () => {
    const response = await agenda.call("alice", "GET", "/nowhere");
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("not_found");
  });
});

describe("tenancy and sessions", () => {
  it("answers 401 without a session", async () => {
    const response = await agenda.call(
      null,
      "GET",
      "/events?from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z",
    );
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({ code: "unauthorized", message: "sign in to use the agenda" });
    expect((await agenda.call(null, "POST", "/events", meeting)).status).toBe(401);
  });

  it("hides one tenant's events from another for read, update, delete and listing", async () => {
    const created = await agenda.call("alice", "POST", "/events", meeting);
    const id = created.body.id;
    expect((await agenda.call("bob", "GET", `/events/${id}`)).status).toBe(404);
    expect((await agenda.call("bob", "PATCH", `/events/${id}`, { title: "piraté" })).status).toBe(404);
    expect((await agenda.call("bob", "DELETE", `/events/${id}`)).status).toBe(404);
    expect((await agenda.call("bob", "PUT", `/events/${id}/client`, { clientId: "initech" })).status).toBe(
      404,
    );
    const bobsWeek = await agenda.call(
      "bob",
      "GET",
      "/events?from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z",
    );
    expect(bobsWeek.body.events).toEqual([]);
    const stillThere = await agenda.call("alice", "GET", `/events/${id}`);
    expect(stillThere.body.title).toBe("Revue de contrat");
  });

  it("keeps a colleague of the same tenant out of another user's agenda", async () => {
    const created = await agenda.call("alice", "POST", "/events", meeting);
    expect((await agenda.call("carol", "GET", `/events/${created.body.id}`)).status).toBe(404);
  });
});

describe("system routes", () => {
  it("reports the database and queue up and the AI service offline", async () => {
    const response = await agenda.call(null, "GET", "/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: "degraded",
      database: { ok: true },
      queue: { ok: true },
      ai: { online: false },
    });
  });

  it("answers a flood of /health calls with one check", async () => {
    let checks = 0;
    const aiService = createServer((_req, res) => {
      checks++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ online: true }));
    });
    await new Promise<void>((resolve) => aiService.listen(0, "127.0.0.1", resolve));
    const port = (aiService.address() as AddressInfo).port;
    const checked = await startTestAgenda({ ai: { baseUrl: `http://127.0.0.1:${port}` } });
    try {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => checked.call(null, "GET", "/health")),
      );
      for (const answer of answers) expect(answer.body).toMatchObject({ status: "ok", ai: { online: true } });
      for (let index = 0; index < 3; index++) await checked.call(null, "GET", "/health");
      expect(checks).toBe(1);
    } finally {
      await checked.stop();
      await new Promise((resolve) => aiService.close(resolve));
    }
  });

  it("never sends a stack trace for an unexpected error", async () => {
    const failing = await startTestAgenda({
      clients: {
        findByEmails: async () => {
          throw new Error("host directory exploded at /srv/crm/clients.ts:12");
        },
        search: async () => [],
        get: async () => null,
      },
    });
    try {
      const response = await failing.call("alice", "POST", "/events", meeting);
      expect(response.status).toBe(500);
      expect(JSON.stringify(response.body)).not.toMatch(/exploded|clients\.ts/);
      expect(response.body.error.code).toBe("internal");
      expect(failing.errors).toHaveLength(1);
    } finally {
      await failing.stop();
    }
  });
});
