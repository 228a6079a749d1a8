import { randomBytes } from "node:crypto";
import { createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenCipher } from "../src/connections/tokenCipher";
import type { AgendaOptions } from "../src/index";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const keyA = { id: "a", key: randomBytes(32).toString("base64") };
const keyB = { id: "b", key: randomBytes(32).toString("base64") };
// Zoom rotates refresh tokens: each refresh voids the one it used, so writing back an older one loses the grant.
const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let zoomServer: RunningSandbox;
const started: Awaited<ReturnType<typeof startTestAgenda>>[] = [];

async function instance(options: Partial<AgendaOptions> & { clockOffsetMs?: number }) {
  const { clockOffsetMs = 0, ...rest } = options;
  const agenda = await startTestAgenda({
    ...(started[0] && { schema: started[0].schema }),
    providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url } },
    now: () => new Date(Date.now() + clockOffsetMs),
    runJobs: false,
    polling: false,
    calendarSync: false,
    ...rest,
  });
  started.push(agenda);
  return agenda;
}

beforeAll(async () => {
  zoomServer = await zoom.start();
});
afterAll(async () => {
  for (const agenda of [...started].reverse()) await agenda.stop();
  await zoomServer.stop();
});

describe("token refresh during a key rotation", () => {
  it("refreshes once, never holds a transaction open meanwhile, and keeps the newest refresh token", async () => {
    const first = await instance({ encryptionKeys: [keyA] });
    const connection = await connectAccount(first.baseUrl, "zoom", "alice", "acct-alice");
    const table = `"${first.schema}".connections`;
    const readRefreshToken = async () => {
      const { rows } = await first.pool.query(`select refresh_token_sealed from ${table} where id = $1`, [
        connection.id,
      ]);
      const aad = `crm-agenda:connection:${connection.id}:refresh`;
      return createTokenCipher([keyA, keyB]).open(rows[0].refresh_token_sealed, aad).plaintext;
    };
    const granted = await readRefreshToken();

    // A rolling deploy: some instances seal with the new key, one still with the old, and two whose
    // clocks are two hours on find the access token expired and refresh it.
    const sealers = [
      await instance({ encryptionKeys: [keyB, keyA] }),
      await instance({ encryptionKeys: [keyA, keyB] }),
    ];
    const refreshers = [
      await instance({ encryptionKeys: [keyB, keyA], clockOffsetMs: 2 * 3600_000 }),
      await instance({ encryptionKeys: [keyB, keyA], clockOffsetMs: 2 * 3600_000 }),
      await instance({ encryptionKeys: [keyA, keyB], clockOffsetMs: 2 * 3600_000 }),
    ];
    const refreshesBefore = zoom.oauth.stats.refreshRequests;
    const hold = zoom.oauth.holdTokenRequests();

    // Each use by a sealer seals the tokens again under its own key: they rewrite the row all along.
    let refreshed = false;
    const resealing = sealers.flatMap((sealer) =>
      Array.from({ length: 4 }, async () => {
        let uses = 0;
        while (!refreshed || uses < 20) {
          await sealer.agenda.connections.accessToken(connection.id);
          uses++;
        }
        return uses;
      }),
    );
    const refreshing = Promise.all(
      refreshers.flatMap((refresher) =>
        Array.from({ length: 5 }, () => refresher.agenda.connections.accessToken(connection.id)),
      ),
    );

    await hold.arrived;
    const { rows: open } = await first.pool.query(
      `select count(*)::int as count from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%' and query like $1`,
      [`%${first.schema}%`],
    );
    expect(open[0].count).toBe(0);
    hold.release();

    const tokens = await refreshing;
    refreshed = true;
    await Promise.all(resealing);

    expect(zoom.oauth.stats.refreshRequests - refreshesBefore).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    const kept = await readRefreshToken();
    expect(kept).not.toBe(granted);
    // The kept refresh token is the live one: Zoom voided the granted one when it was used.
    const later = await instance({ encryptionKeys: [keyB, keyA], clockOffsetMs: 4 * 3600_000 });
    await expect(later.agenda.connections.accessToken(connection.id)).resolves.toMatch(/^sbx-at-/);
    expect(zoom.oauth.stats.refreshRequests - refreshesBefore).toBe(2);
    const listed = (await first.call("alice", "GET", "/connections")).body.connections[0];
    expect(listed).toMatchObject({ status: "active", lastError: null });
    for (const agenda of started) expect(agenda.errors).toEqual([]);
  }, 60_000);

  it("writes a refresh over a row only sealed again meanwhile, and never over a reconnect", async () => {
    const first = await instance({ encryptionKeys: [keyA] });
    const connection = await connectAccount(first.baseUrl, "zoom", "alice", "acct-alice");
    const table = `"${first.schema}".connections`;
    const aad = (field: string) => `crm-agenda:connection:${connection.id}:${field}`;
    const stored = async () => {
      const { rows } = await first.pool.query(
        `select access_token_sealed, refresh_token_sealed from ${table} where id = $1`,
        [connection.id],
      );
      const cipher = createTokenCipher([keyA, keyB]);
      return {
        access: cipher.open(rows[0].access_token_sealed, aad("access")).plaintext,
        refresh: cipher.open(rows[0].refresh_token_sealed, aad("refresh")).plaintext,
      };
    };
    const overwrite = async (keys: (typeof keyA)[], tokens: { access: string; refresh: string }) => {
      const cipher = createTokenCipher(keys);
      await first.pool.query(
        `update ${table} set access_token_sealed = $1, refresh_token_sealed = $2 where id = $3`,
        [
          cipher.seal(tokens.access, aad("access")),
          cipher.seal(tokens.refresh, aad("refresh")),
          connection.id,
        ],
      );
    };
    const granted = await stored();

    // An instance of an older version seals the same tokens again under key b while the refresh is out.
    const refresher = await instance({ encryptionKeys: [keyA, keyB], clockOffsetMs: 2 * 3600_000 });
    const hold = zoom.oauth.holdTokenRequests();
    const refreshing = refresher.agenda.connections.accessToken(connection.id);
    await hold.arrived;
    await overwrite([keyB], granted);
    hold.release();
    const token = await refreshing;
    const afterReseal = await stored();
    expect(afterReseal.access).toBe(token);
    expect(afterReseal.refresh).not.toBe(granted.refresh);

    // The user reconnects the account while the next refresh is out: the reconnect's grant stays.
    const later = await instance({ encryptionKeys: [keyA, keyB], clockOffsetMs: 4 * 3600_000 });
    const again = zoom.oauth.holdTokenRequests();
    const refreshingAgain = later.agenda.connections.accessToken(connection.id);
    await again.arrived;
    const reconnected = { access: "access-of-the-reconnect", refresh: "refresh-of-the-reconnect" };
    await overwrite([keyA], reconnected);
    again.release();
    await expect(refreshingAgain).resolves.toMatch(/^sbx-at-/);
    expect(await stored()).toEqual(reconnected);
  }, 60_000);
});
