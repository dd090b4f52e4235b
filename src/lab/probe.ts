/**
 * Exact-match probe sets: a BEIR-format collection generated from a corpus, whose queries are
 * rare identifiers (df ≤ 3) typed the ways users type them, each judged relevant to the
 * documents that contain the identifier. A pipeline that loses exact matches scores low here
 * however well it does on natural-language queries.
 *
 * A probe directory holds queries.jsonl, qrels/test.tsv, probe.json and PROVENANCE.md, and no
 * corpus: probe.json names the source corpus by a relative path (io/beir.ts reads it), with
 * its SHA-256 so that evaluating against a changed corpus fails instead of misleading.
 * Everything is derived from the seed: the same corpus and seed write byte-identical files.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { RAW_TOKEN } from "../analysis/identifiers.js";
import { PairliftError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { beirCorpusPath, PROBE_MANIFEST_FILE, readBeirCorpus } from "../io/beir.js";
import { seededRandom, shuffle } from "../eval/compare/random.js";
import { sortStrcmp } from "../eval/ranking.js";
import { isIdentifierLike } from "../analysis/query-shape.js";
import { sha256File } from "../store/hash.js";
import type { Qrels, Query } from "../types.js";
import { VERSION } from "../version.js";
import {
  SENTENCE_TEMPLATES,
  VARIANT_TYPES,
  identifierKey,
  identifierVariants,
  type VariantType,
} from "./probe/variants.js";

export { VARIANT_TYPES, SENTENCE_TEMPLATES, identifierVariants, type VariantType };

export const DEFAULT_PROBE_SEED = 1;
export const DEFAULT_PROBE_IDENTIFIERS = 200;
/** Identifiers in more documents than this are not "rare": a lookup for them is ambiguous. */
export const PROBE_MAX_DOCUMENT_FREQUENCY = 3;
/** Longer tokens are URLs, DOIs or sequences rather than things people type. */
const MAX_IDENTIFIER_LENGTH = 40;

export interface ProbeOptions {
  /** The BEIR dataset whose corpus the probe is drawn from. */
  dataset: string;
  /** The probe directory to write. */
  out: string;
  seed?: number;
  /** How many identifiers to sample (default 200). */
  maxIdentifiers?: number;
}

export interface ProbeManifest {
  format: "pairlift-probe";
  version: 1;
  generator: string;
  /** The source dataset and its corpus, relative to the probe directory. */
  source: string;
  corpus: string;
  corpusSha256: string;
  seed: number;
  maxIdentifiers: number;
  maxDocumentFrequency: number;
  /** Identifier-like tokens with df ≤ maxDocumentFrequency (what was sampled from). */
  candidates: number;
  identifiers: number;
  queries: number;
  /** Queries per variant type (each one a `tag:<type>` slice in eval). */
  variants: Record<string, number>;
}

export interface ProbeSet {
  manifest: ProbeManifest;
  queries: Query[];
  qrels: Qrels;
}

interface TokenStats {
  /** Documents holding the identifier, in corpus order; at most maxDf + 1 are kept. */
  documents: string[];
  /** How often each printed form occurs, in first-seen order. */
  surfaces: Map<string, number>;
}

/** Scans the corpus: identifier-like tokens (grouped by identifierKey) and every token's key. */
async function scanCorpus(
  corpusFile: string,
): Promise<{ identifiers: Map<string, TokenStats>; vocabulary: Set<string> }> {
  const identifiers = new Map<string, TokenStats>();
  const vocabulary = new Set<string>();
  for await (const document of readBeirCorpus(corpusFile)) {
    const text = `${document.title}\n${document.text}`.normalize("NFKC");
    for (const match of text.matchAll(RAW_TOKEN)) {
      const surface = match[0];
      const key = identifierKey(surface);
      vocabulary.add(key);
      if (surface.length > MAX_IDENTIFIER_LENGTH || !isIdentifierLike(surface)) continue;
      let stats = identifiers.get(key);
      if (stats === undefined)
        identifiers.set(key, (stats = { documents: [], surfaces: new Map() }));
      stats.surfaces.set(surface, (stats.surfaces.get(surface) ?? 0) + 1);
      const documents = stats.documents;
      if (
        documents[documents.length - 1] !== document.id &&
        documents.length <= PROBE_MAX_DOCUMENT_FREQUENCY
      )
        documents.push(document.id);
    }
  }
  return { identifiers, vocabulary };
}

/** The most frequent printed form; the first seen among equals. */
function commonSurface(surfaces: ReadonlyMap<string, number>): string {
  let best = "";
  let count = 0;
  for (const [surface, n] of surfaces) {
    if (n > count) [best, count] = [surface, n];
  }
  return best;
}

function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/");
}

