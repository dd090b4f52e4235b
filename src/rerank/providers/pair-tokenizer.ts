/**
 * Query–document pairs → a cross-encoder's input tensors: the tokenizer's own pair template
 * (`[CLS] q [SEP] d [SEP]` with token types 0/1 for BERT, `<s> q </s></s> d </s>` for XLM-R),
 * truncation that cuts the document first, and length-bucketed, padded batches.
 *
 * The template is read off the tokenizer once (`pairTemplateOf`): transformers.js encodes a probe
 * pair with and without special tokens and the special tokens are what lies around the two texts.
 * pairlift then truncates the texts' own tokens and puts the template around them, so a
 * truncated pair keeps its closing separator (transformers.js 4.3 truncates after adding special
 * tokens, see `specialTokensOf` in dense/embedders/onnx.ts).
 *
 * Truncation (`pairLengths`): `maxLength` counts the special tokens. The document is cut first;
 * the query is cut only when the pair does not fit and the query alone takes more than half of
 * the tokens left after the special tokens, and then to that half. So a long query cannot crowd
 * the document out, and a short one is never touched.
 */
import { PairliftError } from "../../errors.js";
import { cutAfterWords, type HfTokenizer } from "../../dense/embedders/onnx.js";
import type { AsciiWordPiece } from "../../dense/embedders/wordpiece.js";

/** The special tokens around a pair and the token type of every position. */
export interface PairTemplate {
  /** Ids before the query, between query and document, after the document. */
  prefix: number[];
  middle: number[];
  suffix: number[];
  /** Token type ids: of each prefix position, of every query token, and so on. */
  prefixTypes: number[];
  queryType: number;
  middleTypes: number[];
  documentType: number;
  suffixTypes: number[];
  /** The padding id. */
  pad: number;
}

/** The part of a transformers.js tokenizer that pair encoding uses. */
export interface PairCapableTokenizer extends Pick<HfTokenizer, "encode" | "pad_token_id"> {
  (
    texts: string[],
    options: { text_pair: string[]; padding: boolean; truncation: boolean },
  ): Record<string, { readonly data: ArrayLike<number | bigint> }>;
}

const PROBE_QUERY = "pairlift probe query";
const PROBE_DOCUMENT = "second probe passage text";

/** Reads the pair template off a tokenizer by encoding a probe pair (see the module notes). */
export function pairTemplateOf(tokenizer: PairCapableTokenizer): PairTemplate {
  const query = tokenizer.encode(PROBE_QUERY, { add_special_tokens: false });
  const document = tokenizer.encode(PROBE_DOCUMENT, { add_special_tokens: false });
  const encoding = tokenizer([PROBE_QUERY], {
    text_pair: [PROBE_DOCUMENT],
    padding: false,
    truncation: false,
  });
  const full = Array.from(encoding["input_ids"]?.data ?? [], Number);
  const typeData = encoding["token_type_ids"]?.data;
  const types = typeData === undefined ? full.map(() => 0) : Array.from(typeData, Number);
  const q = indexOf(full, query, 0);
  const d = q < 0 ? -1 : indexOf(full, document, q + query.length);
  const queryTypes = types.slice(q, q + query.length);
  const documentTypes = types.slice(d, d + document.length);
  if (q < 0 || d < 0 || !uniform(queryTypes) || !uniform(documentTypes)) {
    throw new PairliftError(
      "E_CONFIG",
      "the tokenizer does not put a query and a document between fixed special tokens; the " +
        "onnx-cross-encoder provider cannot truncate pairs for it",
      { field: "model" },
    );
  }
  const pad = tokenizer.pad_token_id;
  return {
    prefix: full.slice(0, q),
    middle: full.slice(q + query.length, d),
    suffix: full.slice(d + document.length),
    prefixTypes: types.slice(0, q),
    queryType: queryTypes[0] ?? 0,
    middleTypes: types.slice(q + query.length, d),
    documentType: documentTypes[0] ?? 0,
    suffixTypes: types.slice(d + document.length),
    pad: typeof pad === "number" ? pad : 0,
  };
}

function indexOf(haystack: number[], needle: number[], from: number): number {
  for (let start = from; start + needle.length <= haystack.length; start += 1) {
    if (needle.every((id, i) => haystack[start + i] === id)) return start;
  }
  return -1;
}

function uniform(values: number[]): boolean {
  return values.length > 0 && values.every((value) => value === values[0]);
}

/**
 * How many query and document tokens a pair keeps, given `budget` = maxLength minus the special
 * tokens: the document is cut first; the query only when the pair does not fit and the query is
 * longer than half the budget, and then to that half.
 */
