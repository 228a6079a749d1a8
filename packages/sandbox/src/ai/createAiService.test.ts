import { afterEach, describe, expect, it } from "vitest";
import { type AiService, createAiService } from "./createAiService";

let running: { service: AiService; stop(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(options: { token?: string } = {}) {
  const service = createAiService(options);
  const { url, stop } = await service.start({ port: 0 });
  running = { service, stop };
  return { service, url };
}

/** The events of a generate answer, read to the end (or to the cut). */
async function generate(url: string, q: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/ai/generate?${new URLSearchParams({ q, session_id: "s-1" })}`, {
    headers,
  });
  const text = await response.text();
  const events = [...text.matchAll(/^data: (.*)$/gm)].map((match) => JSON.parse(match[1]!));
  return { response, text, events };
}

const stage1 =
  "Write every text value in French (fr).\n<<<TRANSCRIPT\n[T001 00:01] Zoé Lefèvre: Nous avons décidé de garder l'offre à 120 €.\nTRANSCRIPT>>>";

describe("createAiService", () => {
  it("answers health and streams {token, is_final} events ending with one final event", async () => {
    const { url, service } = await start();
    expect(await (await fetch(`${url}/ai/health`)).json()).toEqual({ online: true });
    const { response, events } = await generate(url, stage1);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(events.at(-1)).toEqual({ token: "", is_final: true });
    expect(events.slice(0, -1).every((event) => event.is_final === false)).toBe(true);
    const answer = JSON.parse(events.map((event) => event.token).join(""));
    expect(answer.decisions).toEqual([
      { text: "Nous avons décidé de garder l'offre à 120 €.", turns: ["T001"] },
    ]);
    expect(service.generateCount()).toBe(1);
    expect(service.requests.at(-1)).toMatchObject({ path: "/ai/generate", q: stage1, sessionId: "s-1" });
  });

  it("refuses a generate request without q or session_id (400) and a wrong token (401)", async () => {
    const { url } = await start({ token: "secret" });
    expect((await fetch(`${url}/ai/health`)).status).toBe(401);
    const auth = { authorization: "Bearer secret" };
    expect((await fetch(`${url}/ai/generate?q=x`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${url}/ai/generate?session_id=x`, { headers: auth })).status).toBe(400);
    expect((await generate(url, stage1, auth)).events.at(-1)?.is_final).toBe(true);
  });

  it("goes offline by refusing connections or by answering 503, and comes back", async () => {
    const { url, service } = await start();
    await service.goOffline("refuse");
    await expect(fetch(`${url}/ai/health`)).rejects.toThrow();
    await service.goOnline();
    expect((await fetch(`${url}/ai/health`)).status).toBe(200);
    await service.goOffline("503");
    expect((await fetch(`${url}/ai/health`)).status).toBe(503);
    expect((await generate(url, stage1)).response.status).toBe(503);
    await service.goOnline();
    expect((await generate(url, stage1)).events.at(-1)?.is_final).toBe(true);
  });

  it("dies mid-stream after N tokens, once, then answers whole again", async () => {
    const { url, service } = await start();
    service.dieMidStream(3);
    // Read what arrives before the cut; the cut itself surfaces as a read error or an early end.
    const response = await fetch(
      `${url}/ai/generate?${new URLSearchParams({ q: stage1, session_id: "s-2" })}`,
    );
    const reader = response.body!.getReader();
    let received = "";
    let broken = false;
    for (;;) {
      const chunk = await reader.read().catch(() => null);
      if (chunk === null) {
        broken = true;
        break;
      }
      if (chunk.done) break;
      received += new TextDecoder().decode(chunk.value);
    }
    expect(broken).toBe(true);
    const events = [...received.matchAll(/^data: (.*)$/gm)].map((match) => JSON.parse(match[1]!));
    expect(events).toHaveLength(3);
    expect(events.some((event) => event.is_final)).toBe(false);
    expect((await generate(url, stage1)).events.at(-1)?.is_final).toBe(true);
    expect(service.requests.map((request) => request.outcome)).toEqual(["died", "answered"]);
  });

  it("answers invalid JSON once when asked, and responds slowly when asked", async () => {
    const { url, service } = await start();
    service.answerInvalidJson();
    const invalid = await generate(url, stage1);
    expect(invalid.events.at(-1)?.is_final).toBe(true);
    expect(() => JSON.parse(invalid.events.map((event) => event.token).join(""))).toThrow();
    service.respondSlowly({ firstTokenMs: 150 });
    const started = performance.now();
    const slow = await generate(url, stage1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(() => JSON.parse(slow.events.map((event) => event.token).join(""))).not.toThrow();
    await service.reset();
    expect(service.requests).toHaveLength(0);
  });
});
