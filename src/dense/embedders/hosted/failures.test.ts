/**
 * Failure modes, the same for every hosted provider, each against a local server speaking that
 * provider's format: rate limits, outages, hangs, auth and request errors, and garbage answers.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  fakeVector,
  instantSleep,
  normalizedFakeVector,
  startFakeApi,
} from "../../../../test/support/fake-embedding-api.js";
import type { FakeApi, Handler, Reply } from "../../../../test/support/fake-embedding-api.js";
import type { Embedder } from "../../embedder.js";
import type { ProviderContext } from "../provider.js";
import { cohereConfigSchema, createCohereEmbedder } from "./cohere.js";
import type { HttpHooks } from "./http.js";
import { HOSTED_PROVIDERS } from "./index.js";
import { createJinaEmbedder, jinaConfigSchema } from "./jina.js";
import { createOllamaEmbedder, ollamaConfigSchema } from "./ollama.js";
import { createOpenAIEmbedder, openaiConfigSchema } from "./openai.js";
import { createTeiEmbedder, teiConfigSchema } from "./tei.js";
import { createVoyageEmbedder, voyageConfigSchema } from "./voyage.js";

const SECRET = "sk-live-SECRET-0123456789abcdef";

interface Case {
  name: string;
  /** The variable the key is read from in these tests. */
  env: string;
  create(
    url: string,
    extra: Record<string, unknown>,
    ctx: ProviderContext,
    hooks: HttpHooks,
  ): Promise<Embedder>;
  /** The provider's success body for these vectors. */
  answer(vectors: unknown[]): unknown;
}

const dataAnswer = (vectors: unknown[]): unknown => ({
  object: "list",
  data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
});

const CASES: Case[] = [
  {
    name: "openai",
    env: "OPENAI_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createOpenAIEmbedder(
        openaiConfigSchema.parse({ provider: "openai", model: "m", baseUrl: url, ...extra }),
        ctx,
        hooks,
      ),
    answer: dataAnswer,
  },
  {
    name: "tei",
    env: "TEI_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createTeiEmbedder(
        teiConfigSchema.parse({
          provider: "tei",
          model: "m",
          baseUrl: url,
          apiKeyEnv: "TEI_API_KEY",
          ...extra,
        }),
        ctx,
        hooks,
      ),
    answer: (vectors) => vectors,
  },
  {
    name: "ollama",
    env: "OLLAMA_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createOllamaEmbedder(
        ollamaConfigSchema.parse({
          provider: "ollama",
          model: "m",
          baseUrl: url,
          apiKeyEnv: "OLLAMA_API_KEY",
          ...extra,
        }),
        ctx,
        hooks,
      ),
    answer: (vectors) => ({ model: "m", embeddings: vectors }),
  },
  {
    name: "cohere",
    env: "COHERE_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createCohereEmbedder(
        cohereConfigSchema.parse({ provider: "cohere", model: "m", baseUrl: url, ...extra }),
        ctx,
        hooks,
      ),
    answer: (vectors) => ({ id: "x", embeddings: { float: vectors } }),
  },
  {
    name: "voyage",
    env: "VOYAGE_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createVoyageEmbedder(
        voyageConfigSchema.parse({ provider: "voyage", model: "m", baseUrl: url, ...extra }),
        ctx,
        hooks,
      ),
    answer: dataAnswer,
  },
  {
    name: "jina",
    env: "JINA_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createJinaEmbedder(
        jinaConfigSchema.parse({ provider: "jina", model: "m", baseUrl: url, ...extra }),
        ctx,
        hooks,
      ),
    answer: dataAnswer,
  },
];

/** The texts of a request, whatever the provider calls the field. */
function inputsOf(body: unknown): string[] {
  const record = body as Record<string, unknown>;
  const texts = record["input"] ?? record["inputs"] ?? record["texts"];
  if (!Array.isArray(texts)) throw new Error(`no inputs in ${JSON.stringify(body)}`);
  return texts as string[];
}

let api: FakeApi | undefined;
let embedder: Embedder | undefined;
afterEach(async () => {
  await embedder?.close();
  await api?.close();
  api = embedder = undefined;
});

