import { describe, expect, it } from "vitest";
import { seededRandom } from "../compare/random.js";
import { fitPositionBasedModel, judgmentsFromModel, type ClickSession } from "./position-based.js";

describe("position-based click model", () => {
  it("recovers examination and attractiveness from simulated clicks", () => {
    // One query, four documents with known attractiveness, shown in rotating orders so every
    // document is seen at every rank; examination falls with rank.
    const alpha: Record<string, number> = { a: 0.9, b: 0.6, c: 0.3, d: 0.05 };
    const gamma = [1, 0.6, 0.35, 0.2];
    const orders = [
      ["a", "b", "c", "d"],
      ["b", "c", "d", "a"],
      ["c", "d", "a", "b"],
      ["d", "a", "b", "c"],
    ];
    const random = seededRandom(3);
    const sessions: ClickSession[] = [];
    for (let i = 0; i < 8000; i += 1) {
      const shown = orders[i % 4]!;
      const clicked = new Set(
        shown.filter((id, rank) => random.next() < gamma[rank]! * alpha[id]!),
      );
      sessions.push({ query: "q", shown, clicked });
    }
    const model = fitPositionBasedModel(sessions, { iterations: 200 });
    // Rank 1 is examined always (the scale PBM leaves free), as simulated.
    gamma.forEach((g, rank) => expect(model.examination[rank]!).toBeCloseTo(g, 1));
    const fitted = model.attractiveness.get("q")!;
    for (const [id, value] of Object.entries(alpha))
      expect(fitted.get(id)!.alpha).toBeCloseTo(value, 1);
  });

  it("a document skipped at rank 1 counts against it more than one skipped at rank 4", () => {
    const sessions: ClickSession[] = [];
    for (let i = 0; i < 200; i += 1) {
      // x and y are never clicked; x is always at the top, y always at the bottom.
      sessions.push({ query: "q", shown: ["x", "r1", "r2", "y"], clicked: new Set(["r1"]) });
      sessions.push({ query: "q", shown: ["r2", "r1", "z", "y"], clicked: new Set(["r2", "r1"]) });
    }
    const model = fitPositionBasedModel(sessions);
    const fitted = model.attractiveness.get("q")!;
    expect(fitted.get("y")!.alpha).toBeGreaterThan(fitted.get("x")!.alpha);
    const judgments = judgmentsFromModel(model, { minImpressions: 3 });
    const grade = (id: string) => judgments.find((j) => j.document === id)?.grade;
    expect(grade("r1")).toBe(2);
    expect(grade("x")).toBe(0);
    expect(judgments.find((j) => j.document === "r1")).toMatchObject({
      impressions: 400,
      clicks: 400,
    });
  });
});
