/**
 * Groups writes the way a database groups commits. Writes submitted in one round of I/O go together in
 * one call of `write`; while `maxInFlight` batches are being written, new writes wait and go together
 * in the next one, so under load many writes cost one transaction and a write alone starts at once.
 * `write` answers each item with its value or an Error (a refusal that is that item's alone). When
 * `write` throws a data error (Postgres classes 22 and 23: a value or a row the database refuses),
 * each item of the batch is written again alone, so one bad item never fails the others; any other
 * failure (the database gone, a timeout) fails the whole batch at once, so an outage costs one attempt,
 * not one per item.
 */
export function createWriteBatcher<Item, Value>(
  write: (batch: readonly Item[]) => Promise<readonly (Value | Error)[]>,
  options: {
    maxBatch: number;
    maxInFlight: number;
    /**
     * While a batch is being written and another could start, how long it waits for more writes to
     * join it: fewer, fuller commits under a steady stream (webhooks), at that cost in latency.
     * @default 0 (starts after the current round of I/O)
     */
    gatherMs?: number;
  },
) {
  interface Waiting {
    item: Item;
    resolve: (value: Value) => void;
    reject: (error: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function settle(batch: Waiting[]): Promise<void> {
    let outcomes: readonly (Value | Error)[];
    try {
      outcomes = await write(batch.map(({ item }) => item));
    } catch (error) {
      if (batch.length === 1 || !isDataError(error)) {
        for (const { reject } of batch) reject(error);
        return;
      }
      for (const one of batch) await settle([one]);
      return;
    }
    for (const [index, { resolve, reject }] of batch.entries()) {
      const outcome = outcomes[index];
      if (outcome instanceof Error) reject(outcome);
      else if (index >= outcomes.length) reject(new Error("the batch write gave no answer for this item"));
      else resolve(outcome as Value);
    }
  }

  // Started after the current round of I/O, so the requests read in it go in one batch.
  function schedule() {
    if (scheduled || inFlight >= options.maxInFlight || waiting.length === 0) return;
    scheduled = true;
    if (inFlight > 0 && options.gatherMs && waiting.length < options.maxBatch) {
      setTimeout(start, options.gatherMs);
    } else {
      setImmediate(start);
    }
  }

  function start() {
    scheduled = false;
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, options.maxBatch);
      waiting = waiting.slice(options.maxBatch);
      inFlight++;
      settle(batch)
        .catch((error: unknown) => {
          for (const { reject } of batch) reject(error);
        })
        .finally(() => {
          inFlight--;
          schedule();
        });
    }
  }

  return {
    submit(item: Item): Promise<Value> {
      return new Promise<Value>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}

/** A failure that one item can cause: Postgres SQLSTATE class 22 (data exception) or 23 (integrity). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
}
