import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startDemo } from "../src/startDemo";

// A Saturday: the seeded working fortnight has nothing that day, so only the reminder demo's event is near.
const clock = { now: new Date("2026-12-05T09:00:00Z") };
let demo: Awaited<ReturnType<typeof startDemo>>;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-demo-"));
  demo = await startDemo({
    databaseUrl: inject("databaseUrl"),
    dataDir,
    port: 0,
    schema: `demo_${randomBytes(4).toString("hex")}`,
    ai: { baseUrl: "http://127.0.0.1:9" },
    encryptionKeys: [{ id: "demo", key: randomBytes(32).toString("base64") }],
    ui: false,
    now: () => clock.now,
  });
}, 60_000);
afterAll(async () => {
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(name: string): Promise<string> {
  const response = await fetch(`${demo.url}/demo/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: demo.url },
    body: new URLSearchParams({ as: name }),
  });
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

describe("the demo's reminders", () => {
  it("logs alice's reminder of the appointment seeded soon, with links that confirm it", async () => {
    const cookie = await signIn("alice");
    clock.now = new Date("2026-12-05T09:05:00Z");
    await demo.agenda.queue.send("agenda.reminder-tick", {});
    type Log = { reminders: { title: string; offset: number; confirmUrl: string; eventId: string }[] };
    const log = async () =>
      ((await (await fetch(`${demo.url}/demo/api/reminders`, { headers: { cookie } })).json()) as Log)
        .reminders;
    await expect.poll(log, { timeout: 20_000, interval: 250 }).toHaveLength(1);
    const [reminder] = await log();
    expect(reminder).toMatchObject({ title: "Point d’étape — Dupont SA", offset: 10 });

    expect((await fetch(reminder!.confirmUrl, { method: "POST" })).status).toBe(200);
    const event = await fetch(`${demo.url}/api/agenda/events/${reminder!.eventId}`, { headers: { cookie } });
    expect((await event.json()).attendance).toBe("confirmed");

    const bob = await signIn("bob");
    const theirs = await fetch(`${demo.url}/demo/api/reminders`, { headers: { cookie: bob } });
    expect(((await theirs.json()) as Log).reminders).toEqual([]);
  });
});
