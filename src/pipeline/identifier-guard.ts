/**
 * The exact-match guard: whatever an embedder, a fusion or a reranker made of an identifier
 * query, the lexical path, the one that can match a code at all, decides the head of the
 * list, and the product that *is* the identifier comes first.
 *
 For a query that names an identifier (`kt2040`, `KT-2040 charger`, `IL-6 levels`: a token the
 * `identifier` slice counts, analysis/query-shape.ts):
 * 1. The lexical path's first `lead` hits lead, in its order. Dense models place `KT-2040` or
 *    `p53` close to noise: on SciFact's identifier queries fusing GloVe in at any RRF weight
 *    short of ignoring it lost nDCG@10 against BM25 alone (BENCHMARKS.md, identifiers), also
 *    where the corpus lacks the code and BM25 answers from the query's other words.
 * 2. **Owner**: a document whose identifier field holds the identifier as a whole code (its SKU
 *    says `KT-2040`; an accessory's `KT-2040-SH` only shares parts). When at least half of the
 *    query's other words are in the owner's naming fields (title, identifier and keyword
 *    fields), or there are none, the query asks for the owner: it goes to rank 1 (`kestrel
 *    kt2040 drill`). Otherwise the words ask for something else (`KT-2040 charger`, `blade for
 *    KT-4050`): the owners move below the first `lead` other hits, where the accessories that
 *    fit it are.
 *
 * Every hit the guard moved says so (`guard`); moved hits get scores between those of the
 * unmoved hits around them, so the list stays sorted by score (runs written from it rank as
 * returned).
 */
import type { LexicalIndex } from "../lexical/lexical-index.js";

export interface GuardDefinition {
  /** Default true. */
  enabled: boolean;
  /** Hits the lexical path leads with, or owners sink below (default 10). */
  lead: number;
  /**
   * Weight (0..1) of each word of the owner's title added to the lexical query that orders the
   * lead (default 0.2; 0 turns it off). See withOwnerContext.
   */
  ownerContext: number;
}

export const DEFAULT_GUARD: Readonly<GuardDefinition> = Object.freeze({
  enabled: true,
  lead: 10,
  ownerContext: 0.2,
});

/** Share of the query's other words an owner's naming fields must hold for the owner to be asked for. */
export const OWNER_WORDS_SHARE = 0.5;

/** What the guard did to a hit (shown as `guard: …` in explanations). */
export type GuardNote =
  | "exact identifier"
  | "identifier owner below what the words ask for"
  | "identifier: lexical order";

export interface GuardableHit {
  id: string;
  score: number;
  guard?: GuardNote;
}

/**
 * Applies the guard to a final list. `lexicalHits`: the lexical path's own list, best first,
 * when the pipeline has one. Returns the list unchanged when the query names no identifier
 * the index holds.
 */
export function guardIdentifiers<H extends GuardableHit>(input: {
  query: string;
  hits: readonly H[];
  lexical: LexicalIndex;
  lexicalHits: readonly { id: string; score: number }[] | undefined;
  guard: GuardDefinition;
  /** Builds a hit for a document the list lacks (an owner no path retrieved high enough). */
  missing: (id: string) => H;
  /** A document's title, the words that name it (for the owner's context). */
  title?: (id: string) => string | undefined;
}): H[] {
  const { query, lexical, lexicalHits, guard } = input;
  let hits = [...input.hits];
  if (!guard.enabled || hits.length === 0) return hits;
  const { identifiers, forms, words } = lexical.identifierQuery(query);
  if (identifiers === 0 && forms.length === 0) return hits;
  const owners = new Set(lexical.identifierOwners(forms));
  // Words decide between the documents that mention a code only where some document *is* it:
  // in a catalogue, `KT-2040 charger` names a product type; in SciFact's `IL-6` sentences,
  // holding every word says little (ordering by it there cost 0.2 nDCG@10).
  const deciding = owners.size > 0 ? words : [];
  const byId = new Map(hits.map((hit) => [hit.id, hit]));
  const hit = (id: string): H => byId.get(id) ?? input.missing(id);
  const owner =
    owners.size === 0
      ? undefined
      : (hits.find((candidate) => owners.has(candidate.id))?.id ?? [...owners].sort()[0]!);
  const askedFor = owner !== undefined && lexical.namedShare(owner, words) >= OWNER_WORDS_SHARE;

  // 1. The lexical path, the one that matched the identifier, leads in its own order.
  const before = hits.map((other) => other.id);
  if (lexicalHits !== undefined && lexicalHits.length > 0) {
    const ownerTitle =
      owner === undefined || guard.ownerContext === 0 ? undefined : input.title?.(owner);
    const ranked =
      ownerTitle === undefined
        ? lexicalHits
        : lexical.searchTerms(withOwnerContext(lexical, query, ownerTitle, guard.ownerContext), {
            k: Math.max(lexicalHits.length, guard.lead),
          });
    const lead = byWordsHeld(ranked, lexical, deciding)
      .slice(0, guard.lead)
      .map((ref) => ref.id);
    const leading = new Set(lead);
    hits = [...lead.map(hit), ...hits.filter((other) => !leading.has(other.id))];
    hits = hits.map((other, i) =>
      i < lead.length && before[i] !== other.id
        ? { ...other, guard: "identifier: lexical order" }
        : other,
    );
  }
  if (owner === undefined) return sortedScores(hits, before);

  // 2. The owner first when the query asks for it, else below what the words ask for.
  if (askedFor) {
    const found = hits.find((candidate) => candidate.id === owner) ?? hit(owner);
    return sortedScores(
      [{ ...found, guard: "exact identifier" }, ...hits.filter((other) => other.id !== owner)],
      before,
    );
  }
  const others = hits.filter((other) => !owners.has(other.id));
  const sunk = hits
    .filter((other) => owners.has(other.id))
    .map((other): H => ({ ...other, guard: "identifier owner below what the words ask for" }));
  return sortedScores(
    [...others.slice(0, guard.lead), ...sunk, ...others.slice(guard.lead)],
    before,
  );
}

