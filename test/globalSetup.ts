import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDatabase } from "@crm-agenda/sandbox";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One real PostgreSQL for the whole run: DATABASE_URL when given, otherwise an embedded server in a
 * temporary folder. Each test file works in schemas of its own, so files run in parallel.
 */
export default async function setup(project: TestProject) {
  const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), "crm-agenda-test-pg-"));
  const database = await startDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: dataDir ?? "",
    databaseName: "agenda_test",
    log: (message) => console.error(`[postgres] ${message}`),
  });
  project.provide("databaseUrl", database.url);
  return async () => {
    await database.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
