/**
 * `provider: learned` — a LambdaMART model trained by `pairlift train-reranker` on the
 * features candidates already carry (./features.ts). Scoring is a few hundred small trees per
 * candidate: microseconds, so it fits any latency budget.
 */
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { PairliftError } from "../../errors.js";
import type { RerankerProvider } from "../provider.js";
import type { Reranker } from "../reranker.js";
import { predictEnsemble } from "./lambdamart.js";
import { readLearnedModel, type LearnedModel } from "./model-file.js";

export const learnedConfigSchema = z.strictObject({
  provider: z.literal("learned"),
  /** The model file `pairlift train-reranker --out` wrote (relative to the config file). */
  model: z.string().min(1),
});

export type LearnedConfig = z.infer<typeof learnedConfigSchema>;

export function learnedReranker(model: LearnedModel, path: string): Reranker {
  const row = new Float64Array(model.features.length);
  return {
    identity: { provider: "learned", model: path, options: { trees: model.trees.length } },
    features: model.features,
    score: (_query, candidates) => {
      const scores = new Float64Array(candidates.length);
      candidates.forEach((candidate, i) => {
        model.features.forEach((name, f) => {
          const value = candidate.features[name];
          if (value === undefined)
            throw new PairliftError(
              "E_CONFIG",
              `the learned reranker ${path} needs feature "${name}", which this pipeline does not produce; train it on this pipeline's retrievers`,
              { field: "rerank" },
            );
          row[f] = value;
        });
        scores[i] = predictEnsemble(model.trees, row);
      });
      return Promise.resolve(scores);
    },
    close: () => Promise.resolve(),
  };
}

export const learnedProvider: RerankerProvider<LearnedConfig> = {
  name: "learned",
  schema: learnedConfigSchema,
  create: async (config, context) => {
    const path = isAbsolute(config.model) ? config.model : resolve(context.baseDir, config.model);
    return learnedReranker(await readLearnedModel(path), path);
  },
};
