/**
 * The config block under a pipeline's `fusion:` key:
 *
 * ```yaml
 * fusion: { method: rrf, k: 60, weights: { bm25: 1, "dense:use": 0.5 } }
 * fusion: { method: weighted, normalization: dbsf, weights: { bm25: 0.7 } }
 * fusion: { tuned: ./tuned/fusion.json }   # method and weights chosen by a tuning run
 * ```
 *
 * Objects are strict, so a misspelt key is an error rather than a silently ignored setting.
 */
import { z } from "zod";
import type { FusionSpec } from "./fuse.js";
import { NORMALIZATIONS, type Normalization } from "./normalize.js";

/** What a `fusion:` block may hold: a spec, or the path of a tuned-fusion JSON file. */
export type FusionConfig = FusionSpec | { tuned: string };

const weightsSchema = z.record(
  z.string(),
  z
    .number({ error: "a weight is a number ≥ 0 (0 ignores the retriever)" })
    .min(0, "a weight is a number ≥ 0 (0 ignores the retriever)"),
);

const rrfSchema = z.strictObject({
  method: z.literal("rrf"),
  k: z.number({ error: "k is a number > 0" }).positive("k is a number > 0").optional(),
  weights: weightsSchema.optional(),
});

const weightedSchema = z.strictObject({
  method: z.literal("weighted"),
  normalization: z
    .enum(NORMALIZATIONS as [Normalization, ...Normalization[]], {
      error: `expected one of ${NORMALIZATIONS.join(", ")}`,
    })
    .optional(),
  weights: weightsSchema.optional(),
});

/** A fusion spec alone (no `tuned`), e.g. for the spec inside a tuned-fusion file. */
export const fusionMethodSchema: z.ZodType<FusionSpec> = z.discriminatedUnion(
  "method",
  [rrfSchema, weightedSchema],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? "expected method: rrf or method: weighted (or tuned: <file> instead of a method)"
        : undefined,
  },
);

const tunedSchema = z.strictObject(
  { tuned: z.string({ error: "tuned is the path of a tuned-fusion JSON file" }).min(1) },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `a tuned fusion takes only "tuned" (the file holds method and weights); remove ${issue.keys.join(", ")}`
        : undefined,
  },
);

/**
 * The `fusion:` block. A block with a `tuned` key is read as the tuned variant, anything else
 * by its `method`; dispatching by hand (rather than z.union) keeps each error on its own path
 * (`pipelines.x.fusion.k: k is a number > 0`) instead of one "Invalid input" for the block.
 */
export const fusionSpecSchema: z.ZodType<FusionConfig> = z
  .unknown()
  .transform((value, ctx): FusionConfig => {
    const tuned = typeof value === "object" && value !== null && Object.hasOwn(value, "tuned");
    const result = tuned ? tunedSchema.safeParse(value) : fusionMethodSchema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });
