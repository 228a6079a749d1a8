import type { AvailabilitySettings } from "@crm-agenda/shared";
import { jsonb, type PgSchema, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamps } from "./timestamps";

/** Each user's working hours, zone, buffers, notice and cap, as `PUT /availability/settings` saved them. */
export function createAvailabilitySettingsTable(schema: PgSchema) {
  return schema.table(
    "availability_settings",
    {
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      settings: jsonb("settings").$type<AvailabilitySettings>().notNull(),
      ...timestamps,
    },
    (table) => [primaryKey({ name: "availability_settings_pkey", columns: [table.tenantId, table.userId] })],
  );
}
