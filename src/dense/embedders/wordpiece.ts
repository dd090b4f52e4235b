/**
 * A fast path for BERT-style tokenizers on plain-ASCII text: the same token ids as
 * transformers.js (BertNormalizer with lower-casing → BertPreTokenizer → WordPiece), in one pass
 * over the characters with a per-word cache, stopping at the token budget.
 *
 * Why: transformers.js tokenizes in ~0.5–1 ms per 250-word document (regex passes, NFD
 * normalisation, a character array per word), a few percent of a MiniLM forward pass on a CPU;
 * this path takes a fraction of that. It is used only where it gives the same ids:
 * - the tokenizer is exactly BertNormalizer (`lowercase: true`, `clean_text: true`) +
 *   BertPreTokenizer + WordPiece (MiniLM, BGE, E5, GTE and other BERT-vocabulary models), and a
 *   self-check on probe texts agrees with transformers.js when the embedder is created;
 * - per whitespace-separated chunk: a chunk of printable ASCII is handled here (for it the
 *   normaliser's control-character removal, CJK spacing and accent stripping are no-ops and
 *   lower-casing is ASCII's); any other chunk is handed to transformers.js as it is (the
 *   normaliser and pre-tokenizer never act across ASCII whitespace); a text holding an added
 *   token such as `[MASK]` goes to transformers.js whole.
 */

/** WordPiece settings read from tokenizer.json. */
interface WordPieceSpec {
  vocab: Map<string, number>;
  unk: number;
  prefix: string;
  maxChars: number;
  added: string[];
}

const CACHE_LIMIT = 200_000;

export class AsciiWordPiece {
  private readonly cache = new Map<string, readonly number[]>();

  private constructor(private readonly spec: WordPieceSpec) {}

  /** The fast path for a tokenizer.json, or undefined when its pipeline is not BERT's. */
  static fromTokenizerJson(json: unknown): AsciiWordPiece | undefined {
    if (typeof json !== "object" || json === null) return undefined;
    const config = json as Record<string, unknown>;
    const normalizer = config["normalizer"] as Record<string, unknown> | null | undefined;
    const preTokenizer = config["pre_tokenizer"] as Record<string, unknown> | null | undefined;
    const model = config["model"] as Record<string, unknown> | null | undefined;
    if (
      normalizer?.["type"] !== "BertNormalizer" ||
      normalizer["lowercase"] !== true ||
      normalizer["clean_text"] !== true ||
      preTokenizer?.["type"] !== "BertPreTokenizer" ||
      model?.["type"] !== "WordPiece"
    ) {
      return undefined;
    }
    const rawVocab = model["vocab"];
    if (typeof rawVocab !== "object" || rawVocab === null) return undefined;
    const vocab = new Map<string, number>();
    for (const [token, id] of Object.entries(rawVocab as Record<string, unknown>)) {
      if (typeof id === "number") vocab.set(token, id);
    }
    const unk = vocab.get(String(model["unk_token"] ?? "[UNK]"));
    if (unk === undefined) return undefined;
    const added = Array.isArray(config["added_tokens"])
      ? (config["added_tokens"] as Array<Record<string, unknown>>)
          .map((token) => token["content"])
          .filter((content): content is string => typeof content === "string" && content !== "")
      : [];
    return new AsciiWordPiece({
      vocab,
      unk,
      prefix:
        typeof model["continuing_subword_prefix"] === "string"
          ? model["continuing_subword_prefix"]
          : "##",
      maxChars:
        typeof model["max_input_chars_per_word"] === "number"
          ? model["max_input_chars_per_word"]
          : 100,
      added,
    });
  }

  /**
   * The first `limit` token ids of `text` (no special tokens), or undefined when the text holds an
   * added token (`[MASK]`, …), which only the library's tokenizer splits out. Whitespace-separated
   * chunks that are not plain printable ASCII are tokenized by `slow` (the library), chunk by
   * chunk: BERT's normaliser and pre-tokenizer act within such chunks, never across them.
   */
  encode(text: string, limit: number, slow: (chunk: string) => number[]): number[] | undefined {
    for (const token of this.spec.added) if (text.includes(token)) return undefined;
    const ids: number[] = [];
    const length = text.length;
    let i = 0;
    while (i < length && ids.length < limit) {
      if (isAsciiSpace(text.charCodeAt(i))) {
        i += 1;
        continue;
      }
      let end = i;
      let ascii = true;
      for (; end < length; end += 1) {
        const code = text.charCodeAt(end);
        if (isAsciiSpace(code)) break;
        if (code < 32 || code > 126) ascii = false;
      }
      const chunk = text.slice(i, end);
      if (ascii) this.pushAsciiChunk(chunk.toLowerCase(), ids);
      else this.pushCached(chunk, ids, slow);
      i = end;
    }
    return ids.length > limit ? ids.slice(0, limit) : ids;
  }

  /** Splits a lower-cased ASCII chunk at punctuation (each mark a word of its own). */
  private pushAsciiChunk(chunk: string, ids: number[]): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      if (!isAsciiPunctuation(chunk.charCodeAt(i))) continue;
      if (i > start) this.pushWord(chunk.slice(start, i), ids);
      this.pushWord(chunk[i]!, ids);
      start = i + 1;
    }
    if (start < chunk.length) this.pushWord(chunk.slice(start), ids);
  }

  private pushCached(chunk: string, ids: number[], slow: (chunk: string) => number[]): void {
    let pieces = this.cache.get(chunk);
    if (pieces === undefined) {
      pieces = slow(chunk);
      this.remember(chunk, pieces);
    }
    for (const id of pieces) ids.push(id);
  }

  private remember(key: string, pieces: readonly number[]): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, pieces);
  }

  private pushWord(word: string, ids: number[]): void {
    let pieces = this.cache.get(word);
    if (pieces === undefined) {
      pieces = this.wordPiece(word);
      this.remember(word, pieces);
    }
    for (const id of pieces) ids.push(id);
  }

  /** Greedy longest-match-first, as WordPiece: a word with an unmatched rest is one [UNK]. */
  private wordPiece(word: string): number[] {
    const { vocab, unk, prefix, maxChars } = this.spec;
    if (word.length > maxChars) return [unk];
    const pieces: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      while (start < end) {
        const piece = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
        found = vocab.get(piece);
        if (found !== undefined) break;
        end -= 1;
      }
      if (found === undefined) return [unk];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }
}

/** The whitespace this path splits on; other whitespace stays inside chunks for the library. */
function isAsciiSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** BERT's punctuation in ASCII: 33–47, 58–64, 91–96, 123–126. */
function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  );
}

/** Probe texts for the self-check against the library's tokenizer. */
export const WORDPIECE_PROBES: readonly string[] = [
  "The quick brown fox jumps over the lazy dog.",
  "Cordless DRILL-driver, 18V (2x 4.0Ah) -- KT2040/b; e-mail: a.b@c.io #1 ~50% [x]",
  "  tabs\tand\nnewlines\r\nmixed   spacing  ",
  "unbelievably antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
  `${"a".repeat(120)} short`,
  "Ünïcödé café – naïve 中文字符 µg/mL ±5% α-helix x\u200By non\u00a0breaking \u0007bell",
  "",
];
