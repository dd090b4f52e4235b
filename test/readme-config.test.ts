import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EMBEDDER_PROVIDERS } from "../src/dense/embedders/registry.js";
import { pipelineConfigSchema } from "../src/pipeline/config.js";
import { RERANKER_PROVIDERS } from "../src/rerank/registry.js";

/** The configuration README.md shows must be valid: every embedder block passes its provider's schema. */
describe("README.md's example configuration", () => {
  it("validates against each provider's schema", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const block = /```yaml\n(embedders:[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = parse(block!) as { embedders: Record<string, { provider: string }> };
    expect(Object.keys(config.embedders).length).toBeGreaterThanOrEqual(8);
    for (const [name, embedder] of Object.entries(config.embedders)) {
      const provider = EMBEDDER_PROVIDERS.get(embedder.provider);
      expect(provider, name).toBeDefined();
      const result = provider!.schema.safeParse(embedder);
      expect(result.success, `${name}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });
});

describe("README.md's example pipelines", () => {
  it("validate: every reranker against its provider's schema, every pipeline against the pipeline schema", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const block = /```yaml\n(rerankers:[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = parse(block!) as {
      rerankers: Record<string, { provider: string }>;
      pipelines: Record<string, unknown>;
    };
    expect(Object.keys(config.rerankers).length).toBeGreaterThanOrEqual(7);
    for (const [name, reranker] of Object.entries(config.rerankers)) {
      const provider = RERANKER_PROVIDERS.get(reranker.provider);
      expect(provider, name).toBeDefined();
      const result = provider!.schema.safeParse(reranker);
      expect(result.success, `${name}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
    for (const [name, pipeline] of Object.entries(config.pipelines)) {
      const result = pipelineConfigSchema.safeParse(pipeline);
      expect(result.success, `${name}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });
});
