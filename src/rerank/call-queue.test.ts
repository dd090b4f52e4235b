import { describe, expect, it } from "vitest";
import { CallQueue } from "./call-queue.js";

/** A task that runs until released, recording when it starts. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    task: async () => {
      log.push(`start ${name}`);
      await opened;
      log.push(`end ${name}`);
      return name;
    },
    open,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("CallQueue", () => {
  it("runs at most `limit` calls at once, the rest in arrival order", async () => {
    const queue = new CallQueue(2);
    const log: string[] = [];
    const gates = ["a", "b", "c", "d"].map((name) => gate(log, name));
    const results = gates.map((g) => queue.run(g.task));
    await tick();
    expect(log).toEqual(["start a", "start b"]);
    expect(queue.pending).toBe(4);
    gates[1]!.open();
    await tick();
    expect(log).toEqual(["start a", "start b", "end b", "start c"]);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
    expect(queue.pending).toBe(0);
  });

  it("takes an aborted waiting call out of the queue at once", async () => {
    const queue = new CallQueue(1);
    const log: string[] = [];
    const [a, b, c] = ["a", "b", "c"].map((name) => gate(log, name));
    const controller = new AbortController();
    const first = queue.run(a!.task);
    const second = queue.run(b!.task, controller.signal);
    const third = queue.run(c!.task);
    controller.abort(new Error("late"));
    await expect(second).rejects.toThrow("late");
    expect(queue.pending).toBe(2);
    a!.open();
    c!.open();
    expect(await first).toBe("a");
    expect(await third).toBe("c");
    expect(log).toEqual(["start a", "end a", "start c", "end c"]);
  });

  it("refuses an already aborted call, and frees its place when a task fails", async () => {
    const queue = new CallQueue(1);
    await expect(
      queue.run(() => Promise.resolve(1), AbortSignal.abort(new Error("no"))),
    ).rejects.toThrow("no");
    await expect(queue.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await queue.run(() => Promise.resolve(2))).toBe(2);
    expect(queue.pending).toBe(0);
  });

  it("resolves idle() once nothing runs or waits", async () => {
    const queue = new CallQueue(1);
    await queue.idle();
    const log: string[] = [];
    const [a, b] = ["a", "b"].map((name) => gate(log, name));
    void queue.run(a!.task);
    void queue.run(b!.task);
    let idle = false;
    void queue.idle().then(() => {
      idle = true;
    });
    a!.open();
    await tick();
    expect(idle).toBe(false);
    b!.open();
    await tick();
    expect(idle).toBe(true);
  });
});
