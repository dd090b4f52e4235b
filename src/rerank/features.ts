/**
 * Features a candidate already carries when it reaches the rerank stage, for the learned
 * reranker: what each retriever thought of it, where fusion put it, and cheap text evidence
 * (exact identifier matches, query-term coverage and proximity, BM25 per field, length).
 *
 * Scores a retriever did not return for a candidate are filled with that retriever's lowest
 * score in its (deep) list: the document scored at most that. Everything is per query, so the
 * per-query normalised variants (`…norm`: score ÷ the query's best) let one model serve
 * queries whose raw score scales differ.
 */
import { normalizeText } from "../analysis/normalize.js";
import { RAW_TOKEN, isIdentifierToken, joinIdentifier } from "../analysis/identifiers.js";
import type { LexicalIndex } from "../lexical/lexical-index.js";

export interface ScoredList {
  /** Retriever name: `lexical`, `dense:<embedder>`. */
  retriever: string;
  /** The retriever's own scores for every document it returned (a deep list). */
  scores: ReadonlyMap<string, number>;
  /** Rank (1-based) of each document it returned. */
  ranks: ReadonlyMap<string, number>;
  /** Its best and lowest score, for filling and normalising. */
  best: number;
  lowest: number;
}

export interface FeatureInput {
  query: string;
  lexical: LexicalIndex;
  lists: readonly ScoredList[];
  /** Candidates in fused order, with their fused scores and texts. */
  candidates: readonly { id: string; fused: number; title: string; text: string }[];
}

/** Identifier tokens of a text in compact form (`KT-2040` → `kt2040`). */
export function identifiersOf(text: string): string[] {
  const out = new Set<string>();
  for (const match of normalizeText(text).matchAll(RAW_TOKEN)) {
    if (isIdentifierToken(match[0])) out.add(joinIdentifier(match[0]));
  }
  return [...out];
}

/** What features read from a document's text: its analysed terms in order, and its compact form. */
interface DocumentEvidence {
  text: string;
  terms: string[];
  compact: string;
}

/**
 * Analysing a candidate's text (stemming every word) was most of the feature time, and the
 * same documents come back query after query; so each index keeps the evidence of its most
 * recently used documents (an LRU of MAX_CACHED_DOCUMENTS, checked against the text, so an
 * updated document is analysed again).
 */
const MAX_CACHED_DOCUMENTS = 20_000;
const evidenceCaches = new WeakMap<LexicalIndex, Map<string, DocumentEvidence>>();

function evidenceOf(lexical: LexicalIndex, id: string, text: string): DocumentEvidence {
  let cache = evidenceCaches.get(lexical);
  if (cache === undefined) evidenceCaches.set(lexical, (cache = new Map()));
  const cached = cache.get(id);
  if (cached !== undefined && cached.text === text) {
    cache.delete(id); // most recently used goes last
    cache.set(id, cached);
    return cached;
  }
  const terms: string[] = [];
  lexical.analyzer.analyze(text, (term) => terms.push(term));
  const evidence = { text, terms, compact: compact(text) };
  cache.delete(id);
  cache.set(id, evidence);
  if (cache.size > MAX_CACHED_DOCUMENTS) cache.delete(cache.keys().next().value!);
  return evidence;
}

/** `kt-2040 pro` → `kt2040pro`: for substring checks that ignore case and separators. */
function compact(text: string): string {
  return normalizeText(text).replace(/[^\p{L}\p{N}]+/gu, "");
}

/** The feature names `computeFeatures` produces for these retrievers, in a stable order. */
export function featureNames(retrievers: readonly string[]): string[] {
  const names: string[] = [];
  for (const retriever of retrievers)
    names.push(`${retriever}.score`, `${retriever}.norm`, `${retriever}.rr`, `${retriever}.found`);
  names.push(
    "fused.score",
    "fused.norm",
    "fused.rr",
    "bm25.title",
    "bm25.text",
    "coverage",
    "idf.coverage",
    "lm.dirichlet",
    "lm.gap",
    "proximity",
    "bigrams",
    "identifier.matches",
    "identifier.all",
    "query.identifiers",
    "query.terms",
    "doc.length",
  );
  return names;
}

