import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateDataset } from "../src/eval/evaluate-dataset.js";
import { sharedPath } from "./support/shared.js";

/**
 * BM25 quality on real BEIR test splits, against Anserini's flat baselines (SciFact 0.6789,
 * NFCorpus 0.3218 nDCG@10; targets 0.665 and 0.320).
 */
const cacheRoot = await mkdtemp(join(tmpdir(), "pairlift-quality-"));
afterAll(() => rm(cacheRoot, { recursive: true, force: true }));

const targets = [
  { name: "scifact", ndcg: 0.665, recall: 0.9 },
  { name: "nfcorpus", ndcg: 0.32, recall: 0.24 },
];

for (const target of targets) {
  const data = sharedPath(`data/beir/${target.name}`);
  describe.skipIf(!data.present)(`BM25 on BEIR ${target.name} (test split)`, () => {
    it(`reaches nDCG@10 ≥ ${target.ndcg}`, async () => {
      const { report } = await evaluateDataset({ dataset: data.path, cacheRoot });
      expect(report.queries).toBeGreaterThan(250);
      expect(report.aggregate["ndcg@10"]).toBeGreaterThanOrEqual(target.ndcg);
      expect(report.aggregate["recall@100"]).toBeGreaterThanOrEqual(target.recall);
    });
  });
}
