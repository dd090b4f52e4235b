/**
 * trec_eval's `-Z`: each per-query value becomes a z-score, (value − mean) / stddev, against the
 * mean and standard deviation of reference runs for that query and measure (convert_zscores.c).
 * A value without reference numbers becomes {@link MISSING_ZSCORE}; so does one whose stddev is 0
 * unless it equals the mean (then 0).
 */

/** What trec_eval prints for a value it cannot convert. */
export const MISSING_ZSCORE = -1000000;

export interface ZScoreReference {
  readonly mean: number;
  readonly stddev: number;
}

/** qid → measure value name (`P_10`) → reference mean and stddev. */
export type ZScores = ReadonlyMap<string, ReadonlyMap<string, ZScoreReference>>;

/** Converts one query's values (named by `names`) in place. */
export function convertToZScores(
  zscores: ZScores,
  qid: string,
  names: readonly string[],
  values: Float64Array,
): void {
  const forQuery = zscores.get(qid);
  for (let i = 0; i < names.length; i++) {
    const reference = forQuery?.get(names[i]!);
    if (reference === undefined) {
      values[i] = MISSING_ZSCORE;
    } else if (reference.stddev !== 0) {
      values[i] = (values[i]! - reference.mean) / reference.stddev;
    } else {
      values[i] = values[i] === reference.mean ? 0 : MISSING_ZSCORE;
    }
  }
}
