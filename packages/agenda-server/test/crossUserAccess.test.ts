import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestAgenda } from "./startTestAgenda";

// Every route reached by an event's id answers another user's event as it answers an id that names
// nothing: 404, the same words, and no write. Carol is Alice's colleague in tenant acme; Bob is of
// tenant globex.
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({ polling: false, calendarSync: false });
});
afterAll(async () => {
  await agenda.stop();
});

const others: Person[] = ["carol", "bob"];

/**
 * Every row of the agenda's tables, and the queued jobs that name one of `ids`: what another user's
 * request must leave as it was.
 */
async function snapshot(ids: string[]) {
  const { rows: tables } = await agenda.pool.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = $1 order by table_name",
    [agenda.schema],
  );
  const rows: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows: found } = await agenda.pool.query<{ row: string }>(
      `select to_jsonb(t)::text as row from "${agenda.schema}"."${name}" t order by 1`,
    );
    rows[name] = found.map(({ row }) => row);
  }
  const { rows: jobs } = await agenda.pool.query<{ job: string }>(
    `select name || ' ' || coalesce(data::text, '') as job from "${agenda.schema}_jobs".job
      where data::text like any($1) order by 1`,
    [ids.map((id) => `%${id}%`)],
  );
  return { rows, jobs: jobs.map(({ job }) => job) };
}

/** As `agenda.call`, but a stream that opens is closed at once, its status all that is read. */
async function ask(person: Person, method: string, path: string, body?: unknown) {
  if (!path.endsWith("/stream")) return agenda.call(person, method, path, body);
  const response = await fetch(`${agenda.baseUrl}${path}`, { headers: { "x-test-user": person } });
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, body: undefined };
  }
  return { status: response.status, body: await response.json() };
}

/**
 * The person's request on `id`, expected to answer exactly as the same request on `unknown`, an id
 * that names nothing: 404 `not_found`, its message naming the id asked for.
 */
async function expectHidden(
  person: Person,
  method: string,
  path: (id: string) => string,
  id: string,
  unknown: string,
  body?: unknown,
) {
  const answer = await ask(person, method, path(id), body);
  const nothing = await ask(person, method, path(unknown), body);
  expect(nothing.status, `${method} ${path(unknown)}`).toBe(404);
  expect(answer.status, `${person}: ${method} ${path(id)}`).toBe(404);
  expect(answer.body).toEqual(JSON.parse(JSON.stringify(nothing.body).replaceAll(unknown, id)));
  expect(answer.body.error.code).toBe("not_found");
}

