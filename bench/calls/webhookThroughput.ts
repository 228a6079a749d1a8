// Webhook acknowledgement throughput: the agenda's Zoom receiver (signature check on the raw bytes,
// delivery recorded with its job in the delivery outbox in one Postgres statement, committed before the
// answer; the job moved into pg-boss off the acknowledgement path) side by side with a bare Express
// handler, same machine, same load, same run. The servers run in a child process; this one only
// generates the load. Target: at least half of bare Express, p99 under 100 ms. The agenda is the built
// package (`npm run build` first), as a host installs it.
//
//   npm run bench:calls        (BENCH_SECONDS, BENCH_CONNECTIONS to change the load)
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { builtServer } from "../builtServer";

builtServer();

const secretToken = "bench-secret";
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

/** Each request a new delivery of a handled event (a distinct body, freshly signed), as Zoom sends them. */
function load(url: string) {
  let sequence = 0;
  return autocannon({
    url,
    method: "POST",
    connections,
    duration: durationSeconds,
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest(request) {
          sequence++;
          const body = JSON.stringify({
            event: "recording.transcript_completed",
            event_ts: Date.now(),
            payload: {
              account_id: "bench",
              object: {
                uuid: `bench-${sequence}==`,
                id: 1000 + sequence,
                host_id: "not-connected",
                topic: "Réunion",
                start_time: "2026-11-25T09:00:00Z",
                recording_files: [],
              },
            },
          });
          const timestamp = String(Math.floor(Date.now() / 1000));
          const signature = `v0=${createHmac("sha256", secretToken).update(`v0:${timestamp}:${body}`).digest("hex")}`;
          return {
            ...request,
            body,
            headers: { ...request.headers, "x-zm-request-timestamp": timestamp, "x-zm-signature": signature },
          };
        },
      },
    ],
  });
}

const child = spawn(
  process.execPath,
  [...process.execArgv, new URL("./webhookServers.ts", import.meta.url).pathname],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const urls = await new Promise<{ agenda: string; bare: string }>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line)));
  child.once("exit", (code) => reject(new Error(`the bench servers exited (${code})`)));
});

console.log(
  `Zoom webhook acknowledgement, ${connections} connections, ${durationSeconds} s each, loopback\n`,
);
const bare = await load(urls.bare);
const ours = await load(urls.agenda);
const row = (name: string, result: autocannon.Result) =>
  `${name.padEnd(28)} ${result.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   errors ${result.errors + result.non2xx}`;
console.log(row("bare Express handler", bare));
console.log(row("crm-agenda /webhooks/zoom", ours));
const ratio = ours.requests.average / bare.requests.average;
console.log(
  `\nratio crm-agenda / bare Express: ${ratio.toFixed(2)} (target >= 0.50)   p99 ${ours.latency.p99} ms (target < 100 ms)`,
);
child.stdin!.end();
