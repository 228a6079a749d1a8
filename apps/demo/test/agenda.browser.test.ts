import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createAiService } from "@crm-agenda/sandbox";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../../test/chromium";
import { startDemo } from "../src/startDemo";
import { startProviders } from "../src/startProviders";

const screenshots = resolve(import.meta.dirname, "../../../test-results");

describe.skipIf(chromiumMissing !== null)("the demo CRM in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let providers: Awaited<ReturnType<typeof startProviders>>;
  let aiService: { url: string; stop(): Promise<void> };
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-demo-"));
    providers = await startProviders({}, dataDir);
    aiService = await createAiService().start({ port: 0 });
    demo = await startDemo({
      providers: providers.providers,
      encryptionKeys: providers.encryptionKeys,
      databaseUrl: inject("databaseUrl"),
      dataDir,
      port: 0,
      schema: `demo_${randomBytes(4).toString("hex")}`,
      ai: { baseUrl: aiService.url },
      sandboxes: providers,
    });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await providers?.stop();
    await aiService?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Signs in with the demo's sign-in form, as a person would (a POST: never a link). */
  async function signIn(page: Page, name: "alice" | "carol" | "bob") {
    await page.goto(`${demo.url}/demo/login?as=${name}`);
    await page.getByRole("button", { name: /Se connecter/ }).click();
    await page.waitForURL(`${demo.url}/agenda`);
  }

  it("signs alice in and shows her seeded week at /agenda", async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
    });
    await signIn(page, "alice");
    expect(new URL(page.url()).pathname).toBe("/agenda");

    // Every working day of the seeded week starts with the team meeting or another event; the
    // Monday one-on-one with Dupont SA is there whatever day of the week today is.
    await expect
      .poll(
        () =>
          page
            .getByRole("button", {
              name: /Point hebdo équipe commerciale|Préparation devis Leroy|Formation CRM|Comité de direction|Bilan de la semaine/,
            })
            .count(),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    const events = page.locator("[data-source]");
    expect(await events.count()).toBeGreaterThanOrEqual(5);
    await expect.poll(() => page.getByText("Salon Batimat").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshots, "demo-agenda-week.png") });

    // Bob, of another tenant, sees none of alice's events.
    const bob = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(bob, "bob");
    await expect.poll(() => bob.locator("[data-source]").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await bob.getByText("Salon Batimat").count()).toBe(0);
  });

  it("fits a phone: three days without sideways scrolling, the sidebar in a menu that opens", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
      hasTouch: true,
      isMobile: true,
    });
    const page = await context.newPage();
    await signIn(page, "alice");
    await page.waitForSelector(".agenda-root:not([data-state])", { timeout: 30_000 });

    expect(await page.locator(".agenda-root").getAttribute("data-view")).toBe("three-day");
    expect(await page.locator(".agenda-day-column").count()).toBe(3);
    const fits = () =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth <= window.innerWidth,
        parts: [...document.querySelectorAll(".crm-main, .agenda-week, .agenda-toolbar, .crm-sidebar")]
          .filter((element) => element.scrollWidth > element.clientWidth + 1)
          .map((element) => element.className),
      }));
    expect(await fits()).toEqual({ page: true, parts: [] });
    // The sidebar's links wait behind the menu button, so the agenda keeps the width.
    const agendaLink = page.getByRole("link", { name: "Agenda" });
    expect(await agendaLink.isVisible()).toBe(false);
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.tap();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await agendaLink.waitFor();
    await page.screenshot({ path: join(screenshots, "demo-phone-menu.png") });
    await page.getByRole("link", { name: "Paramètres" }).tap();
    await page.waitForURL(`${demo.url}/settings`);
    expect(await agendaLink.isVisible()).toBe(false);
    await menu.tap();
    await agendaLink.tap();
    await page.waitForURL(`${demo.url}/agenda`);
    await page.waitForSelector(".agenda-day-column");
    await page.screenshot({ path: join(screenshots, "demo-phone-agenda.png") });
    expect(await fits()).toEqual({ page: true, parts: [] });
    await context.close();
  }, 60_000);

  it("creates an event through the dialog and finds it after a reload", async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
    });
    await signIn(page, "carol");
    await page.locator("[data-source]").first().waitFor({ timeout: 30_000 });
    await page
      .getByRole("button", { name: /Nouvel événement|Créer/ })
      .first()
      .click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(/Titre/).fill("Rendez-vous créé dans le navigateur");
    await dialog.getByRole("button", { name: /Enregistrer/ }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.reload();
    await expect
      .poll(() => page.getByText("Rendez-vous créé dans le navigateur").count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
  });

  it("connects Zoom, Google and Microsoft from the settings page and disconnects one", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: "fr-FR" });
    await signIn(page, "alice");
    await page.getByRole("link", { name: "Paramètres" }).click();
    for (const provider of ["Zoom", "Google", "Microsoft"]) {
      await page.getByRole("link", { name: `Connecter ${provider}` }).click();
      // Google and Microsoft take the CRM user's e-mail as login_hint, so the sandbox consents at
      // once; Zoom's authorize URL has no such parameter, so its consent page asks.
      if (provider === "Zoom") await page.getByRole("button", { name: "Allow" }).click();
      await expect
        .poll(() => page.getByText(`Votre compte ${provider} est connecté.`).count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
      expect(new URL(page.url()).search).toBe("");
    }
    // One Disconnect button per connected account.
    const disconnectButtons = page.getByRole("button", { name: "Déconnecter", exact: true });
    await expect.poll(() => disconnectButtons.count()).toBe(3);
    await page.screenshot({ path: join(screenshots, "demo-settings-connected.png") });

    await disconnectButtons.first().click();
    await page.getByRole("button", { name: "Confirmer la déconnexion" }).click();
    await expect.poll(() => disconnectButtons.count(), { timeout: 15_000 }).toBe(2);
    await page.reload();
    await expect.poll(() => disconnectButtons.count(), { timeout: 15_000 }).toBe(2);
  });

  it("simulates a Zoom call whose summary lands on the call's event", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "fr-FR" });
    await signIn(page, "carol");
    await page.getByRole("button", { name: "Simuler un appel Zoom" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent(), { timeout: 15_000 })
      .toMatch(/Connectez d’abord votre compte Zoom/);

    await page.getByRole("link", { name: "Paramètres" }).click();
    await page.getByRole("link", { name: "Connecter Zoom" }).click();
    await page.getByRole("radio", { name: /Carol Petit/ }).check();
    await page.getByRole("button", { name: "Allow" }).click();
    await page.getByText("Votre compte Zoom est connecté.").waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Simuler un appel Zoom" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Appel simulé" }).count(), { timeout: 15_000 })
      .toBe(1);

    const cookie = (await page.context().cookies()).map((entry) => `${entry.name}=${entry.value}`).join("; ");
    const since = new Date(Date.now() - 14 * 3600_000).toISOString();
    const findCall = async () => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const listed = await (
        await fetch(`${demo.url}/api/agenda/events?from=${since}&to=${to}`, { headers: { cookie } })
      ).json();
      return listed.events.find((event: { summaryStatus: string }) => event.summaryStatus !== "none");
    };
    await expect.poll(findCall, { timeout: 15_000 }).toBeDefined();
    const call = await findCall();
    await expect
      .poll(
        async () =>
          (
            await (
              await fetch(`${demo.url}/api/agenda/events/${call.id}/summary`, { headers: { cookie } })
            ).json()
          ).status,
        { timeout: 30_000 },
      )
      .toBe("ready");
    const summary = await (
      await fetch(`${demo.url}/api/agenda/events/${call.id}/summary`, { headers: { cookie } })
    ).json();
    expect(summary.summary.decisions.length + summary.summary.actionItems.length).toBeGreaterThan(0);

    // The call's event in the agenda carries the summary mark, and its dialog shows the summary.
    await page.getByRole("link", { name: "Agenda" }).click();
    await page.getByRole("button", { name: "Aujourd’hui" }).click();
    const chip = page.locator(`[data-source][data-summary-ready]`).first();
    await chip.waitFor({ timeout: 15_000 });
    await chip.click();
    const dialog = page.getByRole("dialog");
    await dialog
      .getByText(summary.summary.executiveSummary.slice(0, 40))
      .first()
      .waitFor({ timeout: 15_000 });
    await dialog.locator(".agenda-summary").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, "demo-call-summary.png") });
  });
});
