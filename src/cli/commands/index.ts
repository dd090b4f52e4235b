import { Command, Option } from "commander";
import { loadConfig } from "../../config/config-file.js";
import { CachedEmbedder } from "../../dense/cached-embedder.js";
import { buildDenseIndex, carryDenseIndexes } from "../../dense/dense-index.js";
import { openDefaultEmbeddingCache } from "../../dense/embedding-cache.js";
import { createEmbedder } from "../../dense/embedders/registry.js";
import type { VectorIndexKind } from "../../dense/vector-index/vector-index.js";
import { HNSW_QUANTIZATIONS } from "../../dense/vector-index/hnsw.js";
import type { HnswQuantization } from "../../dense/vector-index/hnsw.js";
import type { OpenIndex } from "../../store/index-store.js";
import { detectCorpusFormat, type CorpusFormat, type CorpusSource } from "../../io/corpus.js";
import { countLines } from "../../io/count-lines.js";
import { readCorpus } from "../../io/corpus.js";
import { defined } from "../../defined.js";
import { parseFieldSpec, withFieldSpecs, type FieldSpec } from "../../lexical/options.js";
import { PairliftError } from "../../errors.js";
import {
  addDocuments,
  buildIndex,
  openIndex,
  removeDocuments,
  writeIndexDir,
} from "../../store/index-store.js";
import { sha256File } from "../../store/hash.js";
import type { Document } from "../../types.js";
import { formatBytes } from "../format.js";
import { collect, nonNegativeNumber, positiveInteger } from "../options.js";
import type { CommandContext } from "../program.js";
import { startProgress } from "../progress.js";

interface IndexFlags {
  index: string;
  format?: CorpusFormat;
  idField?: string;
  titleField?: string;
  textField?: string;
  k1?: number;
  b?: number;
  titleWeight?: number;
  textWeight?: number;
  field?: string[];
  identifiers: boolean;
  append: boolean;
  delete?: string[];
  embedder?: string[];
  vectorIndex: VectorIndexKind;
  hnswM?: number;
  hnswEfConstruction?: number;
  hnswEfSearch?: number;
  hnswQuantization?: HnswQuantization;
  hnswThreads?: number;
  config?: string;
}

