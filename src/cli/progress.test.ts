import { describe, expect, it } from "vitest";
import { bufferIO } from "./io.js";
import { progressLine, secondsLeft, stagedProgress, startProgress } from "./progress.js";

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe("progress estimates", () => {
  it("stay within a small factor between updates when items finish in bursts", () => {
    // 1,000 items in batches of 50 that finish together, a 2 s pause before each batch (how
    // embedding batches and pipelined queries report).
    const total = 1_000;
    let elapsed = 0;
    let done = 0;
    const estimates: number[] = [];
    while (done < total - 50) {
      elapsed += 2_000;
      for (let i = 0; i < 50; i += 1) {
        done += 1;
        elapsed += 0.1;
        const left = secondsLeft(done, total, elapsed);
        if (left !== undefined) estimates.push(left);
      }
    }
    expect(estimates.length).toBeGreaterThan(900);
    for (let i = 1; i < estimates.length; i += 1) {
      const ratio = estimates[i - 1]! / estimates[i]!;
      expect(ratio).toBeGreaterThan(1 / 3);
      expect(ratio).toBeLessThan(3);
    }
    // And they are right: at half way, about as long again as it has taken.
    expect(secondsLeft(500, 1_000, 20_000)).toBe(20);
  });

  it("gives none before a second has passed, at the end, or without a total", () => {
    expect(secondsLeft(10, 100, 500)).toBeUndefined();
    expect(secondsLeft(100, 100, 5_000)).toBeUndefined();
    expect(secondsLeft(10, 0, 5_000)).toBeUndefined();
  });

  it("draws a bar, the rate and the time left", () => {
    expect(progressLine("queries", 150, 300, 3_000)).toBe(
      "queries [████████████░░░░░░░░░░░░] 50% 150/300 · 50/s · about 3 s left",
    );
    expect(progressLine("index", 12_345, 0, 2_000)).toBe("index 12,345 · 6,173/s");
  });
});

describe("progress lines", () => {
  it("redraw one terminal line and clear it at the end", () => {
    const io = { ...bufferIO(), interactive: true };
    const time = clock();
    const progress = startProgress(io, "queries", 10, time.now);
    progress.update(1);
    time.advance(10);
    progress.update(2); // within 100 ms of the last draw: skipped
    time.advance(200);
    progress.update(3);
    progress.stop();
    expect(io.err()).toBe(
      "\r\x1b[2Kqueries [██░░░░░░░░░░░░░░░░░░░░░░] 10% 1/10" +
        "\r\x1b[2Kqueries [███████░░░░░░░░░░░░░░░░░] 30% 3/10" +
        "\r\x1b[2K",
    );
  });

  it("without a terminal, say nothing for a short stage and a line every 10 s for a long one", () => {
    const io = bufferIO();
    const time = clock();
    const quick = startProgress(io, "quick", 100, time.now);
    for (let i = 1; i <= 100; i += 1) {
      time.advance(50);
      quick.update(i);
    }
    quick.stop();
    expect(io.err()).toBe("");
    const slow = startProgress(io, "slow", 100, time.now);
    for (let i = 1; i <= 100; i += 1) {
      time.advance(250);
      slow.update(i);
    }
    slow.stop();
    expect(io.err().split("\n")).toEqual([
      "slow [██████████░░░░░░░░░░░░░░] 40% 40/100 · 4.0/s · about 15 s left",
      "slow [███████████████████░░░░░] 80% 80/100 · 4.0/s · about 5 s left",
      "slow 100/100 done in 25 s",
      "",
    ]);
  });

  it("start a line per stage, the index stage included", () => {
    const io = { ...bufferIO(), interactive: true };
    const staged = stagedProgress(io, clock().now);
    staged.onProgress("index", 5, 0);
    staged.onProgress("queries", 1, 2);
    staged.stop();
    expect(io.err()).toBe(
      "\r\x1b[2Kindex 5\r\x1b[2K\r\x1b[2Kqueries [████████████░░░░░░░░░░░░] 50% 1/2\r\x1b[2K",
    );
  });
});
