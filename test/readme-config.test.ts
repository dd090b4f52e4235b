import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EMBEDDER_PROVIDERS } from "../src/dense/embedders/registry.js";

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
