import { describe, expect, it } from "vitest";
import { seededRandom, type Random } from "../../eval/compare/random.js";
import { balanced, credit, teamDraft } from "./interleave.js";

/** A Random whose coin flips are scripted (next() < 0.5: control). */
function scripted(values: number[]): Random {
  let i = 0;
  const next = () => values[i++ % values.length]!;
  return { next, bits: () => Math.floor(next() * 2 ** 32), below: (n) => Math.floor(next() * n) };
}

describe("team-draft interleaving (Radlinski, Kurup & Joachims 2008)", () => {
  it("picks like teams, worked by hand", () => {
    // Flip 1: control first (a). Candidate is behind: b. Tie, flip 2: candidate first, its next
    // unseen is e. Control behind: b is shown, so c. Tie, flip 3: control: d.
    const result = teamDraft(
      ["a", "b", "c", "d"],
      ["b", "e", "a", "f"],
      5,
      scripted([0.1, 0.9, 0.2]),
    );
    expect(result.hits).toEqual([
      { id: "a", team: "control" },
      { id: "b", team: "candidate" },
      { id: "e", team: "candidate" },
      { id: "c", team: "control" },
      { id: "d", team: "control" },
    ]);
    expect(credit(result, new Set(["e"]), { control: [], candidate: [] })).toBe("win");
    expect(credit(result, new Set(["a", "c", "e"]), { control: [], candidate: [] })).toBe("loss");
    expect(credit(result, new Set(["a", "b"]), { control: [], candidate: [] })).toBe("tie");
    expect(credit(result, new Set(), { control: [], candidate: [] })).toBe("tie");
  });

  it("never shows a document twice, keeps each list's order, and stops when both run out", () => {
    const control = ["a", "b", "c"];
    const candidate = ["c", "b", "x"];
    for (let seed = 1; seed <= 50; seed += 1) {
      const { hits } = teamDraft(control, candidate, 10, seededRandom(seed));
      const ids = hits.map((hit) => hit.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(["a", "b", "c", "x"]);
      for (const team of ["control", "candidate"] as const) {
        const list = team === "control" ? control : candidate;
        const picked = hits.filter((hit) => hit.team === team).map((hit) => list.indexOf(hit.id));
        expect(picked).toEqual([...picked].sort((p, q) => p - q));
      }
    }
  });

  it("identical lists give each team half the picks and no preference on any click", () => {
    const list = ["a", "b", "c", "d", "e", "f"];
    const random = seededRandom(7);
    for (let i = 0; i < 20; i += 1) {
      const result = teamDraft(list, list, 6, random);
      expect(result.hits.map((hit) => hit.id)).toEqual(list);
      const control = result.hits.filter((hit) => hit.team === "control").length;
      expect(control).toBe(3);
    }
  });
});

describe("balanced interleaving (Joachims 2002)", () => {
  it("walks both lists, the one behind first, worked by hand", () => {
    const control = ["a", "b", "c"];
    const candidate = ["b", "c", "d"];
    const result = balanced(control, candidate, 10, scripted([0.1]));
    expect(result.first).toBe("control");
    expect(result.hits.map((hit) => `${hit.id}:${hit.team}`)).toEqual([
      "a:control",
      "b:candidate",
      "c:candidate",
      "d:candidate",
    ]);
    // Lowest click c: rank 3 in control, 2 in candidate, so k = 2: control's [a, b] hold no
    // click, candidate's [b, c] one.
    expect(credit(result, new Set(["c"]), { control, candidate })).toBe("win");
    // Lowest click a: rank 1 in control, absent from candidate: k = 1; control holds it.
    expect(credit(result, new Set(["a"]), { control, candidate })).toBe("loss");
    // Lowest click b: rank 2 in control, 1 in candidate: k = 1, and only candidate's top 1 has it.
    expect(credit(result, new Set(["b"]), { control, candidate })).toBe("win");
    expect(credit(result, new Set(), { control, candidate })).toBe("tie");
  });
});
