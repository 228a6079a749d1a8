// A separate worker process for the crash test: an agenda instance that only works on jobs, killed
// with SIGKILL mid-job by the test. Configured through WORKER_CONFIG (JSON).
import { createAgenda } from "../src/index";

const config = JSON.parse(process.env.WORKER_CONFIG ?? "{}");
const agenda = createAgenda({
  database: config.databaseUrl,
  schema: config.schema,
  auth: () => null,
  clients: { findByEmails: async () => [], search: async () => [], get: async () => null },
  providers: config.providers,
  encryptionKeys: config.encryptionKeys,
  publicUrl: config.publicUrl,
  ai: config.ai,
  polling: false,
  jobs: config.jobs,
});
await agenda.start();
process.stdout.write("ready\n");
