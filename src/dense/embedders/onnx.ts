/**
 * `provider: onnx` — transformer encoders exported to ONNX in the Hugging Face layout
 * (`config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model*.onnx`), run on
 * onnxruntime-node's CPU runtime through @huggingface/transformers.
 *
 * It uses `AutoTokenizer` + `AutoModel` rather than the `feature-extraction` pipeline: the model
 * returns `last_hidden_state` and pooling (mean over the attention mask, or the first token) and
 * normalisation run here in one pass over a Float32Array, without the pipeline's tensor ops.
 *
 * Models come from a local folder (`model: ./models/e5-small-v2`, resolved against the config
 * file's folder) or, only when `allowRemoteModels: true`, from the Hugging Face Hub by id
 * (`model: intfloat/e5-small-v2`, at `revision`), downloaded once into
 * `<cacheDir>/transformers/`. With downloads off (the default) a Hub id loads only if it is
 * already in that cache: nothing is fetched by surprise.
 *
 * Text handling:
 * - `queryPrefix` / `documentPrefix` are prepended by role (e5: `query: ` / `passage: `; bge:
 *   its query instruction);
 * - texts are truncated to `maxLength` tokens, special tokens included (default: the tokenizer's
 *   `model_max_length`, capped by the model's `max_position_embeddings`): the text's own tokens
 *   are cut first and the special tokens added after, as Hugging Face tokenizers do (see
 *   `specialTokensOf` for why pairlift does not leave this to transformers.js). Only the first
 *   that-many whitespace-separated words are tokenized (every word yields at least one token), so
 *   a 5,000-word text costs what a 256-word one does; when that cut comes out short (words that
 *   tokenize to nothing) the whole text is tokenized instead. Plain-ASCII text for BERT-vocabulary
 *   tokenizers takes a faster path with the same ids (wordpiece.ts);
 * - batches (`batchSize` texts, padded to their longest) are cut from the call's texts ordered by
 *   length, and the vectors come back in input order.
 *
 * Batching and exactness: with fp32 weights padding is masked, so a text's vector should not depend
 * on its batch beyond float rounding (no fp32 model was at hand to measure it). Dynamically quantized models (the usual `q8`/`int8`/`uint8` exports) quantize
 * each activation tensor with one scale computed over the whole batch, padding included, so a
 * text's vector moves with its batch-mates (measured on the MiniLM-L6 twin: up to ~1e-3 per
 * coordinate of the unit vector). The default `batchSize: 1` keeps every vector independent of
 * the others — the embedding cache relies on that. On the 2-core machine of bench/embed.bench.ts,
 * batching 256-token documents brought no consistent speed-up (batch 32 measured between 0.7× and
 * 1.1× batch 1's rate, within the noise of a shared machine); raise it for throughput on more
 * cores when exact reproducibility across batchings does not matter.
 *
 * Identity: `model` as configured; `revision` = for a local folder, the first 16 hex digits of a
 * SHA-256 over the ONNX file's bytes and the three JSON files (~20 ms for the 23 MB MiniLM twin on
 * the 2-core machine of bench/, i.e. well under a second for models up to a few hundred MB), for a
 * Hub id the configured revision (default `main`); options: pooling,
 * dtype, normalize, maxLength, prefixes.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { PairliftError } from "../../errors.js";
import { importOptional } from "../../optional-module.js";
import {
  applyPrefix,
  type EmbedOptions,
  type Embedder,
  type EmbedderIdentity,
  type RolePrefixes,
} from "../embedder.js";
import { l2Normalize } from "../vector-math.js";
import { updateHashWithFile } from "../../store/hash.js";
import { AsciiWordPiece, WORDPIECE_PROBES } from "./wordpiece.js";
import type { EmbedderProvider, ProviderContext } from "./provider.js";

/** transformers.js dtypes and the ONNX file each selects (`onnx/model<suffix>.onnx`). */
export const ONNX_DTYPE_SUFFIX = Object.freeze({
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  q4f16: "_q4f16",
  bnb4: "_bnb4",
});

export type OnnxDtype = keyof typeof ONNX_DTYPE_SUFFIX;
const DTYPES = Object.keys(ONNX_DTYPE_SUFFIX) as [OnnxDtype, ...OnnxDtype[]];

