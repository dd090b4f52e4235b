/**
 * Behaviour every hosted reranker shares, each against a local server speaking that provider's
 * format: batching, retries, auth errors, garbage answers, timeouts, cancellation, the
 * concurrency limit and close().
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  instantSleep,
  startFakeApi,
} from "../../../test/support/fake-embedding-api.js";
import type { FakeApi, Handler, Reply } from "../../../test/support/fake-embedding-api.js";
import {
  answerWith,
  candidatesOf,
  documentsOf,
  rankedAnswer,
  scoreKeyOf,
} from "../../../test/support/fake-rerank-api.js";
import type { RerankWire } from "../../../test/support/fake-rerank-api.js";
import type { HttpHooks } from "../../dense/embedders/hosted/http.js";
import type { ProviderContext } from "../provider.js";
import type { Reranker } from "../reranker.js";
import { cohereRerankerConfigSchema, createCohereReranker } from "./cohere.js";
import { HOSTED_RERANKER_PROVIDERS } from "./index.js";
import { createJinaReranker, jinaRerankerConfigSchema } from "./jina.js";
import { createMixedbreadReranker, mixedbreadRerankerConfigSchema } from "./mixedbread.js";
import { createTeiReranker, teiRerankerConfigSchema } from "./tei.js";
import { createVoyageReranker, voyageRerankerConfigSchema } from "./voyage.js";

const SECRET = "sk-live-SECRET-0123456789abcdef";

interface Case {
  name: RerankWire;
  /** The variable the key is read from in these tests. */
  env: string;
  create(
    url: string,
    extra: Record<string, unknown>,
    ctx: ProviderContext,
    hooks: HttpHooks,
  ): Promise<Reranker>;
}

const CASES: Case[] = [
  {
    name: "cohere",
    env: "COHERE_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createCohereReranker(
        cohereRerankerConfigSchema.parse({
          provider: "cohere",
          model: "m",
          baseUrl: url,
          ...extra,
        }),
        ctx,
        hooks,
      ),
  },
  {
    name: "jina",
    env: "JINA_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createJinaReranker(
        jinaRerankerConfigSchema.parse({ provider: "jina", model: "m", baseUrl: url, ...extra }),
        ctx,
        hooks,
      ),
  },
  {
    name: "voyage",
    env: "VOYAGE_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createVoyageReranker(
        voyageRerankerConfigSchema.parse({
          provider: "voyage",
          model: "m",
          baseUrl: url,
          ...extra,
        }),
        ctx,
        hooks,
      ),
  },
  {
    name: "mixedbread",
    env: "MXBAI_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createMixedbreadReranker(
        mixedbreadRerankerConfigSchema.parse({
          provider: "mixedbread",
          model: "m",
          baseUrl: url,
          ...extra,
        }),
        ctx,
        hooks,
      ),
  },
  {
    name: "tei",
    env: "TEI_API_KEY",
    create: (url, extra, ctx, hooks) =>
      createTeiReranker(
        teiRerankerConfigSchema.parse({
          provider: "tei",
          model: "m",
          baseUrl: url,
          apiKeyEnv: "TEI_API_KEY",
          ...extra,
        }),
        ctx,
        hooks,
      ),
  },
];

let api: FakeApi | undefined;
let reranker: Reranker | undefined;
afterEach(async () => {
  await reranker?.close();
  await api?.close();
  api = reranker = undefined;
});

