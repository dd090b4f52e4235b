import { describe, expect, it } from "vitest";
import { PairliftError } from "../../errors.js";
import { Semaphore, scoresFromAnswer } from "./base.js";

const malformed = (what: string): PairliftError => new PairliftError("E_REMOTE", `x: ${what}`);

describe("Semaphore", () => {
  it("hands a released slot to the oldest waiter, and frees it when none waits", async () => {
    const slots = new Semaphore(1);
    const order: string[] = [];
    const releaseA = await slots.acquire();
    const b = slots.acquire().then((release) => (order.push("b"), release));
    const c = slots.acquire().then((release) => (order.push("c"), release));
    expect(slots.inUse).toBe(1);
    releaseA();
    const releaseB = await b;
    expect(order).toEqual(["b"]);
    releaseB();
    releaseB(); // a second release is ignored
    const releaseC = await c;
    expect(order).toEqual(["b", "c"]);
    expect(slots.inUse).toBe(1);
    releaseC();
    expect(slots.inUse).toBe(0);
  });

  it("drops a waiter whose signal aborts, and refuses an already aborted signal", async () => {
    const slots = new Semaphore(1);
    const releaseA = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    releaseA();
    expect(slots.inUse).toBe(0);
    await expect(slots.acquire(controller.signal)).rejects.toThrow("gone");
    expect(slots.inUse).toBe(0);
  });
});

describe("scoresFromAnswer", () => {
  const shape = { list: "results", scoreKey: "relevance_score" };

  it("puts scores in input order by index", () => {
    const answer = {
      results: [
        { index: 2, relevance_score: 0.9 },
        { index: 0, relevance_score: -1.5 },
        { index: 1, relevance_score: 0 },
      ],
    };
    expect(Array.from(scoresFromAnswer(answer, 3, shape, malformed))).toEqual([-1.5, 0, 0.9]);
  });

  it("names every missing index, up to five", () => {
    expect(() => scoresFromAnswer({ results: [] }, 3, shape, malformed)).toThrow(
      "x: indices 0, 1, 2 are missing",
    );
    expect(() => scoresFromAnswer({ results: [] }, 7, shape, malformed)).toThrow(
      "x: indices 0, 1, 2, 3, 4, … (7 in all) are missing",
    );
  });

  it("rejects a negative index and a null answer", () => {
    expect(() =>
      scoresFromAnswer({ results: [{ index: -1, relevance_score: 1 }] }, 1, shape, malformed),
    ).toThrow("x: results[0].index is -1, not an integer in 0..0");
    expect(() => scoresFromAnswer(null, 1, shape, malformed)).toThrow(
      'x: expected an object with a "results" array, got null',
    );
  });
});
