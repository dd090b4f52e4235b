/**
 * Gain per grade for the graded measures (gain_init.c): each grade 0 … max judged grade gains its
 * own value unless a `grade=gain` parameter (`-m ndcg.1=3,2=9`) says otherwise. Levels are sorted
 * by gain with trec_eval's comparator, which compares `(int)(a - b)` (so gains less than 1 apart
 * compare equal), by glibc's merge sort, so that ties come out in trec_eval's order.
 */
import type { JudgedQuery } from "../judged-query.js";
import type { MeasureParams } from "../params.js";

export interface GainLevel {
  readonly grade: number;
  readonly gain: number;
  /** Judged documents at this grade. */
  readonly count: number;
}

const VALID_INT = /^[+-]?\d+$/;

/** Gain levels in ascending gain order (the ideal ranking reads them from the end). */
export function gainLevels(query: JudgedQuery, params: MeasureParams): GainLevel[] {
  const levels: { grade: number; gain: number; count: number }[] = [];
  for (const pair of params.pairs) {
    if (!VALID_INT.test(pair.name)) continue;
    levels.push({ grade: Number(pair.name), gain: pair.value, count: 0 });
  }
  const given = levels.length;
  for (let g = 0; g < query.numRelLevels; g++) {
    let j = 0;
    while (j < given && levels[j]!.grade !== g) j++;
    if (j < given) levels[j]!.count = query.relLevels[g]!;
    else levels.push({ grade: g, gain: g, count: query.relLevels[g]! });
  }
  return mergeSort(levels, (a, b) => Math.trunc(a.gain - b.gain));
}

/** Gain of a relevance value (0 for a grade without a level, such as unjudged documents). */
export function gainOf(levels: readonly GainLevel[], rel: number): number {
  for (const level of levels) if (level.grade === rel) return level.gain;
  return 0;
}

/** glibc's msort: top-down, left half n/2, ties from the left. */
function mergeSort<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return items;
  const half = items.length >> 1;
  const left = mergeSort(items.slice(0, half), compare);
  const right = mergeSort(items.slice(half), compare);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    out.push(compare(left[i]!, right[j]!) <= 0 ? left[i++]! : right[j++]!);
  }
  while (i < left.length) out.push(left[i++]!);
  while (j < right.length) out.push(right[j++]!);
  return out;
}

/**
 * Walks the ideal ranking: the gain of the document at each rank when every judged document is
 * ranked by gain, highest first; positive gains only. Calls `visit(rank0, gain)` for each, and
 * returns how many there are.
 */
export function idealGains(levels: readonly GainLevel[]): Float64Array {
  const out: number[] = [];
  for (let l = levels.length - 1; l >= 0; l--) {
    const { gain, count } = levels[l]!;
    if (gain <= 0) break;
    for (let c = 0; c < count; c++) out.push(gain);
  }
  return Float64Array.from(out);
}
