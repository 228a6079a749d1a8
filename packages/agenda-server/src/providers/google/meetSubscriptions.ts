import { eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { ConnectionService } from "../../connections/connectionService";
import type { AgendaTables } from "../../db/schema";
import {
  createTranscriptSubscription,
  deleteSubscription,
  reactivateSubscription,
  renewSubscription,
  userTargetResource,
  WorkspaceEventsError,
  type WorkspaceSubscription,
} from "./workspaceEventsClient";

/**
 * Each connected Google user's subscription to their Meet transcripts (Google Workspace Events): made
 * when the account is connected, renewed when Google reminds us, reactivated after a suspension, made
 * anew once expired, deleted on disconnect. The row ties a push back to its connection.
 */
export function createMeetSubscriptions(options: {
  db: NodePgDatabase;
  tables: AgendaTables;
  connections: ConnectionService;
  eventsApiBaseUrl: string;
  pubsubTopic: string;
  now: () => Date;
}) {
  const { db, tables, connections } = options;
  const table = tables.meetSubscriptions;

  async function save(
    connectionId: string,
    subscription: WorkspaceSubscription,
    lastError: string | null = null,
  ) {
    const values = {
      name: subscription.name,
      state: subscription.state,
      expireTime: new Date(subscription.expireTime),
      lastError,
      updatedAt: options.now(),
    };
    await db
      .insert(table)
      .values({ connectionId, ...values, createdAt: options.now() })
      .onConflictDoUpdate({ target: table.connectionId, set: values });
  }

  async function existing(connectionId: string) {
    const [row] = await db.select().from(table).where(eq(table.connectionId, connectionId));
    return row ?? null;
  }

  return {
    /** Subscribes the account (its Google `sub` is the Directory user id), or renews the one it has. */
    async ensure(connectionId: string): Promise<void> {
      const [connection] = await db
        .select({ id: tables.connections.id, accountId: tables.connections.accountId })
        .from(tables.connections)
        .where(eq(tables.connections.id, connectionId));
      if (!connection) return;
      const token = await connections.accessToken(connection.id);
      const known = await existing(connection.id);
      if (known) {
        try {
          await save(connection.id, await renewSubscription(options.eventsApiBaseUrl, token, known.name));
          return;
        } catch (error) {
          // Gone at Google (expired or deleted): make a new one below.
          if (!(error instanceof WorkspaceEventsError && error.httpStatus === 404)) throw error;
        }
      }
      const subscription = await createTranscriptSubscription(options.eventsApiBaseUrl, token, {
        targetResource: userTargetResource(connection.accountId),
        pubsubTopic: options.pubsubTopic,
      });
      await save(connection.id, subscription);
    },

    /** The connection a push came for, from its CloudEvent source `//workspaceevents.googleapis.com/subscriptions/{id}`. */
    async connectionOf(
      ceSource: string,
    ): Promise<{ id: string; tenantId: string; userId: string; accountId: string } | null> {
      const name = /subscriptions\/[^/]+$/.exec(ceSource)?.[0];
      if (!name) return null;
      const [row] = await db
        .select({
          id: tables.connections.id,
          tenantId: tables.connections.tenantId,
          userId: tables.connections.userId,
          accountId: tables.connections.accountId,
        })
        .from(table)
        .innerJoin(tables.connections, eq(tables.connections.id, table.connectionId))
        .where(eq(table.name, name));
      return row ?? null;
    },

    async renew(connectionId: string): Promise<void> {
      const known = await existing(connectionId);
      if (!known) return;
      const token = await connections.accessToken(connectionId);
      await save(connectionId, await renewSubscription(options.eventsApiBaseUrl, token, known.name));
    },

    /** After a suspension (often a revoked scope, fixed by reconnecting): ask Google to resume it. */
    async reactivate(connectionId: string): Promise<void> {
      const known = await existing(connectionId);
      if (!known) return;
      const token = await connections.accessToken(connectionId);
      try {
        await save(connectionId, await reactivateSubscription(options.eventsApiBaseUrl, token, known.name));
      } catch (error) {
        if (!(error instanceof WorkspaceEventsError)) throw error;
        // Not fixable now: recorded, and the polling fallback keeps finding the calls meanwhile.
        await db
          .update(table)
          .set({ state: "SUSPENDED", lastError: error.message, updatedAt: options.now() })
          .where(eq(table.connectionId, connectionId));
      }
    },

    async remove(connectionId: string): Promise<void> {
      const known = await existing(connectionId);
      if (!known) return;
      const token = await connections.accessToken(connectionId);
      await deleteSubscription(options.eventsApiBaseUrl, token, known.name);
      await db.delete(table).where(eq(table.connectionId, connectionId));
    },
  };
}

export type MeetSubscriptions = ReturnType<typeof createMeetSubscriptions>;
