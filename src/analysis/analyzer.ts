import { PairliftError } from "../errors.js";
import {
  adjacentJoins,
  RAW_TOKEN,
  hasSeparator,
  isIdentifierToken,
  joinIdentifier,
  letterDigitRuns,
  separatorParts,
} from "./identifiers.js";
import { normalizeText } from "./normalize.js";
import { isIdentifierLike, queryTokens } from "./query-shape.js";
import { createStemmer, type StemmerSetting } from "./stem.js";
import { resolveStopwords, type StopwordSetting } from "./stopwords.js";

export interface AnalyzerOptions {
  /** `snowball` (Snowball's English list, default), `lucene` (Lucene's 33), `none`, or a custom list. */
  stopwords: StopwordSetting;
  /** `porter` (default) or `none`. Identifiers are never stemmed either way. */
  stemmer: StemmerSetting;
  /** Index identifier-like tokens as themselves, their parts and joined (default true). */
  identifiers: boolean;
  /** Longest n-gram of adjacent query tokens joined into an identifier (`kt 2040` → `kt2040`). */
  maxQueryJoin: number;
  /**
   * Query weight of an identifier's parts (`kt`, `2040` of `KT-2040`) when the whole identifier
   * is indexed, 0..1: the whole names the product, the parts only help when it is not in the
   * index. 1 weighs them like any word.
   */
  identifierPartsWeight: number;
  /**
   * Find indexed codes run together with words in a query token (`kt2040drill` → `kt2040`,
   * `x100vacuum` → `x100`): the longest span of its letter/digit runs that joins into an
   * indexed identifier, left to right. The spanned runs count as the code's parts.
   */
  splitCodes: boolean;
}

export const DEFAULT_ANALYZER_OPTIONS: Readonly<AnalyzerOptions> = Object.freeze({
  stopwords: "snowball",
  stemmer: "porter",
  identifiers: true,
  maxQueryJoin: 3,
  identifierPartsWeight: 1,
  splitCodes: false,
});

const DIGIT = /\p{N}/u;
const ALL_DIGITS = /^\p{N}+$/u;

/**
 * Text → terms. Every raw token adds to the field length once per word it holds, as Lucene's
 * StandardTokenizer would count it; the extra identifier forms (the whole identifier, its joined
 * form, letter/digit sub-parts) overlap their token and do not lengthen the field, as Lucene
 * discounts overlapping tokens in BM25's length norm.
 */
export class Analyzer {
  readonly options: Readonly<AnalyzerOptions>;
  private readonly stopwords: ReadonlySet<string>;
  private readonly stem: (word: string) => string;

  constructor(options: Partial<AnalyzerOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_ANALYZER_OPTIONS, ...options });
    if (!Number.isInteger(this.options.maxQueryJoin) || this.options.maxQueryJoin < 1) {
      throw new PairliftError("E_CONFIG", "maxQueryJoin must be an integer ≥ 1", {
        field: "analyzer.maxQueryJoin",
      });
    }
    const partsWeight = this.options.identifierPartsWeight;
    if (!(partsWeight >= 0 && partsWeight <= 1)) {
      throw new PairliftError("E_CONFIG", "identifierPartsWeight must be between 0 and 1", {
        field: "analyzer.identifierPartsWeight",
      });
    }
    this.stopwords = resolveStopwords(this.options.stopwords);
    this.stem = createStemmer(this.options.stemmer);
  }

  /** Emits every indexed term of `text`; returns the field length (number of primary words). */
  analyze(text: string, emit: (term: string) => void): number {
    let length = 0;
    for (const match of normalizeText(text).matchAll(RAW_TOKEN)) {
      length += this.analyzeToken(match[0], emit);
    }
    return length;
  }

  /**
   * An identifier field (SKU, model number): every token as itself, its joined form and its
   * parts, none stemmed or dropped; returns the field length (number of tokens).
   */
  analyzeCodes(text: string, emit: (term: string) => void): number {
    let length = 0;
    for (const match of normalizeText(text).matchAll(RAW_TOKEN)) {
      const token = match[0];
      length += 1;
      emit(token);
      emit(wholeCodeTerm(token));
      if (!hasSeparator(token)) {
        emitRuns(token, emit);
        continue;
      }
      emit(joinIdentifier(token));
      for (const part of separatorParts(token)) {
        emit(part);
        emitRuns(part, emit);
      }
    }
    return length;
  }

  /** Terms of `text` with their counts, in first-seen order. */
  termCounts(text: string): Map<string, number> {
    const counts = new Map<string, number>();
    this.analyze(text, (term) => counts.set(term, (counts.get(term) ?? 0) + 1));
    return counts;
  }

  /**
   * Query terms with weights (how often each occurs, as Anserini's bag-of-words queries do).
   * With `inVocabulary`, adjacent tokens that join into an indexed identifier are added too, so
   * `kt 2040` also asks for `kt2040`.
   */
  analyzeQuery(
    text: string,
    inVocabulary?: (term: string) => boolean,
    options: { keywords?: boolean } = {},
  ): Map<string, number> {
    const tokens = queryTokens(text);
    const joins = this.options.identifiers && inVocabulary !== undefined;
    const partsWeight = joins ? this.options.identifierPartsWeight : 1;
    // Tokens that are parts of an indexed identifier joined from adjacent tokens (`kt 2040`).
    const joinedPart = new Uint8Array(tokens.length);
    const joined: string[] = [];
    if (joins) {
      const found = adjacentJoins(
        tokens,
        this.options.maxQueryJoin,
        (join) => DIGIT.test(join) && inVocabulary(join),
      );
      for (const { joined: join, start, end } of found) {
        if (joined.includes(join)) continue;
        joined.push(join);
        joinedPart.fill(1, start, end);
      }
    }
    const weights = new Map<string, number>();
    const add = (term: string, weight: number) =>
      weights.set(term, (weights.get(term) ?? 0) + weight);
    tokens.forEach((token, i) => {
      if (this.options.splitCodes && joins && joinedPart[i] === 0) {
        const codes = embeddedCodes(token, inVocabulary!);
        if (codes.length > 0) {
          const covered = new Set(codes.flatMap((code) => code.runs));
          letterDigitRuns(joinIdentifier(token)).forEach((run, r) =>
            this.emitWord(run, (term) => add(term, covered.has(r) ? partsWeight : 1)),
          );
          for (const code of codes) add(code.code, 1);
          return;
        }
      }
      if (partsWeight === 1) {
        this.analyzeToken(token, (term) => add(term, 1));
        return;
      }
      // The whole identifier names the product; its parts count partsWeight each.
      const wholes = joinedPart[i] === 1 ? [] : identifierWholes(token);
      const wholeIndexed = joinedPart[i] === 1 || wholes.some((whole) => inVocabulary!(whole));
      this.analyzeToken(token, (term) =>
        add(term, wholeIndexed && !wholes.includes(term) ? partsWeight : 1),
      );
    });
    for (const join of joined) if (!weights.has(join)) weights.set(join, 1);
    if (options.keywords === true && inVocabulary !== undefined) {
      // Keyword fields hold whole values (`=kestrel`, `=bathroom faucet`): look up each run of
      // up to KEYWORD_MAX_WORDS query words.
      const words = tokens.flatMap(separatorParts);
      for (let n = 1; n <= KEYWORD_MAX_WORDS; n += 1) {
        for (let start = 0; start + n <= words.length; start += 1) {
          const term = KEYWORD_PREFIX + words.slice(start, start + n).join(" ");
          if (!weights.has(term) && inVocabulary(term)) weights.set(term, 1);
        }
      }
    }
    return weights;
  }

  private analyzeToken(token: string, emit: (term: string) => void): number {
    if (!hasSeparator(token)) {
      if (this.options.identifiers && isIdentifierToken(token)) {
        emit(token);
        const runs = letterDigitRuns(token);
        if (runs.length > 1) for (const run of runs) this.emitWord(run, emit);
        return 1;
      }
      return this.emitWord(token, emit) ? 1 : 0;
    }
    let length = 0;
    for (const part of separatorParts(token)) length += this.analyzeToken(part, emit);
    // Only codes (with a digit) get whole and joined forms: joining plain hyphenated words
    // (`high-fat` → `highfat`) cost NFCorpus 0.002 nDCG@10 and helps no identifier.
    if (this.options.identifiers && isIdentifierToken(token)) {
      emit(token);
      emit(joinIdentifier(token));
    }
    return length;
  }

  /** A plain word: numbers as they are, stopwords dropped, the rest stemmed. */
  private emitWord(word: string, emit: (term: string) => void): boolean {
    if (ALL_DIGITS.test(word)) {
      emit(word);
      return true;
    }
    if (this.stopwords.has(word)) return false;
    emit(this.stem(word));
    return true;
  }
}

