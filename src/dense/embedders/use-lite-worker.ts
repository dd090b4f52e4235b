/**
 * Worker thread of the `use-lite` provider: loads Universal Sentence Encoder lite once, then
 * embeds the batches the pool in `use-lite.ts` sends, one at a time. Vectors go back as one
 * flat Float32Array per batch, transferred (not copied).
 *
 * Messages in: `{ type: "embed", id, texts, normalize }`, `{ type: "crash" }` (tests only).
 * Messages out: `{ type: "ready", dimension }`, `{ type: "loadFailed", message, stack }`,
 * `{ type: "result", id, data, count }`, `{ type: "failed", id, message, stack }`.
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { l2Normalize } from "../vector-math.js";
import { UseLiteModel } from "./use-lite-model.js";

export interface EmbedRequest {
  type: "embed";
  id: number;
  texts: string[];
  normalize: boolean;
}

export interface CrashRequest {
  type: "crash";
}

export type WorkerRequest = EmbedRequest | CrashRequest;

export type WorkerReply =
  | { type: "ready"; dimension: number }
  | { type: "loadFailed"; message: string; stack: string | undefined }
  | { type: "result"; id: number; data: Float32Array; count: number }
  | { type: "failed"; id: number; message: string; stack: string | undefined };

/** Marks this module's workers, so that importing the module elsewhere starts nothing. */
export const USE_LITE_WORKER_TAG = "pairlift:use-lite";

async function serve(port: NonNullable<typeof parentPort>): Promise<void> {
  let model: UseLiteModel;
  try {
    model = await UseLiteModel.load();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ type: "loadFailed", message: failure.message, stack: failure.stack });
    return;
  }
  // Requests are handled strictly one after another: the pool sends one batch per worker at a time.
  let chain = Promise.resolve();
  port.on("message", (request: WorkerRequest) => {
    if (request.type === "crash") throw new Error("use-lite worker: crash requested by a test");
    chain = chain.then(() => embed(model, port, request));
  });
  port.postMessage({ type: "ready", dimension: 512 } satisfies WorkerReply);
}

async function embed(
  model: UseLiteModel,
  port: NonNullable<typeof parentPort>,
  request: EmbedRequest,
): Promise<void> {
  try {
    const vectors = await model.embed(request.texts);
    const dimension = vectors[0]?.length ?? 0;
    const data = new Float32Array(vectors.length * dimension);
    vectors.forEach((vector, row) => {
      data.set(request.normalize ? l2Normalize(vector) : vector, row * dimension);
    });
    const reply: WorkerReply = { type: "result", id: request.id, data, count: vectors.length };
    port.postMessage(reply, [data.buffer]);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const reply: WorkerReply = {
      type: "failed",
      id: request.id,
      message: failure.message,
      stack: failure.stack,
    };
    port.postMessage(reply);
  }
}

if (!isMainThread && parentPort !== null && workerData === USE_LITE_WORKER_TAG) {
  void serve(parentPort);
}
