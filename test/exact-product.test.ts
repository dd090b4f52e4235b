import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type PairliftConfig } from "../src/config/config-file.js";
import type { EmbedOptions, Embedder } from "../src/dense/embedder.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { createPipeline, type PipelineContext } from "../src/pipeline/pipeline.js";
import type { Reranker } from "../src/rerank/reranker.js";
import { buildIndex, type OpenIndex } from "../src/store/index-store.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";

/**
 * Exact product first (issue 13) on a catalogue written by hand, where each product has
 * accessories, kits and replacement parts whose titles and texts name it, and sibling SKUs that
 * share its prefix. Before: `KT-2040` came 3rd after `KT-2040X` and `KT-BH20`, `WD1680` gave the
 * replacement cartridge, `x100` the filter, `bsr18v55` the kit.
 */
const CATALOGUE = [
  [
    "p01",
    "KT-2040",
    "Kestrel KT-2040 18V Brushless Drill Driver",
    "Compact drill driver, 1/2 in. chuck.",
  ],
  [
    "p02",
    "KT-2040X",
    "Kestrel KT-2040X 18V Brushless Drill Driver Kit",
    "The KT-2040 with two batteries and a charger.",
  ],
  [
    "p03",
    "KT-BH20",
    "Kestrel KT-BH20 Steel Belt Hook",
    "Fits the KT-2040, KT-2060, KT-2080 and KT-3010; KT-2040 screws included. Also KT-2060.",
  ],
  [
    "p04",
    "KT-2040-SH",
    "Kestrel KT-2040-SH Side Handle for KT-2040 and KT-2060",
    "Auxiliary handle for the KT-2040 drill.",
  ],
  [
    "p05",
    "KT-C18",
    "Kestrel KT-C18 18V Battery Charger",
    "Charges every Kestrel 18V battery; for the KT-2040 and KT-3010 kits.",
  ],
  [
    "p06",
    "KT-2060",
    "Kestrel KT-2060 18V Brushless Hammer Drill",
    "Hammer drill with 2-speed gearbox.",
  ],
  [
    "p07",
    "WD1680",
    "Wendell WD1680 16 Gallon Wet/Dry Shop Vacuum",
    "16 gallon shop vacuum, 6.5 peak HP.",
  ],
  [
    "p08",
    "WD1680R",
    "Wendell WD1680R Replacement Cartridge for the WD1680",
    "Replacement filter cartridge for the WD1680 and WD1690 vacuums; fits WD1680.",
  ],
  [
    "p09",
    "WF1680",
    "Wendell WF1680 Cartridge Filter for Wet/Dry Vacs",
    "Cartridge filter for WD1680 and WD1880.",
  ],
  ["p10", "X100", "Wendell X100 Cordless Stick Vacuum", "Lightweight stick vacuum."],
  [
    "p11",
    "X100-F",
    "Wendell X100-F HEPA Filter for X100 Stick Vacuums",
    "Washable HEPA filter for the X100 and X100P.",
  ],
  [
    "p12",
    "X100-BT",
    "Wendell X100-BT Replacement Battery for X100",
    "Battery for the X100 stick vacuum.",
  ],
  [
    "p13",
    "BSR18V-55",
    "Boltmann BSR18V-55 18V Drill/Driver (Bare Tool)",
    "Brushless drill/driver.",
  ],
  [
    "p14",
    "BSR18V-55K",
    "Boltmann BSR18V-55K 18V Drill/Driver Kit",
    "The BSR18V-55 with battery and charger; BSR18V-55 kit.",
  ],
  ["p15", "BBA18V-20", "Boltmann BBA18V-20 18V 2.0Ah Battery", "Fits the BSR18V-55 and BSR18V-60."],
  ["p16", "AV-100", "Airvale AV-100 Air Purifier", "Quiet purifier for bedrooms."],
  ["p17", "TC-51", "Tidewell TC-51 Ceramic Cartridge", "Cartridge for TF-5120 kitchen faucets."],
  [
    "p18",
    "TF-5120",
    "Tidewell TF-5120 Kitchen Faucet",
    "Single-handle faucet with the TC-51 cartridge.",
  ],
  ["p19", "LM-100", "Lumera LM-100 LED Work Light", "Bright work light."],
  [
    "p20",
    "DT-CB6540",
    "Dentro DT-CB6540 Circular Saw Blade",
    "40-tooth blade for 6-1/2 in. saws such as the KT-4050.",
  ],
].map(([id, sku, title, text]) => ({
  _id: id,
  title,
  text,
  metadata: { sku, brand: title!.split(" ")[0] },
}));