/** The forms of a raw token that name the identifier as a whole (`kt-2040`, `kt2040`); none for words. */
function identifierWholes(token: string): string[] {
  if (!isIdentifierToken(token)) return [];
  const joined = joinIdentifier(token);
  return joined === token ? [token] : [token, joined];
}

/**
 * Indexed codes inside a query token whose whole form the index does not hold (`kt2040drill`):
 * left to right, the longest span of two or more letter/digit runs of the joined token that is
 * identifier-like (not a size such as `18v`) and indexed. Empty when the token is indexed whole.
 */
export function embeddedCodes(
  token: string,
  inVocabulary: (term: string) => boolean,
): { code: string; runs: number[] }[] {
  const joined = joinIdentifier(token);
  if (inVocabulary(token) || inVocabulary(joined)) return [];
  const runs = letterDigitRuns(joined);
  const codes: { code: string; runs: number[] }[] = [];
  for (let start = 0; start < runs.length - 1;) {
    let end = runs.length;
    for (; end >= start + 2; end -= 1) {
      const code = runs.slice(start, end).join("");
      if (isIdentifierLike(code) && inVocabulary(code)) {
        codes.push({ code, runs: Array.from({ length: end - start }, (_, k) => start + k) });
        break;
      }
    }
    start = end >= start + 2 ? end : start + 1;
  }
  return codes;
}

/** `gsr18v` → also `gsr`, `18`, `v` (nothing for a single run). */
function emitRuns(token: string, emit: (term: string) => void): void {
  const runs = letterDigitRuns(token);
  if (runs.length > 1) for (const run of runs) emit(run);
}

/**
 * An identifier field also marks each of its codes whole (`#kt2040` for `KT-2040`), joined so
 * that `KT-2040`, `kt2040` and `kt 2040` find it: no query term ever has the mark, so it does
 * not score; it tells the document that *is* `X100` from the `X100-F` filter, whose code holds
 * `x100` only as a part.
 */
export const WHOLE_CODE_PREFIX = "#";

export function wholeCodeTerm(code: string): string {
  return WHOLE_CODE_PREFIX + joinIdentifier(code);
}

/** Keyword terms start with a character no analysed word holds, so they never meet a word. */
export const KEYWORD_PREFIX = "=";
/** Longest keyword value a query can match, in words. */
export const KEYWORD_MAX_WORDS = 4;

/** The term of a keyword field's value: its words, lowercased, single-spaced (`=black decker`). */
export function keywordTerm(value: string): string | undefined {
  const words = queryTokens(value).flatMap(separatorParts);
  return words.length === 0 ? undefined : KEYWORD_PREFIX + words.join(" ");
}
