import { Analyzer, embeddedCodes, keywordTerm, wholeCodeTerm } from "../analysis/analyzer.js";
import { adjacentJoins, joinIdentifier, letterDigitRuns } from "../analysis/identifiers.js";
import { isIdentifierLike, queryTokens } from "../analysis/query-shape.js";
import { PairliftError } from "../errors.js";
import type { Document } from "../types.js";
import { Bm25Weights, bm25Idf } from "./bm25.js";
import {
  resolveBm25,
  resolveLexicalOptions,
  type Bm25Params,
  type FieldSpec,
  type LexicalIndexOptions,
  type LexicalIndexOptionsInput,
} from "./options.js";
import { PostingDictionary } from "./posting-dictionary.js";
import { PostingList } from "./posting-list.js";
import { TopK } from "./top-k.js";

export interface LexicalHit {
  id: string;
  score: number;
}

export interface LexicalSearchOptions {
  /** How many documents to return (default 10). */
  k?: number;
  /** Override the index's BM25 parameters for this query (parameter sweeps). */
  bm25?: Partial<Bm25Params>;
}

/** One query term's part in a document's score, with the numbers of the formula. */
export interface TermExplanation {
  term: string;
  queryWeight: number;
  idf: number;
  documentFrequency: number;
  /** Weighted term frequency Σ_f weight_f · tf_f. */
  tf: number;
  fieldTf: Record<string, number>;
  score: number;
}

export interface Explanation {
  id: string;
  score: number;
  formula: string;
  terms: TermExplanation[];
}

/** Queries longer than this are refused: they are pasted documents, not searches. */
export const MAX_QUERY_CHARS = 8_192;

/** Refuses the queries no pipeline should run: empty ones and pasted documents. */
export function refuseUnusableQuery(query: string): void {
  if (query.trim() === "") throw new PairliftError("E_QUERY", "query is empty", { field: "query" });
  if (query.length > MAX_QUERY_CHARS)
    throw new PairliftError(
      "E_QUERY",
      `query is ${query.length} characters long; the limit is ${MAX_QUERY_CHARS}`,
      { field: "query" },
    );
}

/** Internal arrays, exposed only to the on-disk format. */
export interface LexicalIndexParts {
  options: LexicalIndexOptions;
  ids: string[];
  fieldLengths: Uint32Array[];
  terms: PostingDictionary;
}

/**
 * An inverted index over documents' fields with BM25 (Lucene's formula) scoring. Documents can
 * be added and removed at any time; removals are applied to the postings lazily, before the
 * next search or save, so that document frequencies and lengths stay exact.
 */
export class LexicalIndex {
  readonly options: LexicalIndexOptions;
  readonly analyzer: Analyzer;
  private ids: string[] = [];
  private slots = new Map<string, number>();
  private fieldLengths: Uint32Array[];
  private deleted = new Set<number>();
  private terms = new PostingDictionary();
  private weights: Bm25Weights | undefined;
  private accumulator = new Float64Array(0);
  private touched = new Uint32Array(0);

  private readonly hasKeywordFields: boolean;

  private constructor(options: LexicalIndexOptions) {
    this.options = options;
    this.hasKeywordFields = options.fields.some((field) => field.role === "keyword");
    this.analyzer = new Analyzer(options.analyzer);
    this.fieldLengths = options.fields.map(() => new Uint32Array(16));
  }

  static create(options: LexicalIndexOptionsInput = {}): LexicalIndex {
    return new LexicalIndex(resolveLexicalOptions(options));
  }

  /** Rebuilds an index from its stored parts (see format.ts). */
  static fromParts(parts: LexicalIndexParts): LexicalIndex {
    const index = new LexicalIndex(parts.options);
    index.ids = parts.ids;
    index.slots = new Map(parts.ids.map((id, slot) => [id, slot]));
    index.fieldLengths = parts.fieldLengths;
    index.terms = parts.terms;
    return index;
  }

