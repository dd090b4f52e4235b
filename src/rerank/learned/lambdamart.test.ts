import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  meanNdcg,
  predictEnsemble,
  predictTree,
  trainLambdaMart,
  type RankingData,
  type Tree,
} from "./lambdamart.js";
import { readLearnedModel } from "./model-file.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-ltr-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/**
 * Queries of 10 candidates with two features: feature 0 is noise, feature 1 decides relevance
 * only above 0.7 (a threshold a linear scorer of feature 0 cannot find).
 */
function synthetic(queries: number, seed: number): RankingData {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const rows = queries * 10;
  const features = new Float64Array(rows * 2);
  const labels = new Float64Array(rows);
  const groups = new Uint32Array(queries + 1);
  for (let q = 0; q < queries; q += 1) {
    groups[q] = q * 10;
    for (let i = 0; i < 10; i += 1) {
      const r = q * 10 + i;
      features[r * 2] = random();
      features[r * 2 + 1] = random();
      labels[r] = features[r * 2 + 1]! > 0.7 ? (features[r * 2 + 1]! > 0.9 ? 2 : 1) : 0;
    }
  }
  groups[queries] = rows;
  return { features, featureCount: 2, labels, groups };
}

describe("LambdaMART", () => {
  it("walks a tree: ≤ threshold goes left", () => {
    const tree: Tree = {
      feature: [1, -1, -1],
      threshold: [0.5, 0, 0],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [0, -1, 3],
    };
    expect(predictTree(tree, [9, 0.5])).toBe(-1);
    expect(predictTree(tree, [9, 0.51])).toBe(3);
    expect(predictEnsemble([tree, tree], [0, 1])).toBe(6);
  });

  it("nDCG uses gains 2^label − 1 and skips queries without a relevant row", () => {
    // One query, labels [0, 2, 1]; scores rank them 1, 0, 2 → gains 3, 0, 1.
    // DCG = 3/log2(2) + 0 + 1/log2(4) = 3.5; ideal = 3 + 1/log2(3) = 3.6309.
    const data: RankingData = {
      features: new Float64Array(6),
      featureCount: 2,
      labels: Float64Array.from([0, 2, 1, 0, 0]),
      groups: Uint32Array.from([0, 3, 5]),
    };
    const ndcg = meanNdcg(data, Float64Array.from([0.5, 0.9, 0.1, 1, 2]), 10);
    expect(ndcg).toBeCloseTo(3.5 / (3 + 1 / Math.log2(3)), 10);
  });

  it("learns a threshold rule from the training queries and ranks unseen queries by it", () => {
    const train = synthetic(200, 7);
    const test = synthetic(100, 99);
    const ensemble = trainLambdaMart(train, { trees: 30, learningRate: 0.3, validation: test });
    const scores = new Float64Array(test.labels.length);
    for (let r = 0; r < scores.length; r += 1)
      scores[r] = predictEnsemble(ensemble.trees, test.features, r * 2);
    const random = meanNdcg(
      test,
      Float64Array.from(test.features.filter((_, i) => i % 2 === 0)),
      10,
    );
    expect(meanNdcg(test, scores, 10)).toBeGreaterThan(0.95);
    expect(random).toBeLessThan(0.8);
    // The first tree's root splits on the informative feature, near its 0.7 threshold.
    expect(ensemble.trees[0]!.feature[0]).toBe(1);
    expect(ensemble.trees[0]!.threshold[0]).toBeGreaterThan(0.6);
  });

  it("keeps every tree without validation data, and stops early with it", () => {
    expect(trainLambdaMart(synthetic(50, 3), { trees: 12 }).trees).toHaveLength(12);
    const stopped = trainLambdaMart(synthetic(50, 3), {
      trees: 200,
      learningRate: 0.5,
      patience: 5,
      validation: synthetic(50, 4),
    });
    expect(stopped.trees.length).toBeLessThan(200);
  });

  it("refuses empty training data", () => {
    const empty: RankingData = {
      features: new Float64Array(0),
      featureCount: 2,
      labels: new Float64Array(0),
      groups: Uint32Array.from([0]),
    };
    expect(() => trainLambdaMart(empty)).toThrow(/no training rows/);
  });
});

describe("learned model files", () => {
  const valid = {
    format: "pairlift-learned-reranker",
    version: 1,
    kind: "lambdamart",
    features: ["a", "b"],
    trees: [
      {
        feature: [1, -1, -1],
        threshold: [0.5, 0, 0],
        left: [1, -1, -1],
        right: [2, -1, -1],
        value: [0, 1, 2],
      },
    ],
    training: {},
  };

  it("reads a valid model", async () => {
    await writeFile(join(tmp, "ok.json"), JSON.stringify(valid));
    const model = await readLearnedModel(join(tmp, "ok.json"));
    expect(model.trees).toHaveLength(1);
  });

  it("names the file and the problem for missing, malformed and inconsistent models", async () => {
    await expect(readLearnedModel(join(tmp, "absent.json"))).rejects.toThrow(
      /not found.*train-reranker/,
    );
    await writeFile(join(tmp, "bad.json"), "{");
    await expect(readLearnedModel(join(tmp, "bad.json"))).rejects.toThrow(
      /bad\.json.*malformed JSON/,
    );
    const wrongFeature = { ...valid, trees: [{ ...valid.trees[0]!, feature: [5, -1, -1] }] };
    await writeFile(join(tmp, "feature.json"), JSON.stringify(wrongFeature));
    await expect(readLearnedModel(join(tmp, "feature.json"))).rejects.toThrow(
      /names feature 5, but the model has 2/,
    );
    const cycle = { ...valid, trees: [{ ...valid.trees[0]!, left: [0, -1, -1] }] };
    await writeFile(join(tmp, "cycle.json"), JSON.stringify(cycle));
    await expect(readLearnedModel(join(tmp, "cycle.json"))).rejects.toThrow(
      /points outside the tree/,
    );
    await writeFile(join(tmp, "format.json"), JSON.stringify({ ...valid, version: 2 }));
    await expect(readLearnedModel(join(tmp, "format.json"))).rejects.toThrow(/version/);
  });
});
