import { describe, expect, it } from "vitest";
import { isPairliftError } from "../../errors.js";
import {
  PairEncoder,
  pairLengths,
  pairTemplateOf,
  type PairCapableTokenizer,
  type TokenIds,
} from "./pair-tokenizer.js";

/**
 * A stand-in for transformers.js tokenizers: one id per word from a fixed table, and the pair
 * template given as a function of the two id lists.
 */
function stubTokenizer(
  template: (a: number[], b: number[]) => { ids: number[]; types?: number[] },
  pad: number,
): PairCapableTokenizer {
  const table = new Map<string, number>();
  const ids = (text: string) =>
    text
      .split(" ")
      .filter((word) => word !== "")
      .map((word) => {
        if (!table.has(word)) table.set(word, 1000 + table.size);
        return table.get(word)!;
      });
  const call = (texts: string[], options: { text_pair: string[] }) => {
    const out = template(ids(texts[0]!), ids(options.text_pair[0]!));
    const encoding: Record<string, { data: BigInt64Array }> = {
      input_ids: { data: BigInt64Array.from(out.ids, BigInt) },
    };
    if (out.types !== undefined)
      encoding["token_type_ids"] = { data: BigInt64Array.from(out.types, BigInt) };
    return encoding;
  };
  return Object.assign(call, {
    encode: (text: string) => ids(text),
    pad_token_id: pad,
  }) as PairCapableTokenizer;
}

// XLM-R (bge-reranker, jina-reranker-v2): <s> A </s></s> B </s>, no token types, <pad> = 1.
const xlmr = stubTokenizer((a, b) => ({ ids: [0, ...a, 2, 2, ...b, 2] }), 1);
// BERT: [CLS] A [SEP] B [SEP] with types 0 … 0 1 … 1.
const bert = stubTokenizer(
  (a, b) => ({
    ids: [101, ...a, 102, ...b, 102],
    types: [0, ...a.map(() => 0), 0, ...b.map(() => 1), 1],
  }),
  0,
);

/** Ids 1, 2, 3, … one per word, as many as the limit allows. */
const countingIds: TokenIds = (text, limit) =>
  text
    .split(" ")
    .filter((word) => word !== "")
    .slice(0, limit)
    .map((_, i) => i + 1);

describe("pairLengths", () => {
  it("keeps a pair that fits whole", () => {
    expect(pairLengths(4, 5, 10)).toEqual({ query: 4, document: 5 });
    expect(pairLengths(0, 0, 10)).toEqual({ query: 0, document: 0 });
  });

  it("cuts the document first", () => {
    expect(pairLengths(4, 100, 10)).toEqual({ query: 4, document: 6 });
    // A query of exactly half the room is not cut.
    expect(pairLengths(5, 100, 10)).toEqual({ query: 5, document: 5 });
  });

  it("cuts a query longer than half the room to that half when the pair does not fit", () => {
    expect(pairLengths(30, 100, 10)).toEqual({ query: 5, document: 5 });
    // floor(11 / 2) = 5 for the query, 6 for the document.
    expect(pairLengths(30, 100, 11)).toEqual({ query: 5, document: 6 });
    // A short document leaves the long query the rest.
    expect(pairLengths(30, 2, 10)).toEqual({ query: 8, document: 2 });
    // A long query with room to spare is not cut.
    expect(pairLengths(8, 2, 10)).toEqual({ query: 8, document: 2 });
  });
});

describe("pairTemplateOf", () => {
  it("reads BERT's template and token types", () => {
    expect(pairTemplateOf(bert)).toEqual({
      prefix: [101],
      middle: [102],
      suffix: [102],
      prefixTypes: [0],
      queryType: 0,
      middleTypes: [0],
      documentType: 1,
      suffixTypes: [1],
      pad: 0,
    });
  });

  it("reads XLM-R's template, with no token types", () => {
    expect(pairTemplateOf(xlmr)).toEqual({
      prefix: [0],
      middle: [2, 2],
      suffix: [2],
      prefixTypes: [0],
      queryType: 0,
      middleTypes: [0, 0],
      documentType: 0,
      suffixTypes: [0],
      pad: 1,
    });
  });

  it("refuses a tokenizer that drops or rewrites the texts", () => {
    const mangling = stubTokenizer((a) => ({ ids: [0, ...a, 2] }), 1);
    const error = (() => {
      try {
        pairTemplateOf(mangling);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isPairliftError(error) && error.code).toBe("E_CONFIG");
    expect(isPairliftError(error) && error.field).toBe("model");
  });
});

describe("PairEncoder", () => {
  it("builds XLM-R pairs without token_type_ids, padded with the pad id", () => {
    // maxLength 10, 4 special tokens: room for 6.
    const encoder = new PairEncoder(pairTemplateOf(xlmr), countingIds, 10, false);
    expect(encoder.budget).toBe(6);
    const batches = encoder.batches("q q", ["d", "d d d d d d d d"], 4);
    expect(batches).toHaveLength(1);
    const [batch] = batches;
    expect(batch!.slots).toEqual([1, 0]);
    expect(batch!.width).toBe(10);
    expect(batch!.tokenTypeIds).toBeUndefined();
    expect(Array.from(batch!.inputIds, Number)).toEqual([
      ...[0, 1, 2, 2, 2, 1, 2, 3, 4, 2], // <s> q q </s></s> d×4 </s>: the document cut to 4
      ...[0, 1, 2, 2, 2, 1, 2, 1, 1, 1], // <s> q q </s></s> d </s> <pad>×3
    ]);
    expect(Array.from(batch!.attentionMask, Number)).toEqual([
      ...Array<number>(10).fill(1),
      ...[1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
    ]);
  });

  it("keeps input order with batch size 1 and sorts longest first otherwise", () => {
    const encoder = new PairEncoder(pairTemplateOf(bert), countingIds, 64, true);
    const documents = ["a b", "a b c d", "a", "a b c"];
    expect(encoder.batches("q", documents, 1).map((batch) => batch.slots)).toEqual([
      [0],
      [1],
      [2],
      [3],
    ]);
    const sorted = encoder.batches("q", documents, 2);
    expect(sorted.map((batch) => batch.slots)).toEqual([
      [1, 3],
      [0, 2],
    ]);
    // [CLS] q [SEP] + document + [SEP]: widths 4 + 4 and 4 + 2.
    expect(sorted.map((batch) => batch.width)).toEqual([8, 6]);
    expect(Array.from(sorted[1]!.tokenTypeIds!, Number)).toEqual([
      ...[0, 0, 0, 1, 1, 1],
      ...[0, 0, 0, 1, 1, 0],
    ]);
  });
});
