import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBeirSplit } from "../io/beir.js";
import { buildProbeSet, verifyProbeDataset, writeProbeSet } from "./probe.js";
import { identifierVariants } from "./probe/variants.js";

describe("identifier variants", () => {
  it("writes every format a user types", () => {
    const variants = identifierVariants("KT-2040", {
      template: "looking for {id}",
      isUnambiguous: () => true,
    });
    expect(variants.map((v) => [v.type, v.text])).toEqual([
      ["bare", "KT-2040"],
      ["sentence", "looking for KT-2040"],
      ["case", "kt-2040"],
      ["no-separator", "KT2040"],
      ["spaced", "KT 2040"],
      ["drop-first", "T-2040"],
      ["drop-last", "KT-204"],
    ]);
  });

  it("adds a hyphen between letter and digit runs, and skips ambiguous or short drops", () => {
    const variants = identifierVariants("wd1680", {
      template: "what is known about {id}",
      isUnambiguous: (key) => key !== "wd168",
    });
    expect(variants.map((v) => [v.type, v.text])).toEqual([
      ["bare", "wd1680"],
      ["sentence", "what is known about wd1680"],
      ["case", "WD1680"],
      ["hyphenated", "wd-1680"],
      ["spaced", "wd 1680"],
      ["drop-first", "d1680"],
    ]);
    // p53 → "53" and "p5" are too short to mean one thing; 12345678 has no case.
    expect(
      identifierVariants("p53", { template: "{id}", isUnambiguous: () => true }).map((v) => v.type),
    ).toEqual(["bare", "case", "hyphenated", "spaced"]);
    expect(
      identifierVariants("12345678", { template: "see {id}", isUnambiguous: () => true }).map(
        (v) => v.text,
      ),
    ).toEqual(["12345678", "see 12345678", "2345678", "1234567"]);
  });
});

const tmp = await mkdtemp(join(tmpdir(), "pairlift-probe-"));
const dataset = join(tmp, "catalogue");

beforeAll(async () => {
  await mkdir(join(dataset, "qrels"), { recursive: true });
  const corpus = [
    { _id: "d1", title: "Kestrel KT-2040 drill", text: "Cordless, 18V, 2x4 rated." },
    { _id: "d2", title: "Kestrel KT-2040X hammer drill", text: "Sibling of the kt2040." },
    { _id: "d3", title: "Filter", text: "Fits the WD1680 vacuum and the ZX9." },
    ...[4, 5, 6, 7].map((i) => ({ _id: `d${i}`, title: `ZX9 part ${i}`, text: "" })),
  ];
  await writeFile(
    join(dataset, "corpus.jsonl"),
    corpus.map((d) => JSON.stringify(d)).join("\n") + "\n",
  );
  await writeFile(join(dataset, "queries.jsonl"), '{"_id":"q1","text":"drill"}\n');
  await writeFile(join(dataset, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("probe sets", () => {
  it("samples rare identifiers and judges the documents holding them", async () => {
    const probe = await buildProbeSet({ dataset, out: join(tmp, "p"), seed: 3 });
    // Candidates: kt2040 (d1, d2 as KT-2040 and kt2040), kt2040x, wd1680; ZX9 is in 5
    // documents; 18V and 2x4 are sizes.
    expect(probe.manifest.candidates).toBe(3);
    expect(probe.manifest.identifiers).toBe(3);
    const byIdentifier = new Map<string, string[]>();
    for (const query of probe.queries) {
      const identifier = query.metadata!["identifier"] as string;
      byIdentifier.set(identifier, [...(byIdentifier.get(identifier) ?? []), query.text]);
    }
    expect([...byIdentifier.keys()]).toEqual(["KT-2040", "KT-2040X", "WD1680"]);
    // t2040 and kt204 are inside another token (kt2040x), so KT-2040 gets no drop variant;
    // KT-2040X loses its X only ambiguously (kt2040 is a token), its K unambiguously.
    expect(byIdentifier.get("KT-2040")!.filter((text) => !text.includes(" "))).toEqual([
      "KT-2040",
      "kt-2040",
      "KT2040",
    ]);
    expect(byIdentifier.get("KT-2040X")).toContain("T-2040X");
    expect(byIdentifier.get("KT-2040X")).not.toContain("KT-2040");
    expect(byIdentifier.get("WD1680")).toContain("WD168");
    const first = probe.queries.find((query) => query.text === "KT-2040")!;
    expect(first.id).toBe("probe-0001-bare");
    expect(first.metadata).toEqual({ tags: ["bare"], identifier: "KT-2040" });
    expect([...probe.qrels.get(first.id)!]).toEqual([
      ["d1", 1],
      ["d2", 1],
    ]);
    const wd = probe.queries.find((query) => query.text === "WD1680")!;
    expect([...probe.qrels.get(wd.id)!]).toEqual([["d3", 1]]);
    expect(probe.manifest.corpus).toBe("../catalogue/corpus.jsonl");
  });

  it("limits the sample and is reproducible", async () => {
    const one = await buildProbeSet({ dataset, out: join(tmp, "p"), seed: 5, maxIdentifiers: 1 });
    expect(one.manifest.identifiers).toBe(1);
    const again = await buildProbeSet({ dataset, out: join(tmp, "p"), seed: 5, maxIdentifiers: 1 });
    expect(again.queries).toEqual(one.queries);
    const picks = new Set<string>();
    for (let seed = 0; seed < 12; seed += 1) {
      const probe = await buildProbeSet({ dataset, out: join(tmp, "p"), seed, maxIdentifiers: 1 });
      picks.add(probe.queries[0]!.text);
    }
    // Different seeds pick different identifiers.
    expect(picks.size).toBeGreaterThan(1);
  });

  it("is read as a BEIR split whose corpus is the source's, and notices a changed corpus", async () => {
    const out = join(tmp, "written");
    const manifest = await writeProbeSet({ dataset, out, seed: 3 });
    const split = await loadBeirSplit(out, "test");
    expect(split.paths.corpus).toBe(join(dataset, "corpus.jsonl"));
    expect(split.queries).toHaveLength(manifest.queries);
    await expect(verifyProbeDataset(out)).resolves.toBeUndefined();
    const manifestText = await readFile(join(out, "probe.json"), "utf8");
    await writeFile(
      join(out, "probe.json"),
      manifestText.replace(/"corpusSha256": "[0-9a-f]+"/, `"corpusSha256": "${"0".repeat(64)}"`),
    );
    await expect(verifyProbeDataset(out)).rejects.toThrow(
      /probe\.json: field "corpusSha256": the corpus .* changed since this probe set was generated/,
    );
    await expect(writeProbeSet({ dataset, out: dataset })).rejects.toThrow(/holds a corpus\.jsonl/);
  });
});
