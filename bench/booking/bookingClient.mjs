// The bench's clients, in a thread of their own: as real clients run on other machines, sending the
// requests costs the server's event loop nothing, and a client's clock starts when it sends.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";

const { base, concurrency, rounds, firstStart, users } = workerData;
const day = 86_400_000;

async function book(user, start) {
  const started = performance.now();
  const response = await fetch(`${base}/bookings`, {
    method: "POST",
    headers: { "x-user": user, "content-type": "application/json" },
    body: JSON.stringify({ start, duration: 5, client: { email: "client@example.com" } }),
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

const latencies = [];
let refused = 0;
// Round 0 opens the connections and is not counted: a client keeps its connection between bookings.
for (let round = 0; round <= rounds; round++) {
  const dayStart = new Date(firstStart + round * 7 * day);
  dayStart.setUTCHours(8, 0, 0, 0);
  while ([0, 6].includes(dayStart.getUTCDay())) dayStart.setTime(dayStart.getTime() + day);
  const answers = await Promise.all(
    Array.from({ length: concurrency }, (_, index) =>
      book(users[index % users.length], new Date(dayStart.getTime() + index * 6 * 60_000).toISOString()),
    ),
  );
  if (round === 0) continue;
  for (const answer of answers) {
    latencies.push(answer.ms);
    if (answer.status !== 201) refused++;
  }
}
parentPort.postMessage({ latencies, refused });
