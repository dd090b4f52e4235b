import { describe, expect, it } from "vitest";
import { dominates, paretoFront } from "./pareto.js";

describe("Pareto fronts", () => {
  it("keeps the configurations nothing beats on both quality and cost, cheapest first", () => {
    const points = [
      { id: "a", quality: 0.8, cost: 10 },
      { id: "b", quality: 0.7, cost: 2 }, // cheapest
      { id: "c", quality: 0.75, cost: 12 }, // a is better and cheaper
      { id: "d", quality: 0.9, cost: 30 }, // best
      { id: "e", quality: 0.7, cost: 5 }, // b: same quality, cheaper
      { id: "f", quality: 0.85, cost: 30 }, // d: same cost, better
    ];
    expect(paretoFront(points)).toEqual({ front: ["b", "a", "d"], unplaced: [] });
  });

  it("keeps exact ties together and sets unplaceable points apart", () => {
    const points = [
      { id: "x", quality: 0.5, cost: 1 },
      { id: "y", quality: 0.5, cost: 1 },
      { id: "z", quality: 0.6, cost: Number.NaN },
      { id: "w", quality: Number.POSITIVE_INFINITY, cost: 1 },
    ];
    expect(paretoFront(points)).toEqual({ front: ["x", "y"], unplaced: ["z", "w"] });
    expect(paretoFront([])).toEqual({ front: [], unplaced: [] });
  });

  it("dominance needs one strict improvement", () => {
    const a = { id: "a", quality: 0.5, cost: 1 };
    expect(dominates(a, { id: "b", quality: 0.5, cost: 1 })).toBe(false);
    expect(dominates(a, { id: "b", quality: 0.4, cost: 1 })).toBe(true);
    expect(dominates(a, { id: "b", quality: 0.5, cost: 2 })).toBe(true);
    expect(dominates(a, { id: "b", quality: 0.6, cost: 2 })).toBe(false);
  });
});