/** Builds a probe set in memory (writeProbeSet writes it). */
export async function buildProbeSet(options: ProbeOptions): Promise<ProbeSet> {
  const seed = options.seed ?? DEFAULT_PROBE_SEED;
  const maxIdentifiers = options.maxIdentifiers ?? DEFAULT_PROBE_IDENTIFIERS;
  if (!Number.isInteger(seed)) throw new PairliftError("E_USAGE", "the seed must be an integer");
  if (!Number.isInteger(maxIdentifiers) || maxIdentifiers < 1)
    throw new PairliftError("E_USAGE", "max identifiers must be a positive integer");
  const corpusFile = beirCorpusPath(options.dataset);
  if (!existsSync(corpusFile))
    throw new PairliftError("E_NOT_FOUND", "corpus not found", { file: corpusFile });
  const { identifiers, vocabulary } = await scanCorpus(corpusFile);

  const candidates = sortStrcmp(
    [...identifiers.entries()]
      .filter(([, stats]) => stats.documents.length <= PROBE_MAX_DOCUMENT_FREQUENCY)
      .map(([key]) => key),
  );
  const random = seededRandom(seed);
  const chosen = sortStrcmp(shuffle([...candidates], random).slice(0, maxIdentifiers));

  const queries: Query[] = [];
  const qrels: Qrels = new Map();
  const variantCounts = Object.fromEntries(VARIANT_TYPES.map((type) => [type, 0]));
  chosen.forEach((key, i) => {
    const stats = identifiers.get(key)!;
    const surface = commonSurface(stats.surfaces);
    const template = SENTENCE_TEMPLATES[random.below(SENTENCE_TEMPLATES.length)]!;
    // A shortened form is unambiguous when no other token of the corpus contains it.
    const isUnambiguous = (shortened: string): boolean => {
      for (const other of vocabulary) if (other !== key && other.includes(shortened)) return false;
      return true;
    };
    const judged = new Map(stats.documents.map((id) => [id, 1]));
    const number = String(i + 1).padStart(4, "0");
    for (const variant of identifierVariants(surface, { template, isUnambiguous })) {
      const id = `probe-${number}-${variant.type}`;
      queries.push({
        id,
        text: variant.text,
        metadata: { tags: [variant.type], identifier: surface },
      });
      qrels.set(id, judged);
      variantCounts[variant.type]! += 1;
    }
  });

  const out = resolve(options.out);
  const manifest: ProbeManifest = {
    format: "pairlift-probe",
    version: 1,
    generator: `pairlift ${VERSION} probe`,
    source: posixRelative(out, resolve(options.dataset)),
    corpus: posixRelative(out, resolve(corpusFile)),
    corpusSha256: await sha256File(corpusFile),
    seed,
    maxIdentifiers,
    maxDocumentFrequency: PROBE_MAX_DOCUMENT_FREQUENCY,
    candidates: candidates.length,
    identifiers: chosen.length,
    queries: queries.length,
    variants: variantCounts,
  };
  return { manifest, queries, qrels };
}

/** Generates a probe set and writes it to `options.out`; returns its manifest. */
export async function writeProbeSet(options: ProbeOptions): Promise<ProbeManifest> {
  if (existsSync(join(options.out, "corpus.jsonl"))) {
    throw new PairliftError(
      "E_USAGE",
      "the output directory holds a corpus.jsonl (a dataset?); write a probe set to an empty or probe directory",
      { file: options.out },
    );
  }
  const { manifest, queries, qrels } = await buildProbeSet(options);
  const queryLines = queries.map((query) =>
    JSON.stringify({ _id: query.id, text: query.text, metadata: query.metadata }),
  );
  const qrelRows = ["query-id\tcorpus-id\tscore"];
  for (const [queryId, judged] of qrels)
    for (const [docId, grade] of judged) qrelRows.push(`${queryId}\t${docId}\t${grade}`);
  await writeFileAtomic(join(options.out, "queries.jsonl"), lines(queryLines));
  await writeFileAtomic(join(options.out, "qrels", "test.tsv"), lines(qrelRows));
  await writeFileAtomic(
    join(options.out, PROBE_MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  await writeFileAtomic(join(options.out, "PROVENANCE.md"), provenance(manifest));
  return manifest;
}

function lines(rows: readonly string[]): string {
  return rows.length === 0 ? "" : `${rows.join("\n")}\n`;
}

function provenance(manifest: ProbeManifest): string {
  return [
    "# Exact-match probe set",
    "",
    `Generated by \`${manifest.generator}\` from the corpus \`${manifest.corpus}\``,
    `(SHA-256 \`${manifest.corpusSha256}\`) with seed ${manifest.seed}:`,
    "",
    `    pairlift probe --dataset ${manifest.source} --out <this directory> --seed ${manifest.seed} --max-identifiers ${manifest.maxIdentifiers}`,
    "",
    `- ${manifest.identifiers} identifiers sampled from the ${manifest.candidates} identifier-like tokens`,
    `  that occur in at most ${manifest.maxDocumentFrequency} documents of the corpus.`,
    "- Each identifier's queries (variant type in `metadata.tags`): " +
      Object.entries(manifest.variants)
        .map(([type, count]) => `${type} ${count}`)
        .join(", ") +
      ".",
    "- Judgments (`qrels/test.tsv`, grade 1): the documents whose title or text contains the",
    "  identifier in any case or separator form.",
    "- The corpus is not copied: `probe.json` names it, and `pairlift eval --dataset` reads it",
    "  from there. Evaluation refuses a corpus whose SHA-256 no longer matches.",
    "",
    "The queries and judgments are derived mechanically from the corpus text; they carry the",
    "source corpus's licence and terms.",
    "",
  ].join("\n");
}

/**
 * For a probe directory: checks that the corpus it names is the one it was generated from.
 * A no-op for ordinary datasets.
 */
export async function verifyProbeDataset(dir: string): Promise<void> {
  const manifestPath = join(dir, PROBE_MANIFEST_FILE);
  if (existsSync(join(dir, "corpus.jsonl")) || !existsSync(manifestPath)) return;
  const corpus = beirCorpusPath(dir);
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as Partial<ProbeManifest>;
  if (!existsSync(corpus)) {
    throw new PairliftError("E_NOT_FOUND", `the probe's source corpus ${corpus} is missing`, {
      file: manifestPath,
      field: "corpus",
    });
  }
  if (manifest.corpusSha256 !== undefined && (await sha256File(corpus)) !== manifest.corpusSha256) {
    throw new PairliftError(
      "E_FIELD",
      `the corpus ${corpus} changed since this probe set was generated; regenerate it with pairlift probe`,
      { file: manifestPath, field: "corpusSha256" },
    );
  }
}
