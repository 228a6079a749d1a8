import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../../test/chromium";
import { serveAgendaPage } from "./browser/serveAgendaPage";

const screenshots = join(import.meta.dirname, "../../../test-results/agenda-ui");

describe.skipIf(chromiumMissing !== null)("Agenda in Chromium", () => {
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

  async function open(query: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: "fr-FR", timezoneId: "Europe/Paris" });
    context.setDefaultTimeout(5_000);
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    await tab.goto(`${page.url}?${query}`);
    await tab.waitForSelector(".agenda-root:not([data-state])");
    expect(errors).toEqual([]);
    return tab;
  }

  async function serverEvent(tab: Page, title: string) {
    return tab.evaluate(
      (wanted) => window.agendaServer.events.find((event) => event.title === wanted),
      title,
    );
  }

  it("moves an event to another day and hour by dragging it", async () => {
    const tab = await open("view=week");
    const event = tab.getByRole("button", { name: /^Revue du pipeline T4, 16:00 – 17:00/ });
    const box = (await event.boundingBox())!;
    const column = (await tab.locator('[data-date="2026-11-24"]').boundingBox())!;
    const hour = column.height / 24;

    await tab.mouse.move(box.x + box.width / 2, box.y + 8);
    await tab.mouse.down();
    await tab.mouse.move(box.x + box.width / 2 + column.width / 2, box.y + 8 + hour / 2, { steps: 4 });
    await tab.mouse.move(box.x + box.width / 2 + column.width, box.y + 8 + hour, { steps: 4 });
    expect(await tab.locator(".agenda-event[data-dragging]").count()).toBe(1);
    await tab.mouse.up();

    await expect
      .poll(() => serverEvent(tab, "Revue du pipeline T4"))
      .toMatchObject({ start: "2026-11-25T16:00:00.000Z", end: "2026-11-25T17:00:00.000Z" });
    await tab
      .getByRole("button", { name: /^Revue du pipeline T4, 17:00 – 18:00, mercredi 25 novembre/ })
      .waitFor();
    // A drag is not a click: no dialog opened.
    expect(await tab.getByRole("dialog").count()).toBe(0);
    await tab.context().close();
  });

  it("moves an event by touch once the finger has rested on it for the hold", async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
      hasTouch: true,
    });
    context.setDefaultTimeout(5_000);
    const tab = await context.newPage();
    await tab.goto(`${page.url}?view=week`);
    await tab.waitForSelector(".agenda-root:not([data-state])");
    const event = tab.getByRole("button", { name: /^Revue du pipeline T4, 16:00 – 17:00/ });
    const box = (await event.boundingBox())!;
    const column = tab.locator('[data-date="2026-11-24"]');
    const columnBox = (await column.boundingBox())!;
    const hour = columnBox.height / 24;
    const x = box.x + box.width / 2;
    const y = box.y + 8;
    const touch = { pointerId: 7, pointerType: "touch", isPrimary: true, button: 0 };

    await event.dispatchEvent("pointerdown", { ...touch, buttons: 1, clientX: x, clientY: y });
    // Before the hold a resting finger has not picked the event up yet.
    expect(await tab.locator(".agenda-event[data-dragging]").count()).toBe(0);
    await tab.waitForTimeout(450);
    await tab.locator(".agenda-event[data-dragging]").waitFor();
    for (const step of [0.25, 0.5, 0.75, 1]) {
      await column.dispatchEvent("pointermove", {
        ...touch,
        buttons: 1,
        clientX: x + columnBox.width * step,
        clientY: y + hour * step,
      });
    }
    await column.dispatchEvent("pointerup", {
      ...touch,
      buttons: 0,
      clientX: x + columnBox.width,
      clientY: y + hour,
    });

    await expect
      .poll(() => serverEvent(tab, "Revue du pipeline T4"))
      .toMatchObject({ start: "2026-11-25T16:00:00.000Z", end: "2026-11-25T17:00:00.000Z" });
    await tab
      .getByRole("button", { name: /^Revue du pipeline T4, 17:00 – 18:00, mercredi 25 novembre/ })
      .waitFor();
    expect(await tab.getByRole("dialog").count()).toBe(0);
    await context.close();
  });

  it("leaves an event in place when a finger moves before the hold, as when scrolling", async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
      hasTouch: true,
    });
    context.setDefaultTimeout(5_000);
    const tab = await context.newPage();
    await tab.goto(`${page.url}?view=week`);
    await tab.waitForSelector(".agenda-root:not([data-state])");
    const event = tab.getByRole("button", { name: /^Revue du pipeline T4, 16:00 – 17:00/ });
    const box = (await event.boundingBox())!;
    const column = tab.locator('[data-date="2026-11-24"]');
    const x = box.x + box.width / 2;
    const y = box.y + 8;
    const touch = { pointerId: 8, pointerType: "touch", isPrimary: true, button: 0 };

    await event.dispatchEvent("pointerdown", { ...touch, buttons: 1, clientX: x, clientY: y });
    await column.dispatchEvent("pointermove", { ...touch, buttons: 1, clientX: x, clientY: y + 40 });
    await tab.waitForTimeout(450);
    expect(await tab.locator(".agenda-event[data-dragging]").count()).toBe(0);
    await column.dispatchEvent("pointerup", { ...touch, buttons: 0, clientX: x, clientY: y + 40 });

    // Never sent to the server: the event keeps the times it was seeded with.
    expect(await serverEvent(tab, "Revue du pipeline T4")).toMatchObject({
      start: "2026-11-24T16:00:00+01:00",
      end: "2026-11-24T17:00:00+01:00",
    });
    await event.waitFor();
    await context.close();
  });

  it("resizes an event by dragging its lower edge, snapping to 15 minutes", async () => {
    const tab = await open("view=week");
    const event = tab.getByRole("button", { name: /^Revue du pipeline T4, 16:00 – 17:00/ });
    const box = (await event.boundingBox())!;
    const column = (await tab.locator('[data-date="2026-11-24"]').boundingBox())!;
    const hour = column.height / 24;

    await tab.mouse.move(box.x + box.width / 2, box.y + box.height - 3);
    await tab.mouse.down();
    await tab.mouse.move(box.x + box.width / 2, box.y + box.height - 3 + hour * 0.8, { steps: 5 });
    await tab.mouse.up();

    await expect
      .poll(() => serverEvent(tab, "Revue du pipeline T4"))
      .toMatchObject({ start: "2026-11-24T15:00:00.000Z", end: "2026-11-24T16:45:00.000Z" });
    await tab.context().close();
  });

  it("keeps every event of a dense week readable, counts the rest in +N, and shows more once wider", async () => {
    const tab = await open("view=week&scenario=dense");
    await tab.locator(".agenda-event").first().waitFor();
    const read = () =>
      tab.evaluate(() => ({
        shapes: [
          ...document.querySelectorAll<HTMLElement>(".agenda-week .agenda-event[data-variant='timed']"),
        ].map((chip) => ({
          narrow: chip.hasAttribute("data-narrow"),
          width: chip.getBoundingClientRect().width,
          text: chip.textContent ?? "",
          label: chip.getAttribute("aria-label") ?? "",
        })),
        hidden: [...document.querySelectorAll(".agenda-week-more-button")].reduce(
          (sum, button) => sum + Number(button.textContent?.slice(1)),
          0,
        ),
      }));
    const { shapes, hidden } = await read();
    // 1,000 events in a week: once no more fit side by side, the rest are counted, never cut to a sliver.
    expect(hidden).toBeGreaterThan(100);
    expect(shapes.length).toBeGreaterThan(100);
    for (const shape of shapes) {
      expect(shape.label).toMatch(/, \d\d:\d\d – \d\d:\d\d, /);
      expect(shape.narrow).toBe(false);
      expect(shape.text).not.toBe("");
      expect(shape.width).toBeGreaterThanOrEqual(48 - 10);
    }
    // Twice as wide, more events fit side by side: the width is read again on resize.
    await tab.setViewportSize({ width: 2560, height: 860 });
    await expect.poll(async () => (await read()).hidden).toBeLessThan(hidden);
    expect((await read()).shapes.length).toBeGreaterThan(shapes.length);
    await tab.context().close();
  });

  it("lists the overlapping events hidden behind +N, opens one and gives the focus back on Escape", {
    timeout: 30_000,
  }, async () => {
    const tab = await open("view=week&scenario=crowded");
    const column = tab.locator('[data-date="2026-11-24"]');
    const shown = column.locator(".agenda-event");
    const more = column.getByRole("button", { name: /^\d+ autres événements le mardi 24 novembre 2026$/ });
    const hidden = Number((await more.textContent())!.slice(1));
    // Eight at once: some shown, each wide enough to read, the rest counted by "+N".
    expect(await shown.count()).toBeGreaterThan(1);
    expect((await shown.count()) + hidden).toBe(8);
    for (const box of await shown.evaluateAll((chips) =>
      chips.map((chip) => chip.getBoundingClientRect().width),
    ))
      expect(box).toBeGreaterThanOrEqual(40);
    await tab.screenshot({ path: join(screenshots, "week-crowded-more.png") });

    await more.click();
    const list = tab.getByRole("dialog", { name: /autres événements le mardi 24 novembre/ });
    await expect.poll(() => list.locator(".agenda-event").count()).toBe(hidden);
    expect(await more.getAttribute("aria-expanded")).toBe("true");
    // Focus moves into the list; Escape closes it and gives the focus back to "+N".
    expect(await tab.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
    await tab.keyboard.press("Escape");
    await expect.poll(() => list.count()).toBe(0);
    expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe(`+${hidden}`);

    await more.click();
    await list.locator(".agenda-event").last().click();
    const opened = tab.getByRole("dialog", { name: "Modifier l’événement" });
    await expect.poll(() => opened.getByLabel("Titre").inputValue()).toBe("Appel 8");
    await tab.context().close();
  });

  it("moves an event hidden behind +N by dragging it from the list, and by Alt + arrow from it", {
    timeout: 30_000,
  }, async () => {
    const tab = await open("view=week&scenario=crowded");
    const column = tab.locator('[data-date="2026-11-24"]');
    const more = column.getByRole("button", { name: /autres événements le mardi 24 novembre/ });
    await more.click();
    const item = tab.getByRole("dialog").getByRole("button", { name: /^Appel 8,/ });
    const box = (await item.boundingBox())!;
    const hour = (await column.boundingBox())!.height / 24;
    const dayWidth = (await column.boundingBox())!.width;

    // Two hours later and a day later: a 12:00 call on Wednesday.
    await tab.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await tab.mouse.down();
    await tab.mouse.move(box.x + box.width / 2 + dayWidth / 2, box.y + box.height / 2 + hour, { steps: 4 });
    await tab.mouse.move(box.x + box.width / 2 + dayWidth, box.y + box.height / 2 + 2 * hour, { steps: 4 });
    expect(await tab.getByRole("dialog").count()).toBe(0);
    await tab.mouse.up();
    await expect
      .poll(() => serverEvent(tab, "Appel 8"))
      .toMatchObject({ start: "2026-11-25T11:00:00.000Z", end: "2026-11-25T12:00:00.000Z" });
    await tab.getByRole("button", { name: /^Appel 8, 12:00 – 13:00, mercredi 25 novembre/ }).waitFor();

    // From the keyboard: Alt + down moves another hidden one by 15 minutes, straight from the list.
    await more.click();
    const next = tab.getByRole("dialog").getByRole("button", { name: /^Appel 7,/ });
    await next.focus();
    await tab.keyboard.press("Alt+ArrowDown");
    await expect
      .poll(() => serverEvent(tab, "Appel 7"))
      .toMatchObject({ start: "2026-11-24T09:15:00.000Z", end: "2026-11-24T10:15:00.000Z" });
    await tab.context().close();
  });

  it("opens on a phone in three days that fit the screen, wraps the toolbar and still drags by touch", {
    timeout: 30_000,
  }, async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
      hasTouch: true,
      isMobile: true,
    });
    context.setDefaultTimeout(5_000);
    const tab = await context.newPage();
    await tab.goto(page.url);
    await tab.waitForSelector(".agenda-root:not([data-state])");

    expect(await tab.locator(".agenda-root").getAttribute("data-view")).toBe("three-day");
    expect(
      await tab
        .locator(".agenda-day-column")
        .evaluateAll((columns) => columns.map((column) => column.getAttribute("data-date"))),
    ).toEqual(["2026-11-25", "2026-11-26", "2026-11-27"]);
    const noHorizontalScroll = () =>
      tab.evaluate(() => ({
        page: document.documentElement.scrollWidth <= window.innerWidth,
        grid: [...document.querySelectorAll(".agenda-week, .agenda-toolbar")].every(
          (element) => element.scrollWidth <= element.clientWidth + 1,
        ),
      }));
    expect(await noHorizontalScroll()).toEqual({ page: true, grid: true });
    // Every toolbar control is on screen, none cut by the edge.
    for (const box of await tab
      .locator(".agenda-toolbar button")
      .evaluateAll((buttons) => buttons.map((button) => button.getBoundingClientRect().right)))
      expect(box).toBeLessThanOrEqual(390);
    expect(await tab.getByRole("button", { name: "3 jours", exact: true }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await tab.screenshot({ path: join(screenshots, "three-day-phone.png") });

    // A long press then a move drags the event, as on the desktop.
    const event = tab.getByRole("button", { name: /^Négociation contrat — Dupont SA, 09:00 – 10:00/ });
    await event.scrollIntoViewIfNeeded();
    const box = (await event.boundingBox())!;
    const hour = (await tab.locator('[data-date="2026-11-25"]').boundingBox())!.height / 24;
    const client = await context.newCDPSession(tab);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", y: number) =>
      client.send("Input.dispatchTouchEvent", {
        type,
        touchPoints: type === "touchEnd" ? [] : [{ x: box.x + box.width / 2, y }],
      });
    await touch("touchStart", box.y + 10);
    await tab.waitForTimeout(500);
    await touch("touchMove", box.y + 10 + hour / 2);
    await touch("touchMove", box.y + 10 + hour);
    await touch("touchEnd", box.y + 10 + hour);
    await expect
      .poll(() => serverEvent(tab, "Négociation contrat — Dupont SA"))
      .toMatchObject({ start: "2026-11-25T09:00:00.000Z", end: "2026-11-25T10:00:00.000Z" });
    await context.close();
  });

  it("opens the new-event dialog with the span dragged over empty time", async () => {
    const tab = await open("view=week");
    const column = (await tab.locator('[data-date="2026-11-29"]').boundingBox())!;
    const hour = column.height / 24;
    const x = column.x + column.width / 2;

    await tab.mouse.move(x, column.y + hour * 10 + 4);
    await tab.mouse.down();
    await tab.mouse.move(x, column.y + hour * 11, { steps: 3 });
    await tab.mouse.move(x, column.y + hour * 11.4, { steps: 3 });
    expect(await tab.locator(".agenda-create-preview").textContent()).toBe("10:00 – 11:30");
    await tab.mouse.up();

    const dialog = tab.getByRole("dialog", { name: "Nouvel événement" });
    await expect.poll(() => dialog.getByLabel("Début", { exact: true }).inputValue()).toBe("29/11/2026");
    expect(await dialog.getByLabel("Début : heure").inputValue()).toBe("10:00");
    expect(await dialog.getByLabel("Fin", { exact: true }).inputValue()).toBe("29/11/2026");
    expect(await dialog.getByLabel("Fin : heure").inputValue()).toBe("11:30");
    await tab.context().close();
  });

  it("is driven from the keyboard: days, ranges, opening and closing with focus returned", async () => {
    const tab = await open("view=week");
    await tab.locator('[data-date="2026-11-25"]').focus();
    await tab.keyboard.press("ArrowRight");
    expect(await tab.evaluate(() => document.activeElement?.getAttribute("data-date"))).toBe("2026-11-26");
    await tab.keyboard.press("End");
    expect(await tab.evaluate(() => document.activeElement?.getAttribute("data-date"))).toBe("2026-11-29");
    await tab.keyboard.press("PageDown");
    await tab.getByRole("grid", { name: "Semaine du 30 nov. – 6 déc. 2026" }).waitFor();
    await tab.keyboard.press("PageUp");
    await tab.getByRole("grid", { name: "Semaine du 23 – 29 nov. 2026" }).waitFor();

    const event = tab.getByRole("button", { name: /^Négociation contrat — Dupont SA, 09:00 – 10:00/ });
    await event.focus();
    await tab.keyboard.press("Enter");
    await tab.getByRole("dialog", { name: "Modifier l’événement" }).waitFor();
    await tab.keyboard.press("Escape");
    await tab.getByRole("dialog").waitFor({ state: "detached" });
    // Radix gives the focus back in a task after the dialog leaves the page, not in the same one.
    await expect
      .poll(() => tab.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? ""))
      .toMatch(/^Négociation contrat — Dupont SA, 09:00 – 10:00/);

    await tab.keyboard.press("Alt+ArrowDown");
    await expect
      .poll(() => serverEvent(tab, "Négociation contrat — Dupont SA"))
      .toMatchObject({ start: "2026-11-25T08:15:00.000Z" });
    await tab.context().close();
  });

  it("shows the event dialog modal over the page: backdrop click, Escape in the client search, no scroll", async () => {
    const tab = await open("view=week");
    const event = tab.getByRole("button", { name: /^Négociation contrat — Dupont SA, 09:00 – 10:00/ });
    await event.click();
    const dialog = tab.getByRole("dialog", { name: "Modifier l’événement" });
    await dialog.waitFor();
    // Modal: the page behind is hidden from screen readers (live regions aside) and does not scroll.
    expect(await tab.getByRole("grid").count()).toBe(0);
    expect(await tab.evaluate(() => getComputedStyle(document.body).overflow)).toBe("hidden");
    // The title is focused with its text selected, ready to be replaced.
    expect(
      await dialog
        .getByLabel("Titre")
        .evaluate((input: HTMLInputElement) => [
          document.activeElement === input,
          input.selectionStart,
          input.selectionEnd,
        ]),
    ).toEqual([true, 0, "Négociation contrat — Dupont SA".length]);

    // Escape in the client search closes the search, not the dialog.
    await dialog.getByRole("button", { name: "Changer de client" }).click();
    const search = dialog.getByRole("combobox", { name: "Rechercher un client du CRM" });
    await search.fill("zzz");
    await tab.keyboard.press("Escape");
    await expect.poll(() => search.count()).toBe(0);
    expect(await dialog.count()).toBe(1);

    // A drag from a field out to the backdrop leaves it open; a click on the backdrop closes it.
    // (The search scrolled the dialog down; bring the title back before pressing on it.)
    await dialog.getByLabel("Titre").scrollIntoViewIfNeeded();
    const title = (await dialog.getByLabel("Titre").boundingBox())!;
    await tab.mouse.move(title.x + 20, title.y + 10);
    await tab.mouse.down();
    await tab.mouse.move(40, 400, { steps: 4 });
    await tab.mouse.up();
    expect(await dialog.count()).toBe(1);
    await tab.mouse.click(40, 400);
    await dialog.waitFor({ state: "detached" });
    expect(await tab.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toMatch(
      /^Négociation contrat — Dupont SA, 09:00 – 10:00/,
    );
    expect(await tab.evaluate(() => getComputedStyle(document.body).overflow)).toBe("visible");
    await tab.context().close();
  });

  it("opens over the host's own Radix dialog: focus moves in, Escape closes ours first, the scroll lock holds until the host's closes", async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
    });
    context.setDefaultTimeout(5_000);
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    await tab.goto(`${page.url}?view=day&host=dialog`);
    const bodyOverflow = () => tab.evaluate(() => getComputedStyle(document.body).overflow);
    const wheelScrolls = async () => {
      await tab.evaluate(() => window.scrollTo(0, 0));
      await tab.mouse.move(20, 20);
      await tab.mouse.wheel(0, 400);
      // A wheel's scroll lands on the next frames; two frames are enough for an instant scroll.
      await tab.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      return tab.evaluate(() => window.scrollY > 0);
    };
    expect(await wheelScrolls()).toBe(true);

    const hostTrigger = tab.getByRole("button", { name: "Fiche client" });
    await hostTrigger.click();
    const hostDialog = tab.getByRole("dialog", { name: "Dupont SA" });
    await hostDialog.locator(".agenda-root:not([data-state])").waitFor();
    expect(await bodyOverflow()).toBe("hidden");

    const event = hostDialog.getByRole("button", { name: /^Négociation contrat — Dupont SA, 09:00 – 10:00/ });
    await event.click();
    const ours = tab.getByRole("dialog", { name: "Modifier l’événement" });
    await ours.waitFor();
    // Focus moved into ours, and Tab keeps it there.
    expect(await ours.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    for (let press = 0; press < 12; press += 1) await tab.keyboard.press("Tab");
    expect(await ours.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    expect(await bodyOverflow()).toBe("hidden");

    // Escape closes ours only; focus goes back to the event, inside the host's dialog.
    await tab.keyboard.press("Escape");
    await ours.waitFor({ state: "detached" });
    expect(await hostDialog.count()).toBe(1);
    await expect
      .poll(() => tab.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? ""))
      .toMatch(/^Négociation contrat — Dupont SA, 09:00 – 10:00/);
    expect(await bodyOverflow()).toBe("hidden");
    expect(await wheelScrolls()).toBe(false);

    // The next Escape closes the host's; the page scrolls again and focus is on the host's trigger.
    await tab.keyboard.press("Escape");
    await hostDialog.waitFor({ state: "detached" });
    await expect.poll(() => hostTrigger.evaluate((button) => document.activeElement === button)).toBe(true);
    expect(await bodyOverflow()).toBe("visible");
    expect(await wheelScrolls()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps 09:00 on the 09:00 line through the 25-hour and the 23-hour days", async () => {
    for (const [scenario, day, title] of [
      ["dst-fall", "2026-10-25", /^Brunch|^Petit-déjeuner|09:00/],
      ["dst-spring", "2026-03-29", /^Brunch client, 09:00 – 10:00/],
    ] as const) {
      const tab = await open(`view=week&scenario=${scenario}`);
      const column = (await tab.locator(`[data-date="${day}"]`).boundingBox())!;
      const event = tab.locator(`[data-date="${day}"] .agenda-event`).filter({ hasText: "09:00" }).first();
      const name = await event.getAttribute("aria-label");
      expect(name).toMatch(title);
      const box = (await event.boundingBox())!;
      expect(Math.abs(box.y - (column.y + (column.height / 24) * 9))).toBeLessThan(2);
      await tab.context().close();
    }
  });

  const views = ["day", "work-week", "week", "month", "list"] as const;
  for (const theme of ["light", "dark"] as const) {
    for (const view of views) {
      it(`has no serious accessibility violation in the ${view} view, ${theme}`, async () => {
        const tab = await open(`view=${view}&theme=${theme}`);
        await tab.screenshot({ path: join(screenshots, `${view}-${theme}.png`) });
        const results = await new AxeBuilder({ page: tab }).include(".agenda-root").analyze();
        const serious = results.violations.filter(
          (violation) => violation.impact === "serious" || violation.impact === "critical",
        );
        expect(
          serious.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target}`)),
        ).toEqual([]);
        await tab.context().close();
      });
    }
  }

  for (const theme of ["light", "dark"] as const) {
    it(`has no serious accessibility violation in the open event dialog, ${theme}`, async () => {
      const tab = await open(`view=week&theme=${theme}`);
      await tab.getByRole("button", { name: /^Négociation contrat — Dupont SA, 09:00 – 10:00/ }).click();
      const dialog = tab.getByRole("dialog", { name: "Modifier l’événement" });
      await dialog.evaluate((element) =>
        Promise.all(element.getAnimations().map((animation) => animation.finished)),
      );
      await dialog.getByRole("link", { name: "Rejoindre : Réunion Zoom" }).waitFor();
      await tab.screenshot({ path: join(screenshots, `event-dialog-${theme}.png`) });
      const results = await new AxeBuilder({ page: tab }).include(".agenda-dialog").analyze();
      const serious = results.violations.filter(
        (violation) => violation.impact === "serious" || violation.impact === "critical",
      );
      expect(
        serious.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target}`)),
      ).toEqual([]);
      await tab.context().close();
    });
  }

  it("has no serious accessibility violation in the connections panel and the phone day view", {
    timeout: 30_000,
  }, async () => {
    for (const [query, viewport, name] of [
      ["panel=connections", { width: 900, height: 700 }, "connections-light"],
      ["panel=connections&theme=dark", { width: 900, height: 700 }, "connections-dark"],
      ["view=day", { width: 360, height: 740 }, "day-phone-light"],
      ["view=month&locale=en", { width: 1280, height: 860 }, "month-english-light"],
      ["view=week&scenario=dense", { width: 1280, height: 860 }, "week-dense-light"],
    ] as const) {
      const tab = await open(query, viewport);
      await tab.screenshot({ path: join(screenshots, `${name}.png`) });
      const results = await new AxeBuilder({ page: tab }).include(".agenda-root").analyze();
      const serious = results.violations.filter(
        (violation) => violation.impact === "serious" || violation.impact === "critical",
      );
      expect(
        serious.flatMap((violation) =>
          violation.nodes.map((node) => `${name} ${violation.id}: ${node.target}`),
        ),
      ).toEqual([]);
      await tab.context().close();
    }
  });
});
