import { type PgSchema, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamps } from "./timestamps";

/**
 * Each user's secret ICS feed: only the SHA-256 of its token is kept, so the URL is shown once and a
 * leaked database does not open anyone's agenda. Deleting the row revokes the feed.
 */
export function createIcsFeedsTable(schema: PgSchema) {
  return schema.table(
    "ics_feeds",
    {
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      /** base64url SHA-256 of the token in the feed URL. */
      tokenHash: text("token_hash").notNull().unique(),
      ...timestamps,
    },
    (table) => [primaryKey({ columns: [table.tenantId, table.userId] })],
  );
}