/** One feature record per candidate, in candidate order. */
export function computeFeatures(input: FeatureInput): Record<string, number>[] {
  const { lexical, lists, candidates } = input;
  const queryTerms = lexical.queryTerms(input.query);
  const queryIdentifiers = identifiersOf(input.query);
  const fieldNames = lexical.options.fields.map((field) => field.name);
  const bestFused = candidates.reduce((best, c) => Math.max(best, c.fused), -Infinity);
  const termList = [...queryTerms.keys()];
  const statistics = new Map(termList.map((term) => [term, lexical.termStatistics(term)]));
  const documentCount = lexical.size;
  const idfOf = (term: string): number => {
    const df = statistics.get(term)?.documentFrequency ?? 0;
    return df === 0 ? 0 : Math.log(1 + (documentCount - df + 0.5) / (df + 0.5));
  };
  const idfTotal = termList.reduce((sum, term) => sum + idfOf(term), 0);
  const bigrams = new Set(termList.slice(1).map((term, i) => `${termList[i]!} ${term}`));
  const records = candidates.map((candidate, i) => {
    const features: Record<string, number> = {};
    for (const list of lists) {
      const score = list.scores.get(candidate.id);
      const value = score ?? list.lowest;
      features[`${list.retriever}.score`] = value;
      features[`${list.retriever}.norm`] = list.best === 0 ? 0 : value / list.best;
      features[`${list.retriever}.rr`] = 1 / (list.ranks.get(candidate.id) ?? Infinity);
      features[`${list.retriever}.found`] = score === undefined ? 0 : 1;
    }
    features["fused.score"] = candidate.fused;
    features["fused.norm"] = bestFused === 0 ? 0 : candidate.fused / bestFused;
    features["fused.rr"] = 1 / (i + 1);

    // BM25 split by field, and which query terms the document holds at all.
    const explanation = lexical.explainTerms(queryTerms, candidate.id);
    const perField = new Map<string, number>(fieldNames.map((name) => [name, 0]));
    for (const term of explanation.terms) {
      for (const [field, tf] of Object.entries(term.fieldTf)) {
        if (tf > 0 && term.tf > 0)
          perField.set(field, (perField.get(field) ?? 0) + (term.score * tf) / term.tf);
      }
    }
    features["bm25.title"] = perField.get("title") ?? 0;
    features["bm25.text"] = perField.get("text") ?? 0;
    const matched = new Set(explanation.terms.map((term) => term.term));
    features["coverage"] = queryTerms.size === 0 ? 0 : matched.size / queryTerms.size;
    features["idf.coverage"] =
      idfTotal === 0 ? 0 : [...matched].reduce((sum, term) => sum + idfOf(term), 0) / idfTotal;
    features["lm.dirichlet"] = dirichlet(
      lexical,
      candidate.id,
      queryTerms,
      explanation,
      statistics,
    );
    const documentText = `${candidate.title}\n${candidate.text}`;
    const evidence = evidenceOf(lexical, candidate.id, documentText);
    const { proximity, length, adjacent } = proximityOf(evidence.terms, matched, bigrams);
    features["proximity"] = proximity;
    features["bigrams"] = bigrams.size === 0 ? 0 : adjacent / bigrams.size;

    const body = evidence.compact;
    const found = queryIdentifiers.filter((identifier) => body.includes(identifier)).length;
    features["identifier.matches"] = found;
    features["identifier.all"] =
      queryIdentifiers.length > 0 && found === queryIdentifiers.length ? 1 : 0;
    features["query.identifiers"] = queryIdentifiers.length;
    features["query.terms"] = queryTerms.size;
    features["doc.length"] = Math.log1p(length);
    return features;
  });
  // How far each candidate's query likelihood is from the best in this query's list.
  const bestLm = records.reduce((best, r) => Math.max(best, r["lm.dirichlet"]!), -Infinity);
  for (const record of records) record["lm.gap"] = record["lm.dirichlet"]! - bestLm;
  return records;
}

/** Dirichlet prior smoothing as in Anserini's query likelihood (μ = 1000). */
const DIRICHLET_MU = 1000;

/**
 * Query likelihood with Dirichlet smoothing: Σ_t qw · ln((tf + μ·P(t|C)) / (|d| + μ)), over
 * the query terms the collection holds. A second lexical model whose errors differ from BM25's.
 */
function dirichlet(
  lexical: LexicalIndex,
  id: string,
  queryTerms: ReadonlyMap<string, number>,
  explanation: { terms: readonly { term: string; tf: number }[] },
  statistics: ReadonlyMap<string, { collectionFrequency: number }>,
): number {
  const { length, total } = lexical.lengthStatistics(id);
  const tfOf = new Map(explanation.terms.map((term) => [term.term, term.tf]));
  let score = 0;
  for (const [term, weight] of queryTerms) {
    const cf = statistics.get(term)?.collectionFrequency ?? 0;
    if (cf === 0 || total === 0) continue;
    const prior = cf / total;
    score +=
      weight * Math.log(((tfOf.get(term) ?? 0) + DIRICHLET_MU * prior) / (length + DIRICHLET_MU));
  }
  return score;
}

/**
 * How close together the matched query terms occur: matched ÷ the length of the shortest
 * window of analysed terms that holds every matched term (1 when adjacent, → 0 when spread).
 */
function proximityOf(
  terms: readonly string[],
  matched: ReadonlySet<string>,
  bigrams: ReadonlySet<string>,
): { proximity: number; length: number; adjacent: number } {
  const positions: { term: string; at: number }[] = [];
  const at = terms.length;
  terms.forEach((term, position) => {
    if (matched.has(term)) positions.push({ term, at: position });
  });
  // Query bigrams the document holds in order, next to each other (each counted once).
  const seen = new Set<string>();
  for (let i = 1; i < positions.length; i += 1) {
    const pair = `${positions[i - 1]!.term} ${positions[i]!.term}`;
    if (positions[i]!.at === positions[i - 1]!.at + 1 && bigrams.has(pair)) seen.add(pair);
  }
  const adjacent = seen.size;
  if (matched.size === 0) return { proximity: 0, length: at, adjacent };
  if (matched.size === 1) return { proximity: 1, length: at, adjacent };
  // Sliding window over the matched positions (already in order).
  const counts = new Map<string, number>();
  let covered = 0;
  let best = Infinity;
  let left = 0;
  for (let right = 0; right < positions.length; right += 1) {
    const term = positions[right]!.term;
    counts.set(term, (counts.get(term) ?? 0) + 1);
    if (counts.get(term) === 1) covered += 1;
    while (covered === matched.size) {
      best = Math.min(best, positions[right]!.at - positions[left]!.at + 1);
      const leftTerm = positions[left]!.term;
      counts.set(leftTerm, counts.get(leftTerm)! - 1);
      if (counts.get(leftTerm) === 0) covered -= 1;
      left += 1;
    }
  }
  return {
    proximity: best === Infinity ? 0 : Math.min(1, matched.size / best),
    length: at,
    adjacent,
  };
}
