import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../dense/embedders/registry.js";
import { loadConfig } from "./config-file.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-config-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function configFile(name: string, text: string): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, text);
  return path;
}

describe("config files", () => {
  it("has the built-in embedders with no file at all", async () => {
    const config = await loadConfig();
    expect(config.embedders["use"]).toEqual({ provider: "use-lite" });
    expect(config.embedders["glove"]).toEqual({ provider: "static", vectors: "glove-6b-100d" });
  });

  it("reads YAML and JSON, keeps built-ins, resolves paths against the file's folder", async () => {
    const yaml = await loadConfig(
      await configFile(
        "a.yaml",
        "embedders:\n  minilm: { provider: onnx, model: ./models/minilm, pooling: mean }\n",
      ),
    );
    expect(yaml.baseDir).toBe(tmp);
    expect(Object.keys(yaml.embedders).sort()).toEqual(["glove", "minilm", "use"]);
    const json = await loadConfig(
      await configFile(
        "b.json",
        '{"embedders":{"oa":{"provider":"openai","model":"text-embedding-3-small"}}}',
      ),
    );
    expect(json.embedders["oa"]?.provider).toBe("openai");
  });

  it("names the line of a YAML syntax error", async () => {
    const path = await configFile("bad.yaml", "embedders:\n  x: [1\n  y: 2\n");
    await expect(loadConfig(path)).rejects.toThrow(/bad\.yaml:\d+: malformed YAML/);
  });

  it("rejects unknown sections and blocks without a provider, naming the path", async () => {
    await expect(loadConfig(await configFile("c.yaml", "embeders: {}\n"))).rejects.toThrow(
      /Unrecognized key: "embeders"/,
    );
    await expect(
      loadConfig(await configFile("d.yaml", "embedders:\n  x: { model: m }\n")),
    ).rejects.toThrow(/embedders\.x\.provider/);
  });

  it("says when the --config file is missing", async () => {
    await expect(loadConfig(join(tmp, "nope.yaml"))).rejects.toThrow(
      /nope\.yaml: config file not found/,
    );
  });

  it("validates an embedder block with its provider's schema when it is created", async () => {
    const config = await loadConfig(
      await configFile(
        "e.yaml",
        "embedders:\n  oa: { provider: openai, model: m, apiKeyEnv: PAIRLIFT_TEST_KEY, colour: blue }\n  odd: { provider: magic }\n",
      ),
    );
    await expect(createEmbedder("oa", config)).rejects.toThrow(/embedders\.oa.*colour/s);
    await expect(createEmbedder("odd", config)).rejects.toThrow(
      /embedders\.odd\.provider: unknown provider "magic"/,
    );
    await expect(createEmbedder("nope", config)).rejects.toThrow(
      /no embedder named "nope"; defined: use, glove, oa, odd/,
    );
  });
});
