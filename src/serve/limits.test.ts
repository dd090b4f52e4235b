import { describe, expect, it } from "vitest";
import { Timeouts } from "./limits.js";

const never = new Promise<string>(() => undefined);

describe("Timeouts", () => {
  it("answers with the work's value, or with a time-out once its wait has passed", async () => {
    const timeouts = new Timeouts(30);
    const fast = timeouts.within(Promise.resolve("fast"));
    const slow = timeouts.within(never);
    const later = new Promise<string>((resolve) => setTimeout(() => resolve("later"), 5));
    const inTime = timeouts.within(later);
    expect(await fast).toEqual({ done: true, value: "fast" });
    expect(await inTime).toEqual({ done: true, value: "later" });
    expect(await slow).toEqual({ done: false });
  });

  it("passes a failure on, and times out each of many waits with one timer", async () => {
    const timeouts = new Timeouts(20);
    await expect(timeouts.within(Promise.reject(new Error("model crashed")))).rejects.toThrow(
      "model crashed",
    );
    const waits = Array.from({ length: 50 }, (_, i) =>
      timeouts.within<unknown>(i % 2 === 0 ? never : Promise.resolve(i)),
    );
    const outcomes = await Promise.all(waits);
    expect(outcomes.filter((outcome) => !outcome.done)).toHaveLength(25);
    expect(outcomes[1]).toEqual({ done: true, value: 1 });
    // A wait that starts after the others expired still gets its own full wait.
    expect(await timeouts.within(never)).toEqual({ done: false });
  });
});
