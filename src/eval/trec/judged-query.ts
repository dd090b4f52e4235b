/**
 * One query's ranked relevance values, as trec_eval 10.0 forms them (form_res_rels.c); every
 * trec_eval measure reads this and nothing else.
 *
 * - Documents are ranked by score descending, ties broken by docid descending in strcmp order;
 *   with `maxDocsPerTopic` (`-M`) only the first that many count.
 * - A retrieved document's relevance value is its qrels grade; {@link NONPOOL} (-1) when the qrels
 *   do not list it; {@link UNJUDGED} (-2) when the qrels list it with a negative grade (in the
 *   pool, not judged: infAP's sampled pools).
 * - With `judgedOnly` (`-J`) documents that are not judged (-1, -2) are removed after ranking,
 *   so the judged documents close up (Sakai's condensed lists).
 * - `relLevels[g]` counts the query's judged documents (retrieved or not) at grade g ≥ 0;
 *   relevant means grade ≥ `relevanceLevel` (`-l`, default 1).
 */
import { rankDocuments } from "../ranking.js";

/** Relevance value of a retrieved document the qrels do not list. */
export const NONPOOL = -1;
/** Relevance value of a retrieved document listed in the qrels with a negative grade. */
export const UNJUDGED = -2;

export interface JudgeOptions {
  /** Minimum grade of a relevant document (trec_eval `-l`). */
  relevanceLevel: number;
  /** Evaluate only the top this many documents of each query (trec_eval `-M`). */
  maxDocsPerTopic: number;
  /** Drop unjudged documents before evaluating (trec_eval `-J`). */
  judgedOnly: boolean;
}

export interface JudgedQuery {
  /** Relevance value at each rank (index 0 = rank 1): a grade ≥ 0, NONPOOL or UNJUDGED. */
  readonly rels: Int32Array;
  readonly numRet: number;
  /** Judged documents with grade ≥ relevanceLevel, retrieved or not. */
  readonly numRel: number;
  readonly numRelRet: number;
  /** Retrieved documents not in the qrels. */
  readonly numNonpool: number;
  /** Retrieved documents in the qrels with a negative grade. */
  readonly numUnjudgedInPool: number;
  /** Count of judged documents (retrieved or not) at each grade 0, 1, 2, …. */
  readonly relLevels: Int32Array;
  /** One past the highest grade that has a judged document (0 when none). */
  readonly numRelLevels: number;
  readonly relevanceLevel: number;
}

/** Counts a query's judgments per non-negative grade. */
function countLevels(judgments: ReadonlyMap<string, number> | undefined): Int32Array {
  let max = -1;
  if (judgments !== undefined) for (const grade of judgments.values()) if (grade > max) max = grade;
  const levels = new Int32Array(max + 1);
  if (judgments !== undefined) {
    for (const grade of judgments.values()) if (grade >= 0) levels[grade]!++;
  }
  return levels;
}

/** Ranks a query's scores (or takes an empty list) and looks up each document's relevance. */
export function judgeQuery(
  scores: ReadonlyMap<string, number> | undefined,
  judgments: ReadonlyMap<string, number> | undefined,
  options: JudgeOptions,
): JudgedQuery {
  const ranked = scores === undefined || scores.size === 0 ? [] : rankDocuments(scores);
  return judgeRanked(ranked, judgments, options);
}

/** Looks up the relevance of already ranked docids (rank 1 first). */
export function judgeRanked(
  ranked: readonly string[],
  judgments: ReadonlyMap<string, number> | undefined,
  options: JudgeOptions,
): JudgedQuery {
  const { relevanceLevel } = options;
  const n = Math.min(ranked.length, options.maxDocsPerTopic);
  const rels = new Int32Array(n);
  let kept = 0;
  let numRelRet = 0;
  let numNonpool = 0;
  let numUnjudgedInPool = 0;
  for (let i = 0; i < n; i++) {
    const grade = judgments?.get(ranked[i]!);
    const rel = grade === undefined ? NONPOOL : grade < 0 ? UNJUDGED : grade;
    if (rel < 0) {
      if (options.judgedOnly) continue;
      if (rel === NONPOOL) numNonpool++;
      else numUnjudgedInPool++;
    } else if (rel >= relevanceLevel) {
      numRelRet++;
    }
    rels[kept++] = rel;
  }
  const relLevels = countLevels(judgments);
  let numRel = 0;
  let numRelLevels = 0;
  for (let g = 0; g < relLevels.length; g++) {
    if (relLevels[g]! > 0) {
      numRelLevels = g + 1;
      if (g >= relevanceLevel) numRel += relLevels[g]!;
    }
  }
  return {
    rels: kept === n ? rels : rels.subarray(0, kept),
    numRet: kept,
    numRel,
    numRelRet,
    numNonpool,
    numUnjudgedInPool,
    relLevels,
    numRelLevels,
    relevanceLevel,
  };
}