export function indexCommand(ctx: CommandContext): Command {
  return new Command("index")
    .description(
      "Build a BM25 index from a BEIR folder or a JSONL/CSV/TSV corpus, or add to / delete from one",
    )
    .argument("[corpus]", "BEIR folder, or a .jsonl/.csv/.tsv file")
    .requiredOption("--index <dir>", "index directory to write")
    .addOption(
      new Option("--format <format>", "corpus format (default: from the path)").choices([
        "beir",
        "jsonl",
        "csv",
        "tsv",
      ]),
    )
    .option("--id-field <name>", "column/key holding the document id (default _id)")
    .option("--title-field <name>", "column/key holding the title (default title)")
    .option("--text-field <name>", "column/key holding the text (default text)")
    .option("--k1 <number>", "BM25 k1 (default 0.9)", nonNegativeNumber)
    .option("--b <number>", "BM25 b, 0..1 (default 0.4)", nonNegativeNumber)
    .option("--title-weight <number>", "weight of the title field (default 1)", nonNegativeNumber)
    .option("--text-weight <number>", "weight of the text field (default 1)", nonNegativeNumber)
    .option(
      "--field <name:role:weight>",
      "index a field (repeatable): role text, identifier (SKUs, model numbers) or keyword (exact values), e.g. sku:identifier:5, brand:keyword:2; without it, fields named sku, mpn, gtin, model_number … are indexed as identifier fields",
      collect,
    )
    .option("--no-identifiers", "index identifier-like tokens as plain words only")
    .option(
      "--append",
      "add the corpus's documents to the existing index instead of rebuilding",
      false,
    )
    .option("--delete <id>", "remove a document from the existing index (repeatable)", collect)
    .option(
      "--embedder <name>",
      "also embed every document with this embedder (repeatable; use, glove, or one from the config)",
      collect,
    )
    .addOption(
      new Option("--vector-index <kind>", "vector index for --embedder")
        .choices(["flat", "flat-int8", "hnsw"])
        .default("flat"),
    )
    .option("--hnsw-m <n>", "hnsw: graph connectivity M (default 16)", positiveInteger)
    .option(
      "--hnsw-ef-construction <n>",
      "hnsw: candidate list size while building (default 128)",
      positiveInteger,
    )
    .option(
      "--hnsw-ef-search <n>",
      "hnsw: default candidate list size while searching (default 64)",
      positiveInteger,
    )
    .addOption(
      new Option(
        "--hnsw-quantization <type>",
        "hnsw: vectors in the graph as f32, f16 or i8 (quantized graphs re-score exactly; default f32)",
      ).choices([...HNSW_QUANTIZATIONS]),
    )
    .option(
      "--hnsw-threads <n>",
      "hnsw: threads that build the graph (default 1: the same input always gives the same vectors.bin; more is faster but not reproducible)",
      positiveInteger,
    )
    .option(
      "--config <file>",
      "config file with embedders (default: pairlift.config.yaml if present)",
    )
    .action(async (corpus: string | undefined, flags: IndexFlags) => {
      if (flags.append || flags.delete !== undefined) {
        await updateIndex(ctx, corpus, flags);
        return;
      }
      if (corpus === undefined && flags.embedder !== undefined) {
        ctx.io.stdout(await rewriteIndex(ctx, await openIndex(flags.index), flags));
        return;
      }
      if (corpus === undefined)
        throw new PairliftError(
          "E_USAGE",
          "give a corpus to index (or --delete ID with an existing --index)",
        );
      const detected = await detectCorpusFormat(corpus);
      const [total, corpusSha256] = await Promise.all([
        countLines(detected.file),
        sha256File(detected.file),
      ]);
      const progress = startProgress(ctx.io, "indexing", total);
      // Fields: --field, else the config's `fields:`, else title and text plus the
      // identifier fields (sku, mpn, …) the corpus has.
      const specs = (flags.field ?? []).map(parseFieldSpec);
      const configured = specs.length > 0 ? undefined : (await loadConfig(flags.config)).fields;
      const fields = withFieldSpecs([...(configured ?? []), ...specs]).map((field) =>
        field.name === "title" && flags.titleWeight !== undefined
          ? { ...field, weight: flags.titleWeight }
          : field.name === "text" && flags.textWeight !== undefined
            ? { ...field, weight: flags.textWeight }
            : field,
      );
      const source = corpusSource(
        corpus,
        flags,
        fields.map((field) => field.name),
        detected.format,
      );
      const bm25: { k1?: number; b?: number } = {};
      if (flags.k1 !== undefined) bm25.k1 = flags.k1;
      if (flags.b !== undefined) bm25.b = flags.b;
      try {
        // The BM25 index and every embedder's vectors replace the old index together, once
        // all of them are built.
        const embedded: string[] = [];
        const { stats, index } = await buildIndex({
          source,
          dir: flags.index,
          corpusSha256,
          lexical: { fields, bm25, analyzer: { identifiers: flags.identifiers } },
          detectIdentifierFields: specs.length === 0 && configured === undefined,
          onProgress: progress.update,
          stage: async (staged) => {
            progress.stop();
            embedded.push(...(await embedAll(ctx, staged, flags)));
          },
        });
        progress.stop();
        ctx.io.stdout(
          `indexed ${stats.documents} documents in ${stats.seconds.toFixed(2)} s (${Math.round(stats.documentsPerSecond)} docs/s), ` +
            `${stats.terms} terms, ${formatBytes(stats.bytes)} on disk → ${flags.index}\n` +
            `fields: ${index.lexical.options.fields.map(describeField).join(", ")}\n` +
            embedded.join(""),
        );
      } finally {
        progress.stop();
      }
    });
}

function corpusSource(
  path: string,
  flags: IndexFlags,
  fieldNames: string[],
  detected: CorpusFormat,
): CorpusSource {
  const source: CorpusSource = { path };
  if (flags.format !== undefined) source.format = flags.format;
  // Fields other than title and text are read from the record's own keys (JSONL, CSV, TSV)
  // or its metadata (BEIR, which keeps it without a mapping).
  const beir = (flags.format ?? detected) === "beir";
  const extra = beir ? [] : fieldNames.filter((name) => name !== "title" && name !== "text");
  if (
    flags.idField !== undefined ||
    flags.titleField !== undefined ||
    flags.textField !== undefined ||
    extra.length > 0
  ) {
    source.fields = {
      id: flags.idField ?? "_id",
      title: flags.titleField ?? "title",
      text: flags.textField ?? "text",
      ...(extra.length > 0 ? { metadata: extra } : {}),
    };
  }
  return source;
}