export const onnxConfigSchema = z.strictObject({
  provider: z.literal("onnx"),
  /** A local folder in Hugging Face layout (resolved against the config's folder) or a Hub id. */
  model: z.string().min(1),
  /** `mean` over the attention mask (default) or `cls` (the first token's hidden state). */
  pooling: z.enum(["mean", "cls"]).optional(),
  /** Which ONNX file: fp32 → onnx/model.onnx (default), q8 → onnx/model_quantized.onnx, … */
  dtype: z.enum(DTYPES).optional(),
  /** L2-normalise vectors (default true). */
  normalize: z.boolean().optional(),
  /** Token limit, special tokens included (default: the tokenizer's, capped by the model's). */
  maxLength: z.number().int().min(2).max(1_000_000).optional(),
  /** Texts per forward pass (default 1; see the module notes on quantized models). */
  batchSize: z.number().int().min(1).max(4096).optional(),
  queryPrefix: z.string().optional(),
  documentPrefix: z.string().optional(),
  /** Download a Hub model into the cache when it is not there (default false). */
  allowRemoteModels: z.boolean().optional(),
  /** Hub revision (branch, tag or commit) for a Hub id (default `main`). */
  revision: z.string().min(1).optional(),
  /** onnxruntime intra-op threads (default: onnxruntime's choice, the physical cores). */
  threads: z.number().int().min(1).max(1024).optional(),
});

export type OnnxConfig = z.infer<typeof onnxConfigSchema>;

export const ONNX_DEFAULTS = Object.freeze({
  pooling: "mean" as const,
  dtype: "fp32" as const,
  normalize: true,
  batchSize: 1,
  allowRemoteModels: false,
  revision: "main",
});

/** Fallback token limit when neither the tokenizer nor the model states one. */
const FALLBACK_MAX_LENGTH = 512;

// ---------------------------------------------------------------------------------------------
// The parts of transformers.js used here (its own types are mostly `any`).

export interface HfTensor {
  readonly data: ArrayLike<number | bigint>;
  readonly dims: number[];
  dispose?(): void;
}

export type Encoding = Record<string, HfTensor>;

export interface HfTokenizer {
  (
    texts: string[],
    options: { padding: boolean; truncation: boolean; max_length: number },
  ): Encoding;
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  readonly model_max_length: unknown;
  /** The parsed tokenizer.json (transformers.js keeps it). */
  readonly _tokenizerJSON?: unknown;
  readonly pad_token_id: unknown;
}

export type TensorConstructor = new (
  type: "int64",
  data: BigInt64Array,
  dims: number[],
) => HfTensor;

export interface HfModel {
  (inputs: Encoding): Promise<Record<string, HfTensor>>;
  readonly config: Record<string, unknown>;
  dispose(): Promise<unknown>;
}

export interface Transformers {
  AutoTokenizer: { from_pretrained(id: string, options: object): Promise<unknown> };
  AutoModel: { from_pretrained(id: string, options: object): Promise<unknown> };
  env: { allowRemoteModels: boolean; cacheDir: string | null };
  Tensor: TensorConstructor;
}

let transformersModule: Promise<Transformers> | undefined;

/**
 * Imported on first use: the library takes ~0.5 s to load, most runs never need it, and it is an
 * optional peer dependency (absent: `E_UNAVAILABLE` naming `purpose` and the install command).
 */
export function transformers(
  purpose = "the onnx embedder and cross-encoder reranker",
): Promise<Transformers> {
  transformersModule ??= importOptional<Transformers>("@huggingface/transformers", {
    purpose,
  }).catch((error: unknown) => {
    transformersModule = undefined;
    throw error;
  });
  return transformersModule;
}

// ---------------------------------------------------------------------------------------------
// Locating the model

export interface LocalModel {
  kind: "local";
  dir: string;
  onnxFile: string;
}

export interface HubModel {
  kind: "hub";
  id: string;
  /** Where a local folder of that name would have been. */
  folder: string;
}

/** A Hub id: `name` or `owner/name`, as huggingface.co spells them. */
const HUB_ID = /^(?:[\w.-]+\/)?[\w.-]+$/u;

