import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../../test/chromium";
import { startDemo } from "../src/startDemo";

describe.skipIf(chromiumMissing !== null)("a live agenda in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-live-"));
    demo = await startDemo({
      databaseUrl: inject("databaseUrl"),
      dataDir,
      port: 0,
      schema: `live_${randomBytes(4).toString("hex")}`,
      ai: { baseUrl: "http://127.0.0.1:9" },
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Another session of the same person, as a colleague's tab or a script would hold: its cookie. */
  async function otherSession(name: string): Promise<string> {
    const response = await fetch(`${demo.url}/demo/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: demo.url },
      body: new URLSearchParams({ as: name }),
    });
    return response.headers.get("set-cookie")!.split(";")[0]!;
  }

  function callApi(cookie: string, method: string, path: string, body: unknown) {
    return fetch(`${demo.url}/api/agenda${path}`, {
      method,
      headers: { cookie, origin: demo.url, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  async function openAgenda(name: string): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
    });
    const streamOpen = page.waitForResponse(
      (response) => response.url().endsWith("/api/agenda/events/stream"),
      {
        timeout: 30_000,
      },
    );
    await page.goto(`${demo.url}/demo/login?as=${name}`);
    await page.getByRole("button", { name: /Se connecter/ }).click();
    await page.waitForURL(`${demo.url}/agenda`);
    await page.locator("[data-source]").first().waitFor({ timeout: 30_000 });
    expect((await streamOpen).status()).toBe(200);
    return page;
  }

  it("shows an event created, then moved, through the API by another session within 2 seconds, without a reload", async () => {
    const page = await openAgenda("carol");
    let reloaded = false;
    page.on("framenavigated", () => {
      reloaded = true;
    });
    const cookie = await otherSession("carol");
    // Today, 14:00 and then 16:00 UTC: on the week shown whatever the day.
    const today = new Date().toISOString().slice(0, 10);
    const paris = new Intl.DateTimeFormat("fr-FR", {
      timeZone: "Europe/Paris",
      hour: "2-digit",
      minute: "2-digit",
    });
    const times = (from: string, to: string) =>
      `${paris.format(new Date(`${today}T${from}:00Z`))} – ${paris.format(new Date(`${today}T${to}:00Z`))}`;
    const title = `Appel ajouté ailleurs ${randomBytes(3).toString("hex")}`;

    const created = await callApi(cookie, "POST", "/events", {
      title,
      start: `${today}T14:00:00Z`,
      end: `${today}T15:00:00Z`,
      timeZone: "Europe/Paris",
    });
    expect(created.status).toBe(201);
    const createdAt = Date.now();
    const chip = (when: string) => page.getByRole("button", { name: new RegExp(`^${title}, ${when}`) });
    await chip(times("14:00", "15:00")).waitFor({ timeout: 2_000 });
    const createdSeenMs = Date.now() - createdAt;

    const { id } = (await created.json()) as { id: string };
    const moved = await callApi(cookie, "PATCH", `/events/${id}`, {
      start: `${today}T16:00:00Z`,
      end: `${today}T17:00:00Z`,
    });
    expect(moved.status).toBe(200);
    const movedAt = Date.now();
    await chip(times("16:00", "17:00")).waitFor({ timeout: 2_000 });
    const movedSeenMs = Date.now() - movedAt;
    expect(await chip(times("14:00", "15:00")).count()).toBe(0);
    expect(reloaded).toBe(false);
    console.info(`live agenda: created seen after ${createdSeenMs} ms, moved seen after ${movedSeenMs} ms`);
    await page.close();
  });
});
