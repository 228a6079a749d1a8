import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgendaHooks } from "../src/index";
import { startTestAgenda } from "./startTestAgenda";

type Change = Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0];

const heard: Change[] = [];
/** What the host's hook does with the next change: take it, throw, reject, or never settle. */
let behaviour: "record" | "throw" | "reject" | "hang" = "record";
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({
    polling: false,
    calendarSync: false,
    hooks: {
      onEventChanged(change) {
        heard.push(change);
        if (behaviour === "throw") throw new Error(`the CRM's activity log refused ${change.type}`);
        if (behaviour === "reject") return Promise.reject(new Error(`the CRM's activity log is down`));
        if (behaviour === "hang") return new Promise<void>(() => {});
      },
    },
  });
});
afterAll(async () => {
  await agenda.stop();
});

const meeting = {
  title: "Revue de contrat",
  start: "2026-12-03T09:00:00.000Z",
  end: "2026-12-03T10:00:00.000Z",
  timeZone: "Europe/Paris",
};

describe("hooks.onEventChanged", () => {
  it("hears each change made through the routes, with its owner, in order", async () => {
    behaviour = "record";
    heard.length = 0;
    const created = await agenda.call("alice", "POST", "/events", meeting);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await agenda.call("alice", "PATCH", `/events/${id}`, { title: "Revue signée" })).status).toBe(
      200,
    );
    expect((await agenda.call("alice", "DELETE", `/events/${id}`)).status).toBe(204);

    await expect.poll(() => heard.length).toBe(3);
    const owner = { tenantId: "acme", userId: "alice", eventId: id };
    expect(heard).toEqual([
      { type: "created", ...owner },
      { type: "updated", ...owner },
      { type: "deleted", ...owner },
    ]);
  });

  it("is not told of a change another user was refused", async () => {
    behaviour = "record";
    const created = await agenda.call("alice", "POST", "/events", meeting);
    await expect.poll(() => heard.some((change) => change.eventId === created.body.id)).toBe(true);
    heard.length = 0;
    expect((await agenda.call("carol", "PATCH", `/events/${created.body.id}`, { title: "x" })).status).toBe(
      404,
    );
    expect((await agenda.call("bob", "DELETE", `/events/${created.body.id}`)).status).toBe(404);
    // A change it would hear arrives after the refusals, so waiting for it shows nothing came before.
    await agenda.call("alice", "DELETE", `/events/${created.body.id}`);
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toMatchObject({ type: "deleted", userId: "alice" });
  });

  it.each(["throw", "reject"] as const)(
    "answers the user and gives the hook's error to onError when the hook fails (%s)",
    async (failure) => {
      behaviour = failure;
      agenda.errors.length = 0;
      const created = await agenda.call("alice", "POST", "/events", meeting);
      expect(created.status).toBe(201);
      expect((await agenda.call("alice", "GET", `/events/${created.body.id}`)).status).toBe(200);

      await expect.poll(() => agenda.errors.length).toBe(1);
      expect(String((agenda.errors[0] as Error).message)).toMatch(/the CRM's activity log/);
      behaviour = "record";
    },
  );

  it("does not hold the answer while the hook is still running", async () => {
    behaviour = "hang";
    heard.length = 0;
    const created = await agenda.call("alice", "POST", "/events", meeting);
    expect(created.status).toBe(201);
    const moved = await agenda.call("alice", "PATCH", `/events/${created.body.id}`, {
      start: "2026-12-03T11:00:00.000Z",
      end: "2026-12-03T12:00:00.000Z",
    });
    expect(moved.status).toBe(200);
    expect(heard.map((change) => change.type)).toEqual(["created", "updated"]);
    behaviour = "record";
  });
});
