import { createMicrosoftSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jobQueues } from "../src/jobs/agendaJobs";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

/** The agenda's and Graph's clocks run ahead of the real one by this much when a test moves time. */
let clockOffsetMs = 0;
const clock = () => new Date(Date.now() + clockOffsetMs);
const microsoft = createMicrosoftSandbox({ accounts: sandboxAccounts, client: sandboxClient, now: clock });
const outlook = microsoft.calendar;
let graphServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
let connectionId: string;
const poll = { timeout: 15_000, interval: 100 };

const at = (offsetDays: number, hour: number) => {
  const date = new Date();
  date.setUTCHours(hour, 0, 0, 0);
  return new Date(date.getTime() + offsetDays * 86_400_000).toISOString();
};
const graphTime = (iso: string) => ({ dateTime: iso.replace("Z", "0000"), timeZone: "UTC" });

async function agendaEvents(): Promise<
  { id: string; title: string; start: string; source: string; clientMatch: { clientId: string | null } }[]
> {
  const from = new Date(Date.now() - 5 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 60 * 86_400_000).toISOString();
  return (await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`)).body.events;
}
const titles = async () => (await agendaEvents()).map((event) => event.title).sort();
const outlookTitles = () =>
  outlook
    .list("acct-alice")
    .map((event) => event.subject)
    .sort();
const liveSubscriptions = () => outlook.subscriptions();

beforeAll(async () => {
  graphServer = await microsoft.start();
  outlook.put("acct-alice", {
    id: "AAMkADseed-visite",
    subject: "Visite Dupont",
    start: graphTime(at(1, 9)),
    end: graphTime(at(1, 10)),
    attendees: [{ emailAddress: { address: "marie@dupont.fr", name: "Marie Dupont" } }],
  });
  outlook.put("acct-alice", {
    id: "AAMkADseed-revue",
    subject: "Revue interne",
    start: graphTime(at(2, 9)),
    end: graphTime(at(2, 10)),
  });
  agenda = await startTestAgenda({
    providers: { microsoft: { ...sandboxClient, baseUrl: graphServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
    now: clock,
  });
  connectionId = (await connectAccount(agenda.baseUrl, "microsoft", "alice", "acct-alice")).id;
});
afterAll(async () => {
  await agenda.stop();
  await graphServer.stop();
});

describe("Outlook sync through Microsoft Graph", () => {
  it("syncs the calendar with delta, subscribes after the validation handshake, and asks for immutable ids", async () => {
    await expect.poll(titles, poll).toEqual(["Revue interne", "Visite Dupont"]);
    await expect.poll(() => liveSubscriptions().length, poll).toBe(1);
    const subscription = liveSubscriptions()[0]!;
    expect(subscription.resource).toBe("me/events");
    expect(subscription.lifecycleNotificationUrl).toBe(`${agenda.baseUrl}/webhooks/microsoft`);
    expect(Date.parse(subscription.expirationDateTime) - Date.now()).toBeLessThanOrEqual(4230 * 60_000);
    expect(outlook.stats.validations).toBeGreaterThanOrEqual(1);
    expect(outlook.stats.mutableIdRequests).toBe(0);
    const visite = (await agendaEvents()).find((event) => event.title === "Visite Dupont")!;
    expect(visite).toMatchObject({
      source: "microsoft",
      start: at(1, 9),
      clientMatch: { clientId: "dupont" },
    });
    const { rows } = await agenda.pool.query(
      `select cursor from "${agenda.schema}".calendar_syncs where connection_id = $1`,
      [connectionId],
    );
    expect(rows[0].cursor).toMatch(/\$deltatoken=/);
  });

  it("answers the validation handshake in plain text", async () => {
    const response = await fetch(
      `${agenda.baseUrl}/webhooks/microsoft?validationToken=${encodeURIComponent("Validation: abc <&>")}`,
      {
        method: "POST",
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("Validation: abc <&>");
  });

  it("answers a validation only without a body, for a short token, as text/plain that is not sniffed", async () => {
    const validate = (query: string, body?: string) =>
      fetch(`${agenda.baseUrl}/webhooks/microsoft?${query}`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        ...(body !== undefined && { body }),
      });
    const answered = await validate(`validationToken=${encodeURIComponent("<script>alert(1)</script>")}`);
    expect(answered.status).toBe(200);
    expect(answered.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(answered.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await answered.text()).toBe("<script>alert(1)</script>");

    const withBody = await validate("validationToken=abc", "<html><body>hello</body></html>");
    expect(withBody.status).toBe(400);
    expect((await withBody.json()).error.message).toBe(
      "a Graph validation request has an empty body; this one has a body",
    );
    for (const query of [
      `validationToken=${"a".repeat(1025)}`,
      "validationToken=a&validationToken=b",
      "validationToken=",
    ]) {
      const refused = await validate(query);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.message).toBe(
        "validationToken must be one non-empty value of at most 1024 characters",
      );
    }
    expect((await validate(`validationToken=${"a".repeat(1024)}`)).status).toBe(200);
  });

  it("reads the subscriptions of a whole notification collection in one query, and refuses one over 1000 items", async () => {
    const subscription = liveSubscriptions()[0]!;
    const { rows } = await agenda.pool.query(
      `select secret from "${agenda.schema}".calendar_channels where id = $1`,
      [subscription.id],
    );
    const notify = (count: number) =>
      fetch(`${agenda.baseUrl}/webhooks/microsoft`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          value: Array.from({ length: count }, (_, index) => ({
            subscriptionId: index % 2 ? subscription.id : `unknown-${index}`,
            clientState: rows[0].secret,
            changeType: "updated",
            resource: `Users/acct-alice/Events/flood-${index}`,
          })),
        }),
      });
    const channelQueries: string[] = [];
    const query = agenda.pool.query.bind(agenda.pool);
    const spy = vi.spyOn(agenda.pool, "query").mockImplementation(((text: unknown, ...rest: unknown[]) => {
      const sql = typeof text === "string" ? text : ((text as { text?: string }).text ?? "");
      if (sql.includes("calendar_channels")) channelQueries.push(sql);
      return (query as (...args: unknown[]) => unknown)(text, ...rest);
    }) as typeof agenda.pool.query);
    try {
      expect((await notify(1000)).status).toBe(202);
      expect(channelQueries).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
    const tooMany = await notify(1001);
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).error).toEqual({
      code: "payload_too_large",
      message: "a Graph notification collection holds at most 1000 notifications here; this one has 1001",
    });
  });

  it("shows creates, updates and deletes made in Outlook, through notifications", async () => {
    outlook.put("acct-alice", {
      id: "AAMkADnew-martin",
      subject: "Appel Martin",
      start: graphTime(at(3, 14)),
      end: graphTime(at(3, 15)),
      attendees: [{ emailAddress: { address: "paul@martin.fr" } }],
    });
    outlook.patch("acct-alice", "AAMkADseed-visite", {
      subject: "Visite Dupont (reportée)",
      start: graphTime(at(4, 9)),
      end: graphTime(at(4, 10)),
    });
    outlook.remove("acct-alice", "AAMkADseed-revue");
    await expect.poll(titles, poll).toEqual(["Appel Martin", "Visite Dupont (reportée)"]);
    expect((await agendaEvents()).find((event) => event.title.startsWith("Visite"))!.start).toBe(at(4, 9));
  });

  it("ignores notifications with a wrong clientState", async () => {
    const subscription = liveSubscriptions()[0]!;
    const count = async () =>
      (
        await agenda.pool.query(
          `select count(*)::int as count from "${agenda.schema}".deliveries where source = 'microsoft'`,
        )
      ).rows[0].count as number;
    const before = await count();
    const response = await fetch(`${agenda.baseUrl}/webhooks/microsoft`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        value: [
          { subscriptionId: subscription.id, clientState: "forged", changeType: "updated", resource: "x" },
        ],
      }),
    });
    expect(response.status).toBe(202);
    expect(await count()).toBe(before);
  });

  it("starts over after 410 on the delta link, dropping what vanished", async () => {
    outlook.control.dropNotifications = true;
    outlook.remove("acct-alice", "AAMkADnew-martin");
    outlook.expireDeltaTokens();
    outlook.control.dropNotifications = false;
    outlook.put("acct-alice", {
      id: "AAMkADafter-410",
      subject: "Après le 410",
      start: graphTime(at(5, 9)),
      end: graphTime(at(5, 10)),
    });
    await expect.poll(titles, poll).toEqual(["Après le 410", "Visite Dupont (reportée)"]);
    const { rows } = await agenda.pool.query(
      `select full_syncs from "${agenda.schema}".calendar_syncs where connection_id = $1`,
      [connectionId],
    );
    expect(rows[0].full_syncs).toBe(2);
  });

  it("keeps an invitation the user declined in Outlook in the agenda, not busy", async () => {
    outlook.put("acct-alice", {
      id: "AAMkADdeclined",
      subject: "Comité refusé",
      showAs: "busy",
      responseStatus: { response: "declined" },
      start: { dateTime: "2026-12-02T09:00:00.0000000", timeZone: "UTC" },
      end: { dateTime: "2026-12-02T10:00:00.0000000", timeZone: "UTC" },
    });
    const busy = async () => {
      const { rows } = await agenda.pool.query(
        `select busy from "${agenda.schema}".events where user_id = 'alice' and title = 'Comité refusé'`,
      );
      return rows.map((row) => row.busy);
    };
    await expect.poll(busy, poll).toEqual([false]);
  });

  it("keeps an Outlook event's own zone from its Windows name, all-day on its date in that zone, body as text", async () => {
    outlook.put("acct-alice", {
      id: "AAMkADparis-allday",
      subject: "Salon Paris",
      isAllDay: true,
      start: { dateTime: "2026-11-30T00:00:00.0000000", timeZone: "Romance Standard Time" },
      end: { dateTime: "2026-12-01T00:00:00.0000000", timeZone: "Romance Standard Time" },
      body: {
        contentType: "html",
        content:
          '<html><head><meta http-equiv="Content-Type" content="text/html"></head><body><p>Stand <b>B12</b></p></body></html>',
      },
    });
    outlook.put("acct-alice", {
      id: "AAMkADparis-timed",
      subject: "Déjeuner Paris",
      start: { dateTime: "2026-11-30T12:30:00.0000000", timeZone: "Romance Standard Time" },
      end: { dateTime: "2026-11-30T13:30:00.0000000", timeZone: "Romance Standard Time" },
      body: { contentType: "text", content: "Table pour 4" },
    });
    const read = async () => {
      const from = "2026-11-25T00:00:00Z";
      const to = "2026-12-05T00:00:00Z";
      return (await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`)).body.events as {
        title: string;
        start: string;
        end: string;
        allDay: boolean;
        timeZone: string;
        description: string | null;
      }[];
    };
    await expect
      .poll(async () => (await read()).map((event) => event.title), poll)
      .toEqual(expect.arrayContaining(["Déjeuner Paris", "Salon Paris"]));
    const events = await read();
    const allDay = events.find((event) => event.title === "Salon Paris")!;
    expect(allDay).toMatchObject({ allDay: true, timeZone: "Europe/Paris", description: "Stand B12" });
    // Paris midnight of the 30th, not UTC midnight (a day off in a Paris agenda).
    expect(new Date(allDay.start).toISOString()).toBe("2026-11-29T23:00:00.000Z");
    expect(new Date(allDay.end).toISOString()).toBe("2026-11-30T23:00:00.000Z");
    const timed = events.find((event) => event.title === "Déjeuner Paris")!;
    expect(timed).toMatchObject({ timeZone: "Europe/Paris", description: "Table pour 4" });
    expect(new Date(timed.start).toISOString()).toBe("2026-11-30T11:30:00.000Z");
  });

  it("answers as Graph does: UTC without a preferred zone, the preferred zone when given, HTML bodies unless text is asked", async () => {
    const stored = outlook.put("acct-alice", {
      subject: "Forme Graph",
      start: { dateTime: "2026-11-30T12:30:00.0000000", timeZone: "Europe/Paris" },
      end: { dateTime: "2026-11-30T13:30:00.0000000", timeZone: "Europe/Paris" },
      body: { contentType: "text", content: "a < b" },
    });
    const token = await agenda.agenda.connections.accessToken(connectionId);
    expect(token).toBeTruthy();
    const get = async (prefer?: string) =>
      (await fetch(`${graphServer.url}/v1.0/me/events/${stored.id}`, {
        headers: { authorization: `Bearer ${token}`, ...(prefer && { prefer }) },
      }).then((response) => response.json())) as {
        start: { dateTime: string; timeZone: string };
        originalStartTimeZone: string;
        body: { contentType: string; content: string };
      };
    const plain = await get();
    expect(plain.start).toEqual({ dateTime: "2026-11-30T11:30:00.0000000", timeZone: "UTC" });
    expect(plain.originalStartTimeZone).toBe("Romance Standard Time");
    expect(plain.body.contentType).toBe("html");
    expect(plain.body.content).toContain("<html>");
    expect(plain.body.content).toContain("a &#60; b");
    const preferred = await get('outlook.timezone="Pacific Standard Time", outlook.body-content-type="text"');
    expect(preferred.start).toEqual({
      dateTime: "2026-11-30T03:30:00.0000000",
      timeZone: "Pacific Standard Time",
    });
    expect(preferred.body).toEqual({ contentType: "text", content: "a < b" });
  });

  it("syncs on a missed lifecycle notification, renews on reauthorizationRequired, resubscribes on subscriptionRemoved", async () => {
    outlook.control.dropNotifications = true;
    outlook.put("acct-alice", {
      id: "AAMkADmissed",
      subject: "Manquée",
      start: graphTime(at(6, 9)),
      end: graphTime(at(6, 10)),
    });
    outlook.control.dropNotifications = false;
    const first = liveSubscriptions()[0]!;
    outlook.lifecycle(first.id, "missed");
    await expect.poll(titles, poll).toContain("Manquée");
    // A second `missed` for the same subscription, alike to the byte, is acted on too.
    outlook.control.dropNotifications = true;
    outlook.put("acct-alice", {
      id: "AAMkADmissed-again",
      subject: "Manquée encore",
      start: graphTime(at(6, 11)),
      end: graphTime(at(6, 12)),
    });
    outlook.control.dropNotifications = false;
    outlook.lifecycle(first.id, "missed");
    await expect.poll(titles, poll).toContain("Manquée encore");

    clockOffsetMs += 60 * 60_000;
    outlook.lifecycle(first.id, "reauthorizationRequired");
    await expect
      .poll(() => Date.parse(liveSubscriptions()[0]!.expirationDateTime), poll)
      .toBeGreaterThan(Date.parse(first.expirationDateTime));
    expect(liveSubscriptions().map((subscription) => subscription.id)).toEqual([first.id]);

    outlook.lifecycle(first.id, "subscriptionRemoved");
    await expect.poll(() => liveSubscriptions().map((subscription) => subscription.id), poll).not.toEqual([]);
    expect(liveSubscriptions()[0]!.id).not.toBe(first.id);
    outlook.put("acct-alice", {
      id: "AAMkADafter-resubscribe",
      subject: "Après réabonnement",
      start: graphTime(at(7, 9)),
      end: graphTime(at(7, 10)),
    });
    await expect.poll(titles, poll).toContain("Après réabonnement");
  });

  it("renews the subscription before its limit of under 3 days", async () => {
    const before = liveSubscriptions()[0]!;
    clockOffsetMs += 2 * 86_400_000;
    await agenda.agenda.queue.send(jobQueues.calendarPoll, {});
    await expect
      .poll(() => Date.parse(liveSubscriptions()[0]!.expirationDateTime), poll)
      .toBeGreaterThan(Date.parse(before.expirationDateTime));
    expect(liveSubscriptions()).toHaveLength(1);
  });

  it("writes agenda events to Outlook once, with transactionId and marker, and recognises the echo", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Rendez-vous CRM",
      start: at(8, 9),
      end: at(8, 10),
      timeZone: "Europe/Paris",
      attendees: [{ email: "paul@martin.fr" }],
    });
    const id = created.body.id as string;
    await expect.poll(outlookTitles, poll).toContain("Rendez-vous CRM");
    const copy = outlook.list("acct-alice").find((event) => event.subject === "Rendez-vous CRM")!;
    expect(copy.transactionId).toBe(id);
    expect(copy.singleValueExtendedProperties?.[0]?.value).toBe(id);
    // A retried create (the worker died before recording Graph's answer) meets the first event.
    await agenda.pool.query(
      `update "${agenda.schema}".events set external_id = null, connection_id = null, synced_at = null where id = $1`,
      [id],
    );
    await agenda.agenda.queue.send(jobQueues.calendarPush, { action: "upsert", eventId: id });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(outlookTitles().filter((title) => title === "Rendez-vous CRM")).toHaveLength(1);
    expect((await titles()).filter((title) => title === "Rendez-vous CRM")).toHaveLength(1);

    await agenda.call("alice", "PATCH", `/events/${id}`, { start: at(8, 11), end: at(8, 12) });
    // Written on the event's own wall clock, under the Windows name Outlook records for Paris.
    const paris = new Date(at(8, 11)).toLocaleString("sv-SE", { timeZone: "Europe/Paris" }).replace(" ", "T");
    await expect
      .poll(() => outlook.list("acct-alice").find((event) => event.transactionId === id)?.start, poll)
      .toEqual({ dateTime: paris, timeZone: "Romance Standard Time" });
    expect(
      outlook.list("acct-alice").find((event) => event.transactionId === id)?.originalStartTimeZone,
    ).toBe("Romance Standard Time");
    await agenda.call("alice", "DELETE", `/events/${id}`);
    await expect.poll(outlookTitles, poll).not.toContain("Rendez-vous CRM");
    expect(await titles()).not.toContain("Rendez-vous CRM");
  });

  it("honours 429 Retry-After and never runs more than 4 requests on one mailbox", async () => {
    outlook.control.throttleNext.push(1, 1);
    outlook.put("acct-alice", {
      id: "AAMkADthrottled",
      subject: "Sous limitation",
      start: graphTime(at(9, 9)),
      end: graphTime(at(9, 10)),
    });
    await expect.poll(titles, poll).toContain("Sous limitation");
    expect(outlook.stats.throttled).toBeGreaterThanOrEqual(2);
    expect(outlook.stats.maxConcurrent).toBeLessThanOrEqual(4);
  });

  it("deletes the subscription on disconnect", async () => {
    expect((await agenda.call("alice", "DELETE", `/connections/${connectionId}`)).status).toBe(204);
    expect(liveSubscriptions()).toEqual([]);
    expect(await titles()).toEqual([]);
  });
});
