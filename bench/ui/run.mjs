// Benchmarks @crm-agenda/ui against FullCalendar and react-big-calendar in headless Chromium, and
// compares bundle sizes. Run from the repository root: `node bench/ui/run.mjs`. Not part of the tests.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, ".out");
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
mkdirSync(out, { recursive: true });

// ---- Sizes: minified + gzipped, everything bundled but react, react-dom and @tanstack/react-query.
const peers = ["react", "react-dom", "react/jsx-runtime", "@tanstack/react-query"];
const sizeEntries = {
  "@crm-agenda/ui": 'export * from "./packages/agenda-ui/src/index.ts";',
  "FullCalendar (react + daygrid + timegrid)":
    'export { default as FullCalendar } from "@fullcalendar/react"; export { default as dayGrid } from "@fullcalendar/daygrid"; export { default as timeGrid } from "@fullcalendar/timegrid";',
  "react-big-calendar (+ date-fns localizer)":
    'export { Calendar, dateFnsLocalizer } from "react-big-calendar"; export { format, parse, startOfWeek, getDay } from "date-fns";',
  "Schedule-X (react + calendar)":
    'export { ScheduleXCalendar, useCalendarApp } from "@schedule-x/react"; export { createViewWeek, createViewMonthGrid } from "@schedule-x/calendar";',
};
const sizes = [];
for (const [name, contents] of Object.entries(sizeEntries)) {
  const result = await build({
    stdin: { contents, resolveDir: join(here, "../.."), loader: "js" },
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["@crm-agenda/source"],
    // date-fns and TanStack Query are the UI package's dependencies, not the root's.
    nodePaths: [join(here, "../../packages/agenda-ui/node_modules")],
    external: peers,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const code = result.outputFiles.find(
    (file) => file.path.endsWith(".js") || file.path === "<stdout>",
  )?.contents;
  sizes.push({ name, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length });
}
const css = readFileSync(join(here, "../../packages/agenda-ui/src/styles.css"));

// ---- Speed: the page with all three, the same events, in one Chromium run.
await build({
  entryPoints: [join(here, "page.tsx")],
  bundle: true,
  minify: true,
  outfile: join(out, "page.js"),
  format: "iife",
  platform: "browser",
  conditions: ["@crm-agenda/source"],
  nodePaths: [join(here, "../../packages/agenda-ui/node_modules")],
  define: { "process.env.NODE_ENV": '"production"' },
  jsx: "automatic",
  logLevel: "silent",
});
copyFileSync(join(here, "index.html"), join(out, "index.html"));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const libraries = ["ours", "fullcalendar", "react-big-calendar"];
const browserVersion = browser.version();
const results = {};
for (const view of ["week", "month"]) {
  for (const library of libraries) {
    const samples = { mount: [], next: [], previous: [] };
    for (let round = 0; round < rounds; round += 1) {
      const context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
        timezoneId: "Europe/Paris",
        locale: "fr-FR",
      });
      const page = await context.newPage();
      const step = (name, run) =>
        Promise.race([
          run(),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`${library} ${view} ${name}: no result in 60 s`)), 60_000),
          ),
        ]);
      try {
        await page.goto(pathToFileURL(join(out, "index.html")).href);
        samples.mount.push(
          await step("first render", () =>
            page.evaluate(([l, v]) => window.bench.mount(l, v), [library, view]),
          ),
        );
        samples.next.push(await step("next", () => page.evaluate(() => window.bench.navigate("next"))));
        samples.previous.push(
          await step("previous", () => page.evaluate(() => window.bench.navigate("previous"))),
        );
      } finally {
        await context.close();
      }
    }
    results[`${view}/${library}`] = Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [name, median(values)]),
    );
  }
}
await browser.close();

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const lines = [];
lines.push(
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), headless Chromium ${browserVersion}, Node ${process.versions.node}.`,
);
lines.push("");
lines.push(
  `Median of ${rounds} runs, each in a fresh page; 1,000 events in each week, 5,000 in each month grid (ms, until the frame is drawn):`,
);
lines.push("");
lines.push(
  "| view | step | @crm-agenda/ui | FullCalendar | react-big-calendar | faster than the faster of the two |",
);
lines.push("| --- | --- | ---: | ---: | ---: | ---: |");
for (const view of ["week", "month"]) {
  for (const step of ["mount", "next", "previous"]) {
    const [ours, fullCalendar, bigCalendar] = libraries.map((library) => results[`${view}/${library}`][step]);
    const ratio = Math.min(fullCalendar, bigCalendar) / ours;
    lines.push(
      `| ${view} | ${step === "mount" ? "first render" : step} | ${ours.toFixed(1)} | ${fullCalendar.toFixed(1)} | ${bigCalendar.toFixed(1)} | ${ratio.toFixed(1)}× |`,
    );
  }
}
lines.push("");
lines.push("Bundle size, minified and gzipped, without react, react-dom and @tanstack/react-query:");
lines.push("");
lines.push("| package | minified | gzipped |");
lines.push("| --- | ---: | ---: |");
for (const { name, minified, gzipped } of sizes) {
  lines.push(`| ${name} | ${(minified / 1024).toFixed(1)} kB | ${(gzipped / 1024).toFixed(1)} kB |`);
}
lines.push(
  `| @crm-agenda/ui styles.css | ${(css.length / 1024).toFixed(1)} kB | ${(gzipSync(css).length / 1024).toFixed(1)} kB |`,
);
const report = lines.join("\n");
console.log(report);
writeFileSync(join(out, "results.md"), `${report}\n`);
