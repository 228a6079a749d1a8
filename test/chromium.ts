import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (or CHROMIUM_PATH); playwright's own browser download is not used. */
export const chromiumPath =
  process.env.CHROMIUM_PATH ??
  ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));

/**
 * Why browser tests cannot run here, or null when they can. On CI a missing Chromium is an error,
 * so a green run always includes them.
 */
export const chromiumMissing: string | null = chromiumPath
  ? null
  : "no Chromium found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH";

if (chromiumMissing && process.env.CI) throw new Error(chromiumMissing);
if (chromiumMissing) console.warn(`browser tests skipped: ${chromiumMissing}`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
