/**
 * Turning one query's scores and judgments into the ranked list of grades every metric reads,
 * exactly as trec_eval 10.0 does it (form_res_rels.c):
 *
 * - documents are ranked by score descending, ties broken by docid DESCENDING in strcmp order
 *   (the rank column and the order of lines in a run file are ignored);
 * - a retrieved document's grade is its qrels grade, or 0 when it is not in the qrels;
 * - the query's relevant documents are the judged ones with grade ≥ 1 (relevance level 1),
 *   whether retrieved or not.
 */

/** Grade at or above which a document counts as relevant (trec_eval's default `-l 1`). */
export const RELEVANCE_LEVEL = 1;

/**
 * Compares two strings the way C's strcmp compares their UTF-8 bytes (code point order).
 * JavaScript's `<` compares UTF-16 code units, which differs only when one string has an astral
 * character (surrogate pair) where the other has a character in U+E000–U+FFFF.
 */
export function compareStrcmp(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca !== cb) {
      if (ca >= 0xd800 && cb >= 0xd800) {
        ca = fixupSurrogate(ca);
        cb = fixupSurrogate(cb);
      }
      return ca - cb;
    }
  }
  return a.length - b.length;
}

/** Maps U+D800–U+DFFF above U+E000–U+FFFF so that code unit order becomes code point order. */
function fixupSurrogate(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

/** Sorts strings in strcmp order (in place) and returns the array. */
export function sortStrcmp<T extends string>(values: T[]): T[] {
  return values.sort(compareStrcmp);
}

/**
 * Ranks one query's documents: score descending, ties by docid descending (strcmp order).
 * Returns the docids in rank order (rank 1 first).
 */
export function rankDocuments(scores: ReadonlyMap<string, number>): string[] {
  const n = scores.size;
  const ids = new Array<string>(n);
  const values = new Float64Array(n);
  let i = 0;
  for (const [id, score] of scores) {
    ids[i] = id;
    values[i] = score;
    i++;
  }
  const order = new Uint32Array(n);
  for (let j = 0; j < n; j++) order[j] = j;
  order.sort((x, y) => {
    const sx = values[x]!;
    const sy = values[y]!;
    if (sx > sy) return -1;
    if (sx < sy) return 1;
    return compareStrcmp(ids[y]!, ids[x]!);
  });
  const ranked = new Array<string>(n);
  for (let j = 0; j < n; j++) ranked[j] = ids[order[j]!]!;
  return ranked;
}

/** One query's ranking seen through its judgments: everything the metrics need. */
export interface JudgedRanking {
  /** Grade of the document at each rank (index 0 = rank 1); 0 when the document is unjudged. */
  readonly grades: Float64Array;
  /** 1 where the document at that rank is in the qrels (judged, whatever its grade), else 0. */
  readonly judged: Uint8Array;
  /** Number of judged documents with grade ≥ 1, retrieved or not. */
  readonly numRel: number;
  /** Positive grades of all judged documents, sorted descending: the ideal ranking for nDCG. */
  readonly idealGains: Float64Array;
}

/** An empty ranking for a query the run did not answer (its metrics are all 0). */
export function emptyRanking(judgments: ReadonlyMap<string, number> | undefined): JudgedRanking {
  return judgeRanking([], judgments);
}

export interface JudgeOptions {
  /**
   * Drop documents the qrels do not judge before scoring, so judged ones close up (condensed
   * lists, Sakai 2007; trec_eval's `-J`).
   */
  condensed?: boolean;
}

/** Looks up the grade of each ranked document and summarises the query's judgments. */
export function judgeRanking(
  rankedIds: readonly string[],
  judgments: ReadonlyMap<string, number> | undefined,
  options: JudgeOptions = {},
): JudgedRanking {
  const ranked =
    options.condensed === true ? rankedIds.filter((id) => judgments?.has(id) === true) : rankedIds;
  const grades = new Float64Array(ranked.length);
  const judged = new Uint8Array(ranked.length);
  if (judgments !== undefined && judgments.size > 0) {
    for (let i = 0; i < ranked.length; i++) {
      const grade = judgments.get(ranked[i]!);
      if (grade !== undefined) {
        grades[i] = grade;
        judged[i] = 1;
      }
    }
  }
  let numRel = 0;
  const positive: number[] = [];
  if (judgments !== undefined) {
    for (const grade of judgments.values()) {
      if (grade >= RELEVANCE_LEVEL) numRel++;
      if (grade > 0) positive.push(grade);
    }
  }
  const idealGains = Float64Array.from(positive).sort().reverse();
  return { grades, judged, numRel, idealGains };
}

/** Ranks a query's scores and judges the ranking in one step. */
export function judgeRun(
  scores: ReadonlyMap<string, number>,
  judgments: ReadonlyMap<string, number> | undefined,
  options: JudgeOptions = {},
): JudgedRanking {
  return judgeRanking(rankDocuments(scores), judgments, options);
}