/** `title (text, 1)`, `sku (identifier, 5)`. */
function describeField(field: FieldSpec): string {
  return `${field.name} (${field.role ?? "text"}, ${field.weight}${field.b === undefined ? "" : `, b ${field.b}`})`;
}

async function updateIndex(
  ctx: CommandContext,
  corpus: string | undefined,
  flags: IndexFlags,
): Promise<void> {
  const index = await openIndex(flags.index);
  let added = 0;
  let removed = 0;
  if (flags.delete !== undefined) removed = removeDocuments(index, flags.delete);
  if (flags.append) {
    if (corpus === undefined) throw new PairliftError("E_USAGE", "--append needs a corpus to add");
    const documents: Document[] = [];
    const names = index.lexical.options.fields.map((field) => field.name);
    const { format } = await detectCorpusFormat(corpus);
    for await (const document of readCorpus(corpusSource(corpus, flags, names, format)))
      documents.push(document);
    try {
      added = addDocuments(index, documents);
    } catch (error) {
      if (error instanceof PairliftError && error.code === "E_DUPLICATE_ID") {
        throw new PairliftError(
          "E_DUPLICATE_ID",
          `${error.message.replace(/^field "_id": /, "")}; nothing was added`,
          { file: corpus },
          error,
        );
      }
      throw error;
    }
  }
  const embedded = await rewriteIndex(ctx, index, flags);
  ctx.io.stdout(
    `added ${added}, removed ${removed}; the index now holds ${index.lexical.size} documents\n` +
      embedded,
  );
}

/**
 * Writes an opened (and maybe changed) index as its new state, with each `--embedder`'s
 * vectors built into it and the other embedders' vectors carried over where the documents are
 * unchanged; all of it replaces the old state at once. Returns the embedders' report lines.
 */
async function rewriteIndex(
  ctx: CommandContext,
  index: OpenIndex,
  flags: IndexFlags,
): Promise<string> {
  const previous = index.dataDir;
  const embedded: string[] = [];
  await writeIndexDir(index, {
    stage: async (staged) => {
      await carryDenseIndexes(previous, staged, flags.embedder);
      embedded.push(...(await embedAll(ctx, staged, flags)));
    },
  });
  return embedded.join("");
}

/**
 * Builds the dense vectors of each `--embedder` into a staged index (WriteIndexOptions.stage),
 * so they become part of the index only together with everything else. Returns a line per
 * embedder for the report.
 */
async function embedAll(
  ctx: CommandContext,
  index: OpenIndex,
  flags: IndexFlags,
): Promise<string[]> {
  const lines: string[] = [];
  if (flags.embedder === undefined || flags.embedder.length === 0) return lines;
  const config = await loadConfig(flags.config);
  const cache = openDefaultEmbeddingCache();
  try {
    for (const name of flags.embedder) {
      const embedder = new CachedEmbedder(await createEmbedder(name, config), cache);
      const progress = startProgress(ctx.io, `embedding (${name})`, index.lexical.size);
      try {
        const dense = await buildDenseIndex({
          index,
          name,
          embedder,
          kind: flags.vectorIndex,
          vectorOptions: defined({
            M: flags.hnswM,
            efConstruction: flags.hnswEfConstruction,
            efSearch: flags.hnswEfSearch,
            quantization: flags.hnswQuantization,
            buildThreads: flags.hnswThreads,
          }),
          onProgress: progress.update,
        });
        progress.stop();
        const { embeddedTexts, cacheHits } = embedder.stats;
        lines.push(
          `embedded ${dense.manifest.documents} documents with ${name} in ${dense.manifest.buildSeconds.toFixed(2)} s ` +
            `(${embeddedTexts} by the model, ${cacheHits} from the cache), ${dense.manifest.dimension}-d, ${dense.manifest.kind} index${dense.manifest.reproducible === false ? " (built on several threads: not reproducible)" : ""}\n`,
        );
      } finally {
        progress.stop();
        await embedder.close();
      }
    }
  } finally {
    cache.close();
  }
  return lines;
}
