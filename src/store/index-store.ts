import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
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

/**
 * An index directory: manifest.json (what was indexed, how, by which pairlift), lexical.bin
 * (the BM25 index) and documents.jsonl (stored documents). Later stages add their files here.
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
  dir: string;
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
  const bytes = await writeIndexDir(index);
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

/** Writes every file of the index into its directory, atomically as a whole. Returns bytes written. */
export async function writeIndexDir(index: OpenIndex): Promise<number> {
  const target = index.dir;
  const staging = join(
    dirname(target),
    `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  await mkdir(staging, { recursive: true });
  try {
    const lexicalBytes = await saveLexicalIndex(index.lexical, join(staging, LEXICAL_FILE));
    await index.documents.save(join(staging, DOCUMENTS_FILE));
    const documentBytes = (await stat(join(staging, DOCUMENTS_FILE))).size;
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
    await swapDirectory(staging, target);
    return lexicalBytes + documentBytes;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function swapDirectory(staging: string, target: string): Promise<void> {
  const existing = await stat(target).catch(() => undefined);
  if (existing === undefined) {
    await rename(staging, target);
    return;
  }
  if (!existing.isDirectory()) {
    throw new PairliftError("E_USAGE", "index path exists and is not a directory", {
      file: target,
    });
  }
  const retired = `${staging}.old`;
  await rename(target, retired);
  await rename(staging, target);
  await rm(retired, { recursive: true, force: true });
}

export async function readManifest(dir: string): Promise<IndexManifest> {
  const path = join(dir, MANIFEST_FILE);
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

export async function openIndex(dir: string): Promise<OpenIndex> {
  const manifest = await readManifest(dir);
  const [lexical, documents] = await Promise.all([
    loadLexicalIndex(join(dir, manifest.lexical.file)),
    DocumentStore.load(join(dir, DOCUMENTS_FILE)),
  ]);
  return { dir, manifest, lexical, documents };
}
