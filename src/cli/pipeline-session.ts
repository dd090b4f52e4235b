import { loadConfig } from "../config/config-file.js";
import { resolvePipeline } from "../pipeline/config.js";
import { withOpenPipeline, type Pipeline } from "../pipeline/pipeline.js";
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
  return withOpenPipeline(definition, { index, config }, work);
}