  /** The compacted internal arrays (removals applied), for saving. */
  toParts(): LexicalIndexParts {
    this.compact();
    return {
      options: this.options,
      ids: this.ids,
      fieldLengths: this.fieldLengths.map((lengths) => lengths.subarray(0, this.ids.length)),
      terms: this.terms,
    };
  }

  /** Number of live documents. */
  get size(): number {
    return this.ids.length - this.deleted.size;
  }

  get vocabularySize(): number {
    return this.terms.size;
  }

  has(id: string): boolean {
    const slot = this.slots.get(id);
    return slot !== undefined && !this.deleted.has(slot);
  }

  /** Live document ids in index order. */
  documentIds(): string[] {
    return this.ids.filter((_, slot) => !this.deleted.has(slot));
  }

  add(document: Document): void {
    if (this.has(document.id)) {
      throw new PairliftError(
        "E_DUPLICATE_ID",
        `document ${JSON.stringify(document.id)} is already indexed`,
        {
          field: "_id",
        },
      );
    }
    // A removed id that comes back gets a fresh slot; compact first so ids map to one slot.
    if (this.slots.has(document.id)) this.compact();
    const slot = this.ids.length;
    this.ensureSlotCapacity(slot + 1);
    const fieldCount = this.options.fields.length;
    const frequencies = new Map<string, number[]>();
    this.options.fields.forEach((field, f) => {
      this.fieldLengths[f]![slot] = this.analyzeField(document, field, (term) => {
        let counts = frequencies.get(term);
        if (counts === undefined)
          frequencies.set(term, (counts = new Array<number>(fieldCount).fill(0)));
        counts[f]! += 1;
      });
    });
    for (const [term, counts] of frequencies) {
      let list = this.terms.get(term);
      if (list === undefined) this.terms.set(term, (list = new PostingList(fieldCount)));
      list.append(slot, counts);
    }
    this.ids.push(document.id);
    this.slots.set(document.id, slot);
    this.weights = undefined;
  }

  /** Emits a field's terms as its role says; returns the field's length. */
  private analyzeField(document: Document, field: FieldSpec, emit: (term: string) => void): number {
    switch (field.role ?? "text") {
      case "text":
        return this.analyzer.analyze(fieldText(document, field.name), emit);
      case "identifier":
        // With identifier handling off (`--no-identifiers`), codes are words like any other.
        return this.analyzer.options.identifiers
          ? this.analyzer.analyzeCodes(fieldText(document, field.name), emit)
          : this.analyzer.analyze(fieldText(document, field.name), emit);
      case "keyword": {
        let length = 0;
        for (const value of fieldValues(document, field.name)) {
          const term = keywordTerm(value);
          if (term === undefined) continue;
          emit(term);
          length += 1;
        }
        return length;
      }
    }
  }

