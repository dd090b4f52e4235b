/**
 * `provider: onnx-cross-encoder` — a cross-encoder (a transformer that reads the query and the
 * document together and outputs one relevance logit) exported to ONNX in the Hugging Face layout,
 * run on onnxruntime-node's CPU runtime through @huggingface/transformers. The shape of
 * cross-encoder/ms-marco-MiniLM-L-6-v2, BAAI/bge-reranker-*, jinaai/jina-reranker-*,
 * mixedbread-ai/mxbai-rerank-*-v1.
 *
 * Loading is the onnx embedder's (dense/embedders/onnx.ts): `model` is a local folder (resolved
 * against the config file's folder) or, only with `allowRemoteModels: true`, a Hub id at
 * `revision`, downloaded into `<cacheDir>/transformers/`; `dtype` picks `onnx/model.onnx` (fp32,
 * the default) or `onnx/model_quantized.onnx` (q8), …; BERT-vocabulary tokenizers take the same
 * ASCII WordPiece fast path.
 *
 * Pairs: the tokenizer's own pair template (pair-tokenizer.ts) — `[CLS] query [SEP] document
 * [SEP]` with token types 0/1 for BERT, `<s> query </s></s> document </s>` for XLM-R-style
 * models. The inputs fed are the ones the ONNX graph declares (`token_type_ids` only when it has
 * one). `maxLength` counts special tokens (default: the smallest of the tokenizer's
 * `model_max_length`, the model's `max_position_embeddings` and 512); the document is cut first,
 * the query only when it alone takes more than half of the room (see `pairLengths`).
 *
 * Scores: the model's `logits` output, one row per pair. A model with one label (ms-marco
 * MiniLM, bge-reranker) gives its logit; a model with several (some rerankers are trained as
 * two-class classifiers, "not relevant" / "relevant") gives its LAST logit, the "relevant" one by
 * convention. `activation: sigmoid` maps logits to (0, 1) for models trained with binary
 * cross-entropy whose users want probabilities; it does not change the order.
 *
 * Batching: the pairs of one call are sorted by token length, cut into batches of `batchSize`
 * (default 1) and each padded to its own longest pair; scores come back in candidate order.
 * With fp32 weights padding is masked, so a pair's score does not depend on its batch-mates
 * beyond float rounding. Dynamically quantized models (q8) quantize each activation tensor with
 * one scale over the whole batch, so a pair's score moves slightly with its batch-mates (on the
 * ms-marco MiniLM twin, up to ~6e-3 of a logit over 64 SciFact documents); set `batchSize: 1`
 * when scores must not depend on the other candidates. Speed: a batch's attention tensors grow
 * with rows × width², so on a small machine long pairs can run slower in big batches than one by
 * one: on the 2-core machine of bench/rerank.bench.ts batches of 32 brought no speed-up (its
 * interleaved runs put batch 32 at about batch 1's rate, 27–36 vs 29 pairs/s at 256 tokens, and a
 * cold one-pass check far below it), so the default is 1, which also keeps every score
 * independent of the other candidates. Raise it where batching pays (more cores, a GPU
 * provider); length bucketing then cuts the padding.
 *
 * Concurrency and cancellation: at most `maxConcurrency` calls (default 1) run at once and the
 * rest queue, as onnxruntime already uses every core for one batch. The options' signal is
 * checked before each batch: an abort stops the call between batches (or takes it out of the
 * queue) and rejects with the signal's reason. A forward pass that has started cannot be
 * interrupted (onnxruntime-node has no cancellation), so an abort waits for at most one batch.
 *
 * Identity: `model` as configured; options: revision (the first 16 hex digits of a SHA-256 over
 * a local folder's ONNX and JSON files, or the configured Hub revision), dtype, maxLength,
 * activation.
 */
import { z } from "zod";
import { PairliftError } from "../../errors.js";
import {
  checkedFastTokenizer,
  loadTransformersModel,
  localModelRevision,
  ONNX_DTYPE_SUFFIX,
  positiveNumber,
  type Encoding,
  type HfTensor,
  type OnnxDtype,
  type TensorConstructor,
} from "../../dense/embedders/onnx.js";
import type { RerankerProvider, ProviderContext } from "../provider.js";
import type { RerankCandidate, RerankOptions, Reranker, RerankerIdentity } from "../reranker.js";
import { CallQueue } from "../call-queue.js";
import {
  PairEncoder,
  pairTemplateOf,
  tokenIdsWith,
  type PairBatch,
  type PairCapableTokenizer,
} from "./pair-tokenizer.js";

