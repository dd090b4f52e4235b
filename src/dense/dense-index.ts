import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { crashPoint } from "../crash-point.js";
import { PairliftError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { OpenIndex } from "../store/index-store.js";
import { linkTree, syncTree } from "../store/index-dir.js";
import { sha256Text } from "../store/hash.js";
import type { Document } from "../types.js";
import { batches, type Embedder, type EmbedderIdentity } from "./embedder.js";
import { identityKey } from "./embedding-cache.js";
import { createVectorIndex } from "./vector-index/create.js";
import type { CreateVectorIndexOptions } from "./vector-index/create.js";
import {
  loadVectorIndex,
  type VectorIndex,
  type VectorIndexKind,
} from "./vector-index/vector-index.js";

/**
 * Dense vectors of an index's documents for one embedder, stored beside the BM25 index in
 * `<index>/dense/<embedder name>/` (manifest.json + vectors.bin). The manifest records the
 * embedder's identity, so a pipeline whose embedder has changed gets a clear error instead of
 * comparing queries with vectors from another model.
 */
export const DENSE_FORMAT = 1;

export interface DenseManifest {
  format: number;
  /** The embedder's name in the configuration. */
  embedder: string;
  identity: EmbedderIdentity;
  identityKey: string;
  dimension: number;
  kind: VectorIndexKind;
  /**
   * Whether rebuilding from the same documents and options gives a byte-identical vectors.bin
   * (false for an HNSW graph built on several threads; absent in manifests written before it
   * was recorded).
   */
  reproducible?: boolean;
  documents: number;
  /** SHA-256 of the document ids in slot order: vectors belong to exactly these documents. */
  idsSha256: string;
  createdAt: string;
  buildSeconds: number;
}

export interface DenseHit {
  id: string;
  score: number;
}

export class DenseIndex {
  constructor(
    readonly manifest: DenseManifest,
    readonly ids: readonly string[],
    readonly vectors: VectorIndex,
  ) {}

  search(query: Float32Array, k: number): DenseHit[] {
    const { slots, scores } = this.vectors.search(query, k);
    return Array.from(slots, (slot, i) => ({ id: this.ids[slot]!, score: scores[i]! }));
  }
}

export function denseDir(index: OpenIndex, embedder: string): string {
  return join(index.dataDir, "dense", embedder);
}

/** The text a document is embedded as. */
export function documentText(document: Document): string {
  return document.title === "" ? document.text : `${document.title}\n${document.text}`;
}

export interface BuildDenseOptions {
  index: OpenIndex;
  name: string;
  embedder: Embedder;
  kind?: VectorIndexKind;
  /** Parameters of the vector index kind (hnsw: M, efConstruction, efSearch, quantization, buildThreads). */
  vectorOptions?: Omit<CreateVectorIndexOptions, "dimension" | "metric">;
  /** Documents per embed call (progress granularity; providers batch further inside). */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Embeds every document of the index (through whatever cache the embedder has) and saves the vectors. */
export async function buildDenseIndex(options: BuildDenseOptions): Promise<DenseIndex> {
  const started = performance.now();
  const { index, embedder } = options;
  const ids = index.lexical.documentIds();
  const vectorBatches: Float32Array[][] = [];
  let done = 0;
  for (const chunk of batches(ids, options.chunkSize ?? 256)) {
    const texts = chunk.map((id) => {
      const document = index.documents.get(id);
      if (document === undefined) {
        throw new PairliftError(
          "E_INDEX_FORMAT",
          `document ${JSON.stringify(id)} is in the BM25 index but not in its document store; rebuild the index`,
          { file: index.dir },
        );
      }
      return documentText(document);
    });
    vectorBatches.push(await embedder.embed(texts, { role: "document" }));
    done += chunk.length;
    options.onProgress?.(done, ids.length);
  }
  const all = vectorBatches.flat();
  const dimension = all[0]?.length ?? embedder.dimension ?? 0;
  if (dimension === 0)
    throw new PairliftError("E_USAGE", "cannot build dense vectors for an empty index");
  const kind = options.kind ?? "flat";
  const vectors = createVectorIndex(kind, {
    ...options.vectorOptions,
    dimension,
    metric: embedder.normalized ? "dot" : "cosine",
  });
  vectors.add(all);
  const manifest: DenseManifest = {
    format: DENSE_FORMAT,
    embedder: options.name,
    identity: embedder.identity,
    identityKey: identityKey(embedder.identity),
    dimension,
    kind,
    reproducible: vectors.reproducible,
    documents: ids.length,
    idsSha256: sha256Text(ids.join("\n")),
    createdAt: new Date().toISOString(),
    buildSeconds: (performance.now() - started) / 1000,
  };
  await saveDense(denseDir(index, options.name), manifest, vectors);
  crashPoint("vectors-written");
  return new DenseIndex(manifest, ids, vectors);
}

async function saveDense(
  dir: string,
  manifest: DenseManifest,
  vectors: VectorIndex,
): Promise<void> {
  const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await mkdir(staging, { recursive: true });
  try {
    await vectors.save(join(staging, "vectors.bin"));
    await writeFileAtomic(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await syncTree(staging);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Opens the stored vectors for embedder `name`. Returns undefined when there are none; throws
 * a clear error when they were built by another model or for other documents.
 */
export async function openDenseIndex(
  index: OpenIndex,
  name: string,
  identity: EmbedderIdentity,
): Promise<DenseIndex | undefined> {
  const dir = denseDir(index, name);
  const manifestPath = join(dir, "manifest.json");
  if ((await stat(manifestPath).catch(() => undefined)) === undefined) return undefined;
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as DenseManifest;
  if (manifest.format !== DENSE_FORMAT) {
    throw new PairliftError(
      "E_INDEX_FORMAT",
      `dense index format ${manifest.format} is not supported; rebuild it`,
      { file: manifestPath },
    );
  }
  const wanted = identityKey(identity);
  if (manifest.identityKey !== wanted) {
    throw new PairliftError(
      "E_CONFIG",
      `the vectors for embedder "${name}" were built with ${describeIdentity(manifest.identity)}, but "${name}" is now ${describeIdentity(identity)}; rebuild them with \`pairlift index --index ${index.dir} --embedder ${name}\``,
      { file: manifestPath },
    );
  }
  const ids = index.lexical.documentIds();
  if (manifest.idsSha256 !== sha256Text(ids.join("\n"))) {
    throw new PairliftError(
      "E_CONFIG",
      `the vectors for embedder "${name}" belong to another version of this index's documents (${manifest.documents} then, ${ids.length} now); rebuild them with \`pairlift index --index ${index.dir} --embedder ${name}\``,
      { file: manifestPath },
    );
  }
  return new DenseIndex(manifest, ids, await loadVectorIndex(join(dir, "vectors.bin")));
}

/**
 * Carries the vectors stored in `from` (an index's previous data folder) into the staged new
 * state `to` (see WriteIndexOptions.stage), by hard links, for every embedder except `except`
 * whose vectors still belong to exactly `to`'s documents; vectors of changed documents are
 * left behind. Returns the embedders carried.
 */
export async function carryDenseIndexes(
  from: string,
  to: OpenIndex,
  except: readonly string[] = [],
): Promise<string[]> {
  const idsSha256 = sha256Text(to.lexical.documentIds().join("\n"));
  const carried: string[] = [];
  for (const name of await readdir(join(from, "dense")).catch(() => [])) {
    if (except.includes(name)) continue;
    const dir = join(from, "dense", name);
    const manifest = await readFile(join(dir, "manifest.json"), "utf8").then(
      (text) => JSON.parse(text) as Partial<DenseManifest>,
      () => undefined,
    );
    if (manifest?.idsSha256 !== idsSha256) continue;
    await linkTree(dir, denseDir(to, name));
    carried.push(name);
  }
  crashPoint("vectors-carried");
  return carried;
}

function describeIdentity(identity: EmbedderIdentity): string {
  const options =
    Object.keys(identity.options).length === 0 ? "" : ` ${JSON.stringify(identity.options)}`;
  return `${identity.provider}/${identity.model}${identity.revision === "" ? "" : `@${identity.revision}`}${options}`;
}
