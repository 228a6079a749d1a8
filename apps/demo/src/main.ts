import { resolve } from "node:path";
import { createAiService, freePort, startDatabase } from "@crm-agenda/sandbox";
import { startDemo } from "./startDemo";
import { startProviders } from "./startProviders";

const repositoryRoot = resolve(import.meta.dirname, "../../..");
const dataDir = resolve(repositoryRoot, process.env.AGENDA_DATA_DIR ?? ".data");

const database = await startDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: resolve(dataDir, "postgres"),
  log: (message) => console.error(`[postgres] ${message}`),
});
const providers = await startProviders(process.env, dataDir);

// The CRM's AI service, or a stand-in on port 8000 (another free port when 8000 is taken) that
// speaks its protocol and writes extractive summaries without a model.
const aiSandbox = process.env.AI_SERVICE_URL
  ? null
  : createAiService(process.env.AI_SERVICE_TOKEN ? { token: process.env.AI_SERVICE_TOKEN } : {});
const aiRunning = aiSandbox ? await aiSandbox.start({ port: await portOr(8000) }) : null;
const aiServiceUrl = process.env.AI_SERVICE_URL ?? aiRunning!.url;

async function portOr(preferred: number): Promise<number> {
  const probe = await fetch(`http://127.0.0.1:${preferred}/`).then(
    () => true,
    () => false,
  );
  return probe ? freePort() : preferred;
}
const demo = await startDemo({
  providers: providers.providers,
  encryptionKeys: providers.encryptionKeys,
  databaseUrl: database.url,
  dataDir,
  port: Number(process.env.PORT ?? 3000),
  ai: { baseUrl: aiServiceUrl, ...(process.env.AI_SERVICE_TOKEN && { token: process.env.AI_SERVICE_TOKEN }) },
  sandboxes: providers,
});

console.log(`
  crm-agenda demo is running at ${demo.url}
  Sign in:     ${demo.url}/demo/login   (alice and carol of acme, bob of globex)
  AI service:  ${aiRunning ? `sandbox at ${aiRunning.url}` : aiServiceUrl}
  Providers:   Zoom ${providers.where.zoom}, Google ${providers.where.google}, Microsoft ${providers.where.microsoft}
  Database:    ${process.env.DATABASE_URL ? "DATABASE_URL" : `embedded PostgreSQL in ${resolve(dataDir, "postgres")}`}
  Press Ctrl+C to stop.
`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await demo.stop();
  await providers.stop();
  await aiRunning?.stop();
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
