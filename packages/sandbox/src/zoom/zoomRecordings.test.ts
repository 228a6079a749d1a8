import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../listen";
import { createZoomSandbox } from "./createZoomSandbox";

const client = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
const alice = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };
const zoom = createZoomSandbox({ accounts: [alice], client });
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await zoom.start();
});
afterAll(() => sandbox.stop());

const recording = (topic: string) =>
  zoom.recordings.addRecording({
    account: alice,
    meetingId: 81234567890,
    topic,
    startTime: new Date("2026-11-25T09:00:00Z"),
    durationMinutes: 30,
    vtt: `WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nAlice Martin: ${topic}\n`,
    participants: [{ name: "Alice Martin", email: alice.email }],
  });
const transcriptUrl = (meeting: ReturnType<typeof recording>) => meeting.recording_files[0]!.download_url;

describe("Zoom sandbox recordings", () => {
  it("opens a meeting's files with its webhook's download_token, and only that meeting's", async () => {
    const mine = recording("Point hebdo");
    const other = recording("Revue trimestrielle");
    const { download_token: token } = zoom.recordings.transcriptCompletedEvent(mine);
    const own = await fetch(`${transcriptUrl(mine)}?access_token=${token}`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("Point hebdo");
    const byHeader = await fetch(transcriptUrl(mine), { headers: { authorization: `Bearer ${token}` } });
    expect(byHeader.status).toBe(200);
    expect((await fetch(`${transcriptUrl(other)}?access_token=${token}`)).status).toBe(401);
    expect((await fetch(`${transcriptUrl(mine)}?access_token=sbx-dl-forged`)).status).toBe(401);
  });

  it("signs deliveries v0=HMAC-SHA256 of v0:{timestamp}:{body} with the app's secret token", async () => {
    const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const event = zoom.recordings.transcriptCompletedEvent(recording("Signé"));
      await zoom.recordings.deliver(`http://127.0.0.1:${port}/`, "secret-token", event);
      const [delivery] = received;
      const timestamp = String(delivery!.headers["x-zm-request-timestamp"]);
      const expected = createHmac("sha256", "secret-token")
        .update(`v0:${timestamp}:${delivery!.body}`)
        .digest("hex");
      expect(delivery!.headers["x-zm-signature"]).toBe(`v0=${expected}`);
      expect(JSON.parse(delivery!.body)).toMatchObject({ event: "recording.transcript_completed" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