/**
 * A local folder when the path exists, is absolute, or starts with `.`/`~`; otherwise a Hub id.
 * A local folder must hold config.json, tokenizer.json and the dtype's ONNX file.
 */
export async function locateOnnxModel(
  config: Pick<OnnxConfig, "model" | "dtype">,
  baseDir: string,
): Promise<LocalModel | HubModel> {
  const dtype = config.dtype ?? ONNX_DEFAULTS.dtype;
  const dir = resolve(baseDir, config.model);
  const looksLocal =
    isAbsolute(config.model) ||
    config.model.startsWith(".") ||
    config.model.startsWith("~") ||
    !HUB_ID.test(config.model) ||
    config.model.includes("--") ||
    config.model.includes("..");
  if (!existsSync(dir)) {
    if (looksLocal) {
      throw new PairliftError(
        "E_NOT_FOUND",
        `model folder ${dir} does not exist (expected a folder in Hugging Face layout: ` +
          `config.json, tokenizer.json and onnx/model${ONNX_DTYPE_SUFFIX[dtype]}.onnx)`,
        { field: "model" },
      );
    }
    return { kind: "hub", id: config.model, folder: dir };
  }
  if (!statSync(dir).isDirectory()) {
    throw new PairliftError("E_NOT_FOUND", `model path ${dir} is a file, not a model folder`, {
      field: "model",
    });
  }
  const onnxName = `model${ONNX_DTYPE_SUFFIX[dtype]}.onnx`;
  const onnxFile = join(dir, "onnx", onnxName);
  if (!existsSync(onnxFile)) {
    const present = existsSync(join(dir, "onnx"))
      ? (await readdir(join(dir, "onnx"))).filter((name) => name.endsWith(".onnx"))
      : [];
    const hint =
      present.length === 0
        ? `${join(dir, "onnx")} holds no .onnx file`
        : `found ${present.map((name) => describeOnnxFile(name)).join(", ")}`;
    throw new PairliftError(
      "E_NOT_FOUND",
      `model folder ${dir} has no onnx/${onnxName}, the file for dtype ${dtype} (${hint})`,
      { field: "model" },
    );
  }
  for (const name of ["config.json", "tokenizer.json"]) {
    if (!existsSync(join(dir, name))) {
      throw new PairliftError("E_NOT_FOUND", `model folder ${dir} has no ${name}`, {
        field: "model",
      });
    }
  }
  return { kind: "local", dir, onnxFile };
}

function describeOnnxFile(name: string): string {
  const suffix = name.replace(/^model/u, "").replace(/\.onnx$/u, "");
  const dtype = DTYPES.find((candidate) => ONNX_DTYPE_SUFFIX[candidate] === suffix);
  return dtype === undefined ? `onnx/${name}` : `onnx/${name} (dtype: ${dtype})`;
}

