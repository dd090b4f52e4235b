import {
  hasSeparator,
  isIdentifierToken,
  joinIdentifier,
  RAW_TOKEN,
  separatorParts,
} from "../../analysis/identifiers.js";
import { normalizeText } from "../../analysis/normalize.js";
import { fieldText } from "../../lexical/lexical-index.js";
import type { OpenIndex } from "../../store/index-store.js";
import type { Finding, SearchMonitor, SearchObservation } from "./types.js";

const DIGIT = /\p{N}/u;

/**
 * The lost-SKU failure: the query names an identifier (`KT-2040`) that the corpus holds (the
 * lexical index has its joined term `kt2040`), yet no returned document contains it.
 */
export function identifierMissMonitor(): SearchMonitor {
  return {
    type: "identifier_miss",
    check: (observation) => check(observation),
  };
}

/** The query's identifiers, each as the joined term the index stores for it (`KT-2040` → `kt2040`). */
export function queryIdentifiers(query: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of normalizeText(query).matchAll(RAW_TOKEN)) {
    if (isIdentifierToken(match[0])) found.set(joinIdentifier(match[0]), match[0]);
  }
  return found;
}

function check({ query, result, index }: SearchObservation): Finding | undefined {
  // An identifier holds a digit: most queries have none, and cost one scan of their characters.
  if (!DIGIT.test(query)) return undefined;
  const identifiers = queryIdentifiers(query);
  if (identifiers.size === 0) return undefined;
  // Asks the index for each term's document frequency; it does not unpack the vocabulary.
  const indexed = [...identifiers.keys()].filter(
    (term) => index.lexical.termStatistics(term).documentFrequency > 0,
  );
  if (indexed.length === 0) return undefined;
  const missing = new Set(indexed);
  for (const hit of result.hits) {
    const terms = documentTerms(index, hit.id);
    for (const term of [...missing]) if (terms.has(term)) missing.delete(term);
    if (missing.size === 0) return undefined;
  }
  const names = [...missing].map((term) => identifiers.get(term) ?? term);
  return {
    message: `the corpus holds ${names.map((name) => JSON.stringify(name)).join(", ")}, but none of the ${result.hits.length} results contains it`,
    detail: { identifiers: names, terms: [...missing], results: result.hits.length },
  };
}

/**
 * The identifier terms of a stored document, over the fields the index was built from: what the
 * analyzer emits for identifier-like tokens (the token joined, and each separator part), without
 * stemming every plain word of the document. A token without a digit cannot match a query
 * identifier, which always holds one.
 */
function documentTerms(index: OpenIndex, id: string): ReadonlySet<string> {
  let cached = termCache.get(index);
  if (cached === undefined) termCache.set(index, (cached = new Map()));
  let terms = cached.get(id);
  if (terms === undefined) {
    // Bounded: a long-running server keeps the documents its answers name most recently.
    if (cached.size >= TERM_CACHE_DOCUMENTS) cached.clear();
    cached.set(id, (terms = scanDocumentTerms(index, id)));
  }
  return terms;
}

/**
 * Identifier terms per document of an open index (served indexes do not change; a reload opens a
 * new one), so a document that answers many identifier queries is scanned once, not per search.
 */
const termCache = new WeakMap<OpenIndex, Map<string, ReadonlySet<string>>>();
const TERM_CACHE_DOCUMENTS = 10_000;

function scanDocumentTerms(index: OpenIndex, id: string): Set<string> {
  const document = index.documents.get(id);
  const terms = new Set<string>();
  if (document === undefined) return terms;
  for (const field of index.lexical.options.fields) {
    for (const match of normalizeText(fieldText(document, field.name)).matchAll(RAW_TOKEN)) {
      const token = match[0];
      if (!DIGIT.test(token)) continue;
      terms.add(joinIdentifier(token));
      if (hasSeparator(token)) for (const part of separatorParts(token)) terms.add(part);
    }
  }
  return terms;
}
