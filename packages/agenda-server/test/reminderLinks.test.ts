import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgendaHooks, Reminder } from "../src/index";
import { startTestAgenda } from "./startTestAgenda";

const told: Reminder[] = [];
const changes: Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0][] = [];
const clock = { now: new Date() };
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({
    encryptionKeys: [{ id: "k1", key: randomBytes(32).toString("base64") }],
    polling: false,
    calendarSync: false,
    now: () => clock.now,
    reminders: { offsetsMinutes: [60, 30] },
    hooks: {
      onReminder: (reminder) => void told.push(reminder),
      onEventChanged: (change) => void changes.push(change),
    },
  });
});
afterAll(async () => {
  await agenda.stop();
});

/** Makes an event of alice's with the client Dupont, and gets its 60-minute reminder's links. */
async function remindedEvent() {
  clock.now = new Date();
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3 * 60 * 60_000);
  const created = await agenda.call("alice", "POST", "/events", {
    title: "Revue <de> contrat",
    start: start.toISOString(),
    end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    timeZone: "Europe/Paris",
    attendees: [{ email: "marie@dupont.fr" }],
  });
  expect(created.status).toBe(201);
  clock.now = new Date(start.getTime() - 60 * 60_000);
  await runRound();
  await expect
    .poll(() => told.find((reminder) => reminder.event.id === created.body.id), { timeout: 15_000 })
    .toBeDefined();
  const reminder = told.find((one) => one.event.id === created.body.id)!;
  return { id: created.body.id as string, start, reminder };
}

async function runRound() {
  const id = await agenda.agenda.queue.send("agenda.reminder-tick", {});
  await expect
    .poll(async () => (await agenda.agenda.queue.getJobById("agenda.reminder-tick", id!))?.state, {
      timeout: 10_000,
      interval: 100,
    })
    .toBe("completed");
}

const attendanceOf = async (id: string) =>
  (await agenda.call("alice", "GET", `/events/${id}`)).body.attendance;

describe("reminder links", () => {
  it("shows the appointment on GET without answering, and confirms on the page's form post", async () => {
    const { id, start, reminder } = await remindedEvent();

    const page = await fetch(reminder.confirmUrl, {
      headers: { accept: "text/html", "accept-language": "fr-FR,fr;q=0.9" },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain('<form method="post">');
    expect(html).toContain("Confirmer");
    expect(html).toContain("Revue &#60;de&#62; contrat");
    const json = await fetch(reminder.confirmUrl);
    expect(await json.json()).toEqual({
      action: "confirm",
      title: "Revue <de> contrat",
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      timeZone: "Europe/Paris",
      attendance: null,
    });
    // A mail scanner opening the link answers nothing.
    expect(await attendanceOf(id)).toBeNull();

    // What the page's button sends: a form post from the agenda's own page, no session.
    const confirmed = await fetch(reminder.confirmUrl, {
      method: "POST",
      headers: {
        accept: "text/html",
        "content-type": "application/x-www-form-urlencoded",
        origin: new URL(agenda.baseUrl).origin,
      },
      body: "",
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("your attendance is confirmed");
    expect(await attendanceOf(id)).toBe("confirmed");
    await expect
      .poll(() => changes.filter((change) => change.eventId === id))
      .toEqual([
        { type: "created", tenantId: "acme", userId: "alice", eventId: id },
        { type: "updated", tenantId: "acme", userId: "alice", eventId: id },
      ]);

    // The same answer again changes nothing and tells nobody.
    const again = await fetch(reminder.confirmUrl, { method: "POST" });
    expect(again.status).toBe(200);
    expect((await again.json()).attendance).toBe("confirmed");
    expect(changes.filter((change) => change.eventId === id)).toHaveLength(2);
  });

  it("cancels: the attendance is cancelled, the event stays, and no later reminder is sent", async () => {
    const { id, start, reminder } = await remindedEvent();
    const cancelled = await fetch(reminder.cancelUrl, { method: "POST" });
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json()).attendance).toBe("cancelled");
    expect(await attendanceOf(id)).toBe("cancelled");
    // The user decides what becomes of the appointment: it stays, and the host hears of the change.
    const kept = await agenda.call("alice", "GET", `/events/${id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.start).toBe(start.toISOString());
    await expect
      .poll(() => changes.filter((change) => change.eventId === id).map((change) => change.type))
      .toEqual(["created", "updated"]);

    clock.now = new Date(start.getTime() - 30 * 60_000);
    await runRound();
    const rows = await agenda.pool.query(
      `select offset_seconds from "${agenda.schema}".reminders where event_id = $1`,
      [id],
    );
    expect(rows.rows).toEqual([{ offset_seconds: 3600 }]);
  });

  it("refuses a tampered link, a link used for the other action and an expired link", async () => {
    const { start, reminder } = await remindedEvent();
    const [base, token, action] = [
      reminder.confirmUrl.slice(0, reminder.confirmUrl.indexOf("/reminders/")),
      ...reminder.confirmUrl.split("/reminders/")[1]!.split("/"),
    ] as [string, string, string];
    const signatureStart = token.lastIndexOf(".") + 1;
    const flipped = token[signatureStart] === "A" ? "B" : "A";
    const tamperedToken = `${token.slice(0, signatureStart)}${flipped}${token.slice(signatureStart + 1)}`;
    const tampered = await fetch(`${base}/reminders/${tamperedToken}/${action}`, {
      method: "POST",
    });
    expect(tampered.status).toBe(403);
    expect((await tampered.json()).error).toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("not valid"),
    });
    const otherEvent = token.replace(/^[0-9a-f]/, (digit) => (digit === "0" ? "1" : "0"));
    expect((await fetch(`${base}/reminders/${otherEvent}/confirm`)).status).toBe(403);

    const wrongAction = await fetch(`${base}/reminders/${token}/cancel`, { method: "POST" });
    expect(wrongAction.status).toBe(403);
    expect((await wrongAction.json()).error.message).toContain('not for "cancel"');

    const page = await fetch(`${base}/reminders/${token}/cancel`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("The link is not valid or has expired.");

    clock.now = new Date(start.getTime() + 31 * 60_000);
    const expired = await fetch(reminder.confirmUrl, { method: "POST" });
    expect(expired.status).toBe(403);
    expect((await expired.json()).error.message).toContain("expired");
  });

  it("refuses the link of a moved event's old time, and forgets an answer given for it", async () => {
    const { id, start, reminder } = await remindedEvent();
    expect((await fetch(reminder.confirmUrl, { method: "POST" })).status).toBe(200);
    const moved = new Date(start.getTime() + 24 * 60 * 60_000);
    const patched = await agenda.call("alice", "PATCH", `/events/${id}`, {
      start: moved.toISOString(),
      end: new Date(moved.getTime() + 30 * 60_000).toISOString(),
    });
    expect(patched.body.attendance).toBeNull();
    const stale = await fetch(reminder.cancelUrl, { method: "POST" });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.message).toContain("moved");
    expect(await attendanceOf(id)).toBeNull();
  });
});