const DTYPES = Object.keys(ONNX_DTYPE_SUFFIX) as [OnnxDtype, ...OnnxDtype[]];

export const crossEncoderConfigSchema = z.strictObject({
  provider: z.literal("onnx-cross-encoder"),
  /** A local folder in Hugging Face layout (resolved against the config's folder) or a Hub id. */
  model: z.string().min(1),
  /** Hub revision (branch, tag or commit) for a Hub id (default `main`). */
  revision: z.string().min(1).optional(),
  /** Which ONNX file: fp32 → onnx/model.onnx (default), q8 → onnx/model_quantized.onnx, … */
  dtype: z.enum(DTYPES).optional(),
  /** Tokens per pair, special tokens included (default: min(tokenizer's, model's, 512)). */
  maxLength: z.number().int().min(4).max(1_000_000).optional(),
  /** Pairs per forward pass (default 32). */
  batchSize: z.number().int().min(1).max(4096).optional(),
  /** `raw` logits (default) or `sigmoid` probabilities. */
  activation: z.enum(["raw", "sigmoid"]).optional(),
  /** onnxruntime intra-op threads (default: onnxruntime's choice, the physical cores). */
  threads: z.number().int().min(1).max(1024).optional(),
  /** Calls that may run at once; the rest queue (default 1). */
  maxConcurrency: z.number().int().min(1).max(1024).optional(),
  /** Download a Hub model into the cache when it is not there (default false). */
  allowRemoteModels: z.boolean().optional(),
});

export type CrossEncoderConfig = z.infer<typeof crossEncoderConfigSchema>;

export const CROSS_ENCODER_DEFAULTS = Object.freeze({
  dtype: "fp32" as const,
  /** Cap on the default maxLength: cross-encoders are trained on at most 512 tokens. */
  maxLength: 512,
  batchSize: 1,
  activation: "raw" as const,
  maxConcurrency: 1,
  allowRemoteModels: false,
  revision: "main",
});

/** The inputs pairlift can feed; a graph that declares any other is refused at creation. */
const KNOWN_INPUTS = new Set(["input_ids", "attention_mask", "token_type_ids"]);

/** The parts of a transformers.js model used here. */
interface CrossModel {
  (inputs: Encoding): Promise<Record<string, HfTensor>>;
  readonly config: Record<string, unknown>;
  readonly sessions: Record<string, { inputNames: string[]; outputNames: string[] }>;
  dispose(): Promise<unknown>;
}

export class CrossEncoderReranker implements Reranker {
  readonly identity: RerankerIdentity;
  readonly maxLength: number;
  readonly batchSize: number;
  readonly activation: "raw" | "sigmoid";
  /** The inputs the ONNX graph declares, in its order. */
  readonly inputNames: readonly string[];
  private readonly encoder: PairEncoder;
  private readonly model: CrossModel;
  private readonly Tensor: TensorConstructor;
  private readonly queue: CallQueue;
  private closed = false;

  constructor(parts: {
    identity: RerankerIdentity;
    encoder: PairEncoder;
    model: CrossModel;
    Tensor: TensorConstructor;
    batchSize: number;
    activation: "raw" | "sigmoid";
    maxConcurrency: number;
  }) {
    this.identity = parts.identity;
    this.encoder = parts.encoder;
    this.maxLength = parts.encoder.maxLength;
    this.model = parts.model;
    this.Tensor = parts.Tensor;
    this.batchSize = parts.batchSize;
    this.activation = parts.activation;
    this.inputNames = [...parts.model.sessions["model"]!.inputNames];
    this.queue = new CallQueue(parts.maxConcurrency);
  }

  async score(
    query: string,
    candidates: readonly RerankCandidate[],
    options: RerankOptions = {},
  ): Promise<Float64Array> {
    if (this.closed) throw new Error("onnx-cross-encoder reranker is closed");
    options.signal?.throwIfAborted();
    if (candidates.length === 0) return new Float64Array(0);
    return this.queue.run(() => this.scoreNow(query, candidates, options.signal), options.signal);
  }

  /**
   * The forward passes `score()` would make, tokenized: which candidates go together, in what
   * order, padded how. For benchmarks that feed the same inputs to a bare onnxruntime session.
   */
  tokenize(query: string, candidates: readonly RerankCandidate[]): PairBatch[] {
    return this.encoder.batches(
      query,
      candidates.map((candidate) => candidate.text),
      this.batchSize,
    );
  }

