import type PgBoss from "pg-boss";
import { describe, expect, it } from "vitest";
import { runBatch } from "./runBatch";

function fakeQueue() {
  const sent: { name: string; data: object }[] = [];
  return {
    sent,
    queue: {
      async send(name: string, data: object) {
        sent.push({ name, data });
        return "id";
      },
    } as unknown as PgBoss,
  };
}

describe("runBatch", () => {
  it("handles every item, and queues a failing one again on its own", async () => {
    const { queue, sent } = fakeQueue();
    const handled: number[] = [];
    await runBatch(queue, "agenda.zoom-event", { items: [{ n: 1 }, { n: 2 }, { n: 3 }] }, async (item) => {
      if (item.n === 2) throw new Error("Zoom was down");
      handled.push(item.n);
    });
    expect(handled).toEqual([1, 3]);
    expect(sent).toEqual([{ name: "agenda.zoom-event", data: { items: [{ n: 2 }] } }]);
  });

  it("fails a batch of one, for the queue to retry it", async () => {
    const { queue, sent } = fakeQueue();
    await expect(
      runBatch(queue, "agenda.zoom-event", { items: [{ n: 1 }] }, async () => {
        throw new Error("Zoom was down");
      }),
    ).rejects.toThrow("Zoom was down");
    expect(sent).toEqual([]);
  });
});