describe.each(CASES)("$name failure modes", (c) => {
  const ok = (request: { body: unknown }): Reply => ({
    json: c.answer(inputsOf(request.body).map((t) => fakeVector(t))),
  });

  async function setup(
    handler: Handler,
    extra: Record<string, unknown> = {},
  ): Promise<{ e: Embedder; sleeps: number[] }> {
    api = await startFakeApi(handler);
    const { sleep, calls } = instantSleep();
    embedder = await c.create(api.url, extra, envContext({ [c.env]: SECRET }), {
      sleep,
      random: () => 0.5,
    });
    return { e: embedder, sleeps: calls };
  }

  async function rejection(e: Embedder, texts = ["a", "b"]): Promise<Error & { code?: string }> {
    try {
      await e.embed(texts, { role: "document" });
    } catch (error) {
      return error as Error & { code?: string };
    }
    throw new Error("expected embed to fail");
  }

  it("waits out a 429 with Retry-After, then succeeds", async () => {
    const { e, sleeps } = await setup((request, i) =>
      i === 0
        ? { status: 429, headers: { "retry-after": "2" }, json: { message: "slow" } }
        : ok(request),
    );
    const vectors = await e.embed(["a", "bb"], { role: "document" });
    expect(vectors.map((v) => Array.from(v))).toEqual([
      normalizedFakeVector("a"),
      normalizedFakeVector("bb"),
    ]);
    expect(api!.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it("retries 503 twice, then succeeds", async () => {
    const { e, sleeps } = await setup((request, i) =>
      i < 2 ? { status: 503, raw: "Service Unavailable" } : ok(request),
    );
    await expect(e.embed(["a"], { role: "query" })).resolves.toHaveLength(1);
    expect(api!.requests).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]);
  });

  it("times out a hanging server, retries, then reports a clear timeout", async () => {
    const { e } = await setup(() => "hang", { timeoutMs: 50, maxRetries: 2 });
    const error = await rejection(e);
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain(`${c.name} did not answer within 50 ms`);
    expect(error.message).toContain("gave up after 3 attempts");
    expect(api!.requests).toHaveLength(3);
  });

  it("reports 401 as an auth failure naming the variable, never the key", async () => {
    const { e } = await setup(() => ({
      status: 401,
      json: { error: { message: `invalid key ${SECRET}` }, detail: `invalid key ${SECRET}` },
    }));
    const error = await rejection(e);
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain(
      `authentication failed for ${c.name} (check the API key in $${c.env})`,
    );
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(String(error.stack)).not.toContain(SECRET);
    expect(api!.requests).toHaveLength(1);
  });

  it("surfaces a 400's error message without retrying", async () => {
    const { e } = await setup(() => ({
      status: 400,
      json: {
        error: { message: "input too long" },
        message: "input too long",
        detail: "input too long",
      },
    }));
    const error = await rejection(e);
    expect(error.message).toContain(`${c.name} rejected the request (HTTP 400 Bad Request)`);
    expect(error.message).toContain("input too long");
    expect(api!.requests).toHaveLength(1);
  });

  const garbage: [string, (texts: string[]) => Reply, string][] = [
    [
      "an HTML page",
      () => ({
        raw: "<html><body>Bad gateway</body></html>",
        headers: { "content-type": "text/html" },
      }),
      `malformed answer from ${c.name}: not JSON (text/html`,
    ],
    [
      "truncated JSON",
      (texts) => ({ raw: JSON.stringify(c.answer(texts.map((t) => fakeVector(t)))).slice(0, -3) }),
      `malformed answer from ${c.name}: not JSON`,
    ],
    [
      "a NaN literal",
      (texts) => ({
        raw: JSON.stringify(c.answer(texts.map(() => [1, 2, 3]))).replace("2", "NaN"),
      }),
      `malformed answer from ${c.name}: not JSON`,
    ],
    [
      "the wrong number of vectors",
      (texts) => ({ json: c.answer([...texts, "extra"].map((t) => fakeVector(t))) }),
      "expected 2 vectors, got 3",
    ],
    [
      "a null in a vector",
      () => ({
        json: c.answer([
          [1, 2, 3],
          [1, null, 3],
        ]),
      }),
      "vector 1 holds a non-number at position 1 (null)",
    ],
    [
      "a number beyond float32",
      () => ({
        raw: JSON.stringify(
          c.answer([
            [1, 2, 3],
            [1, 2, 3],
          ]),
        ).replace(/3\]/, "1e39]"),
      }),
      "non-finite number",
    ],
    [
      "vectors of inconsistent dimension",
      () => ({
        json: c.answer([
          [1, 2, 3],
          [1, 2],
        ]),
      }),
      "inconsistent dimension",
    ],
    ["an empty vector", () => ({ json: c.answer([[], []]) }), "vector 0 is empty"],
    [
      "an all-zero vector (it would be cached and make every later search abstain)",
      () => ({
        json: c.answer([
          [1, 2, 3],
          [0, 0, 0],
        ]),
      }),
      "vector 1 is all zeros",
    ],
    [
      "a vector that is not an array",
      () => ({ json: c.answer([[1, 2, 3], "1,2,3"]) }),
      "vector 1 is not an array",
    ],
  ];

  it.each(garbage)("rejects %s clearly", async (_what, reply, message) => {
    const { e } = await setup((request) => reply(inputsOf(request.body)));
    const error = await rejection(e, ["a", "b"]);
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain(message);
    expect(api!.requests).toHaveLength(1);
  });

  it("rejects an answer missing its vectors field", async () => {
    const { e } = await setup(() => ({ json: { something: "else" } }));
    const error = await rejection(e);
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toMatch(new RegExp(`^malformed answer from ${c.name}: `));
  });
});

describe("HOSTED_PROVIDERS", () => {
  it("lists the six providers with strict schemas", () => {
    expect(HOSTED_PROVIDERS.map((p) => p.name)).toEqual([
      "openai",
      "tei",
      "ollama",
      "cohere",
      "voyage",
      "jina",
    ]);
    for (const provider of HOSTED_PROVIDERS) {
      expect(provider.schema.safeParse({ provider: provider.name, model: "m" }).success).toBe(true);
      expect(
        provider.schema.safeParse({ provider: provider.name, model: "m", modle: "typo" }).success,
      ).toBe(false);
      expect(provider.schema.safeParse({ provider: provider.name }).success).toBe(false);
    }
  });
});
