import { PairliftError } from "../errors.js";
import type { OpenIndex } from "../store/index-store.js";

export interface PipelineHit {
  id: string;
  score: number;
}

export interface PipelineResult {
  hits: PipelineHit[];
  /** Milliseconds spent in each stage, by stage name. */
  timingsMs: Record<string, number>;
}

/** A named way of answering a query: retrievers, fusion and reranking configured together. */
export interface Pipeline {
  readonly name: string;
  search(query: string, k: number): Promise<PipelineResult>;
}

/** The BM25 pipeline over an index's lexical part. */
export function bm25Pipeline(index: OpenIndex): Pipeline {
  return {
    name: "bm25",
    search: (query, k) => {
      const started = performance.now();
      const hits = index.lexical.search(query, { k });
      return Promise.resolve({ hits, timingsMs: { lexical: performance.now() - started } });
    },
  };
}

const PIPELINES: Readonly<Record<string, (index: OpenIndex) => Pipeline>> = Object.freeze({
  bm25: bm25Pipeline,
});

/** Resolves a pipeline by name (`bm25`; hybrid and dense pipelines come from configuration). */
export function createPipeline(name: string, index: OpenIndex): Pipeline {
  const factory = Object.hasOwn(PIPELINES, name) ? PIPELINES[name] : undefined;
  if (factory === undefined) {
    throw new PairliftError(
      "E_CONFIG",
      `unknown pipeline "${name}"; available: ${Object.keys(PIPELINES).join(", ")}`,
      {
        field: "pipeline",
      },
    );
  }
  return factory(index);
}
