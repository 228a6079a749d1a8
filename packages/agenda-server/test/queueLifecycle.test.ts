import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type Agenda, createAgenda } from "../src/index";
import { clientDirectory } from "./startTestAgenda";

const started: Agenda[] = [];

function agendaOn(schema: string, errors: unknown[], extra: { stopTimeoutSeconds?: number } = {}) {
  const agenda = createAgenda({
    database: inject("databaseUrl"),
    schema,
    auth: () => null,
    clients: clientDirectory,
    ai: { baseUrl: "http://127.0.0.1:9" },
    polling: false,
    calendarSync: false,
    onError: (error) => errors.push(error),
    ...extra,
  });
  started.push(agenda);
  return agenda;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((agenda) => agenda.stop()));
});

describe("the job queue's life", () => {
  it("starts on every instance when several start at once on a fresh database", async () => {
    const schema = `test_${randomBytes(5).toString("hex")}`;
    const errors: unknown[] = [];
    const instances = [1, 2, 3].map(() => agendaOn(schema, errors));

    const outcomes = await Promise.allSettled(instances.map((agenda) => agenda.start()));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(errors).toEqual([]);
  });

  it("drops the result of a job that outlived stop()'s deadline instead of rejecting in the host", async () => {
    const schema = `test_${randomBytes(5).toString("hex")}`;
    const errors: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const agenda = agendaOn(schema, errors, { stopTimeoutSeconds: 1 });
      await agenda.start();
      await agenda.queue.createQueue("test.slow", { name: "test.slow" });
      let running = false;
      let finished = false;
      await agenda.queue.work("test.slow", { pollingIntervalSeconds: 0.5 }, async () => {
        running = true;
        await sleep(2_500);
        finished = true;
      });
      await agenda.queue.send("test.slow", {});
      while (!running) await sleep(50);

      await agenda.stop();
      expect(finished).toBe(false);
      while (!finished) await sleep(50);
      await sleep(300);

      expect(unhandled).toEqual([]);
      expect(String(errors.find((error) => String(error).includes("after agenda.stop()")))).toContain(
        "runs it again",
      );
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
