import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { crashPoint } from "../crash-point.js";
import { PairliftError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { readCorpus, type CorpusSource } from "../io/corpus.js";
import { saveLexicalIndex, loadLexicalIndex } from "../lexical/format.js";
import { LexicalIndex } from "../lexical/lexical-index.js";
import { detectIdentifierFields } from "../lexical/identifier-fields.js";
import {
  DEFAULT_FIELDS,
  type LexicalIndexOptions,
  type LexicalIndexOptionsInput,
} from "../lexical/options.js";
import type { Document } from "../types.js";
import { VERSION } from "../version.js";
import { DocumentStore } from "./document-store.js";
import { commitIndexDir, locateIndex } from "./index-dir.js";

/**
 * The files of an index: manifest.json (what was indexed, how, by which pairlift), lexical.bin
 * (the BM25 index) and documents.jsonl (stored documents); dense/ adds each embedder's vectors.
 * They live in a generation folder of the index directory and change only as a whole (see
 * index-dir.ts).
 */
export const MANIFEST_FILE = "manifest.json";
const LEXICAL_FILE = "lexical.bin";
const DOCUMENTS_FILE = "documents.jsonl";
export const INDEX_DIR_FORMAT = 1;

export interface IndexManifest {
  format: number;
  pairlift: string;
  createdAt: string;
  updatedAt: string;
  /** The corpus the index was first built from, and its SHA-256 when known. */
  corpus: { source: string; sha256?: string };
  documents: number;
  lexical: { file: string; bytes: number; terms: number; options: LexicalIndexOptions };
}

export interface OpenIndex {
  /** The index path, as given (what messages name). */
  dir: string;
  /**
   * The folder holding this state's files: a generation folder inside `dir` (index-dir.ts),
   * or `dir` itself for an index written before generations. A write replaces it.
   */
  dataDir: string;
  manifest: IndexManifest;
  lexical: LexicalIndex;
  documents: DocumentStore;
}

export interface BuildIndexOptions {
  source: CorpusSource;
  dir: string;
  lexical?: LexicalIndexOptionsInput;
  /**
   * Add the identifier fields the corpus's first record has (`sku`, `mpn`, …; see
   * lexical/identifier-fields.ts) to the fields. Default: when `lexical.fields` is not given.
   */
  detectIdentifierFields?: boolean;
  /** Recorded in the manifest (the eval cache keys on it). */
  corpusSha256?: string;
  onProgress?: (documentsDone: number) => void;
  /** Adds files to the new index before it replaces the old one (see WriteIndexOptions). */
  stage?: WriteIndexOptions["stage"];
}

export interface WriteIndexOptions {
  /**
   * Runs once the index's own files are written into the new generation and before it replaces
   * the old one: writes more files into `staged.dataDir` (each embedder's vectors). If it
   * throws, the index on disk stays exactly as it was.
   */
  stage?: (staged: OpenIndex) => Promise<void>;
}

export interface BuildStats {
  documents: number;
  seconds: number;
  documentsPerSecond: number;
  bytes: number;
  terms: number;
}

/**
 * The lexical options, with the identifier fields the first record has (identifier-fields.ts)
 * added to the given or default fields, unless detection is off.
 */
function withDetectedFields(options: BuildIndexOptions, first: Document): LexicalIndexOptionsInput {
  const detect = options.detectIdentifierFields ?? options.lexical?.fields === undefined;
  if (!detect) return options.lexical ?? {};
  const fields = options.lexical?.fields ?? DEFAULT_FIELDS;
  const detected = detectIdentifierFields(Object.keys(first.metadata ?? {})).filter(
    (field) => !fields.some((given) => given.name === field.name),
  );
  return { ...options.lexical, fields: [...fields, ...detected] };
}

/**
 * Builds an index directory from a corpus. The new index is written beside the target and
 * swapped in only when complete, so a bad line leaves any earlier index untouched.
 */
export async function buildIndex(
  options: BuildIndexOptions,
): Promise<{ index: OpenIndex; stats: BuildStats }> {
  const started = performance.now();
  const documents = new DocumentStore();
  let lexical: LexicalIndex | undefined;
  let count = 0;
  for await (const document of readCorpus(options.source)) {
    lexical ??= LexicalIndex.create(withDetectedFields(options, document));
    lexical.add(document);
    documents.set(document);
    count += 1;
    if (count % 500 === 0) options.onProgress?.(count);
  }
  options.onProgress?.(count);
  lexical ??= LexicalIndex.create(options.lexical);
  const now = new Date().toISOString();
  const corpus: IndexManifest["corpus"] = { source: options.source.path };
  if (options.corpusSha256 !== undefined) corpus.sha256 = options.corpusSha256;
  const index: OpenIndex = {
    dir: options.dir,
    dataDir: options.dir,
    manifest: {
      format: INDEX_DIR_FORMAT,
      pairlift: VERSION,
      createdAt: now,
      updatedAt: now,
      corpus,
      documents: count,
      lexical: { file: LEXICAL_FILE, bytes: 0, terms: 0, options: lexical.options },
    },
    lexical,
    documents,
  };
  const bytes = await writeIndexDir(
    index,
    options.stage === undefined ? {} : { stage: options.stage },
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    index,
    stats: {
      documents: count,
      seconds,
      documentsPerSecond: count / seconds,
      bytes,
      terms: lexical.vocabularySize,
    },
  };
}

/** Adds documents to an open index (duplicate ids are an error naming the document). */
export function addDocuments(index: OpenIndex, documents: Iterable<Document>): number {
  let added = 0;
  for (const document of documents) {
    index.lexical.add(document);
    index.documents.set(document);
    added += 1;
  }
  return added;
}

/** Removes documents by id; unknown ids are an error, and nothing is removed then. */
export function removeDocuments(index: OpenIndex, ids: readonly string[]): number {
  const unknown = ids.filter((id) => !index.lexical.has(id));
  if (unknown.length > 0) {
    throw new PairliftError(
      "E_UNKNOWN_ID",
      `not in the index: ${unknown
        .slice(0, 5)
        .map((id) => JSON.stringify(id))
        .join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}`,
    );
  }
  for (const id of ids) {
    index.lexical.remove(id);
    index.documents.delete(id);
  }
  return ids.length;
}

/**
 * Writes every file of the index as a new generation of its directory and makes it current
 * in one step (index-dir.ts): a failure or crash anywhere leaves the previous state readable
 * and unchanged. Returns the bytes of lexical.bin and documents.jsonl.
 */
export async function writeIndexDir(
  index: OpenIndex,
  options: WriteIndexOptions = {},
): Promise<number> {
  let bytes = 0;
  index.dataDir = await commitIndexDir(index.dir, async (staging) => {
    const lexicalBytes = await saveLexicalIndex(index.lexical, join(staging, LEXICAL_FILE));
    crashPoint("lexical-written");
    await index.documents.save(join(staging, DOCUMENTS_FILE));
    crashPoint("documents-written");
    bytes = lexicalBytes + (await stat(join(staging, DOCUMENTS_FILE))).size;
    index.manifest.documents = index.lexical.size;
    index.manifest.updatedAt = new Date().toISOString();
    index.manifest.lexical = {
      file: LEXICAL_FILE,
      bytes: lexicalBytes,
      terms: index.lexical.vocabularySize,
      options: index.lexical.options,
    };
    await writeFileAtomic(
      join(staging, MANIFEST_FILE),
      `${JSON.stringify(index.manifest, null, 2)}\n`,
    );
    crashPoint("manifest-written");
    await options.stage?.({ ...index, dataDir: staging });
  });
  return bytes;
}

/** Whether `dir` holds an index (in either layout). */
export async function indexExists(dir: string): Promise<boolean> {
  return (await locateIndex(dir)) !== undefined;
}

/** Reads the manifest in an index's data folder (OpenIndex.dataDir). */
export async function readManifest(dataDir: string): Promise<IndexManifest> {
  const path = join(dataDir, MANIFEST_FILE);
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    throw new PairliftError(
      "E_NOT_FOUND",
      "no pairlift index here (manifest.json missing); build one with `pairlift index`",
      { file: path },
      error,
    );
  });
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(text) as IndexManifest;
  } catch (error) {
    throw new PairliftError(
      "E_INDEX_FORMAT",
      `manifest is not valid JSON: ${String(error)}`,
      { file: path },
      error,
    );
  }
  if (manifest.format !== INDEX_DIR_FORMAT) {
    throw new PairliftError(
      "E_INDEX_FORMAT",
      `index directory format ${String(manifest.format)} is not supported (expected ${INDEX_DIR_FORMAT}); rebuild the index`,
      { file: path },
    );
  }
  return manifest;
}

/**
 * Opens the index at `dir`. A write that replaces the generation while it is being read (and
 * removes the one before it) makes it read the new one.
 */
export async function openIndex(dir: string): Promise<OpenIndex> {
  for (let attempt = 1; ; attempt += 1) {
    const dataDir = (await locateIndex(dir)) ?? dir;
    try {
      const manifest = await readManifest(dataDir);
      const [lexical, documents] = await Promise.all([
        loadLexicalIndex(join(dataDir, manifest.lexical.file)),
        DocumentStore.load(join(dataDir, DOCUMENTS_FILE)),
      ]);
      return { dir, dataDir, manifest, lexical, documents };
    } catch (error) {
      if (attempt < 3 && ((await locateIndex(dir)) ?? dir) !== dataDir) continue;
      throw error;
    }
  }
}
