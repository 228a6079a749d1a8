// Benchmarks @crm-agenda/ui against FullCalendar and react-big-calendar in headless Chromium, and
// compares bundle sizes. Run from the repository root: `node bench/ui/run.mjs`. Not part of the tests.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

// ---- Sizes: minified + gzipped, what a host's bundler makes of each package.
// Ours is measured from the built package (packages/agenda-ui/dist, as packed and published, run
// `pnpm build` first), resolved the way a host resolves it: no source condition, its dependencies as
// installed beside it. react, react-dom and @tanstack/react-query are the host's, never counted.
const peers = ["react", "react-dom", "react-dom/*", "react/*", "@tanstack/react-query"];
// What "our own code" leaves to the host as well: the design card's Radix Dialog and date-fns, which
// a CRM built on Radix already ships, and Zod, which must not reach the browser at all.
const hostLibraries = ["@radix-ui/*", "date-fns", "date-fns/*", "@date-fns/tz", "zod", "zod/*"];
const uiPackage = join(here, "../../packages/agenda-ui");
const uiDist = join(uiPackage, "dist/index.js");
if (!existsSync(uiDist)) {
  console.error(
    "packages/agenda-ui/dist is missing: run `pnpm build` first (the size is measured on the built package).",
  );
  process.exit(1);
}
// The built file itself as the entry, as test/packages.test.ts bundles the packed one: the same bytes.
const builtEntry = { file: uiDist };
const rootEntry = (contents) => ({ contents, resolveDir: join(here, "../..") });
const sizeEntries = [
  {
    name: "@crm-agenda/ui, all in (Radix Dialog, date-fns, @date-fns/tz included)",
    entry: builtEntry,
    external: [],
  },
  { name: "@crm-agenda/ui, all in but Zod", entry: builtEntry, external: ["zod", "zod/*"] },
  {
    name: "@crm-agenda/ui, own code (Radix, date-fns, Zod left to the host)",
    entry: builtEntry,
    external: hostLibraries,
  },
  {
    // Its own entry: a host in English adds it to the all-in figure, a French-only host never loads it.
    name: "@crm-agenda/ui/messages/en, the English words (only for a host that imports them)",
    entry: { file: join(uiPackage, "dist/messages/en.js") },
    external: [],
  },
  {
    name: "FullCalendar (react + daygrid + timegrid)",
    entry: rootEntry(
      'export { default as FullCalendar } from "@fullcalendar/react"; export { default as dayGrid } from "@fullcalendar/daygrid"; export { default as timeGrid } from "@fullcalendar/timegrid";',
    ),
    external: [],
  },
  {
    name: "react-big-calendar (+ date-fns localizer)",
    entry: rootEntry(
      'export { Calendar, dateFnsLocalizer } from "react-big-calendar"; export { format, parse, startOfWeek, getDay } from "date-fns";',
    ),
    external: [],
  },
  {
    name: "Schedule-X (react + calendar)",
    entry: rootEntry(
      'export { ScheduleXCalendar, useCalendarApp } from "@schedule-x/react"; export { createViewWeek, createViewMonthGrid } from "@schedule-x/calendar";',
    ),
    external: [],
  },
];
const sizes = [];
let zodInput = 0;
for (const { name, entry, external } of sizeEntries) {
  const result = await build({
    ...(entry.file ? { entryPoints: [entry.file] } : { stdin: { ...entry, loader: "js" } }),
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "browser",
    external: [...peers, ...external],
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const code = result.outputFiles.find(
    (file) => file.path.endsWith(".js") || file.path === "<stdout>",
  )?.contents;
  if (entry === builtEntry && external.length === 0) {
    zodInput = Object.entries(result.metafile.inputs)
      .filter(([path]) => /node_modules\/(\.pnpm\/zod@[^/]+\/node_modules\/)?zod\//.test(path))
      .reduce((total, [, input]) => total + input.bytes, 0);
  }
  sizes.push({ name, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length });
}
const css = readFileSync(join(uiPackage, "dist/styles.css"));
const budgets = [
  // Below the smallest peer measured beside it (Schedule-X); 45 kB before the live agenda, the "+N"
  // week, the localized date fields and the series' scope question joined the main entry.
  { name: "all in", size: sizes[0], limit: 49 },
  { name: "own code", size: sizes[2], limit: 35 },
];

if (process.argv.includes("--size")) {
  console.log(sizeReport().join("\n"));
  process.exit(0);
}

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

function kB(bytes) {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function sizeReport() {
  const report = [
    "Bundle size, minified and gzipped, without react, react-dom and @tanstack/react-query (ours from the built package):",
    "",
    "| package | minified | gzipped |",
    "| --- | ---: | ---: |",
  ];
  // The row without Zod says something only while Zod still reaches the bundle.
  const shown = zodInput === 0 ? sizes.filter((_, index) => index !== 1) : sizes;
  for (const { name, minified, gzipped } of shown)
    report.push(`| ${name} | ${kB(minified)} | ${kB(gzipped)} |`);
  report.push(`| @crm-agenda/ui styles.css | ${kB(css.length)} | ${kB(gzipSync(css).length)} |`);
  report.push("");
  for (const { name, size, limit } of budgets) {
    const gzipped = size.gzipped / 1024;
    report.push(
      `Budget ${name}: ${gzipped.toFixed(1)} kB of ${limit} kB, ${gzipped <= limit ? "met" : "NOT met"}.`,
    );
  }
  report.push(
    zodInput === 0
      ? "Zod does not reach the built package's bundle."
      : `Zod reaches the built package's bundle (${kB(zodInput)} of its source read): @crm-agenda/shared's entry imports it.`,
  );
  return report;
}

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
lines.push(...sizeReport());
const report = lines.join("\n");
console.log(report);
writeFileSync(join(out, "results.md"), `${report}\n`);
