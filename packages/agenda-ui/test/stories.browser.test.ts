/// <reference types="vite/client" />
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { composeStories } from "@storybook/react-vite";
import type { AxeResults } from "axe-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../../test/chromium";
import { serveAgendaPage } from "./browser/serveAgendaPage";

// Every story is a test: rendered in Chromium as Storybook renders it (the preview's decorators and
// styles), its play function run, then checked with axe. Story ids are read here, without rendering.
const modules = import.meta.glob<Parameters<typeof composeStories>[0]>("../src/**/*.stories.tsx", {
  eager: true,
});
const stories = Object.values(modules).flatMap((module) =>
  (Object.values(composeStories(module)) as { id: string; play?: unknown }[]).map((story) => ({
    id: story.id,
    played: story.play !== undefined,
  })),
);

// axe-core put in the page itself: @axe-core/playwright opens a second page per check, which is most of
// a story's time.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

declare global {
  interface Window {
    axe: { run: (context: Element, options?: { runOnly: string[] }) => Promise<AxeResults> };
  }
}

// Stories run a few at a time, each in its own browser context: most of a story's time is spent waiting
// on its fake server's delays.
describe.skipIf(chromiumMissing !== null)("Stories in Chromium", { concurrent: true }, () => {
  let browser: Browser;
  let page: Awaited<ReturnType<typeof serveAgendaPage>>;

  beforeAll(async () => {
    [browser, page] = await Promise.all([
      launchChromium(),
      serveAgendaPage(join(import.meta.dirname, "stories")),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await page?.close();
  });

  it("finds the stories", ({ expect }) => {
    expect(stories.length).toBeGreaterThanOrEqual(48);
  });

  for (const { id, played } of stories) {
    it(`${id}${played ? " (play)" : ""}: renders, plays and has no serious accessibility violation`, {
      timeout: 30_000,
    }, async ({ expect }) => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 860 },
        locale: "fr-FR",
        timezoneId: "Europe/Paris",
      });
      context.setDefaultTimeout(10_000);
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (error) => errors.push(error.message));
      try {
        await tab.goto(`${page.url}?story=${encodeURIComponent(id)}`);
        await tab.waitForFunction(() => window.storyOutcome !== undefined);
        expect(await tab.evaluate(() => window.storyOutcome)).toBe("passed");
        // What the story's fake server answers is on screen, unless the story waits forever on purpose.
        await tab
          .waitForFunction(
            () => document.querySelector('[data-state="loading"], [aria-busy="true"]') === null,
            null,
            {
              timeout: 1_000,
            },
          )
          .catch(() => undefined);
        await tab.addScriptTag({ content: axeSource });
        const violations = await tab.evaluate(async () => {
          const found: string[] = [];
          for (const violation of (await window.axe.run(document.body)).violations) {
            if (violation.impact !== "serious" && violation.impact !== "critical") continue;
            for (const node of violation.nodes) {
              // axe takes an event scrolled out of the grid's view for text missing from its name;
              // such a node is checked again once it is in view.
              const element = document.querySelector(String(node.target[0]));
              if (violation.id === "label-content-name-mismatch" && element !== null) {
                element.scrollIntoView({ block: "center" });
                const again = await window.axe.run(element, { runOnly: [violation.id] });
                if (again.violations.length === 0) continue;
              }
              found.push(`${violation.id}: ${node.target} (${node.failureSummary})`);
            }
          }
          return found;
        });
        expect(violations).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
