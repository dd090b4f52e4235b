/**
 * The learned reranker's model file: a LambdaMART ensemble over named candidate features, with
 * what it was trained on. JSON, so a model can be read, diffed and committed.
 */
import { z } from "zod";
import { parseWith } from "../../config/schema-errors.js";
import { PairliftError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { readJsonFile } from "../../io/json-file.js";
import type { Tree } from "./lambdamart.js";

export const LEARNED_MODEL_FORMAT = "pairlift-learned-reranker";
export const LEARNED_MODEL_VERSION = 1;

const treeSchema = z
  .strictObject({
    feature: z.array(z.number().int().min(-1)),
    threshold: z.array(z.number()),
    left: z.array(z.number().int().min(-1)),
    right: z.array(z.number().int().min(-1)),
    value: z.array(z.number()),
  })
  .refine(
    (tree) =>
      tree.feature.length > 0 &&
      [tree.threshold, tree.left, tree.right, tree.value].every(
        (column) => column.length === tree.feature.length,
      ),
    { message: "a tree's columns must be non-empty and of equal length" },
  );

export const learnedModelSchema = z.strictObject({
  format: z.literal(LEARNED_MODEL_FORMAT),
  version: z.literal(LEARNED_MODEL_VERSION),
  kind: z.literal("lambdamart"),
  features: z.array(z.string().min(1)).min(1),
  trees: z.array(treeSchema),
  training: z.record(z.string(), z.unknown()),
});

export type LearnedModel = z.infer<typeof learnedModelSchema> & { trees: Tree[] };

export async function readLearnedModel(path: string): Promise<LearnedModel> {
  const raw = await readJsonFile(
    path,
    "learned reranker model",
    "train one with `pairlift train-reranker`",
  );
  const model = parseWith(learnedModelSchema, raw, path, []);
  // Node references must stay inside the tree, or prediction would walk off it.
  model.trees.forEach((tree, t) => {
    const size = tree.feature.length;
    tree.feature.forEach((feature, node) => {
      if (feature >= model.features.length)
        throw new PairliftError(
          "E_PARSE",
          `tree ${t} node ${node} names feature ${feature}, but the model has ${model.features.length}`,
          { file: path },
        );
      if (
        feature >= 0 &&
        !(
          tree.left[node]! > node &&
          tree.left[node]! < size &&
          tree.right[node]! > node &&
          tree.right[node]! < size
        )
      )
        throw new PairliftError("E_PARSE", `tree ${t} node ${node} points outside the tree`, {
          file: path,
        });
    });
  });
  return model;
}

export async function writeLearnedModel(path: string, model: LearnedModel): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(model)}\n`);
}
