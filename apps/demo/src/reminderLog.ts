import type { Reminder } from "@crm-agenda/server";
import type { Pool } from "pg";

/** A reminder as the demo CRM logged it, for the signed-in user's "Rappels" page. */
export interface LoggedReminder {
  reminderId: string;
  eventId: string;
  title: string;
  start: string;
  clientName: string;
  clientEmail: string | null;
  offset: number;
  confirmUrl: string;
  cancelUrl: string;
  sentAt: string;
}

/**
 * The demo's `onReminder`: where a real CRM would e-mail the client, it logs the reminder in its own
 * table, once per `reminderId` (the agenda may call again for a reminder whose worker died mid-call).
 */
export function createReminderLog(pool: Pool, schema: string, now: () => Date) {
  const table = `"${schema}".reminder_log`;
  return {
    async install(): Promise<void> {
      await pool.query(
        `create table if not exists ${table} (
           reminder_id uuid primary key, tenant_id text not null, user_id text not null, event_id uuid not null,
           title text not null, start_at timestamptz not null, client_name text not null, client_email text,
           offset_minutes real not null, confirm_url text not null, cancel_url text not null,
           sent_at timestamptz not null)`,
      );
    },
    async record(reminder: Reminder): Promise<void> {
      await pool.query(
        `insert into ${table} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (reminder_id) do nothing`,
        [
          reminder.reminderId,
          reminder.tenantId,
          reminder.userId,
          reminder.event.id,
          reminder.event.title,
          reminder.event.start,
          reminder.client.name,
          reminder.client.emails[0] ?? null,
          reminder.offset,
          reminder.confirmUrl,
          reminder.cancelUrl,
          now(),
        ],
      );
    },
    async list(owner: { tenantId: string; userId: string }): Promise<LoggedReminder[]> {
      const { rows } = await pool.query<LoggedReminder>(
        `select reminder_id as "reminderId", event_id as "eventId", title, start_at as "start",
                client_name as "clientName", client_email as "clientEmail", offset_minutes as "offset",
                confirm_url as "confirmUrl", cancel_url as "cancelUrl", sent_at as "sentAt"
           from ${table} where tenant_id = $1 and user_id = $2 order by sent_at desc limit 100`,
        [owner.tenantId, owner.userId],
      );
      return rows;
    },
  };
}
