import type { ClientDirectory } from "@crm-agenda/server";
import type { Pool } from "pg";

/** The demo CRM's own clients, in its own schema: what a real host keeps in its database. */
export const demoClients = [
  {
    id: "dupont",
    tenantId: "acme",
    name: "Dupont SA",
    emails: ["marie.dupont@dupont-sa.fr", "compta@dupont-sa.fr"],
  },
  { id: "martin", tenantId: "acme", name: "Martin & Fils", emails: ["paul@martin-fils.fr"] },
  { id: "leroy", tenantId: "acme", name: "Boulangerie Leroy", emails: ["sophie.leroy@leroy.fr"] },
  { id: "bernard", tenantId: "acme", name: "Cabinet Bernard", emails: ["luc.bernard@cabinet-bernard.fr"] },
  { id: "initech", tenantId: "globex", name: "Initech", emails: ["peter@initech.example"] },
  { id: "umbrella", tenantId: "globex", name: "Umbrella Corp", emails: ["alice.w@umbrella.example"] },
] as const;

export async function installCrmDirectory(pool: Pool, schema: string): Promise<void> {
  await pool.query(`create schema if not exists "${schema}"`);
  await pool.query(
    `create table if not exists "${schema}".clients (id text primary key, tenant_id text not null, name text not null, emails text[] not null)`,
  );
  for (const client of demoClients) {
    await pool.query(
      `insert into "${schema}".clients (id, tenant_id, name, emails) values ($1, $2, $3, $4)
       on conflict (id) do update set name = excluded.name, emails = excluded.emails`,
      [client.id, client.tenantId, client.name, client.emails],
    );
  }
}

/** The `clients` adapter the demo hands to createAgenda, reading the CRM's own table. */
export function createCrmDirectory(pool: Pool, schema: string): ClientDirectory {
  type Row = { id: string; name: string; emails: string[] };
  const table = `"${schema}".clients`;
  return {
    async findByEmails(tenantId, emails) {
      const { rows } = await pool.query<Row>(
        `select id, name, emails from ${table}
         where tenant_id = $1 and exists (select 1 from unnest(emails) e where lower(e) = any($2::text[]))`,
        [tenantId, emails.map((email) => email.toLowerCase())],
      );
      return rows;
    },
    async search(tenantId, query) {
      const { rows } = await pool.query<Row>(
        `select id, name, emails from ${table}
         where tenant_id = $1 and (name ilike $2 or exists (select 1 from unnest(emails) e where e ilike $2))
         order by name limit 20`,
        [tenantId, `%${query.replace(/[%_\\]/g, "\\$&")}%`],
      );
      return rows;
    },
    async get(tenantId, clientId) {
      const { rows } = await pool.query<Row>(
        `select id, name, emails from ${table} where tenant_id = $1 and id = $2`,
        [tenantId, clientId],
      );
      return rows[0] ?? null;
    },
  };
}
