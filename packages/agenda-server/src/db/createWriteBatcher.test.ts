import { describe, expect, it } from "vitest";
import { createWriteBatcher } from "./createWriteBatcher";

/** A write that records its batches and answers when released, so a test decides when one ends. */
function heldWrites(answer: (item: number) => number | Error = (item) => item * 10) {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const write = async (batch: readonly number[]) => {
    batches.push([...batch]);
    await new Promise<void>((release) => releases.push(release));
    return batch.map(answer);
  };
  return { batches, releases, write };
}

describe("createWriteBatcher", () => {
  it("writes the items submitted together in one batch", async () => {
    const { batches, releases, write } = heldWrites();
    const batcher = createWriteBatcher(write, { maxBatch: 10, maxInFlight: 1 });
    const all = [1, 2, 3].map((item) => batcher.submit(item));
    await expect.poll(() => releases.length).toBe(1);
    releases.shift()!();
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("groups the items that arrive while a batch is written, and starts them when it ends", async () => {
    const { batches, releases, write } = heldWrites();
    const batcher = createWriteBatcher(write, { maxBatch: 10, maxInFlight: 1 });
    const first = batcher.submit(1);
    await expect.poll(() => batches).toEqual([[1]]);
    const later = [2, 3, 4].map((item) => batcher.submit(item));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([[1]]);
    releases.shift()!();
    await expect(first).resolves.toBe(10);
    await expect.poll(() => batches).toEqual([[1], [2, 3, 4]]);
    releases.shift()!();
    await expect(Promise.all(later)).resolves.toEqual([20, 30, 40]);
  });

  it("writes up to maxInFlight batches at once", async () => {
    const { batches, releases, write } = heldWrites();
    const batcher = createWriteBatcher(write, { maxBatch: 10, maxInFlight: 2 });
    const first = batcher.submit(1);
    await expect.poll(() => batches).toEqual([[1]]);
    const second = [2, 3].map((item) => batcher.submit(item));
    await expect.poll(() => batches).toEqual([[1], [2, 3]]);
    const third = batcher.submit(4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toHaveLength(2);
    releases.shift()!();
    await expect(first).resolves.toBe(10);
    await expect.poll(() => batches).toEqual([[1], [2, 3], [4]]);
    for (const release of releases.splice(0)) release();
    await expect(Promise.all([...second, third])).resolves.toEqual([20, 30, 40]);
  });

  it("lets a batch that could start wait gatherMs for more while another is written", async () => {
    const { batches, releases, write } = heldWrites();
    const batcher = createWriteBatcher(write, { maxBatch: 10, maxInFlight: 2, gatherMs: 100 });
    const first = batcher.submit(1);
    await expect.poll(() => batches).toEqual([[1]]);
    const second = batcher.submit(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const third = batcher.submit(3);
    expect(batches).toEqual([[1]]);
    await expect.poll(() => batches).toEqual([[1], [2, 3]]);
    for (const release of releases.splice(0)) release();
    await expect(Promise.all([first, second, third])).resolves.toEqual([10, 20, 30]);
  });

  it("keeps batches within maxBatch", async () => {
    const { batches, releases, write } = heldWrites();
    const batcher = createWriteBatcher(write, { maxBatch: 2, maxInFlight: 1 });
    const all = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
    for (let round = 0; round < 3; round++) {
      await expect.poll(() => releases.length).toBe(1);
      releases.shift()!();
    }
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("rejects only the item the write refused", async () => {
    const batcher = createWriteBatcher(
      async (batch: readonly number[]) => batch.map((item) => (item === 2 ? new Error("taken") : item)),
      { maxBatch: 10, maxInFlight: 1 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe("taken");
  });

  it("writes each item alone when the database refuses a batch's data, so one bad item fails no other", async () => {
    const batches: number[][] = [];
    const batcher = createWriteBatcher(
      async (batch: readonly number[]) => {
        batches.push([...batch]);
        if (batch.includes(3)) {
          throw Object.assign(new Error("unsupported Unicode escape sequence"), { code: "22P05" });
        }
        return batch;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((item) => batcher.submit(item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toBe("unsupported Unicode escape sequence");
    expect(batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it("fails a whole batch at once when the database is gone, trying no item again", async () => {
    let calls = 0;
    const batcher = createWriteBatcher(
      async (_batch: readonly number[]): Promise<number[]> => {
        calls++;
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      },
      { maxBatch: 250, maxInFlight: 1 },
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, item) => batcher.submit(item)));
    expect(outcomes.every((outcome) => outcome.status === "rejected")).toBe(true);
    expect(calls).toBe(1);
  });

  it("rejects the batch's items when write answers something that is not a list", async () => {
    const batcher = createWriteBatcher(async () => undefined as unknown as number[], {
      maxBatch: 10,
      maxInFlight: 1,
    });
    await expect(batcher.submit(1)).rejects.toThrow();
  });

  it("goes on after a failed write", async () => {
    let fail = true;
    const batcher = createWriteBatcher(
      async (batch: readonly number[]) => {
        if (fail) throw new Error("database gone");
        return batch;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    await expect(batcher.submit(1)).rejects.toThrow("database gone");
    fail = false;
    await expect(batcher.submit(2)).resolves.toBe(2);
  });
});
