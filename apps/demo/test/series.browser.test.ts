import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../../test/chromium";
import { startDemo } from "../src/startDemo";
import { startProviders } from "../src/startProviders";

describe.skipIf(chromiumMissing !== null)("a recurring series made by hand in the demo's agenda", () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let providers: Awaited<ReturnType<typeof startProviders>>;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-series-"));
    providers = await startProviders({}, dataDir);
    demo = await startDemo({
      providers: providers.providers,
      encryptionKeys: providers.encryptionKeys,
      databaseUrl: inject("databaseUrl"),
      dataDir,
      port: 0,
      schema: `demo_${randomBytes(4).toString("hex")}`,
      ai: { baseUrl: "http://127.0.0.1:9" },
      sandboxes: providers,
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await providers?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, name: "alice" | "carol" | "bob") {
    await page.goto(`${demo.url}/demo/login?as=${name}`);
    await page.getByRole("button", { name: /Se connecter/ }).click();
    await page.waitForURL(`${demo.url}/agenda`);
  }

  it("creates a weekly series through the form, then renames one occurrence only", async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
    });
    await signIn(page, "bob");
    await page.locator("[data-source]").first().waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Nouvel événement" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(/Titre/).fill("Point client hebdo");
    await dialog.getByLabel("Répétition").selectOption("weekly");
    await dialog.getByLabel("Se termine").selectOption("count");
    await dialog.getByLabel("Nombre de fois").fill("4");
    await dialog.getByRole("button", { name: /Enregistrer/ }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    const occurrences = page.getByRole("button", { name: /Point client hebdo/ });
    await expect.poll(() => occurrences.count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole("button", { name: "Semaine suivante" }).click();
    await expect.poll(() => occurrences.count(), { timeout: 15_000 }).toBe(1);

    // Next week's occurrence, renamed on its own: "this event".
    await occurrences.first().click();
    await dialog.getByLabel(/Titre/).fill("Point client (salle B)");
    await dialog.getByRole("button", { name: /Enregistrer/ }).click();
    await page.getByRole("button", { name: "Cet événement", exact: true }).click();
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    await expect
      .poll(() => page.getByRole("button", { name: /Point client \(salle B\)/ }).count(), { timeout: 15_000 })
      .toBe(1);

    // The series around it is unchanged: the week after still has the series' title, and the
    // renamed occurrence stays renamed after a reload.
    await page.getByRole("button", { name: "Semaine suivante" }).click();
    await expect.poll(() => occurrences.count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole("button", { name: "Semaine précédente" }).click();
    await page.reload();
    await page.getByRole("button", { name: "Semaine suivante" }).click();
    await expect
      .poll(() => page.getByRole("button", { name: /Point client \(salle B\)/ }).count(), { timeout: 15_000 })
      .toBe(1);
  });
});