/** First 16 hex digits of SHA-256 over the ONNX file and the folder's JSON files. */
export async function localModelRevision(model: LocalModel): Promise<string> {
  const hash = createHash("sha256");
  for (const path of [
    model.onnxFile,
    join(model.dir, "config.json"),
    join(model.dir, "tokenizer.json"),
    join(model.dir, "tokenizer_config.json"),
  ]) {
    if (!existsSync(path)) continue;
    hash.update(`${path.slice(model.dir.length)}\0`);
    await updateHashWithFile(hash, path);
  }
  return hash.digest("hex").slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// The embedder

/** One forward pass's inputs: the texts' positions in the call and their tokenization. */
export interface OnnxBatch {
  slots: number[];
  encoding: Encoding;
}

export class OnnxEmbedder implements Embedder {
  readonly identity: EmbedderIdentity;
  readonly normalized: boolean;
  readonly maxLength: number;
  readonly batchSize: number;
  private dim: number | undefined;
  private readonly pooling: "mean" | "cls";
  private readonly prefixes: RolePrefixes;
  private readonly tokenizer: HfTokenizer;
  private readonly template: SpecialTokens;
  private readonly fastTokenizer: AsciiWordPiece | undefined;
  private readonly Tensor: TensorConstructor;
  private readonly model: HfModel;
  /** Calls run one at a time: onnxruntime already uses every core for one batch. */
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(parts: {
    identity: EmbedderIdentity;
    tokenizer: HfTokenizer;
    template: SpecialTokens;
    fastTokenizer: AsciiWordPiece | undefined;
    Tensor: TensorConstructor;
    model: HfModel;
    pooling: "mean" | "cls";
    normalize: boolean;
    maxLength: number;
    batchSize: number;
    prefixes: RolePrefixes;
    dimension: number | undefined;
  }) {
    this.identity = parts.identity;
    this.tokenizer = parts.tokenizer;
    this.template = parts.template;
    this.fastTokenizer = parts.fastTokenizer;
    this.Tensor = parts.Tensor;
    this.model = parts.model;
    this.pooling = parts.pooling;
    this.normalized = parts.normalize;
    this.maxLength = parts.maxLength;
    this.batchSize = parts.batchSize;
    this.prefixes = parts.prefixes;
    this.dim = parts.dimension;
  }

  get dimension(): number | undefined {
    return this.dim;
  }

  embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    const run = this.chain.then(() => this.embedNow(texts, options));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * The forward passes `embed()` would make, tokenized: which texts go together, in what order,
   * padded how. For benchmarks that feed the same inputs to a bare onnxruntime session.
   */
  tokenize(texts: readonly string[], options: Pick<EmbedOptions, "role">): OnnxBatch[] {
    const { prefixed, batches } = this.plan(texts, options.role);
    return batches.map((slots) => ({
      slots,
      encoding: this.encode(slots.map((slot) => prefixed[slot]!)),
    }));
  }

  /** Prefixed texts and the slots of each batch: longest first when batches hold several. */
  private plan(texts: readonly string[], role: EmbedOptions["role"]) {
    const prefixed = applyPrefix(texts, role, this.prefixes);
    const order = prefixed.map((_, slot) => slot);
    // Longest first, so that each batch is padded to about its own texts' length.
    if (this.batchSize > 1)
      order.sort((a, b) => prefixed[b]!.length - prefixed[a]!.length || a - b);
    const batches: number[][] = [];
    for (let start = 0; start < order.length; start += this.batchSize)
      batches.push(order.slice(start, start + this.batchSize));
    return { prefixed, batches };
  }

  /** Raw model outputs → one pooled (and normalised) vector per row of the batch. */
  pool(batch: OnnxBatch, hidden: HfTensor): Float32Array[] {
    const [rows, length, dimension] = hidden.dims as [number, number, number];
    const data = hidden.data as Float32Array;
    const mask = batch.encoding["attention_mask"]!.data as BigInt64Array;
    const vectors: Float32Array[] = [];
    for (let row = 0; row < rows; row += 1) {
      const vector = new Float32Array(dimension);
      const rowBase = row * length * dimension;
      if (this.pooling === "cls") {
        vector.set(data.subarray(rowBase, rowBase + dimension));
      } else {
        let count = 0;
        for (let position = 0; position < length; position += 1) {
          if (mask[row * length + position] === 0n) continue;
          count += 1;
          const base = rowBase + position * dimension;
          // Unrolled by four: about twice as fast as the plain loop in V8.
          let d = 0;
          for (; d + 3 < dimension; d += 4) {
            vector[d]! += data[base + d]!;
            vector[d + 1]! += data[base + d + 1]!;
            vector[d + 2]! += data[base + d + 2]!;
            vector[d + 3]! += data[base + d + 3]!;
          }
          for (; d < dimension; d += 1) vector[d]! += data[base + d]!;
        }
        if (count > 0) for (let d = 0; d < dimension; d += 1) vector[d]! /= count;
      }
      vectors.push(this.normalized ? l2Normalize(vector) : vector);
    }
    return vectors;
  }

  private async embedNow(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    if (this.closed) throw new Error("onnx embedder is closed");
    options.signal?.throwIfAborted();
    const out = new Array<Float32Array>(texts.length);
    const { prefixed, batches } = this.plan(texts, options.role);
    for (const slots of batches) {
      options.signal?.throwIfAborted();
      const batch: OnnxBatch = { slots, encoding: this.encode(slots.map((s) => prefixed[s]!)) };
      const outputs = await this.model(batch.encoding);
      const hidden = outputs["last_hidden_state"];
      if (hidden === undefined) {
        throw new PairliftError(
          "E_CONFIG",
          `model ${this.identity.model} has no last_hidden_state output (it has ` +
            `${Object.keys(outputs).join(", ")}); the onnx provider needs an encoder (AutoModel)`,
          { field: "model" },
        );
      }
      this.pool(batch, hidden).forEach((vector, row) => {
        out[slots[row]!] = vector;
      });
      this.dim ??= hidden.dims[2];
      for (const tensor of Object.values(outputs)) tensor.dispose?.();
    }
    return out;
  }

  /** Tokenizes a batch: special tokens around each text, truncated to maxLength, right-padded. */
  private encode(texts: string[]): Encoding {
    const { prefix, suffix, pad, tokenTypes } = this.template;
    const rows = texts.map((text) => this.contentIds(text));
    const width = Math.max(...rows.map((ids) => ids.length)) + prefix.length + suffix.length;
    const ids = new BigInt64Array(rows.length * width).fill(BigInt(pad));
    const mask = new BigInt64Array(rows.length * width);
    rows.forEach((content, row) => {
      let at = row * width;
      for (const id of prefix) ids[at++] = BigInt(id);
      for (const id of content) ids[at++] = BigInt(id);
      for (const id of suffix) ids[at++] = BigInt(id);
      mask.fill(1n, row * width, at);
    });
    const dims = [rows.length, width];
    const encoding: Encoding = {
      input_ids: new this.Tensor("int64", ids, dims),
      attention_mask: new this.Tensor("int64", mask, dims),
    };
    if (tokenTypes) {
      encoding["token_type_ids"] = new this.Tensor("int64", new BigInt64Array(ids.length), dims);
    }
    return encoding;
  }

  private readonly libraryIds = (text: string): number[] =>
    this.tokenizer.encode(text, { add_special_tokens: false });

  /**
   * A text's token ids without special tokens, at most maxLength minus the special tokens. Only
   * the first that-many words are tokenized (every word yields at least one token), unless that
   * comes out short — words that tokenize to nothing — and then the whole text is.
   */
  private contentIds(text: string): number[] {
    const budget = this.maxLength - this.template.prefix.length - this.template.suffix.length;
    const fast = this.fastTokenizer?.encode(text, budget, this.libraryIds);
    if (fast !== undefined) return fast;
    const cut = cutAfterWords(text, budget);
    let ids = this.tokenizer.encode(cut, { add_special_tokens: false });
    if (ids.length < budget && cut.length < text.length) {
      ids = this.tokenizer.encode(text, { add_special_tokens: false });
    }
    return ids.length > budget ? ids.slice(0, budget) : ids;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.model.dispose();
  }
}

/**
 * The special tokens a tokenizer puts around one sequence (`[CLS] … [SEP]`, `<s> … </s>`), the
 * padding id, and whether it emits token_type_ids.
 *
 * pairlift truncates the text and then adds these, as Hugging Face tokenizers (and so
 * sentence-transformers) do. transformers.js 4.3 truncates after adding them, which drops the
 * closing `[SEP]`/`</s>` of every truncated text — an input the models never saw in training.
 */
export interface SpecialTokens {
  prefix: number[];
  suffix: number[];
  pad: number;
  tokenTypes: boolean;
}

export function specialTokensOf(tokenizer: HfTokenizer): SpecialTokens {
  const probe = "pairlift probe text";
  const bare = tokenizer.encode(probe, { add_special_tokens: false });
  const full = tokenizer.encode(probe, { add_special_tokens: true });
  for (let start = 0; start + bare.length <= full.length; start += 1) {
    if (bare.every((id, i) => full[start + i] === id)) {
      const sample = tokenizer(["x"], { padding: true, truncation: true, max_length: 16 });
      const pad = tokenizer.pad_token_id;
      return {
        prefix: full.slice(0, start),
        suffix: full.slice(start + bare.length),
        pad: typeof pad === "number" ? pad : 0,
        tokenTypes: sample["token_type_ids"] !== undefined,
      };
    }
  }
  throw new PairliftError(
    "E_CONFIG",
    "the tokenizer does not put the text between fixed special tokens; the onnx provider " +
      "cannot truncate for it",
    { field: "model" },
  );
}

/**
 * The ASCII WordPiece fast path for this tokenizer, when its pipeline is BERT's and it gives the
 * library's ids on the probe texts; undefined otherwise (everything then goes to transformers.js).
 */
export function checkedFastTokenizer(tokenizer: HfTokenizer): AsciiWordPiece | undefined {
  const fast = AsciiWordPiece.fromTokenizerJson(tokenizer._tokenizerJSON);
  if (fast === undefined) return undefined;
  for (const probe of WORDPIECE_PROBES) {
    const expected = tokenizer.encode(probe, { add_special_tokens: false });
    const actual = fast.encode(probe, Number.MAX_SAFE_INTEGER, (chunk) =>
      tokenizer.encode(chunk, { add_special_tokens: false }),
    );
    if (actual === undefined || actual.length !== expected.length) return undefined;
    if (actual.some((id, i) => id !== expected[i])) return undefined;
  }
  return fast;
}

/** `text` up to the end of its `words`-th whitespace-separated word (all of it if shorter). */
export function cutAfterWords(text: string, words: number): string {
  const pattern = /\S+/gu;
  let end = -1;
  for (let count = 0; count < words; count += 1) {
    const match = pattern.exec(text);
    if (match === null) return text;
    end = pattern.lastIndex;
  }
  return end < 0 || end >= text.length ? text : text.slice(0, end);
}

export async function createOnnxEmbedder(
  config: OnnxConfig,
  context: ProviderContext,
): Promise<OnnxEmbedder> {
  const { tokenizer, model, located, revision, dtype, library } =
    await loadTransformersModel<HfModel>(config, context, "the onnx embedder");
  const template = specialTokensOf(tokenizer);
  const fastTokenizer = checkedFastTokenizer(tokenizer);
  const modelConfig = model.config;
  const positions = positiveNumber(modelConfig["max_position_embeddings"]);
  const tokenizerLimit = positiveNumber(tokenizer.model_max_length);
  const limits = [tokenizerLimit, positions].filter((value) => value !== undefined);
  const modelLimit = limits.length === 0 ? undefined : Math.min(...limits);
  const maxLength = config.maxLength ?? modelLimit ?? FALLBACK_MAX_LENGTH;
  const specials = template.prefix.length + template.suffix.length;
  if (
    (positions !== undefined && config.maxLength !== undefined && config.maxLength > positions) ||
    maxLength <= specials
  ) {
    await model.dispose();
    throw new PairliftError(
      "E_CONFIG",
      `maxLength ${maxLength} must be above the ${specials} special tokens` +
        (positions === undefined ? "" : ` and at most the model's ${positions} positions`),
      { field: "maxLength" },
    );
  }
  const pooling = config.pooling ?? ONNX_DEFAULTS.pooling;
  const normalize = config.normalize ?? ONNX_DEFAULTS.normalize;
  const prefixes: RolePrefixes = {};
  if (config.queryPrefix !== undefined) prefixes.query = config.queryPrefix;
  if (config.documentPrefix !== undefined) prefixes.document = config.documentPrefix;
  const identity: EmbedderIdentity = {
    provider: "onnx",
    model: config.model,
    revision: located.kind === "local" ? await localModelRevision(located) : revision,
    options: {
      pooling,
      dtype,
      normalize,
      maxLength,
      queryPrefix: prefixes.query ?? "",
      documentPrefix: prefixes.document ?? "",
    },
  };
  return new OnnxEmbedder({
    identity,
    tokenizer,
    template,
    fastTokenizer,
    Tensor: library.Tensor,
    model,
    pooling,
    normalize,
    maxLength,
    batchSize: config.batchSize ?? ONNX_DEFAULTS.batchSize,
    prefixes,
    dimension: positiveNumber(modelConfig["hidden_size"]),
  });
}

let hubLoads: Promise<unknown> = Promise.resolve();

/**
 * Runs a load with transformers.js's global `allowRemoteModels` and `cacheDir` set to this
 * embedder's, for Hub ids. The per-call `local_files_only` and `cache_dir` options are not enough
 * in transformers.js 4.3: its tokenizer loader looks files up with neither (a HEAD request to the
 * Hub even when `local_files_only` is true, and a cache lookup in `env.cacheDir` only). Hub loads
 * run one at a time and the globals are restored after each. Local folders need none of this.
 */
/** What loading a Hugging Face–layout ONNX model reads from a provider's configuration. */
export type TransformersModelConfig = Pick<
  OnnxConfig,
  "model" | "dtype" | "revision" | "allowRemoteModels" | "threads"
>;

/**
 * Loads a tokenizer and an ONNX model (a local folder, or a Hub id when remote models are
 * allowed) through transformers.js on the CPU: what the onnx embedder and the onnx
 * cross-encoder share. Errors name the folder or id, the dtype and the cache directory.
 */
export async function loadTransformersModel<M>(
  config: TransformersModelConfig,
  context: ProviderContext,
  purpose?: string,
): Promise<{
  tokenizer: HfTokenizer;
  model: M;
  located: LocalModel | HubModel;
  revision: string;
  dtype: NonNullable<OnnxConfig["dtype"]>;
  library: Awaited<ReturnType<typeof transformers>>;
}> {
  const dtype = config.dtype ?? ONNX_DEFAULTS.dtype;
  const allowRemote = config.allowRemoteModels ?? ONNX_DEFAULTS.allowRemoteModels;
  const located = await locateOnnxModel(config, context.baseDir);
  const cacheDir = join(context.cacheDir, "transformers");
  const reference = located.kind === "local" ? located.dir : located.id;
  const revision = config.revision ?? ONNX_DEFAULTS.revision;
  const common = {
    cache_dir: cacheDir,
    local_files_only: located.kind === "local" || !allowRemote,
    revision,
  };
  const library = await transformers(purpose);
  let tokenizer: HfTokenizer;
  let model: M;
  try {
    [tokenizer, model] = await withHubSettings(
      library,
      located,
      allowRemote,
      cacheDir,
      async () => [
        (await library.AutoTokenizer.from_pretrained(reference, common)) as HfTokenizer,
        (await library.AutoModel.from_pretrained(reference, {
          ...common,
          dtype,
          device: "cpu",
          session_options:
            config.threads === undefined ? {} : { intraOpNumThreads: config.threads },
        })) as M,
      ],
    );
  } catch (error) {
    throw loadError(error, located, { dtype, allowRemote, cacheDir });
  }

  return { tokenizer, model, located, revision, dtype, library };
}

export async function withHubSettings<T>(
  library: Transformers,
  located: LocalModel | HubModel,
  allowRemote: boolean,
  cacheDir: string,
  load: () => Promise<T>,
): Promise<T> {
  if (located.kind === "local") return load();
  const run = hubLoads.then(async () => {
    const saved = {
      allowRemoteModels: library.env.allowRemoteModels,
      cacheDir: library.env.cacheDir,
    };
    library.env.allowRemoteModels = allowRemote;
    library.env.cacheDir = cacheDir;
    try {
      return await load();
    } finally {
      library.env.allowRemoteModels = saved.allowRemoteModels;
      library.env.cacheDir = saved.cacheDir;
    }
  });
  hubLoads = run.catch(() => undefined);
  return run;
}

/** A finite positive integer below 10^7 (tokenizers say 1e30 for "no limit"), else undefined. */
export function positiveNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value < 10_000_000
    ? value
    : undefined;
}

export function loadError(
  error: unknown,
  located: LocalModel | HubModel,
  settings: { dtype: OnnxDtype; allowRemote: boolean; cacheDir: string },
): PairliftError {
  if (located.kind === "hub" && !settings.allowRemote) {
    return new PairliftError(
      "E_NOT_FOUND",
      `model "${located.id}" is not a local folder (nothing at ${located.folder}) and is not in ` +
        `the cache (${settings.cacheDir}); point model at a folder in Hugging Face layout, or set ` +
        "allowRemoteModels: true to download it from the Hugging Face Hub",
      { field: "model" },
      error,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const where = located.kind === "local" ? located.dir : `"${located.id}"`;
  return new PairliftError(
    "E_CONFIG",
    `could not load ONNX model ${where} (dtype ${settings.dtype}): ${message}`,
    { field: "model" },
    error,
  );
}

export const onnxProvider: EmbedderProvider<OnnxConfig> = {
  name: "onnx",
  schema: onnxConfigSchema,
  create: (config, context) => createOnnxEmbedder(config, context),
};
