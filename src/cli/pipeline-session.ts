import { loadConfig } from "../config/config-file.js";
import { EmbeddingCache } from "../dense/embedding-cache.js";
import { createPipeline, type Pipeline } from "../pipeline/pipeline.js";
import { embeddersOf, resolvePipeline } from "../pipeline/config.js";
import { cacheDir } from "../store/cache-dir.js";
import type { OpenIndex } from "../store/index-store.js";

/** Runs `work` with a pipeline over an open index, closing the pipeline and cache afterwards. */
export async function withPipeline<T>(
  index: OpenIndex,
  name: string,
  configPath: string | undefined,
  work: (pipeline: Pipeline) => Promise<T>,
): Promise<T> {
  const config = await loadConfig(configPath);
  const definition = resolvePipeline(name, config.pipelines, config.file);
  const cache =
    embeddersOf(definition).length > 0
      ? new EmbeddingCache(cacheDir("embeddings.sqlite"))
      : undefined;
  try {
    const pipeline = await createPipeline(name, {
      index,
      config,
      ...(cache === undefined ? {} : { cache }),
    });
    try {
      return await work(pipeline);
    } finally {
      await pipeline.close();
    }
  } finally {
    cache?.close();
  }
}