export function pairLengths(
  queryTokens: number,
  documentTokens: number,
  budget: number,
): { query: number; document: number } {
  const query = Math.min(queryTokens, Math.max(queryCap(budget), budget - documentTokens));
  return { query, document: Math.max(0, Math.min(documentTokens, budget - query)) };
}

function queryCap(budget: number): number {
  return Math.floor(budget / 2);
}

/** A text's token ids without special tokens, at most `limit` of them. */
export type TokenIds = (text: string, limit: number) => number[];

/**
 * Token ids through the ASCII WordPiece fast path when there is one, else transformers.js on the
 * text cut after `limit` words (every word yields at least one token), or on the whole text when
 * that cut comes out short — as the onnx embedder tokenizes.
 */
export function tokenIdsWith(
  tokenizer: Pick<HfTokenizer, "encode">,
  fast: AsciiWordPiece | undefined,
): TokenIds {
  const library = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false });
  return (text, limit) => {
    const viaFast = fast?.encode(text, limit, library);
    if (viaFast !== undefined) return viaFast;
    const cut = cutAfterWords(text, limit);
    let ids = library(cut);
    if (ids.length < limit && cut.length < text.length) ids = library(text);
    return ids.length > limit ? ids.slice(0, limit) : ids;
  };
}

/** One forward pass's inputs: the candidates' positions and their padded rows. */
export interface PairBatch {
  /** Positions in the call's candidates, one per row. */
  slots: number[];
  rows: number;
  /** Tokens per row (the longest pair of the batch). */
  width: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** Absent when the model's graph takes no token_type_ids. */
  tokenTypeIds: BigInt64Array | undefined;
}

export class PairEncoder {
  /** Content tokens a pair may hold: maxLength minus the template's special tokens. */
  readonly budget: number;

  constructor(
    private readonly template: PairTemplate,
    private readonly ids: TokenIds,
    readonly maxLength: number,
    private readonly tokenTypes: boolean,
  ) {
    this.budget =
      maxLength - template.prefix.length - template.middle.length - template.suffix.length;
  }

  /**
   * The batches for one query and its documents: pairs sorted by length (longest first, ties in
   * candidate order), cut into `batchSize` rows, each batch padded to its own longest pair.
   */
  batches(query: string, documents: readonly string[], batchSize: number): PairBatch[] {
    const queryIds = this.ids(query, this.budget);
    // The document can never keep more than this, so longer texts are not tokenized further.
    const documentLimit = this.budget - Math.min(queryIds.length, queryCap(this.budget));
    const pairs = documents.map((text) => {
      const documentIds = this.ids(text, documentLimit);
      const kept = pairLengths(queryIds.length, documentIds.length, this.budget);
      return {
        query: kept.query,
        document:
          documentIds.length > kept.document ? documentIds.slice(0, kept.document) : documentIds,
      };
    });
    const specials = this.maxLength - this.budget;
    const length = (slot: number) => specials + pairs[slot]!.query + pairs[slot]!.document.length;
    const order = pairs.map((_, slot) => slot);
    if (batchSize > 1) order.sort((a, b) => length(b) - length(a) || a - b);
    const out: PairBatch[] = [];
    for (let start = 0; start < order.length; start += batchSize) {
      const slots = order.slice(start, start + batchSize);
      const width = Math.max(...slots.map(length));
      const inputIds = new BigInt64Array(slots.length * width).fill(BigInt(this.template.pad));
      const attentionMask = new BigInt64Array(slots.length * width);
      const tokenTypeIds = this.tokenTypes ? new BigInt64Array(slots.length * width) : undefined;
      slots.forEach((slot, row) => {
        const pair = pairs[slot]!;
        let at = row * width;
        const put = (tokens: readonly number[], types: readonly number[] | number) => {
          for (let i = 0; i < tokens.length; i += 1) {
            inputIds[at] = BigInt(tokens[i]!);
            if (tokenTypeIds !== undefined) {
              tokenTypeIds[at] = BigInt(typeof types === "number" ? types : types[i]!);
            }
            at += 1;
          }
        };
        const t = this.template;
        put(t.prefix, t.prefixTypes);
        put(pair.query < queryIds.length ? queryIds.slice(0, pair.query) : queryIds, t.queryType);
        put(t.middle, t.middleTypes);
        put(pair.document, t.documentType);
        put(t.suffix, t.suffixTypes);
        attentionMask.fill(1n, row * width, at);
      });
      out.push({ slots, rows: slots.length, width, inputIds, attentionMask, tokenTypeIds });
    }
    return out;
  }
}
