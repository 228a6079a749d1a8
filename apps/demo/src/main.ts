import { resolve } from "node:path";
import { startDatabase } from "@crm-agenda/sandbox";
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
const demo = await startDemo({
  providers: providers.providers,
  encryptionKeys: providers.encryptionKeys,
  databaseUrl: database.url,
  dataDir,
  port: Number(process.env.PORT ?? 3000),
  ai: { baseUrl: process.env.AI_SERVICE_URL ?? "http://localhost:8000", token: process.env.AI_SERVICE_TOKEN },
});

console.log(`
  crm-agenda demo is running at ${demo.url}
  Sign in as:  ${demo.url}/demo/login?as=alice   (acme)
               ${demo.url}/demo/login?as=carol   (acme)
               ${demo.url}/demo/login?as=bob     (globex)
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
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
