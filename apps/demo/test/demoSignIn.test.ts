import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startDemo } from "../src/startDemo";

let demo: Awaited<ReturnType<typeof startDemo>>;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-demo-"));
  demo = await startDemo({
    databaseUrl: inject("databaseUrl"),
    dataDir,
    port: 0,
    schema: `demo_${randomBytes(4).toString("hex")}`,
    ai: { baseUrl: "http://127.0.0.1:9" },
    ui: false,
  });
}, 60_000);
afterAll(async () => {
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function signIn(name: string, headers: Record<string, string> = {}) {
  return fetch(`${demo.url}/demo/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: demo.url, ...headers },
    body: new URLSearchParams({ as: name }),
  });
}

describe("the demo's sign-in", () => {
  it("signs in by POST, with a cookie that expires", async () => {
    const response = await signIn("alice");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/agenda");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^demo_session=/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await fetch(`${demo.url}/demo/api/me`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(await me.json()).toMatchObject({ signedIn: true, id: "alice" });
  });

  it("only shows a form on GET, and signs nobody in", async () => {
    const response = await fetch(`${demo.url}/demo/login?as=bob`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toMatch(/<form method="post" action="\/demo\/login">/);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "refuses %s, which every object has but is nobody",
    async (name) => {
      const posted = await signIn(name);
      expect(posted.status).toBe(400);
      expect(posted.headers.get("set-cookie")).toBeNull();
      const page = await fetch(`${demo.url}/demo/login?as=${name}`);
      expect(page.status).toBe(400);
    },
  );

  it("refuses a sign-in posted by another site's form", async () => {
    const response = await signIn("alice", { origin: "https://evil.test", "sec-fetch-site": "cross-site" });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("answers only under its own names, against DNS rebinding", async () => {
    const port = new URL(demo.url).port;
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const sent = request(
          { host: "127.0.0.1", port, path: "/demo/api/me", headers: { host } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        sent.on("error", reject);
        sent.end();
      });
    expect(await status(`evil.test:${port}`)).toBe(421);
    expect(await status("evil.test")).toBe(421);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
  });
});