  /** Removes a document; returns false when it was not indexed. */
  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined || this.deleted.has(slot)) return false;
    this.deleted.add(slot);
    this.weights = undefined;
    return true;
  }

  search(query: string, options: LexicalSearchOptions = {}): LexicalHit[] {
    return this.searchTerms(this.queryTerms(query), options);
  }

  /** BM25 over analysed terms, each weighted (a query's counts, or an expansion's weights). */
  searchTerms(
    terms: ReadonlyMap<string, number>,
    options: LexicalSearchOptions = {},
  ): LexicalHit[] {
    const k = options.k ?? 10;
    if (!Number.isInteger(k) || k < 1) {
      throw new PairliftError("E_QUERY", `k must be a positive integer, got ${k}`, { field: "k" });
    }
    const weights = this.currentWeights(options.bm25);
    const { norms } = weights;
    const accumulator = this.accumulator;
    const touched = this.touched;
    const documentCount = this.ids.length;
    let touchedCount = 0;
    for (const [term, queryWeight] of terms) {
      const list = this.terms.get(term);
      if (list === undefined) continue;
      const idf = queryWeight * bm25Idf(documentCount, list.length);
      const tf = weights.frequencies(list);
      const docs = list.docs;
      for (let i = 0; i < list.length; i += 1) {
        const slot = docs[i]!;
        const frequency = tf[i]!;
        if (frequency === 0) continue;
        if (accumulator[slot] === 0) touched[touchedCount++] = slot;
        accumulator[slot]! += (idf * frequency) / (frequency + norms[slot]!);
      }
    }
    const top = new TopK(Math.min(k, touchedCount));
    for (let i = 0; i < touchedCount; i += 1) {
      const slot = touched[i]!;
      top.offer(accumulator[slot]!, slot);
      accumulator[slot] = 0;
    }
    return top.drain().map(({ slot, score }) => ({ id: this.ids[slot]!, score }));
  }

  /** Why a document scored what it did: each matching query term with its BM25 numbers. */
  explain(query: string, id: string, bm25?: Partial<Bm25Params>): Explanation {
    return this.explainTerms(this.queryTerms(query), id, bm25);
  }

  /** `explain` for a query already analysed (`queryTerms`), when one query explains many documents. */
  explainTerms(
    terms: ReadonlyMap<string, number>,
    id: string,
    bm25?: Partial<Bm25Params>,
  ): Explanation {
    const weights = this.currentWeights(bm25);
    const slot = this.slots.get(id);
    if (slot === undefined || this.deleted.has(slot)) {
      throw new PairliftError("E_UNKNOWN_ID", `document ${JSON.stringify(id)} is not in the index`);
    }
    const explained: TermExplanation[] = [];
    for (const [term, queryWeight] of terms) {
      const list = this.terms.get(term);
      const at = list?.find(slot) ?? -1;
      if (list === undefined || at < 0) continue;
      const tf = weights.frequencies(list)[at]!;
      if (tf === 0) continue;
      const idf = bm25Idf(this.ids.length, list.length);
      const fieldTf = Object.fromEntries(
        this.options.fields.map((field, f) => [field.name, list.tf[f]![at]!]),
      );
      explained.push({
        term,
        queryWeight,
        idf,
        documentFrequency: list.length,
        tf,
        fieldTf,
        score: (queryWeight * idf * tf) / (tf + weights.norms[slot]!),
      });
    }
    const { k1, b } = weights.params;
    return {
      id,
      score: explained.reduce((sum, term) => sum + term.score, 0),
      formula: weights.grouped
        ? `BM25F: Σ qw·idf·tf / (tf + k1), tf = Σ_g (Σ_{f∈g} w_f·tf_f) / (1 − b_g + b_g·len_g/avglen_g) (text fields one group with b=${b}; identifier and keyword fields each their own) with k1=${k1}`
        : `Σ qw·idf·tf / (tf + k1·(1 − b + b·dl/avgdl)) with k1=${k1}, b=${b}, dl=${weights.lengths[slot]}, avgdl=${weights.averageLength.toFixed(2)}`,
      terms: explained,
    };
  }

  /**
   * Collection statistics of a term for language-model scoring: how many documents hold it and
   * how often it occurs in all (field-weighted), with the collection's total weighted length.
   */
  termStatistics(term: string): { documentFrequency: number; collectionFrequency: number } {
    const list = this.terms.get(term);
    if (list === undefined) return { documentFrequency: 0, collectionFrequency: 0 };
    const frequencies = this.currentWeights(undefined).weightedCounts(list);
    let total = 0;
    for (let i = 0; i < list.length; i += 1) total += frequencies[i]!;
    return { documentFrequency: list.length, collectionFrequency: total };
  }

  /** A document's field-weighted length, and the collection's total and average. */
  lengthStatistics(id: string): { length: number; average: number; total: number } {
    const weights = this.currentWeights(undefined);
    const slot = this.slots.get(id);
    if (slot === undefined || this.deleted.has(slot))
      throw new PairliftError("E_UNKNOWN_ID", `document ${JSON.stringify(id)} is not in the index`);
    return {
      length: weights.lengths[slot]!,
      average: weights.averageLength,
      total: weights.averageLength * this.ids.length,
    };
  }

  /** The analysed query, refusing queries a user cannot have meant. */
  queryTerms(query: string): Map<string, number> {
    refuseUnusableQuery(query);
    return this.analyzer.analyzeQuery(query, (term) => this.terms.has(term), {
      keywords: this.hasKeywordFields,
    });
  }

  /**
   * The query's identifiers as this index holds them, and its other words. `identifiers`: how
   * many identifier-like tokens the query has, held or not. `forms`: the whole
   * forms (`kt-2040`, `kt2040`) of each identifier-like token (not sizes such as `18v`; see
   * analysis/query-shape.ts), and of adjacent tokens joined (`kt 2040` → `kt2040`), that are
   * indexed terms; empty when the query names no identifier the index knows. `words`: the
   * analysed terms of the tokens that are not part of an identifier (`drill`, `chuck`) and that
   * the index holds (a word no document has cannot tell an owner from an accessory: the
   * `hammerdrill` of `kt2060hammerdrill`); empty when no form is indexed (they are only asked
   * about beside one).
   */
  identifierQuery(query: string): { identifiers: number; forms: string[]; words: string[] } {
    const tokens = queryTokens(query);
    const forms = new Set<string>();
    const inIdentifier = new Uint8Array(tokens.length);
    const inVocabulary = (term: string) => this.terms.has(term);
    const offer = (form: string): boolean => {
      if (!isIdentifierLike(form) || !inVocabulary(form)) return false;
      forms.add(form);
      return true;
    };
    const partly = new Map<number, Set<number>>();
    let identifiers = 0;
    tokens.forEach((token, i) => {
      if (!isIdentifierLike(token)) return;
      identifiers += 1;
      const whole = offer(token);
      if (offer(joinIdentifier(token)) || whole) inIdentifier[i] = 1;
      else if (this.analyzer.options.splitCodes) {
        const codes = embeddedCodes(token, inVocabulary).filter((code) => offer(code.code));
        if (codes.length > 0) partly.set(i, new Set(codes.flatMap((code) => code.runs)));
      }
    });
    for (const { start, end } of adjacentJoins(tokens, this.analyzer.options.maxQueryJoin, offer))
      inIdentifier.fill(1, start, end);
    // Words only matter beside an identifier the index holds (namedShare of its owner).
    if (forms.size === 0) return { identifiers, forms: [], words: [] };
    const words = new Set<string>();
    tokens.forEach((token, i) => {
      if (inIdentifier[i] === 1) return;
      const covered = partly.get(i);
      const held = (term: string) => {
        if (inVocabulary(term)) words.add(term);
      };
      if (covered === undefined) {
        this.analyzer.analyze(token, held);
        return;
      }
      // `kt2040drill`: the runs outside the code are words.
      letterDigitRuns(joinIdentifier(token)).forEach((run, r) => {
        if (!covered.has(r)) this.analyzer.analyze(run, held);
      });
    });
    return { identifiers, forms: [...forms], words: [...words] };
  }

  /**
   * The share of the words (0..1; 1 for none) held by a field that names the document: its
   * title, identifier and keyword fields. `kestrel kt2040 drill` names the KT-2040 itself (1),
   * `kt-2040 chuck` something else, the chuck that fits it (0).
   */
  namedShare(id: string, words: readonly string[]): number {
    if (words.length === 0) return this.slots.has(id) ? 1 : 0;
    const naming = this.options.fields.flatMap((field, f) =>
      field.name === "title" || (field.role ?? "text") !== "text" ? [f] : [],
    );
    return this.wordsIn(id, words, naming) / words.length;
  }

  /** How many of the words (analysed terms) the document holds, in any field. */
  wordsHeld(id: string, words: readonly string[]): number {
    return this.wordsIn(
      id,
      words,
      this.options.fields.map((_, f) => f),
    );
  }

  private wordsIn(id: string, words: readonly string[], fields: readonly number[]): number {
    this.compact();
    const slot = this.slots.get(id);
    if (slot === undefined) return 0;
    let held = 0;
    for (const word of words) {
      const list = this.terms.get(word);
      const at = list?.find(slot) ?? -1;
      if (at >= 0 && fields.some((f) => list!.tf[f]![at]! > 0)) held += 1;
    }
    return held;
  }

  /**
   * Documents that *are* one of the identifiers: an `identifier` field holds it as a whole
   * code (the SKU field of the KT-2040 says `KT-2040`; an accessory's says `KT-2040-SH`, whose
   * parts only overlap; see analysis wholeCodeTerm). Empty when the index has no identifier
   * fields.
   */
  identifierOwners(forms: readonly string[]): string[] {
    this.compact();
    const owners = new Set<string>();
    for (const form of new Set(forms.map(wholeCodeTerm))) {
      const list = this.terms.get(form);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i += 1) owners.add(this.ids[list.docs[i]!]!);
    }
    return [...owners];
  }

  /** Whether the document holds any of the forms, in any field. */
  holdsAny(id: string, forms: readonly string[]): boolean {
    this.compact();
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    return forms.some((form) => (this.terms.get(form)?.find(slot) ?? -1) >= 0);
  }

  /** Applies pending removals: drops their postings and renumbers slots densely. */
  compact(): void {
    if (this.deleted.size === 0) return;
    const remap = new Int32Array(this.ids.length);
    const ids: string[] = [];
    for (let slot = 0; slot < this.ids.length; slot += 1) {
      if (this.deleted.has(slot)) {
        remap[slot] = -1;
        continue;
      }
      remap[slot] = ids.length;
      for (const lengths of this.fieldLengths) lengths[ids.length] = lengths[slot]!;
      ids.push(this.ids[slot]!);
    }
    for (const [term, list] of this.terms.entries()) {
      list.compact(remap);
      if (list.length === 0) this.terms.delete(term);
    }
    this.ids = ids;
    this.slots = new Map(ids.map((id, slot) => [id, slot]));
    this.deleted.clear();
    this.weights = undefined;
  }

  private currentWeights(override: Partial<Bm25Params> | undefined): Bm25Weights {
    this.compact();
    if (this.accumulator.length < this.ids.length) {
      this.accumulator = new Float64Array(this.ids.length);
      this.touched = new Uint32Array(this.ids.length);
    }
    const statistics = {
      slotCount: this.ids.length,
      fieldLengths: this.fieldLengths,
      fieldWeights: this.options.fields.map((field) => field.weight),
      ...normalisationGroups(this.options.fields),
    };
    if (override !== undefined && (override.k1 !== undefined || override.b !== undefined)) {
      return new Bm25Weights(statistics, resolveBm25({ ...this.options.bm25, ...override }));
    }
    this.weights ??= new Bm25Weights(statistics, this.options.bm25);
    return this.weights;
  }

  private ensureSlotCapacity(needed: number): void {
    if (this.fieldLengths[0]!.length >= needed) return;
    const capacity = Math.max(needed, this.fieldLengths[0]!.length * 2);
    this.fieldLengths = this.fieldLengths.map((lengths) => {
      const grown = new Uint32Array(capacity);
      grown.set(lengths);
      return grown;
    });
  }
}

/**
 * Normalisation groups (see Bm25Weights): `text` fields without their own b share group 0;
 * every other field is a group of its own.
 */
function normalisationGroups(fields: readonly FieldSpec[]): {
  fieldGroups: number[];
  groupB: (number | undefined)[];
} {
  const groupB: (number | undefined)[] = [undefined];
  const fieldGroups = fields.map((field) => {
    if ((field.role ?? "text") === "text" && field.b === undefined) return 0;
    groupB.push(field.b);
    return groupB.length - 1;
  });
  return { fieldGroups, groupB };
}

/** A field's values one by one (an array metadata value gives several). */
function fieldValues(document: Document, name: string): string[] {
  const value = name === "title" || name === "text" ? undefined : document.metadata?.[name];
  if (Array.isArray(value)) return value.map(String);
  const text = fieldText(document, name);
  return text === "" ? [] : [text];
}

/** The text of a named field: `title`, `text`, or a metadata value (arrays joined by spaces). */
export function fieldText(document: Document, name: string): string {
  if (name === "title") return document.title;
  if (name === "text") return document.text;
  const value = document.metadata?.[name];
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(String).join(" ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
