/**
 * The sweep's grid: first stages × first-stage depths × fusion variants × rerankers × rerank
 * depths, expanded into configurations in a fixed order (first stage outermost, so variants that
 * share a first stage run one after another and the baseline, lexical-only, comes first).
 *
 * - Fusion applies only to first stages with two or more retrievers; a single path has none.
 * - A rerank depth above the first-stage depth is skipped for single-path first stages (the
 *   pipeline would fetch the rerank depth anyway, duplicating a deeper configuration).
 * - Every configuration has an id that says what it is: `bm25@100`,
 *   `hybrid:use@100 / rrf k=60 / learned@50`, `hybrid:use@100 / rrf k=60 / guard off`; reports,
 *   the baseline and resume use it.
 */
import { describeFusion, type FusionSpec } from "../../fusion/fuse.js";
import { PairliftError } from "../../errors.js";
import { resolvePipeline } from "../../pipeline/config.js";
import { expandFusionEntry, NO_RERANKER, TUNED_FUSION, type LabSettings } from "../lab-config.js";

export interface FirstStage {
  /** The shorthand: `bm25`, `dense:use`, `hybrid:use+glove`. */
  name: string;
  lexical: boolean;
  embedders: string[];
}

export type FusionVariant =
  | { kind: "spec"; spec: FusionSpec; label: string }
  | { kind: "tune"; label: typeof TUNED_FUSION }
  | { kind: "file"; file: string; label: string };

export interface LabConfiguration {
  id: string;
  firstStage: FirstStage;
  /** Candidates per retriever. */
  depth: number;
  /** Undefined for a single-retriever first stage. */
  fusion: FusionVariant | undefined;
  /** Undefined: no rerank stage. */
  reranker: string | undefined;
  rerankDepth: number | undefined;
  /** The exact-match guard; off adds ` / guard off` to the id. */
  guard: boolean;
}

/** Separates the parts of a configuration id. */
export const ID_SEPARATOR = " / ";

export function parseFirstStage(name: string, field: string, file?: string): FirstStage {
  try {
    const definition = resolvePipeline(name, {});
    return {
      name,
      lexical: definition.retrievers.some((r) => r.kind === "lexical"),
      embedders: definition.retrievers.flatMap((r) => (r.kind === "dense" ? [r.embedder] : [])),
    };
  } catch {
    throw new PairliftError(
      "E_CONFIG",
      `unknown first stage "${name}"; expected bm25, dense:<embedder> or hybrid:<embedder>[+<embedder>]`,
      file === undefined ? { field } : { file, field },
    );
  }
}

export function fusionVariants(settings: Pick<LabSettings, "fusion">): FusionVariant[] {
  const variants: FusionVariant[] = [];
  for (const entry of settings.fusion) {
    for (const expanded of expandFusionEntry(entry)) {
      if (expanded === TUNED_FUSION) variants.push({ kind: "tune", label: TUNED_FUSION });
      else if ("tuned" in expanded)
        variants.push({ kind: "file", file: expanded.tuned, label: `tuned:${expanded.tuned}` });
      else variants.push({ kind: "spec", spec: expanded, label: describeFusion(expanded) });
    }
  }
  const seen = new Set<string>();
  return variants.filter((variant) => !seen.has(variant.label) && seen.add(variant.label));
}

export function configurationId(configuration: Omit<LabConfiguration, "id">): string {
  const parts = [`${configuration.firstStage.name}@${configuration.depth}`];
  if (configuration.fusion !== undefined) parts.push(configuration.fusion.label);
  if (configuration.reranker !== undefined)
    parts.push(`${configuration.reranker}@${configuration.rerankDepth}`);
  if (!configuration.guard) parts.push("guard off");
  return parts.join(ID_SEPARATOR);
}

/** Every configuration of the grid, in sweep order. */
export function expandGrid(
  settings: Pick<LabSettings, "firstStages" | "depths" | "fusion" | "rerankers" | "rerankDepths"> &
    Partial<Pick<LabSettings, "guards">>,
  embedders: Readonly<Record<string, unknown>>,
  file?: string,
): LabConfiguration[] {
  const stages = settings.firstStages.map((name, i) => {
    const stage = parseFirstStage(name, `lab.firstStages.${i}`, file);
    for (const embedder of stage.embedders)
      if (!Object.hasOwn(embedders, embedder))
        throw new PairliftError(
          "E_CONFIG",
          `first stage "${name}" names unknown embedder "${embedder}"; defined: ${Object.keys(embedders).join(", ")}`,
          file === undefined
            ? { field: `lab.firstStages.${i}` }
            : { file, field: `lab.firstStages.${i}` },
        );
    return stage;
  });
  const fusions = fusionVariants(settings);
  const configurations: LabConfiguration[] = [];
  const seen = new Set<string>();
  for (const firstStage of stages) {
    const single = (firstStage.lexical ? 1 : 0) + firstStage.embedders.length === 1;
    for (const depth of settings.depths) {
      for (const fusion of single ? [undefined] : fusions) {
        for (const reranker of settings.rerankers) {
          const rerankVariants: Array<[string | undefined, number | undefined]> =
            reranker === NO_RERANKER
              ? [[undefined, undefined]]
              : settings.rerankDepths
                  .filter((rerankDepth) => !single || rerankDepth <= depth)
                  .map((rerankDepth) => [reranker, rerankDepth]);
          for (const [name, rerankDepth] of rerankVariants) {
            for (const guard of settings.guards ?? [true]) {
              const partial = { firstStage, depth, fusion, reranker: name, rerankDepth, guard };
              const id = configurationId(partial);
              if (seen.has(id)) continue;
              seen.add(id);
              configurations.push({ id, ...partial });
            }
          }
        }
      }
    }
  }
  return configurations;
}
