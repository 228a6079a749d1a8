// What the benches do as a host would: serve the router over HTTP on loopback, and connect an account
// through the agenda's own OAuth routes (against a sandbox that consents at once for `login_hint`).
import type { AddressInfo } from "node:net";
import type express from "express";
import type pg from "pg";

/** Serves `app` on a free loopback port. */
export function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}

/**
 * Connects the user the `x-user` header names through `GET /oauth/:provider/start` and its callback,
 * as their browser would. Zoom's authorize request carries no `login_hint`: the bench adds the account's
 * e-mail, which the sandbox takes as the user's choice on its consent page.
 */
export async function connectAccount(agendaUrl: string, provider: string, user: string, email: string) {
  const headers = { "x-user": user };
  const start = await fetch(`${agendaUrl}/oauth/${provider}/start`, { redirect: "manual", headers });
  const authorize = new URL(start.headers.get("location") ?? "");
  authorize.searchParams.set("login_hint", email);
  const consent = await fetch(authorize, { redirect: "manual" });
  const callback = await fetch(consent.headers.get("location") ?? "", { redirect: "manual", headers });
  const back = callback.headers.get("location") ?? "";
  if (!back.includes("agendaConnection=connected"))
    throw new Error(`connecting ${provider} ended at ${back || callback.status}`);
}

/**
 * How long the last completed job of `queue` ran, from pg-boss's own timestamps: the work itself,
 * without the wait for a worker to fetch it.
 */
export async function lastJobRunMs(pool: pg.Pool, schema: string, queue: string): Promise<number> {
  const { rows } = await pool.query<{ ms: number }>(
    `select extract(epoch from completed_on - started_on) * 1000 as ms from "${schema}_jobs".job
      where name = $1 and state = 'completed' order by completed_on desc limit 1`,
    [queue],
  );
  if (!rows[0]) throw new Error(`no completed ${queue} job`);
  return Number(rows[0].ms);
}