  private async scoreNow(
    query: string,
    candidates: readonly RerankCandidate[],
    signal: AbortSignal | undefined,
  ): Promise<Float64Array> {
    const scores = new Float64Array(candidates.length);
    for (const batch of this.tokenize(query, candidates)) {
      signal?.throwIfAborted();
      const outputs = await this.model(this.feeds(batch));
      try {
        this.readScores(batch, outputs["logits"]!, scores);
      } finally {
        for (const tensor of Object.values(outputs)) tensor.dispose?.();
      }
    }
    return scores;
  }

  private feeds(batch: PairBatch): Encoding {
    const dims = [batch.rows, batch.width];
    const feeds: Encoding = {};
    for (const name of this.inputNames) {
      const data =
        name === "input_ids"
          ? batch.inputIds
          : name === "attention_mask"
            ? batch.attentionMask
            : (batch.tokenTypeIds ?? new BigInt64Array(batch.inputIds.length));
      feeds[name] = new this.Tensor("int64", data, dims);
    }
    return feeds;
  }

  /** The last logit of each row (see the module notes), through the activation. */
  private readScores(batch: PairBatch, logits: HfTensor, into: Float64Array): void {
    const labels = logits.dims.length > 1 ? logits.dims[logits.dims.length - 1]! : 1;
    const data = logits.data as Float32Array;
    batch.slots.forEach((slot, row) => {
      const logit = data[row * labels + labels - 1]!;
      into[slot] = this.activation === "sigmoid" ? sigmoid(logit) : logit;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    await this.model.dispose();
  }
}

/** The logistic function, without overflow for large negative inputs. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export async function createCrossEncoder(
  config: CrossEncoderConfig,
  context: ProviderContext,
): Promise<CrossEncoderReranker> {
  const { tokenizer, model, located, revision, dtype, library } =
    await loadTransformersModel<CrossModel>(config, context, "the onnx-cross-encoder reranker");
  try {
    const session = model.sessions["model"];
    const inputs = session?.inputNames ?? [];
    const outputs = session?.outputNames ?? [];
    const unknown = inputs.filter((name) => !KNOWN_INPUTS.has(name));
    if (!inputs.includes("input_ids") || unknown.length > 0) {
      throw new PairliftError(
        "E_CONFIG",
        `model ${config.model} takes inputs ${inputs.join(", ")}; the onnx-cross-encoder ` +
          "provider feeds input_ids, attention_mask and token_type_ids only",
        { field: "model" },
      );
    }
    if (!outputs.includes("logits")) {
      throw new PairliftError(
        "E_CONFIG",
        `model ${config.model} has no logits output (it has ${outputs.join(", ")}); the ` +
          "onnx-cross-encoder provider needs a sequence-classification model (a cross-encoder)",
        { field: "model" },
      );
    }
    const template = pairTemplateOf(tokenizer as unknown as PairCapableTokenizer);
    const specials = template.prefix.length + template.middle.length + template.suffix.length;
    const positions = positiveNumber(model.config["max_position_embeddings"]);
    const limits = [
      positiveNumber(tokenizer.model_max_length),
      positions,
      CROSS_ENCODER_DEFAULTS.maxLength,
    ].filter((value) => value !== undefined);
    const maxLength = config.maxLength ?? Math.min(...limits);
    if (
      (positions !== undefined && config.maxLength !== undefined && maxLength > positions) ||
      maxLength < specials + 2
    ) {
      throw new PairliftError(
        "E_CONFIG",
        `maxLength ${maxLength} must leave room for a query and a document token beside the ` +
          `${specials} special tokens` +
          (positions === undefined ? "" : `, and be at most the model's ${positions} positions`),
        { field: "maxLength" },
      );
    }
    const encoder = new PairEncoder(
      template,
      tokenIdsWith(tokenizer, checkedFastTokenizer(tokenizer)),
      maxLength,
      inputs.includes("token_type_ids"),
    );
    const activation = config.activation ?? CROSS_ENCODER_DEFAULTS.activation;
    const identity: RerankerIdentity = {
      provider: "onnx-cross-encoder",
      model: config.model,
      options: {
        revision: located.kind === "local" ? await localModelRevision(located) : revision,
        dtype,
        maxLength,
        activation,
      },
    };
    return new CrossEncoderReranker({
      identity,
      encoder,
      model,
      Tensor: library.Tensor,
      batchSize: config.batchSize ?? CROSS_ENCODER_DEFAULTS.batchSize,
      activation,
      maxConcurrency: config.maxConcurrency ?? CROSS_ENCODER_DEFAULTS.maxConcurrency,
    });
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

export const crossEncoderProvider: RerankerProvider<CrossEncoderConfig> = {
  name: "onnx-cross-encoder",
  schema: crossEncoderConfigSchema,
  create: (config, context) => createCrossEncoder(config, context),
};
