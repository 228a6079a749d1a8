import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../../test/chromium";
import { serveAgendaPage } from "./browser/serveAgendaPage";

const screenshots = join(import.meta.dirname, "../../../test-results/agenda-ui");

describe.skipIf(chromiumMissing !== null)("the event form in Chromium", () => {
  let browser: Browser;
  let page: Awaited<ReturnType<typeof serveAgendaPage>>;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [browser, page] = await Promise.all([launchChromium(), serveAgendaPage()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await page?.close();
  });

  it("writes and reads dates in the French agenda's way in an American browser, and picks a zone by keyboard", async () => {
    // An English browser in California: a native date input would say 11/26/2026 there.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: "en-US",
      timezoneId: "America/Los_Angeles",
    });
    context.setDefaultTimeout(5_000);
    const tab = await context.newPage();
    await tab.goto(`${page.url}?view=week`);
    await tab.waitForSelector(".agenda-root:not([data-state])");

    await tab.locator('[role="gridcell"][data-date="2026-11-26"]').focus();
    await tab.keyboard.press("Enter");
    const dialog = tab.getByRole("dialog", { name: "Nouvel événement" });
    await dialog.waitFor();
    const start = dialog.getByLabel("Début", { exact: true });
    expect(await start.inputValue()).toBe("26/11/2026");
    expect(await dialog.getByLabel("Début : heure").inputValue()).toBe("09:00");
    expect(await start.getAttribute("type")).toBe(null);

    await dialog.getByLabel("Titre").fill("Appel Manhattan");
    await start.click();
    await tab.keyboard.press("ControlOrMeta+A");
    // One key at a time, as a person types.
    await tab.keyboard.type("3/12/2026");
    await tab.keyboard.press("Tab");
    await tab.keyboard.press("ControlOrMeta+A");
    await tab.keyboard.type("14h30");
    // Leaving the field writes the date back in the French pattern.
    await tab.keyboard.press("Tab");
    expect(await start.inputValue()).toBe("03/12/2026");
    expect(await dialog.getByLabel("Fin", { exact: true }).inputValue()).toBe("03/12/2026");
    expect(await dialog.getByLabel("Fin : heure").inputValue()).toBe("15:30");

    const zone = dialog.getByRole("combobox", { name: "Fuseau horaire" });
    await zone.click();
    await tab.keyboard.type("new york");
    await dialog.getByRole("option", { name: "America/New York" }).waitFor();
    await tab.keyboard.press("Enter");
    // Enter chose the zone: the dialog is still open, the list closed.
    expect(await zone.getAttribute("aria-expanded")).toBe("false");
    expect(await zone.inputValue()).toBe("America/New York");
    await dialog.getByText("Heures en America/New_York, soit 3 déc. 20:30 – 21:30").waitFor();

    const results = await new AxeBuilder({ page: tab }).include(".agenda-dialog").analyze();
    const serious = results.violations.filter(
      (violation) => violation.impact === "serious" || violation.impact === "critical",
    );
    expect(
      serious.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target}`)),
    ).toEqual([]);
    await tab.screenshot({ path: join(screenshots, "event-form-french-in-en-us.png") });

    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await dialog.waitFor({ state: "detached" });
    const saved = await tab.evaluate(() =>
      window.agendaServer.events.find((event) => event.title === "Appel Manhattan"),
    );
    expect(saved).toMatchObject({
      start: "2026-12-03T19:30:00.000Z",
      end: "2026-12-03T20:30:00.000Z",
      timeZone: "America/New_York",
    });
    await context.close();
  });
});
