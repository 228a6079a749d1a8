import { resolve } from "node:path";
import { createAiService, freePort, startDatabase } from "@crm-agenda/sandbox";
import { startDemo } from "./startDemo";
import { startProviders } from "./startProviders";

const repositoryRoot = resolve(import.meta.dirname, "../../..");
const dataDir = resolve(repositoryRoot, process.env.AGENDA_DATA_DIR ?? ".data");

/** What is running, in the order it started; stopped in the reverse order, so PostgreSQL goes last. */
const running: { name: string; stop: () => Promise<unknown> }[] = [];
let stoppingSince = 0;

async function stopAll(reason: string, exitCode: number) {
  if (stoppingSince) {
    // npm and pnpm pass a Ctrl-C on to their child, which had it from the terminal too: one stop is
    // enough. A Ctrl-C pressed again later means stop now.
    if (Date.now() - stoppingSince < 2_000) return;
    console.error("  stopped before the demo finished stopping");
    process.exit(130);
  }
  stoppingSince = Date.now();
  console.log(`\n  ${reason}: stopping the demo…`);
  let failed = false;
  for (const { name, stop } of [...running].reverse()) {
    try {
      await stop();
    } catch (error) {
      failed = true;
      console.error(`  could not stop the ${name}: ${(error as Error).message}`);
    }
  }
  process.exit(failed ? 1 : exitCode);
}
// Registered before anything starts, so a Ctrl-C during start-up also stops PostgreSQL.
process.on("SIGINT", () => stopAll("Ctrl-C", 0));
process.on("SIGTERM", () => stopAll("SIGTERM", 0));
process.on("SIGHUP", () => stopAll("terminal closed", 0));

try {
  const database = await startDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: resolve(dataDir, "postgres"),
    log: (message) => console.error(`[postgres] ${message}`),
    // Ctrl-C reaches this process alone, which stops PostgreSQL last, after the agenda's jobs.
    detached: true,
  });
  running.push({ name: "PostgreSQL", stop: database.stop });
  const providers = await startProviders(process.env, dataDir);
  running.push({ name: "provider stand-ins", stop: providers.stop });

  // The CRM's AI service, or a stand-in on port 8000 (another free port when 8000 is taken) that
  // speaks its protocol and writes extractive summaries without a model.
  const aiSandbox = process.env.AI_SERVICE_URL
    ? null
    : createAiService(process.env.AI_SERVICE_TOKEN ? { token: process.env.AI_SERVICE_TOKEN } : {});
  const aiRunning = aiSandbox ? await aiSandbox.start({ port: await portOr(8000) }) : null;
  if (aiRunning) running.push({ name: "AI service stand-in", stop: aiRunning.stop });
  const aiServiceUrl = process.env.AI_SERVICE_URL ?? aiRunning!.url;

  const demo = await startDemo({
    providers: providers.providers,
    encryptionKeys: providers.encryptionKeys,
    databaseUrl: database.url,
    dataDir,
    port: Number(process.env.PORT ?? 3000),
    ai: {
      baseUrl: aiServiceUrl,
      ...(process.env.AI_SERVICE_TOKEN && { token: process.env.AI_SERVICE_TOKEN }),
    },
    sandboxes: providers,
  });
  running.push({ name: "demo server and agenda", stop: () => demo.stop() });

  console.log(`
  crm-agenda demo is running at ${demo.url}
  Sign in:     ${demo.url}/demo/login   (alice and carol of acme, bob of globex)
  Booking:     ${demo.bookingUrl}   (alice's public booking link)
  AI service:  ${aiRunning ? `sandbox at ${aiRunning.url}` : aiServiceUrl}
  Providers:   Zoom ${providers.where.zoom}, Google ${providers.where.google}, Microsoft ${providers.where.microsoft}
  Database:    ${database.dataDir ? `embedded PostgreSQL in ${database.dataDir}` : "DATABASE_URL"}
  Press Ctrl+C to stop.
`);
} catch (error) {
  console.error(`\n  The demo could not start: ${(error as Error).message}`);
  await stopAll("start-up failed", 1);
}

async function portOr(preferred: number): Promise<number> {
  const probe = await fetch(`http://127.0.0.1:${preferred}/`).then(
    () => true,
    () => false,
  );
  return probe ? freePort() : preferred;
}
