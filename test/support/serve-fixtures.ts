import { join } from "node:path";
import { buildIndex, type OpenIndex } from "../../src/store/index-store.js";
import type { Pipeline, PipelineResult } from "../../src/pipeline/pipeline.js";
import {
  parseServeConfig,
  type ServeConfig,
  type ServeConfigInput,
} from "../../src/serve/config.js";
import { writeFile } from "node:fs/promises";

/** A small catalogue with identifiers, for serve tests. */
export const CATALOGUE = [
  {
    _id: "p1",
    title: "Kestrel KT-2040 18V Drill Driver",
    text: "Cordless drill driver, two speeds.",
  },
  {
    _id: "p2",
    title: "Kestrel KT-2040X Hammer Drill",
    text: "Hammer drill of the KT 2040 family.",
  },
  { _id: "p3", title: "Shop vacuum filter", text: "Cartridge filter for WD1680 wet/dry vacuums." },
  { _id: "p4", title: "Garden hose 50 ft", text: "Kink resistant garden hose." },
  { _id: "p5", title: "Hose reel", text: "Wall mounted reel for garden hoses up to 50 ft." },
  { _id: "p6", title: "Drill bit set", text: "Twenty titanium drill bits in a case." },
];

export async function buildCatalogueIndex(dir: string): Promise<OpenIndex> {
  const corpus = join(dir, "catalogue.jsonl");
  await writeFile(corpus, CATALOGUE.map((doc) => JSON.stringify(doc)).join("\n") + "\n");
  const { index } = await buildIndex({ source: { path: corpus }, dir: join(dir, "index") });
  return index;
}

/**
 * Serve settings for tests: an in-memory log, a latency budget no loaded CI machine misses,
 * and no shutdown grace (close() would otherwise wait for fetch's idle keep-alive sockets).
 */
export function testSettings(overrides: ServeConfigInput = {}, logPath = ":memory:"): ServeConfig {
  return parseServeConfig({
    logPath,
    shutdownGraceMs: 0,
    ...overrides,
    monitors: { latencyBudgetMs: 60_000, ...overrides.monitors },
  });
}

/** A controllable stand-in pipeline: answers with `answer`, counts calls, records its closing. */
export class FakePipeline implements Pipeline {
  calls = 0;
  active = 0;
  closed = 0;
  /** Set when close() ran while a search was still in flight (a dropped request). */
  closedWhileActive = false;

  constructor(
    readonly name: string,
    private readonly answer: (query: string, k: number) => Promise<PipelineResult> | PipelineResult,
  ) {}

  async search(query: string, k: number): Promise<PipelineResult> {
    this.calls += 1;
    this.active += 1;
    try {
      if (this.closed > 0) throw new Error(`${this.name} was already closed`);
      return await this.answer(query, k);
    } finally {
      this.active -= 1;
    }
  }

  stats() {
    return { embeddedTexts: 0, cacheHits: 0 };
  }

  close(): Promise<void> {
    this.closed += 1;
    if (this.active > 0) this.closedWhileActive = true;
    return Promise.resolve();
  }
}

/** Hits with descending scores for the given ids. */
export function hitsFor(...ids: string[]): PipelineResult {
  return {
    hits: ids.map((id, i) => ({ id, score: ids.length - i })),
    timingsMs: { fake: 0.1 },
  };
}

/** A promise with its resolver, for holding a fake search open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** POSTs JSON and returns status and parsed body. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  // No body (an admin call): no content type either, as Fastify refuses an empty JSON body.
  const response = await fetch(url, {
    method: "POST",
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
}

export function errorMessage(body: Record<string, unknown>): string {
  return (body["error"] as { message: string }).message;
}

/** The value of one sample in Prometheus text (undefined when absent). */
export function sample(
  metrics: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of metrics.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value))
      return Number(match[3]);
  }
  return undefined;
}