const tmp = await mkdtemp(join(tmpdir(), "pairlift-exact-"));
const cache = new EmbeddingCache(":memory:");
let index: OpenIndex;
let config: PairliftConfig;
afterAll(async () => {
  cache.close();
  await rm(tmp, { recursive: true, force: true });
});
beforeAll(async () => {
  const corpus = join(tmp, "catalogue");
  await mkdir(corpus, { recursive: true });
  await writeFile(join(corpus, "corpus.jsonl"), CATALOGUE.map((d) => JSON.stringify(d)).join("\n"));
  ({ index } = await buildIndex({ source: { path: corpus }, dir: join(tmp, "index") }));
  const path = join(tmp, "pairlift.config.yaml");
  await writeFile(
    path,
    [
      "embedders:",
      "  hash: { provider: test-hashing }",
      "  blind: { provider: test-zero }",
      "rerankers:",
      "  longest: { provider: fake }",
      "pipelines:",
      "  reranked:",
      "    retrievers: [ { lexical: {} }, { dense: { embedder: hash } } ]",
      "    rerank: { reranker: longest, depth: 20 }",
      "  unguarded:",
      "    retrievers: [ { lexical: {} }, { dense: { embedder: hash } } ]",
      "    rerank: { reranker: longest, depth: 20 }",
      "    guard: { enabled: false }",
      "  no-owner-context:",
      "    retrievers: [ { lexical: {} } ]",
      "    guard: { ownerContext: 0 }",
    ].join("\n"),
  );
  config = await loadConfig(path);
});

/** An embedder that knows no word: every vector is zero (GloVe on `kt2040`). */
class BlindEmbedder extends HashingEmbedder {
  constructor() {
    super(64, { blind: true });
  }

  override embed(texts: readonly string[], _options: EmbedOptions): Promise<Float32Array[]> {
    return Promise.resolve(texts.map(() => new Float32Array(this.dimension)));
  }
}

/** A reranker that prefers the longest text: accessories that list many products win. */
const longest: Reranker = {
  identity: { provider: "fake", model: "longest-first", options: {} },
  score: (_query, candidates) =>
    Promise.resolve(Float64Array.from(candidates, (c) => c.text.length)),
  close: () => Promise.resolve(),
};

function context(): PipelineContext {
  return {
    index,
    config,
    cache,
    buildMissing: true,
    createEmbedder: (name): Promise<Embedder> =>
      Promise.resolve(name === "blind" ? new BlindEmbedder() : new HashingEmbedder()),
    createReranker: () => Promise.resolve(longest),
  };
}

async function top(pipelineName: string, query: string, k = 5) {
  const pipeline = await createPipeline(pipelineName, context());
  try {
    return await pipeline.search(query, k);
  } finally {
    await pipeline.close();
  }
}

const OWNER_QUERIES: Array<[string, string]> = [
  ["KT-2040", "p01"],
  ["kt2040", "p01"],
  ["kt 2040", "p01"],
  ["kestrel kt2040 drill", "p01"],
  ["kt2040drill", "p01"],
  ["WD1680", "p07"],
  ["wd1680 shop vacuum", "p07"],
  ["x100", "p10"],
  ["X100 stick vacuum", "p10"],
  ["bsr18v55", "p13"],
  ["BSR18V-55", "p13"],
  ["TC-51", "p17"],
  // A word no product has (a typo) cannot say the query asks for something else.
  ["kt2060 hammerdril", "p06"],
  ["kt2060hammerdril", "p06"],
];

