/**
 * Query slices: named subsets of a split's queries, each scored on its own so that an
 * aggregate which rises while identifier lookups break cannot hide it.
 *
 * - automatic slices, from the query text and the corpus: `identifier`, `numeric`,
 *   `question`, `short` (≤ 3 tokens), `long` (≥ 10 tokens), `rare-terms` (an analysed query
 *   term that occurs in 1 to 3 documents; needs the index);
 * - `tag:<name>` for each tag in a query's `metadata.tags`;
 * - the slices of a slice file (slice-file.ts), under the names it gives them.
 *
 * A query outside a slice never counts in it; every automatic slice is reported, empty or not.
 */
import { MAX_QUERY_CHARS, type LexicalIndex } from "../../lexical/lexical-index.js";
import type { Query } from "../../types.js";
import { sortStrcmp } from "../ranking.js";
import {
  isIdentifierLike,
  isNumericToken,
  isQuestion,
  queryTokens,
} from "../../analysis/query-shape.js";
import type { SliceFile } from "./slice-file.js";

export const AUTOMATIC_SLICES = Object.freeze([
  "identifier",
  "numeric",
  "question",
  "short",
  "long",
  "rare-terms",
] as const);
export type AutomaticSlice = (typeof AUTOMATIC_SLICES)[number];

/** Slices from `metadata.tags` are named `tag:<tag>`, so a tag never shadows an automatic slice. */
export const TAG_SLICE_PREFIX = "tag:";
export const SHORT_MAX_TOKENS = 3;
export const LONG_MIN_TOKENS = 10;
export const RARE_MAX_DOCUMENT_FREQUENCY = 3;
/** Slices with fewer queries are reported but flagged as too small to judge. */
export const DEFAULT_MIN_SLICE_QUERIES = 10;

/** What `rare-terms` needs from an index: the analysed query and each term's document frequency. */
export interface TermStatistics {
  queryTerms(text: string): Map<string, number>;
  documentFrequency(term: string): number;
}

export interface SliceResult {
  /** How many of the split's evaluated queries are in the slice. */
  queries: number;
  /** Their ids, in queries.jsonl order, so `compare` can pair queries per slice. */
  queryIds: string[];
  /** Mean of each metric over the slice's queries; empty when the slice is. */
  aggregate: Record<string, number>;
  /** Fewer queries than the minimum: shown, but not judged by the gate. */
  tooSmall: boolean;
}

export interface AssignSlicesOptions {
  terms?: TermStatistics;
  sliceFile?: SliceFile;
}

/** The automatic slices one query belongs to (`rare-terms` only when `terms` is given). */
export function automaticSlicesOf(query: Query, terms?: TermStatistics): AutomaticSlice[] {
  const tokens = queryTokens(query.text);
  const slices: AutomaticSlice[] = [];
  if (tokens.some(isIdentifierLike)) slices.push("identifier");
  if (tokens.some(isNumericToken)) slices.push("numeric");
  if (isQuestion(query.text)) slices.push("question");
  if (tokens.length > 0 && tokens.length <= SHORT_MAX_TOKENS) slices.push("short");
  if (tokens.length >= LONG_MIN_TOKENS) slices.push("long");
  if (terms !== undefined && tokens.length > 0) {
    for (const term of terms.queryTerms(query.text).keys()) {
      const df = terms.documentFrequency(term);
      if (df >= 1 && df <= RARE_MAX_DOCUMENT_FREQUENCY) {
        slices.push("rare-terms");
        break;
      }
    }
  }
  return slices;
}

/** `metadata.tags` as strings: an array of strings, or one string; anything else has no tags. */
export function queryTags(query: Query): string[] {
  const tags = query.metadata?.["tags"];
  if (typeof tags === "string") return [tags];
  if (!Array.isArray(tags)) return [];
  return tags.filter((tag): tag is string => typeof tag === "string" && tag !== "");
}

/**
 * Slice name → ids of its queries (in the order given). Automatic slices come first and are
 * always present; then tag slices in name order; then the slice file's, in file order.
 */
export function assignSlices(
  queries: readonly Query[],
  options: AssignSlicesOptions = {},
): Map<string, string[]> {
  const slices = new Map<string, string[]>();
  for (const name of AUTOMATIC_SLICES) {
    if (name !== "rare-terms" || options.terms !== undefined) slices.set(name, []);
  }
  const tagged = new Map<string, string[]>();
  for (const query of queries) {
    for (const name of automaticSlicesOf(query, options.terms)) slices.get(name)!.push(query.id);
    for (const tag of new Set(queryTags(query))) {
      const name = `${TAG_SLICE_PREFIX}${tag}`;
      let members = tagged.get(name);
      if (members === undefined) tagged.set(name, (members = []));
      members.push(query.id);
    }
  }
  for (const name of sortStrcmp([...tagged.keys()])) slices.set(name, tagged.get(name)!);
  for (const definition of options.sliceFile?.slices ?? []) {
    slices.set(
      definition.name,
      queries.filter((query) => definition.matches(query)).map((query) => query.id),
    );
  }
  return slices;
}

/**
 * Scores each slice from per-query metrics. A member without per-query values (not evaluated)
 * is left out. Means sum in strcmp order of qid, as the overall aggregate does, so a slice
 * holding every query reproduces it to the last bit.
 */
export function summarizeSlices(
  perQuery: Readonly<Record<string, Readonly<Record<string, number>>>>,
  membership: ReadonlyMap<string, readonly string[]>,
  minQueries: number = DEFAULT_MIN_SLICE_QUERIES,
): Record<string, SliceResult> {
  const result: Record<string, SliceResult> = {};
  for (const [name, members] of membership) {
    const queryIds = members.filter((id) => Object.hasOwn(perQuery, id));
    const aggregate: Record<string, number> = {};
    if (queryIds.length > 0) {
      const sums = new Map<string, number>();
      for (const id of sortStrcmp([...queryIds])) {
        for (const [metric, value] of Object.entries(perQuery[id]!)) {
          sums.set(metric, (sums.get(metric) ?? 0) + value);
        }
      }
      for (const [metric, sum] of sums) aggregate[metric] = sum / queryIds.length;
    }
    result[name] = {
      queries: queryIds.length,
      queryIds,
      aggregate,
      tooSmall: queryIds.length < minQueries,
    };
  }
  return result;
}

/** Term statistics read from a BM25 index (the one `eval` searches). */
export function indexTermStatistics(index: LexicalIndex): TermStatistics {
  const dictionary = index.toParts().terms;
  return {
    queryTerms: (text) =>
      text.trim() === "" || text.length > MAX_QUERY_CHARS ? new Map() : index.queryTerms(text),
    documentFrequency: (term) => dictionary.get(term)?.length ?? 0,
  };
}