/**
 * The query plus the words of its owner's title at a low weight: after the product that *is*
 * `KT-2060` come those like it (the `KT-2060X` hammer drill kit, which holds `kt` and `2060`
 * only as parts) rather than the side handles whose text mentions it; for `kt2040 battery`,
 * Kestrel's 18V batteries before other brands'. Pseudo-relevance feedback (as RM3 does from the
 * top documents) from the one document the identifier makes certain.
 */
function withOwnerContext(
  lexical: LexicalIndex,
  query: string,
  ownerTitle: string,
  weight: number,
): Map<string, number> {
  const terms = lexical.queryTerms(query);
  for (const [term, count] of lexical.queryTerms(ownerTitle)) {
    if (!terms.has(term)) terms.set(term, count * weight);
  }
  return terms;
}

/**
 * The lexical hits, those whose naming fields (title, identifier and keyword fields) hold more
 * of the query's other words first, then those holding more of them anywhere; BM25 order
 * within (a stable sort). `KT-2040 charger` asks for a charger: a side handle that only
 * mentions the KT-2040 scores high on the rare code alone, above chargers that fit it, and a
 * drill kit whose text says it comes with a charger is not one.
 */
function byWordsHeld<R extends { id: string }>(
  hits: readonly R[],
  lexical: LexicalIndex,
  words: readonly string[],
): readonly R[] {
  if (words.length === 0) return hits;
  // Named count first: it moves a hit by more than any count of words held anywhere can.
  const rank = (id: string) =>
    Math.round(lexical.namedShare(id, words) * words.length) * (words.length + 1) +
    lexical.wordsHeld(id, words);
  const ranks = new Map(hits.map((hit) => [hit.id, rank(hit.id)]));
  return [...hits].sort((a, b) => ranks.get(b.id)! - ranks.get(a.id)!);
}

/**
 * Scores that follow the order: hits at the rank they had (`before`) keep their scores (they
 * are still in score order); each run of moved hits gets evenly spaced scores between the
 * unmoved hits around it (above the first, or below the last, at the end of the list).
 */
function sortedScores<H extends GuardableHit>(hits: H[], before: readonly string[]): H[] {
  const moved = hits.map((hit, i) => before[i] !== hit.id);
  for (let start = 0; start < hits.length;) {
    if (!moved[start]) {
      start += 1;
      continue;
    }
    let end = start;
    while (end < hits.length && moved[end]) end += 1;
    const above = start > 0 ? hits[start - 1]!.score : undefined;
    const below = end < hits.length ? hits[end]!.score : undefined;
    const count = end - start;
    for (let j = 0; j < count; j += 1) {
      let score: number;
      if (above !== undefined && below !== undefined) {
        score = above - ((above - below) * (j + 1)) / (count + 1);
      } else if (below !== undefined) {
        score = below + step(below) * (count - j);
      } else if (above !== undefined) {
        score = above - step(above) * (j + 1);
      } else {
        score = count - j;
      }
      hits[start + j] = { ...hits[start + j]!, score };
    }
    start = end;
  }
  // Ties (fused scores can tie) would let a run's tie-break (trec_eval: docid) reorder what the
  // guard ordered: from the bottom up, each hit scores at least a hair above the next.
  for (let i = hits.length - 2; i >= 0; i -= 1) {
    const below = hits[i + 1]!.score;
    if (hits[i]!.score > below) continue;
    hits[i] = { ...hits[i]!, score: below + Math.max(1e-12, Math.abs(below) * 1e-12) };
  }
  return hits;
}

/** A score difference that shows at four decimals and keeps its sign. */
function step(score: number): number {
  return Math.max(1e-3, Math.abs(score) * 1e-3);
}
