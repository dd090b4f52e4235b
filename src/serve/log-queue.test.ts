import { describe, expect, it } from "vitest";
import { LogQueue } from "./log-queue.js";

describe("LogQueue", () => {
  it("writes a batch when batchSize rows wait, and the rest after flushMs, without being asked", async () => {
    const batches: number[][] = [];
    const queue = new LogQueue<number>((rows) => batches.push([...rows]), {
      capacity: 100,
      batchSize: 3,
      flushMs: 20,
    });
    for (const row of [1, 2, 3, 4]) expect(queue.push(row)).toBe(true);
    expect(batches).toEqual([]); // nothing is written on the caller's turn
    await expect.poll(() => batches).toEqual([[1, 2, 3, 4]]);
    queue.push(5);
    await expect.poll(() => batches).toEqual([[1, 2, 3, 4], [5]]);
    expect(queue.stats()).toEqual({
      queued: 0,
      written: 5,
      dropped: 0,
      failedWrites: 0,
      flushes: 2,
    });
  });

  it("drops and counts rows beyond its capacity, never throwing to the caller", () => {
    const written: number[] = [];
    const queue = new LogQueue<number>((rows) => written.push(...rows), {
      capacity: 2,
      batchSize: 100,
      flushMs: 60_000,
    });
    expect([1, 2, 3, 4].map((row) => queue.push(row))).toEqual([true, true, false, false]);
    expect(queue.stats()).toMatchObject({ queued: 2, dropped: 2 });
    queue.close();
    expect(written).toEqual([1, 2]);
    expect(queue.push(5)).toBe(false); // closed: counted as dropped
    expect(queue.stats()).toMatchObject({ queued: 0, written: 2, dropped: 3 });
  });

  it("keeps the rows of a failed write, in order, and writes them on the next flush", () => {
    let fail = true;
    const written: number[] = [];
    const errors: unknown[] = [];
    const queue = new LogQueue<number>(
      (rows) => {
        if (fail) throw new Error("database is locked");
        written.push(...rows);
      },
      { capacity: 10, batchSize: 100, flushMs: 60_000 },
      (error) => errors.push(error),
    );
    queue.push(1);
    queue.push(2);
    expect(() => queue.flush()).toThrow("database is locked");
    queue.push(3);
    expect(queue.pending()).toEqual([1, 2, 3]);
    fail = false;
    queue.flush();
    expect(written).toEqual([1, 2, 3]);
    expect(queue.stats()).toEqual({
      queued: 0,
      written: 3,
      dropped: 0,
      failedWrites: 1,
      flushes: 1,
    });
  });

  it("retries a failed timed flush later and reports the error", async () => {
    let attempts = 0;
    const written: number[] = [];
    const errors: string[] = [];
    const queue = new LogQueue<number>(
      (rows) => {
        attempts += 1;
        if (attempts === 1) throw new Error("disk I/O error");
        written.push(...rows);
      },
      { capacity: 10, batchSize: 100, flushMs: 1 },
      (error) => errors.push((error as Error).message),
    );
    queue.push(7);
    await expect.poll(() => written).toEqual([7]);
    expect(errors).toEqual(["disk I/O error"]);
    expect(queue.stats()).toMatchObject({ failedWrites: 1, written: 1, queued: 0 });
  });
});
