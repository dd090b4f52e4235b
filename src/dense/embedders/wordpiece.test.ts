import { describe, expect, it } from "vitest";
import { AsciiWordPiece } from "./wordpiece.js";

const vocab = ["[UNK]", "[MASK]", "hello", "world", "##s", ",", "un", "##believ", "##able", "!"];
const tokenizerJson = {
  added_tokens: [{ id: 1, content: "[MASK]" }],
  normalizer: { type: "BertNormalizer", clean_text: true, lowercase: true, strip_accents: null },
  pre_tokenizer: { type: "BertPreTokenizer" },
  model: {
    type: "WordPiece",
    unk_token: "[UNK]",
    continuing_subword_prefix: "##",
    max_input_chars_per_word: 12,
    vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
  },
};

describe("AsciiWordPiece", () => {
  const fast = AsciiWordPiece.fromTokenizerJson(tokenizerJson)!;
  const noSlow = (chunk: string): number[] => {
    throw new Error(`unexpected slow path for ${chunk}`);
  };

  it("lower-cases, splits punctuation and matches longest pieces first", () => {
    expect(fast.encode("Hello,  WORLDS\tunbelievable!", 100, noSlow)).toEqual([
      2, 5, 3, 4, 6, 7, 8, 9,
    ]);
  });

  it("gives one [UNK] to a word with an unmatched rest or over the length limit", () => {
    expect(fast.encode("helloq worldworldworld hello", 100, noSlow)).toEqual([0, 0, 2]);
  });

  it("stops at the limit", () => {
    expect(fast.encode("hello world hello world", 3, noSlow)).toEqual([2, 3, 2]);
    expect(fast.encode("unbelievable", 2, noSlow)).toEqual([6, 7]);
  });

  it("hands non-ASCII chunks to the library and refuses texts with added tokens", () => {
    const chunks: string[] = [];
    const slow = (chunk: string) => {
      chunks.push(chunk);
      return [42];
    };
    expect(fast.encode("hello wörld, hello\u0007 world", 100, slow)).toEqual([2, 42, 42, 3]);
    expect(chunks).toEqual(["wörld,", "hello\u0007"]);
    expect(fast.encode("hello [MASK]", 100, noSlow)).toBeUndefined();
  });

  it("applies only to BERT's normaliser, pre-tokenizer and WordPiece", () => {
    expect(
      AsciiWordPiece.fromTokenizerJson({ ...tokenizerJson, pre_tokenizer: { type: "Whitespace" } }),
    ).toBeUndefined();
    expect(
      AsciiWordPiece.fromTokenizerJson({
        ...tokenizerJson,
        normalizer: { ...tokenizerJson.normalizer, lowercase: false },
      }),
    ).toBeUndefined();
    expect(AsciiWordPiece.fromTokenizerJson(null)).toBeUndefined();
  });
});
