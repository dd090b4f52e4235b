import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config-file.js";
import { DEMO_DATASET, expandFusionEntry, resolveLabSettings } from "./lab-config.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-lab-config-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function configFile(text: string): Promise<string> {
  const path = join(tmp, `lab-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  return path;
}

describe("lab settings", () => {
  it("defaults with no config: the demo, every offline embedder, rrf and tuned fusion, none and learned", async () => {
    const settings = resolveLabSettings(await loadConfig());
    expect(settings.dataset).toBe(DEMO_DATASET);
    expect(settings.split).toBe("test");
    expect(settings.trainSplit).toBe("train");
    expect(settings.firstStages).toEqual([
      "bm25",
      "hybrid:use",
      "hybrid:glove",
      "hybrid:use+glove",
    ]);
    expect(settings.fusion).toEqual([{ method: "rrf", k: 60 }, "tuned"]);
    expect(settings.rerankers).toEqual(["none", "learned"]);
    expect(settings.depths).toEqual([100]);
    expect(settings.rerankDepths).toEqual([50]);
    expect(settings.metric).toBe("ndcg@10");
    expect(settings.metrics).toEqual(["ndcg@10", "mrr@10", "recall@100", "map@100", "p@10"]);
    expect(settings.gate).toEqual({ metric: "ndcg@10", alpha: 0.05, minQueries: 10, critical: {} });
    expect(settings.judgedThreshold).toBe(0.1);
    expect(settings.out).toBe("pairlift-report");
  });

  it("takes the judged@10 warning threshold from lab.judgedThreshold, refusing one above 1", async () => {
    const settings = resolveLabSettings(
      await loadConfig(await configFile("lab:\n  judgedThreshold: 0.05\n")),
    );
    expect(settings.judgedThreshold).toBe(0.05);
    await expect(
      loadConfig(await configFile("lab:\n  judgedThreshold: 2\n")).then(resolveLabSettings),
    ).rejects.toThrow(/judgedThreshold/);
  });

  it("sweeps the exact-match guard on only unless lab.guard asks for both", async () => {
    expect(resolveLabSettings(await loadConfig(await configFile("lab: {}\n"))).guards).toEqual([
      true,
    ]);
    const both = resolveLabSettings(
      await loadConfig(await configFile("lab:\n  guard: [on, off]\n")),
    );
    expect(both.guards).toEqual([true, false]);
    await expect(
      loadConfig(await configFile("lab:\n  guard: [maybe]\n")).then(resolveLabSettings),
    ).rejects.toThrow(/lab\.guard\.0/);
  });

  it("leaves hosted embedders and rerankers out of the defaults, keeps offline ones", async () => {
    const config = await loadConfig(
      await configFile(
        [
          "embedders:",
          "  oa: { provider: openai, model: text-embedding-3-small }",
          "  local: { provider: onnx, model: ./m }",
          "rerankers:",
          "  co: { provider: cohere, model: rerank-v3.5 }",
          "  ce: { provider: onnx-cross-encoder, model: ./ce }",
        ].join("\n"),
      ),
    );
    const settings = resolveLabSettings(config);
    expect(settings.firstStages).toEqual([
      "bm25",
      "hybrid:use",
      "hybrid:glove",
      "hybrid:local",
      "hybrid:use+glove+local",
    ]);
    expect(settings.rerankers).toEqual(["none", "learned", "ce"]);
  });

  it("resolves the config's paths against its folder and lets flags win", async () => {
    const file = await configFile(
      "lab:\n  dataset: .\n  out: ./reports\n  lexicalOnly: false\n  denseOnly: true\n  combineEmbedders: false\n  embedders: [glove]\n",
    );
    const config = await loadConfig(file);
    const settings = resolveLabSettings(config);
    expect(settings.dataset).toBe(tmp);
    expect(settings.out).toBe(join(tmp, "reports"));
    expect(settings.firstStages).toEqual(["hybrid:glove", "dense:glove"]);
    const flagged = resolveLabSettings(config, { dataset: DEMO_DATASET, out: "x", maxQueries: 5 });
    expect([flagged.dataset, flagged.out, flagged.maxQueries]).toEqual([DEMO_DATASET, "x", 5]);
  });

  it("with trainSplit null, leaves tuned fusion and the learned reranker out of the defaults", async () => {
    const settings = resolveLabSettings(
      await loadConfig(await configFile("lab:\n  trainSplit: null\n")),
    );
    expect(settings.fusion).toEqual([{ method: "rrf", k: 60 }]);
    expect(settings.rerankers).toEqual(["none"]);
  });

  it("names the config path of every mistake", async () => {
    const check = async (yaml: string, message: RegExp): Promise<void> => {
      const file = await configFile(yaml);
      const config = await loadConfig(file);
      expect(() => resolveLabSettings(config)).toThrow(message);
    };
    await check(
      "lab:\n  embedders: [nope]\n",
      /field "lab\.embedders\.0": unknown embedder "nope"/,
    );
    await check(
      "lab:\n  fusion: [{ method: rrf, k: -1 }]\n",
      /lab\.fusion\.0\.k: Too small: expected number to be >0/,
    );
    await check("lab:\n  fusion: [{ method: borda }]\n", /lab\.fusion\.0: expected tuned/);
    await check(
      "lab:\n  rerankers: [none, minilm]\n",
      /field "lab\.rerankers\.1": unknown reranker "minilm"/,
    );
    await check("lab:\n  depth: 10\n", /lab: Unrecognized key: "depth"/);
    await check("lab:\n  metrics: [ndcg@ten]\n", /field "lab\.metrics"/);
    await check(
      "lab:\n  trainSplit: null\n  rerankers: [learned]\n",
      /lab\.rerankers\.0.*trainSplit/,
    );
    await check(
      "lab:\n  prices: { nothing: 1 }\n",
      /lab\.prices\.nothing.*neither an embedder nor a reranker/,
    );
    await check("lab:\n  gate: { alpha: 2 }\n", /lab\.gate\.alpha/);
    await check("lab:\n  dataset: ./missing\n", /field "lab\.dataset": dataset folder not found/);
  });

  it("reads prices as per 1M tokens or per 1,000 queries", async () => {
    const config = await loadConfig(
      await configFile(
        "embedders:\n  oa: { provider: openai, model: m }\nlab:\n  prices: { oa: 0.02, glove: { perThousandQueries: 0.5 } }\n",
      ),
    );
    expect(resolveLabSettings(config).prices).toEqual({
      oa: { perMillionTokens: 0.02, perThousandQueries: 0 },
      glove: { perMillionTokens: 0, perThousandQueries: 0.5 },
    });
  });

  it("expands a fusion entry's parameter lists", () => {
    expect(expandFusionEntry({ method: "rrf", k: [20, 60] })).toEqual([
      { method: "rrf", k: 20 },
      { method: "rrf", k: 60 },
    ]);
    expect(
      expandFusionEntry({
        method: "weighted",
        normalization: ["minmax", "zscore"],
        weights: { lexical: 1 },
      }),
    ).toEqual([
      { method: "weighted", normalization: "minmax", weights: { lexical: 1 } },
      { method: "weighted", normalization: "zscore", weights: { lexical: 1 } },
    ]);
    expect(expandFusionEntry({ method: "weighted" })).toEqual([{ method: "weighted" }]);
    expect(expandFusionEntry("tuned")).toEqual(["tuned"]);
    expect(expandFusionEntry({ tuned: "f.json" })).toEqual([{ tuned: "f.json" }]);
  });
});