async function createEvent(person: Person, input: Record<string, unknown>): Promise<string> {
  const created = await agenda.call(person, "POST", "/events", {
    title: "Revue de contrat",
    start: "2026-12-08T09:00:00Z",
    end: "2026-12-08T10:00:00Z",
    timeZone: "Europe/Paris",
    ...input,
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe("another user's call summary", () => {
  /** A call of Alice's with its summary written, so Alice herself could read, follow and regenerate it. */
  async function alicesSummarizedCall(): Promise<string> {
    const eventId = await createEvent("alice", { title: "Appel Dupont" });
    await agenda.pool.query(
      `insert into "${agenda.schema}".summaries
         (event_id, tenant_id, user_id, provider, source_key, source, status, summary, transcript_url)
       values ($1, 'acme', 'alice', 'zoom', $2, $3, 'ready', $4, 'https://zoom.us/rec/share/abc')`,
      [
        eventId,
        `meeting-${eventId}`,
        JSON.stringify({
          provider: "zoom",
          connectionId: randomUUID(),
          key: `meeting-${eventId}`,
          topic: "Appel Dupont",
          startTime: "2026-12-08T09:00:00Z",
          endTime: "2026-12-08T10:00:00Z",
        }),
        JSON.stringify({
          executiveSummary: "Marie Dupont renouvelle le contrat pour deux ans.",
          keyPoints: [{ text: "Renouvellement" }],
          decisions: [],
          actionItems: [{ text: "Envoyer l'avenant", owner: "Alice" }],
        }),
      ],
    );
    await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'ready' where id = $1`, [
      eventId,
    ]);
    return eventId;
  }

  it("answers a colleague and another tenant 404 on the summary, its stream and its regeneration, and writes nothing", async () => {
    const eventId = await alicesSummarizedCall();
    const own = await agenda.call("alice", "GET", `/events/${eventId}/summary`);
    expect(own.status).toBe(200);
    expect(own.body.status).toBe("ready");
    const before = await snapshot([eventId]);

    for (const person of others) {
      await expectHidden(person, "GET", (id) => `/events/${id}/summary`, eventId, randomUUID());
      await expectHidden(person, "GET", (id) => `/events/${id}/summary/stream`, eventId, randomUUID());
      await expectHidden(person, "POST", (id) => `/events/${id}/summary/regenerate`, eventId, randomUUID());
    }

    expect(await snapshot([eventId])).toEqual(before);
    const still = await agenda.call("alice", "GET", `/events/${eventId}/summary`);
    expect(still.body).toEqual(own.body);
  });

  it("answers another user 404 on the stream of a summary being written, telling them nothing of it", async () => {
    const eventId = await createEvent("alice", { title: "Point hebdomadaire" });
    await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'pending' where id = $1`, [
      eventId,
    ]);
    const before = await snapshot([eventId]);
    for (const person of others) {
      await expectHidden(person, "GET", (id) => `/events/${id}/summary/stream`, eventId, randomUUID());
    }
    expect(await snapshot([eventId])).toEqual(before);
  });
});

describe("an occurrence of another user's recurring series", () => {
  // Weekly on Tuesdays at 10:00 in Paris, from 8 December to 5 January.
  const weekly = {
    title: "Point hebdo Dupont",
    start: "2026-12-08T10:00:00+01:00",
    end: "2026-12-08T10:30:00+01:00",
    timeZone: "Europe/Paris",
    recurrence: "FREQ=WEEKLY;BYDAY=TU;COUNT=5",
  };

  it("is 404 to read, change or delete by its <seriesId>_<start> id, in every scope, and stays as it was", async () => {
    const seriesId = await createEvent("alice", weekly);
    const plain = `${seriesId}_20261215T090000Z`;
    // An occurrence Alice moved is a row of its own: its occurrence id and its row's id are both hers.
    const moved = `${seriesId}_20261222T090000Z`;
    const changed = await agenda.call("alice", "PATCH", `/events/${moved}`, {
      title: "Point hebdo Dupont (décalé)",
      start: "2026-12-22T14:00:00Z",
      end: "2026-12-22T14:30:00Z",
    });
    expect(changed.status).toBe(200);
    const { rows } = await agenda.pool.query<{ id: string }>(
      `select id from "${agenda.schema}".events where series_master_id = $1`,
      [seriesId],
    );
    expect(rows).toHaveLength(1);
    const exceptionId = rows[0]!.id;
    const aliceSees = async () =>
      (await agenda.call("alice", "GET", "/events?from=2026-12-01T00:00:00Z&to=2027-01-31T00:00:00Z")).body;
    const seen = await aliceSees();
    expect(seen.events.filter((event: { seriesId?: string }) => event.seriesId === seriesId)).toHaveLength(5);
    const before = await snapshot([seriesId, exceptionId]);

    const path = (id: string) => `/events/${id}`;
    for (const person of others) {
      for (const [id, at] of [
        [plain, "20261215T090000Z"],
        [moved, "20261222T090000Z"],
        // The series by its own id, and the moved occurrence by its row's id.
        [seriesId, null],
        [exceptionId, null],
      ] as const) {
        const unknown = () => (at ? `${randomUUID()}_${at}` : randomUUID());
        await expectHidden(person, "GET", path, id, unknown());
        for (const scope of [undefined, "this", "following", "all"] as const) {
          await expectHidden(person, "PATCH", path, id, unknown(), {
            title: "piraté",
            ...(scope && { scope }),
          });
          const deleting = (asked: string) => `${path(asked)}${scope ? `?scope=${scope}` : ""}`;
          await expectHidden(person, "DELETE", deleting, id, unknown());
        }
      }
    }

    expect(await snapshot([seriesId, exceptionId])).toEqual(before);
    expect(await aliceSees()).toEqual(seen);
  });
});

describe("another user's event", () => {
  it("is 404 to read, change, delete or re-match, and stays as it was", async () => {
    const eventId = await createEvent("alice", { attendees: [{ email: "marie@dupont.fr" }] });
    const own = await agenda.call("alice", "GET", `/events/${eventId}`);
    expect(own.body.clientMatch.clientId).toBe("dupont");
    const before = await snapshot([eventId]);

    for (const person of others) {
      const path = (id: string) => `/events/${id}`;
      await expectHidden(person, "GET", path, eventId, randomUUID());
      await expectHidden(person, "PATCH", path, eventId, randomUUID(), { title: "piraté" });
      await expectHidden(person, "PATCH", path, eventId, randomUUID(), {
        attendees: [{ email: "paul@martin.fr" }],
      });
      await expectHidden(person, "DELETE", path, eventId, randomUUID());
      await expectHidden(person, "PUT", (id) => `/events/${id}/client`, eventId, randomUUID(), {
        clientId: null,
      });
    }

    expect(await snapshot([eventId])).toEqual(before);
    expect((await agenda.call("alice", "GET", `/events/${eventId}`)).body).toEqual(own.body);
  });
});
