import type { PipelineHitRef } from "../../pipeline/pipeline.js";
import type { Finding, SearchMonitor } from "./types.js";

export interface PathDisagreementSettings {
  /** Alert when the lexical and dense top 10 share less than this fraction… */
  overlap: number;
  /** …and one path's top-1 margin is at least this… */
  margin: number;
  /** …and this many times the other path's. */
  strength: number;
}

const TOP = 10;

/**
 * Lexical and dense retrieval disagree, and one of them is sure of itself: typically BM25 found
 * the exact SKU with a standout score while the embedding saw only similar products. Needs the
 * pipeline's per-retriever lists (`retrieved`), so it watches hybrid pipelines only.
 */
export function pathDisagreementMonitor(settings: PathDisagreementSettings): SearchMonitor {
  return {
    type: "path_disagreement",
    check: ({ result }) => {
      const retrieved = result.retrieved;
      if (retrieved === undefined) return undefined;
      const names = Object.keys(retrieved);
      const lexical = names.filter((name) => name === "lexical" || name === "bm25");
      const dense = names.filter((name) => name.startsWith("dense"));
      for (const a of lexical) {
        for (const b of dense) {
          const finding = compare(a, retrieved[a]!, b, retrieved[b]!, settings);
          if (finding !== undefined) return finding;
        }
      }
      return undefined;
    },
  };
}

/** How far the top hit leads the rest of its top 10: (s1 − s2) / (s1 − s10), in [0, 1]. */
export function topMargin(hits: readonly PipelineHitRef[]): number | undefined {
  const top = hits.slice(0, TOP);
  if (top.length < 3) return undefined;
  const first = top[0]!.score;
  const range = first - top[top.length - 1]!.score;
  return range <= 0 ? 0 : (first - top[1]!.score) / range;
}

/** |A ∩ B| / min(10, max(|A|, |B|)) over the two top 10s; 1 when both are empty. */
export function overlapAt10(a: readonly { id: string }[], b: readonly { id: string }[]): number {
  const left = new Set(a.slice(0, TOP).map((hit) => hit.id));
  const right = b.slice(0, TOP).map((hit) => hit.id);
  const size = Math.min(TOP, Math.max(left.size, right.length));
  if (size === 0) return 1;
  return right.filter((id) => left.has(id)).length / size;
}

function compare(
  nameA: string,
  a: readonly PipelineHitRef[],
  nameB: string,
  b: readonly PipelineHitRef[],
  settings: PathDisagreementSettings,
): Finding | undefined {
  const overlap = overlapAt10(a, b);
  if (overlap >= settings.overlap) return undefined;
  const marginA = topMargin(a);
  const marginB = topMargin(b);
  if (marginA === undefined || marginB === undefined) return undefined;
  const [strong, strongMargin, weak, weakMargin] =
    marginA >= marginB ? [nameA, marginA, nameB, marginB] : [nameB, marginB, nameA, marginA];
  if (strongMargin < settings.margin || strongMargin < settings.strength * weakMargin)
    return undefined;
  return {
    message: `${nameA} and ${nameB} share ${Math.round(overlap * TOP)} of their top ${TOP}, and ${strong} is far surer of its top hit (margin ${strongMargin.toFixed(2)} vs ${weakMargin.toFixed(2)})`,
    detail: {
      overlap,
      stronger: strong,
      margins: { [strong]: strongMargin, [weak]: weakMargin },
      tops: { [nameA]: a[0]?.id, [nameB]: b[0]?.id },
    },
  };
}
