import { randomBytes } from "node:crypto";
import { freePort } from "@crm-agenda/sandbox";
import type { CrmClient } from "@crm-agenda/shared";
import express from "express";
import pg from "pg";
import { inject } from "vitest";
import { type AgendaOptions, createAgenda } from "../src/index";

/** The people of the two test tenants, signed in by the `x-test-user` header. */
export const people = {
  alice: { userId: "alice", tenantId: "acme", email: "alice@acme.test" },
  carol: { userId: "carol", tenantId: "acme", email: "carol@acme.test" },
  bob: { userId: "bob", tenantId: "globex", email: "bob@globex.test" },
} as const;
export type Person = keyof typeof people;

export const crmClients: Record<string, CrmClient[]> = {
  acme: [
    { id: "dupont", name: "Dupont SA", emails: ["marie@dupont.fr"] },
    { id: "martin", name: "Martin SARL", emails: ["paul@martin.fr"] },
  ],
  globex: [{ id: "initech", name: "Initech", emails: ["peter@initech.test"] }],
};

/** A host CRM's in-memory client directory, standing in for the host's own adapter. */
export const clientDirectory: AgendaOptions["clients"] = {
  async findByEmails(tenantId, emails) {
    return (crmClients[tenantId] ?? []).filter((client) =>
      client.emails.some((email) => emails.includes(email)),
    );
  },
  async search(tenantId, query) {
    return (crmClients[tenantId] ?? []).filter((client) =>
      client.name.toLowerCase().includes(query.toLowerCase()),
    );
  },
  async get(tenantId, clientId) {
    return (crmClients[tenantId] ?? []).find((client) => client.id === clientId) ?? null;
  },
};

/**
 * The agenda on the real test PostgreSQL, in a schema of its own, mounted under /api/agenda of an
 * Express app listening on a free loopback port.
 */
export async function startTestAgenda(
  overrides: Partial<AgendaOptions> & { beforeRouter?: (app: express.Express) => void } = {},
) {
  const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 10 });
  const schema = overrides.schema ?? `test_${randomBytes(5).toString("hex")}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/api/agenda`;
  const errors: unknown[] = [];
  const agenda = createAgenda({
    database: pool,
    schema,
    auth: (req) => people[req.header("x-test-user") as Person] ?? null,
    clients: clientDirectory,
    ai: { baseUrl: "http://127.0.0.1:9" },
    publicUrl: baseUrl,
    onError: (error) => errors.push(error),
    ...overrides,
  });
  await agenda.start();
  const app = express();
  overrides.beforeRouter?.(app);
  app.use("/api/agenda", agenda.router);
  const server = app.listen(port, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));

  async function call(
    person: Person | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(person && { "x-test-user": person }),
        // As the UI's client: every write says it is JSON, even without a body.
        ...(method !== "GET" && { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  return {
    agenda,
    pool,
    schema,
    baseUrl,
    errors,
    call,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await agenda.stop();
      // A second instance sharing another's schema leaves dropping it to the first.
      if (!overrides.schema) {
        await pool.query(
          `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`,
        );
      }
      await pool.end();
    },
  };
}
