import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../../test/chromium";
import { startDemo } from "../src/startDemo";

const screenshots = resolve(import.meta.dirname, "../../../test-results");

describe.skipIf(chromiumMissing !== null)("alice's public booking link in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-booking-"));
    demo = await startDemo({
      databaseUrl: inject("databaseUrl"),
      dataDir,
      port: 0,
      schema: `demo_${randomBytes(4).toString("hex")}`,
      ai: { baseUrl: "http://127.0.0.1:9" },
    });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("books a slot as a guest in New York, without signing in, and the booking lands in alice's agenda", async () => {
    const page = await browser.newPage({
      viewport: { width: 1200, height: 900 },
      locale: "en-US",
      timezoneId: "America/New_York",
    });
    await page.goto(demo.bookingUrl);
    await page
      .getByRole("heading", { name: "Premier rendez-vous avec Alice Martin" })
      .waitFor({ timeout: 30_000 });
    // The guest's own zone is the one shown.
    expect(await page.getByLabel("Fuseau horaire").inputValue()).toBe("America/New_York");
    let slot = page.getByRole("button", { name: /^Choisir le / }).first();
    for (let week = 0; week < 3 && (await slot.count()) === 0; week++) {
      await page.getByRole("button", { name: "Semaine suivante" }).click();
      await page
        .getByRole("status")
        .waitFor({ state: "detached" })
        .catch(() => {});
      slot = page.getByRole("button", { name: /^Choisir le / }).first();
    }
    await slot.waitFor({ timeout: 15_000 });
    const picked = (await slot.getAttribute("aria-label"))!;
    expect(picked).toContain("(America/New_York)");
    await slot.focus();
    await page.keyboard.press("Enter");

    await page.getByLabel("Nom").fill("Marie Dupont");
    await page.getByLabel("E-mail").fill("marie.dupont@dupont-sa.fr");
    await page.getByLabel(/Quel est l’objet du rendez-vous/).fill("Un devis pour la nouvelle boutique");
    await page.getByRole("button", { name: "Réserver" }).click();
    await page.getByRole("heading", { name: "Rendez-vous confirmé" }).waitFor({ timeout: 15_000 });
    const ics = await page.getByRole("link", { name: /Ajouter à mon agenda/ }).getAttribute("href");
    expect(decodeURIComponent(ics!)).toContain("BEGIN:VCALENDAR");
    const manage = await page
      .getByRole("link", { name: "Annuler ou déplacer ce rendez-vous" })
      .getAttribute("href");
    expect(manage).toMatch(/\/book\/manage\/[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: join(screenshots, "booking-page-confirmed.png") });

    // The guest's link shows the booking to anyone holding it, with no session.
    const guest = await browser.newPage({ locale: "fr-FR", timezoneId: "Europe/Paris" });
    await guest.goto(manage!);
    await guest.getByRole("heading", { name: "Votre rendez-vous" }).waitFor({ timeout: 15_000 });
    expect(await guest.getByRole("button", { name: "Annuler le rendez-vous" }).count()).toBe(1);

    // Alice finds it in her agenda, with Dupont SA matched by the guest's e-mail.
    const alice = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "fr-FR" });
    await alice.goto(`${demo.url}/demo/login?as=alice`);
    await alice.getByRole("button", { name: /Se connecter/ }).click();
    await alice.waitForURL(`${demo.url}/agenda`);
    const events = await alice.evaluate(async () => {
      const from = new Date().toISOString();
      const to = new Date(Date.now() + 40 * 86_400_000).toISOString();
      const answer = await fetch(`/api/agenda/events?from=${from}&to=${to}`);
      return ((await answer.json()) as { events: { title: string; clientMatch: { clientName: string } }[] })
        .events;
    });
    const booked = events.find(
      (event) => event.title === "Premier rendez-vous avec Alice Martin — Marie Dupont",
    );
    expect(booked?.clientMatch.clientName).toBe("Dupont SA");
    // The demo's sidebar shows her booking link.
    expect(
      await alice.getByRole("link", { name: "Premier rendez-vous avec Alice Martin" }).getAttribute("href"),
    ).toBe(new URL(demo.bookingUrl).pathname);
  });
});