describe("exact product first", () => {
  it("indexes the sku the records carry as an identifier field, without being asked", () => {
    expect(index.lexical.options.fields).toEqual([
      { name: "title", weight: 1 },
      { name: "text", weight: 1 },
      { name: "sku", weight: 5, role: "identifier" },
    ]);
  });

  for (const pipeline of ["bm25", "hybrid:hash", "reranked", "hybrid:blind"]) {
    it(`${pipeline}: the product that is the identifier comes first, marked by the guard`, async () => {
      for (const [query, owner] of OWNER_QUERIES) {
        const { hits } = await top(pipeline, query);
        expect(hits[0]?.id, `${pipeline} "${query}"`).toBe(owner);
        expect(hits[0]?.guard, `${pipeline} "${query}"`).toBe("exact identifier");
        // Scores fall strictly, so a run written from them ranks as returned (no tie for a
        // tie-break to reorder).
        for (let i = 1; i < hits.length; i += 1)
          expect(hits[i]!.score, `${pipeline} "${query}"`).toBeLessThan(hits[i - 1]!.score);
      }
    });
  }

  it("without the guard, a reranker that likes long texts puts an accessory first", async () => {
    const { hits } = await top("unguarded", "KT-2040");
    expect(hits[0]?.id).not.toBe("p01");
    expect(hits.some((hit) => hit.guard !== undefined)).toBe(false);
  });

  it("when the words ask for something else, what fits the product comes before it", async () => {
    for (const pipeline of ["bm25", "reranked"]) {
      const charger = (await top(pipeline, "KT-2040 charger", 10)).hits.map((hit) => hit.id);
      expect(charger[0], pipeline).not.toBe("p01");
      expect(charger.indexOf("p05"), pipeline).toBeGreaterThanOrEqual(0);
      expect(charger.indexOf("p05"), pipeline).toBeLessThan(
        charger.includes("p01") ? charger.indexOf("p01") : Infinity,
      );
      expect((await top(pipeline, "filter for x100")).hits[0]?.id, pipeline).toBe("p11");
    }
  });

  it("the products whose titles hold what the words ask for lead, before texts that mention it", async () => {
    for (const pipeline of ["bm25", "hybrid:hash", "reranked"]) {
      const charger = (await top(pipeline, "KT-2040 charger", 10)).hits.map((hit) => hit.id);
      // The charger's title says charger; the kit's text only says it comes with one, the
      // side handle's and belt hook's texts only name the KT-2040.
      expect(charger.slice(0, 1), pipeline).toEqual(["p05"]);
      expect(charger.indexOf("p02"), pipeline).toBeLessThan(charger.indexOf("p04"));
      const battery = (await top(pipeline, "battery for bsr18v-55", 10)).hits.map((hit) => hit.id);
      expect(battery[0], pipeline).toBe("p15");
      expect(battery.indexOf("p14"), pipeline).toBeGreaterThan(0);
    }
  });

  it("after the owner come the products like it (its title's words), not what mentions it", async () => {
    const withContext = (await top("bm25", "KT-2040", 10)).hits.map((hit) => hit.id);
    expect(withContext.slice(0, 2)).toEqual(["p01", "p02"]);
    const without = (await top("no-owner-context", "KT-2040", 10)).hits.map((hit) => hit.id);
    expect(without[0]).toBe("p01");
    expect(without.indexOf("p02")).toBeGreaterThan(1);
  });

  it("a dense path with a zero query vector abstains: no guesses in index order", async () => {
    const dense = await top("dense:blind", "kt2040");
    expect(dense.hits).toEqual([]);
    expect(dense.degraded).toEqual({
      stage: "dense:blind",
      kind: "abstained",
      message: "dense:blind has no vector for this query",
    });
    const hybrid = await top("hybrid:blind", "zzqqxx");
    expect(hybrid.hits).toEqual([]);
    expect(hybrid.degraded?.kind).toBe("abstained");
    const words = await top("hybrid:blind", "circular saw blade", 3);
    expect(words.hits[0]?.id).toBe("p20");
    expect(Object.keys(words.hits[0]!.retrievers!)).toEqual(["lexical"]);
  });

  it("natural-language queries are left alone", async () => {
    const { hits } = await top("reranked", "quiet air purifier for bedrooms", 3);
    expect(hits.every((hit) => hit.guard === undefined)).toBe(true);
  });
});