/** Waits (on the event loop, no timers asserted) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected a rejection");
}

describe.each(CASES)("$name reranker", (c) => {
  const ok = (request: { body: unknown }, delayMs?: number): Reply => ({
    json: rankedAnswer(c.name, documentsOf(c.name, request.body)),
    ...(delayMs === undefined ? {} : { delayMs }),
  });
  const key = scoreKeyOf(c.name);

  async function setup(
    handler: Handler,
    extra: Record<string, unknown> = {},
  ): Promise<{ r: Reranker; sleeps: number[] }> {
    api = await startFakeApi(handler);
    const { sleep, calls } = instantSleep();
    reranker = await c.create(api.url, extra, envContext({ [c.env]: SECRET }), {
      sleep,
      random: () => 0.5,
    });
    return { r: reranker, sleeps: calls };
  }

  it("splits candidates over maxDocuments, asks for every result, keeps candidate order", async () => {
    const { r } = await setup((request) => ok(request), { maxDocuments: 2 });
    const texts = ["aaa", "b", "cccccc", "dd", "eeeee"];
    const scores = await r.score("q", candidatesOf(texts));
    expect(Array.from(scores)).toEqual([0.3, 0.1, 0.6, 0.2, 0.5]);
    const batches = api!.requests.map((q) => documentsOf(c.name, q.body));
    expect(batches.sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      ["aaa", "b"],
      ["cccccc", "dd"],
      ["eeeee"],
    ]);
    if (c.name !== "tei")
      for (const q of api!.requests) {
        const body = q.body as Record<string, unknown>;
        expect(body["top_n"] ?? body["top_k"]).toBe(documentsOf(c.name, body).length);
      }
  });

  it("answers no candidates without a request", async () => {
    const { r } = await setup((request) => ok(request));
    expect(await r.score("q", [])).toEqual(new Float64Array(0));
    expect(api!.requests).toHaveLength(0);
  });

  it("waits out a 429 with Retry-After, then succeeds", async () => {
    const { r, sleeps } = await setup((request, i) =>
      i === 0
        ? { status: 429, headers: { "retry-after": "3" }, json: { message: "slow down" } }
        : ok(request),
    );
    const scores = await r.score("q", candidatesOf(["a", "bb"]));
    expect(Array.from(scores)).toEqual([0.1, 0.2]);
    expect(api!.requests).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
  });

  it("retries a 500 with jittered backoff, then succeeds", async () => {
    const { r, sleeps } = await setup((request, i) =>
      i < 2 ? { status: 500, raw: "Internal Server Error" } : ok(request),
    );
    const scores = await r.score("q", candidatesOf(["abcd"]));
    expect(Array.from(scores)).toEqual([0.4]);
    expect(api!.requests).toHaveLength(3);
    // random() = 0.5 of 500 ms, then of 1000 ms.
    expect(sleeps).toEqual([250, 500]);
  });

  it("reports 401 as an auth failure naming the variable, never the key", async () => {
    const { r } = await setup(() => ({
      status: 401,
      json: { message: `invalid api key ${SECRET}`, detail: `invalid api key ${SECRET}` },
    }));
    const error = await rejection(r.score("q", candidatesOf(["a", "b"])));
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain(
      `authentication failed for ${c.name} (check the API key in $${c.env})`,
    );
    expect(error.message).not.toContain(SECRET);
    expect(String(error.stack)).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(api!.requests).toHaveLength(1);
  });

  const malformed: [string, () => Reply, string][] = [
    [
      "a missing index",
      () => ({ json: answerWith(c.name, [{ index: 0, [key]: 0.5 }]) }),
      `${c.name} rerank answer malformed: index 1 is missing`,
    ],
    [
      "a duplicate index",
      () => ({
        json: answerWith(c.name, [
          { index: 0, [key]: 0.5 },
          { index: 0, [key]: 0.4 },
        ]),
      }),
      `${c.name} rerank answer malformed: index 0 appears twice`,
    ],
    [
      "an index out of range",
      () => ({
        json: answerWith(c.name, [
          { index: 0, [key]: 0.5 },
          { index: 2, [key]: 0.4 },
        ]),
      }),
      `.index is 2, not an integer in 0..1`,
    ],
    [
      "a fractional index",
      () => ({
        json: answerWith(c.name, [
          { index: 0.5, [key]: 0.5 },
          { index: 1, [key]: 0.4 },
        ]),
      }),
      `[0].index is 0.5, not an integer in 0..1`,
    ],
    [
      "a string score",
      () => ({
        json: answerWith(c.name, [
          { index: 1, [key]: 0.5 },
          { index: 0, [key]: "0.4" },
        ]),
      }),
      `[1].${key} is "0.4" (a string), not a finite number`,
    ],
    [
      "a missing score",
      () => ({ json: answerWith(c.name, [{ index: 1, [key]: 0.5 }, { index: 0 }]) }),
      `[1].${key} is absent, not a finite number`,
    ],
    [
      "a score beyond a double",
      () => ({
        raw: JSON.stringify(
          answerWith(c.name, [
            { index: 1, [key]: 0.5 },
            { index: 0, [key]: 7 },
          ]),
        ).replace(":7", ":1e999"),
      }),
      `[1].${key} is Infinity, not a finite number`,
    ],
    [
      "a NaN literal",
      () => ({
        raw: JSON.stringify(
          answerWith(c.name, [
            { index: 1, [key]: 0.5 },
            { index: 0, [key]: 7 },
          ]),
        ).replace(":7", ":NaN"),
      }),
      `malformed answer from ${c.name}: not JSON`,
    ],
    [
      "an HTML page",
      () => ({
        raw: "<html><title>Bad gateway</title></html>",
        headers: { "content-type": "text/html" },
      }),
      `malformed answer from ${c.name}: not JSON (text/html`,
    ],
    [
      "a result that is not an object",
      () => ({ json: answerWith(c.name, [{ index: 1, [key]: 0.5 }, 0.4]) }),
      `[1] is a number, not an object`,
    ],
    [
      "the wrong shape",
      () => ({ json: c.name === "tei" ? { results: [] } : [{ index: 0, [key]: 1 }] }),
      c.name === "tei"
        ? `tei rerank answer malformed: expected an array of {index, score}, got an object`
        : `${c.name} rerank answer malformed: expected an object with a "${c.name === "cohere" || c.name === "jina" ? "results" : "data"}" array, got an array`,
    ],
  ];

  it.each(malformed)("rejects %s as E_REMOTE", async (_what, reply, message) => {
    const { r } = await setup(() => reply());
    const error = await rejection(r.score("q", candidatesOf(["a", "b"])));
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain(message);
    expect(api!.requests).toHaveLength(1);
  });

  if (c.name !== "tei")
    it("rejects an answer without its result array", async () => {
      const { r } = await setup(() => ({ json: { something: "else" } }));
      const error = await rejection(r.score("q", candidatesOf(["a"])));
      expect(error.code).toBe("E_REMOTE");
      expect(error.message).toMatch(
        new RegExp(`^${c.name} rerank answer malformed: the "(results|data)" array is missing$`),
      );
    });

  it("times out a silent server, retries, then reports a clear timeout", async () => {
    const { r } = await setup(() => "hang", { timeoutMs: 50, maxRetries: 1 });
    const error = await rejection(r.score("q", candidatesOf(["a"])));
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain(`${c.name} did not answer within 50 ms`);
    expect(error.message).toContain("gave up after 2 attempts");
    expect(api!.requests).toHaveLength(2);
  });

  it("aborts an in-flight request as soon as the caller's signal aborts", async () => {
    const { r } = await setup(() => "hang", { timeoutMs: 600_000, maxRetries: 0 });
    const controller = new AbortController();
    const pending = rejection(r.score("q", candidatesOf(["a"]), { signal: controller.signal }));
    await until(() => api!.requests.length === 1);
    const reason = new Error("latency budget spent");
    controller.abort(reason);
    expect(await pending).toBe(reason);
    // The server saw the client hang up.
    await until(() => api!.inFlight.now === 0);
  }, 10_000);
});

describe("the concurrency limit", () => {
  const cohere = CASES[0]!;

  it.each([1, 3])(
    "holds at most maxConcurrency = %i requests in flight across concurrent calls",
    async (limit) => {
      api = await startFakeApi((request) => ({
        json: rankedAnswer("cohere", documentsOf("cohere", request.body)),
        delayMs: 15,
      }));
      reranker = await cohere.create(
        api.url,
        { maxConcurrency: limit, maxDocuments: 1 },
        envContext({ COHERE_API_KEY: SECRET }),
        {},
      );
      const r = reranker;
      const queries = [
        ["a", "bb", "ccc"],
        ["dddd", "e"],
        ["ff", "ggggg", "h", "ii"],
      ];
      const results = await Promise.all(queries.map((texts) => r.score("q", candidatesOf(texts))));
      expect(results.map((s) => Array.from(s))).toEqual([
        [0.1, 0.2, 0.3],
        [0.4, 0.1],
        [0.2, 0.5, 0.1, 0.2],
      ]);
      expect(api.requests).toHaveLength(9);
      expect(api.inFlight.max).toBe(limit);
    },
  );

  it("defaults to 2", async () => {
    api = await startFakeApi((request) => ({
      json: rankedAnswer("cohere", documentsOf("cohere", request.body)),
      delayMs: 15,
    }));
    reranker = await cohere.create(
      api.url,
      { maxDocuments: 1 },
      envContext({ COHERE_API_KEY: SECRET }),
      {},
    );
    await reranker.score("q", candidatesOf(["a", "b", "c", "d", "e"]));
    expect(api.inFlight.max).toBe(2);
  });

  it("lets an aborted call leave the queue without disturbing the one in flight", async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    api = await startFakeApi(async (request) => {
      await gate;
      return { json: rankedAnswer("cohere", documentsOf("cohere", request.body)) };
    });
    reranker = await cohere.create(
      api.url,
      { maxConcurrency: 1 },
      envContext({ COHERE_API_KEY: SECRET }),
      {},
    );
    const first = reranker.score("q", candidatesOf(["aaa"]));
    await until(() => api!.requests.length === 1);
    const controller = new AbortController();
    const queued = rejection(
      reranker.score("q", candidatesOf(["bb"]), { signal: controller.signal }),
    );
    controller.abort(new Error("budget"));
    expect((await queued).message).toBe("budget");
    release!();
    expect(Array.from(await first)).toEqual([0.3]);
    // The queued call never reached the server.
    expect(api.requests).toHaveLength(1);
  });

  it("fails the whole call when one batch fails, and stops its other batches", async () => {
    api = await startFakeApi((request, i) =>
      i === 0
        ? { status: 400, json: { message: "document 0 is empty" } }
        : { json: rankedAnswer("cohere", documentsOf("cohere", request.body)) },
    );
    reranker = await cohere.create(
      api.url,
      { maxConcurrency: 1, maxDocuments: 1 },
      envContext({ COHERE_API_KEY: SECRET }),
      {},
    );
    const error = await rejection(reranker.score("q", candidatesOf(["", "a", "b"])));
    expect(error.message).toBe(
      "cohere rejected the request (HTTP 400 Bad Request): document 0 is empty",
    );
    expect(api.requests).toHaveLength(1);
  });
});

describe("close()", () => {
  it("aborts calls in flight and refuses new ones", async () => {
    api = await startFakeApi(() => "hang");
    reranker = await CASES[0]!.create(
      api.url,
      { timeoutMs: 600_000 },
      envContext({ COHERE_API_KEY: SECRET }),
      {},
    );
    const pending = rejection(reranker.score("q", candidatesOf(["a"])));
    await until(() => api!.requests.length === 1);
    await reranker.close();
    expect(await pending).toMatchObject({
      code: "E_USAGE",
      message: "the cohere reranker was closed",
    });
    await expect(reranker.score("q", candidatesOf(["a"]))).rejects.toMatchObject({
      code: "E_USAGE",
      message: "the cohere reranker has been closed",
    });
  }, 10_000);
});

describe("HOSTED_RERANKER_PROVIDERS", () => {
  it("lists the five providers with strict schemas", () => {
    expect(HOSTED_RERANKER_PROVIDERS.map((p) => p.name)).toEqual([
      "cohere",
      "jina",
      "voyage",
      "mixedbread",
      "tei",
    ]);
    for (const provider of HOSTED_RERANKER_PROVIDERS) {
      const base = { provider: provider.name, model: "m", baseUrl: "http://127.0.0.1:1" };
      expect(provider.schema.safeParse(base).success).toBe(true);
      expect(provider.schema.safeParse({ ...base, modle: "typo" }).success).toBe(false);
      expect(provider.schema.safeParse({ ...base, maxDocuments: 0 }).success).toBe(false);
      expect(provider.schema.safeParse({ ...base, maxConcurrency: 0 }).success).toBe(false);
      expect(provider.schema.safeParse({ ...base, apiKeyEnv: "sk-abc123" }).success).toBe(false);
      expect(provider.schema.safeParse({ provider: provider.name }).success).toBe(false);
    }
  });
});
